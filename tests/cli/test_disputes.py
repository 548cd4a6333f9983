"""`contradictions`: each pair once with its kinds, disputes as sides, `--within` (SPEC section 4)."""

import pytest

from tests.conftest import add, assert_refused, built_once, cli

PROPOSITION = "us-defends-all-allies"


@pytest.fixture
def sides(empty_store, request, isolated):
    """Five stances on one proposition: two for, three against (six disputes), one pair also linked."""
    def build():
        said = {}
        for actor, date, position in [("Mark Rutte", "2025-03-01", "for"), ("Keir Starmer", "2025-03-05", "for"),
                                      ("Donald Trump", "2025-03-06", "against"), ("J.D. Vance", "2025-03-20", "against"),
                                      ("Pete Hegseth", "2025-09-01", "against")]:
            said[actor] = add("--date", date, "--stance", f"{PROPOSITION}:{position}", actor=actor,
                              text=f"{actor} on whether the US defends every ally")
        cli("link", said["Donald Trump"], "contradicts", said["Mark Rutte"])
        return said

    return built_once(request, isolated, build)


def test_each_pair_once_with_every_kind(sides):
    pairs = cli("contradictions", "-f", "json").json()
    assert len(pairs) == 6
    linked = [p for p in pairs if p["kind"] == "linked"]
    assert len(linked) == 1 and linked[0]["kinds"] == ["linked", "stance"] and linked[0]["subkind"] == "dispute"
    assert {p["a"]["id"] for p in linked} | {p["b"]["id"] for p in linked} == {sides["Donald Trump"], sides["Mark Rutte"]}
    assert len(cli("contradictions", "--kind", "linked", "-f", "json").json()) == 1
    assert len(cli("contradictions", "--kind", "stance", "-f", "json").json()) == 6  # matches any kind
    tsv = cli("contradictions", "--kind", "linked").stdout.rstrip("\n").split("\t")
    assert tsv[0] == "linked" and tsv[-1] == "linked;stance"


def test_table_groups_a_proposition_into_sides(sides):
    table = cli("contradictions", "-f", "table").stdout
    assert "Disputes (1 proposition, 5 pairs)" in table and PROPOSITION in table
    assert "also stance" in table
    head = table.splitlines()
    header = next(line for line in head if "For" in line and "Against" in line)
    for_column = header.index("For")
    against_column = header.index("Against")
    rows = "\n".join(head[head.index(header):])
    for actor in ("Rutte", "Starmer", "Trump", "Vance", "Hegseth"):
        assert rows.count(actor) >= 1
    for line in head[head.index(header) + 1:]:
        if "Starmer" in line:
            assert for_column <= line.index("Starmer") < against_column
        if "Hegseth" in line:
            assert line.index("Hegseth") >= against_column


def test_within_days(sides):
    close = cli("contradictions", "--within", "3", "-f", "json").json()
    assert {frozenset((p["a"]["actor"], p["b"]["actor"])) for p in close} == {
        frozenset(("Keir Starmer", "Donald Trump"))}
    assert len(cli("contradictions", "--within", "20", "-f", "json").json()) == 4
    assert len(cli("contradictions", "--within", "365", "-f", "json").json()) == 6


@pytest.mark.parametrize("args, reason", [
    (["--within", "-1"], "--within"), (["--within", "soon"], "--within"), (["--kind", "sides"], "--kind"),
])
def test_bad_input(sides, db, args, reason):
    before = db.read_bytes()
    assert_refused(cli("contradictions", *args), reason)
    assert db.read_bytes() == before
