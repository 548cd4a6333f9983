"""SPEC section 4: the `contradictions` command and its filters, and contradictions made by `link`."""

import pytest

from tests.conftest import add, built_once, cli


@pytest.fixture
def tensions(empty_store, request, isolated):
    def build():
        feb = add("--date", "2025-02-27", "--stance", "us-defends-all-allies:for", "--topic", "article-5",
                  text="I'm with them, we will defend them")
        mar = add("--date", "2025-03-06", "--stance", "us-defends-all-allies:against", "--topic", "article-5",
                  text="If they don't pay, I'm not going to defend them")
        rutte = add("--date", "2025-03", "--stance", "us-defends-all-allies:for", "--topic", "article-5",
                    text="The US commitment to NATO is clear", actor="Mark Rutte")
        big = add("--date", "2025-03", "--measure", "us-troops-germany", "--topic", "troops",
                  text="withdrawing some 35,000 troops from Germany")
        small = add("--date", "2025", "--quantity", "12000 troops", "--measure", "us-troops-germany", "--topic", "troops",
                    text="only 12,000 troops will move", actor="Pentagon")
        return feb, mar, rutte, big, small

    return built_once(request, isolated, build)


def test_contradictions_command(tensions):
    feb, mar, rutte, big, small = tensions
    pairs = cli("contradictions", "-f", "json").json()
    assert {(p["kind"], p.get("subkind")) for p in pairs} == {("stance", "reversal"), ("stance", "dispute"),
                                                                ("numeric", None)}
    assert len(pairs) == 3
    for pair in pairs:
        assert set(pair["a"]) >= {"id", "actor", "said_on", "text"} and pair["detail"]
    assert len(cli("contradictions", "--actor", "Pentagon", "-f", "json").json()) == 1
    assert len(cli("contradictions", "--topic", "article-5", "-f", "json").json()) == 2
    assert len(cli("contradictions", "--kind", "stance", "-f", "json").json()) == 2
    assert len(cli("contradictions", "--since", "2025-03-01", "--kind", "stance", "-f", "json").json()) == 2
    # "2025" (a year) overlaps --until 2025-02-28, so the numeric pair stays with the reversal
    assert len(cli("contradictions", "--until", "2025-02-28", "-f", "json").json()) == 2
    tsv = cli("contradictions", "--kind", "numeric").stdout
    assert tsv.startswith("numeric\t\t35,000 troops vs 12,000 troops (us-troops-germany)\t" + big) or \
        tsv.startswith("numeric\t\t12,000 troops vs 35,000 troops (us-troops-germany)\t" + small)
    ids = cli("contradictions", "-f", "ids").stdout.split()
    assert sorted(ids) == sorted([feb, mar, rutte, big, small])
    table = cli("contradictions", "-f", "table").stdout
    assert "Opposite stances" in table and "Conflicting figures" in table and "reversal by Donald" in table
    assert sorted(cli("search", "--has-contradictions", "-f", "ids").stdout.split()) == sorted(ids)


def test_contradictions_fail_flag(tensions):
    result = cli("contradictions", "--fail", "-f", "ids")
    assert result.code == 1 and "found" in result.stderr
    assert cli("contradictions", "--fail", "--actor", "nobody", "-f", "ids").code == 0


def test_link_makes_linked_contradiction(tensions):
    feb, _, _, big, _ = tensions
    assert cli("link", feb, "contradicts", big, "--note", "judgment call").code == 0
    linked = cli("contradictions", "--kind", "linked", "-f", "json").json()
    assert [p["detail"] for p in linked] == ["judgment call"]
