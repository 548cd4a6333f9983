"""`repeats` and the repeat warning of `add`, through the CLI (SPEC sections 3 and 4)."""

import json

import pytest

from tests.conftest import add, assert_refused, built_once, cli

NINETY = "We pay 90% of the cost of NATO, and they pay nothing."


@pytest.fixture
def repeated(empty_store, request, isolated):
    """Trump says one thing three times (one rated false), and Rutte another twice."""
    def build():
        ids = [add("--date", f"2025-0{m}", text=NINETY + "!" * m) for m in (1, 2, 3)]
        cli("status", ids[0], "false", "--note", "the US pays about 16% of the common budget")
        rutte = [add("--date", d, text="Allies agreed to spend 5% of GDP", actor="Mark Rutte") for d in ("2025-06", "2025-07")]
        add(text="Article 5 means what it says", actor="Mark Rutte")
        return ids, rutte

    return built_once(request, isolated, build)


def test_clusters_largest_first_in_json(repeated):
    ids, rutte = repeated
    found = cli("repeats", "--format", "json").json()
    assert [c["claims"] for c in found] == [ids, rutte]
    assert found[0]["actor"] == "Donald Trump" and found[0]["count"] == 3
    assert (found[0]["first"], found[0]["last"]) == ("2025-01", "2025-03")
    assert found[0]["statuses"] == {"unverified": 2, "false": 1}


@pytest.mark.parametrize("args, expected", [
    (["--status", "false"], 1), (["--status", "false", "--min", "4"], 0), (["--min", "3"], 1),
    (["--actor", "Rutte"], 1), (["--actor", "Trump", "--status", "verified"], 0), ([], 2), (["--min", "1"], 3),
])
def test_filters(repeated, args, expected):
    assert len(cli("repeats", *args, "--format", "json").json()) == expected


def test_every_format(repeated):
    ids, rutte = repeated
    assert cli("repeats", "--format", "ids").stdout.split() == ids + rutte
    lines = [json.loads(line) for line in cli("repeats", "--format", "jsonl").stdout.splitlines()]
    assert [c["count"] for c in lines] == [3, 2]
    tsv = cli("repeats", "--format", "tsv").stdout.splitlines()
    assert tsv[0].split("\t")[:5] == ["3", "Donald Trump", "2025-01", "2025-03", "unverified 2, false 1"]
    assert tsv[0].split("\t")[-1] == ";".join(ids)
    csv = cli("repeats", "--format", "csv").stdout.splitlines()
    assert csv[0] == "count,actor,first,last,statuses,text,claims" and len(csv) == 3
    table = cli("repeats", "--format", "table").stdout
    assert "Repeated claims" in table and "Donald Trump" in table and "Mark Rutte" in table


def test_nothing_repeated_is_success(empty_store):
    add()
    result = cli("repeats", "--format", "table")
    assert result.code == 0 and result.stdout == "" and "no repeated claims" in result.stderr
    assert cli("repeats", "--format", "json").json() == []


@pytest.mark.parametrize("args, reason", [
    (["--min", "0"], "--min must be 1 or more"), (["--min", "x"], "--min"), (["--status", "fals"], "unknown status"),
    (["--since", "03/04/2025"], "date"), (["--format", "xml"], "--format"),
])
def test_bad_input_is_refused_and_changes_nothing(repeated, db, args, reason):
    before = db.read_bytes()
    assert_refused(cli("repeats", *args), reason)
    assert db.read_bytes() == before


def test_add_says_which_verdict_the_earlier_claim_got(repeated):
    ids, _ = repeated
    result = cli("add", "--actor", "Donald Trump", "--source", "https://b.org", "--", NINETY)
    assert result.code == 0
    assert f"repeats {ids[0]}, rated false on " in result.stderr
    assert f"near-identical claim by Donald Trump exists: {ids[1]}" in result.stderr
    result = cli("add", "--actor", "Donald Trump", "--source", "https://b.org", "--", NINETY.replace("90", "60"))
    assert result.code == 0 and "repeats" not in result.stderr and "near-identical" not in result.stderr


def test_claimreview_export_lists_repeats(repeated):
    ids, _ = repeated
    reviews = json.loads(cli("export", "--format", "claimreview", "--publisher", "Desk",
                             "--publisher-url", "https://desk.org").stdout)
    assert [r["identifier"] for r in reviews] == [ids[0]]
    assert len(reviews[0]["itemReviewed"]["appearance"]) == 1  # add() gives every claim the same source URL


def test_add_suggests_the_measure_of_figures_worded_alike(empty_store):
    known = add("--measure", "us-troops-germany", "--topic", "troops", "--date", "2025-03",
                text="About 35,000 US troops are stationed in Germany", actor="Pentagon")
    result = cli("add", "--actor", "Mark Rutte", "--topic", "troops", "--source", "https://b.org", "--",
                 "Some 36,000 US troops are now stationed in Germany")
    assert result.code == 0
    assert f"36,000 troops is probably measure us-troops-germany (like {known})" in result.stderr
    assert "--measure us-troops-germany" in result.stderr
    accepted = cli("add", "--actor", "Mark Rutte", "--topic", "troops", "--source", "https://c.org",
                   "--measure", "us-troops-germany", "--", "Some 36,000 US troops are stationed in Germany")
    assert "probably measure" not in accepted.stderr
    shown = cli("show", accepted.stdout.strip(), "-f", "json").json()[0]
    assert shown["quantities"][0]["measure"] == "us-troops-germany"
    europe = cli("add", "--actor", "Mark Rutte", "--topic", "troops", "--source", "https://b.org", "--",
                 "Some 80,000 US troops are now stationed in Europe")
    assert "probably measure" not in europe.stderr
