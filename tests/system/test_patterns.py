"""Patterns across claims run as a user's shell runs them: the installed command on a temporary store."""

import json

import pytest

from tests.conftest import run

CLAIM = "The United States pays 90% of the cost of NATO."


@pytest.mark.slow
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


@pytest.mark.slow
def test_disputes_once_per_pair_and_within_end_to_end(empty_store):
    for actor, date, position in [("Mark Rutte", "2025-03-01", "for"), ("Donald Trump", "2025-03-06", "against"),
                                  ("Pete Hegseth", "2025-09-01", "against")]:
        assert run("add", f"{actor} on Article 5", "--actor", actor, "--date", date, "--source", "https://a.org",
                   "--stance", f"us-defends-all-allies:{position}").code == 0
    pairs = json.loads(run("contradictions", "--format", "json").stdout)
    assert len(pairs) == 2 and all(p["kinds"] == ["stance"] and p["subkind"] == "dispute" for p in pairs)
    close = json.loads(run("contradictions", "--within", "30", "--format", "json").stdout)
    assert [(p["a"]["actor"], p["b"]["actor"]) for p in close] == [("Mark Rutte", "Donald Trump")]
    bad = run("contradictions", "--within", "-5")
    assert bad.code == 2 and bad.stdout == "" and "Traceback" not in bad.stderr
