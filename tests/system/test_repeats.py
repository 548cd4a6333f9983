"""`repeats` run as a user's shell runs it: the installed command on a temporary store."""

import json

from tests.conftest import run

CLAIM = "The United States pays 90% of the cost of NATO."


def test_bottomless_pinocchio_list_end_to_end(empty_store):
    ids = []
    for n in range(3):
        result = run("add", CLAIM + " " * n, "--actor", "Donald Trump", "--date", f"2019-0{n + 1}",
                     "--source", f"https://example.org/{n}")
        assert result.code == 0, result
        ids.append(result.stdout.strip())
        if n == 1:
            assert run("status", ids[0], "false").code == 0
    assert f"repeats {ids[0]}, rated false on" in result.stderr
    listed = run("repeats", "--status", "false", "--min", "3", "--format", "json")
    assert listed.code == 0 and json.loads(listed.stdout)[0]["claims"] == ids
    assert run("repeats", "--status", "false", "--min", "4", "--format", "json").stdout.strip() == "[]"
    piped = run("repeats", "--min", "3")  # not a terminal: TSV
    assert piped.stdout.split("\t")[:4] == ["3", "Donald Trump", "2019-01", "2019-03"]
    bad = run("repeats", "--min", "-1")
    assert bad.code in (1, 2) and bad.stdout == "" and "Traceback" not in bad.stderr
