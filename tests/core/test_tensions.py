"""SPEC section 4 through the library: contradicting_pairs and its filters, links that make a
contradiction, repeats and its filters, and what add_claim says of similar claims and measures."""

from __future__ import annotations

import pytest

from natoclaims import core
from natoclaims.core import Filters
from natoclaims.errors import InvalidInput
from tests.factories import add, memory_store

NINETY = "We pay 90% of the cost of NATO, and they pay nothing."


@pytest.fixture(scope="module")
def tensions():
    """Trump for and then against defending every ally, Rutte for it, and two figures of US troops in Germany."""
    s = memory_store()
    feb = add(s, "I'm with them, we will defend them", said_on="2025-02-27", stances=["us-defends-all-allies:for"],
              topics=["article-5"])["id"]
    mar = add(s, "If they don't pay, I'm not going to defend them", said_on="2025-03-06",
              stances=["us-defends-all-allies:against"], topics=["article-5"])["id"]
    rutte = add(s, "The US commitment to NATO is clear", actor="Mark Rutte", said_on="2025-03",
                stances=["us-defends-all-allies:for"], topics=["article-5"])["id"]
    big = add(s, "withdrawing some 35,000 troops from Germany", said_on="2025-03", measures=["us-troops-germany"],
              topics=["troops"])["id"]
    small = add(s, "only 12,000 troops will move", actor="Pentagon", said_on="2025", quantities=["12000 troops"],
                measures=["us-troops-germany"], topics=["troops"])["id"]
    return s, dict(feb=feb, mar=mar, rutte=rutte, big=big, small=small)


CONFIRMED = ["linked", "numeric", "stance"]


def test_the_pairs_are_a_reversal_a_dispute_and_conflicting_figures(tensions):
    store, _ = tensions
    pairs = core.contradicting_pairs(store, Filters(), CONFIRMED)
    assert sorted((p["kind"], p.get("subkind") or "") for p in pairs) == [
        ("numeric", ""), ("stance", "dispute"), ("stance", "reversal")]
    assert all(set(p["a"]) >= {"id", "actor", "said_on", "text"} and p["detail"] for p in pairs)


def test_the_reversal_is_trumps_february_against_march(tensions):
    store, c = tensions
    (reversal,) = [p for p in core.contradicting_pairs(store, Filters(), ["stance"]) if p.get("subkind") == "reversal"]
    assert {reversal["a"]["id"], reversal["b"]["id"]} == {c["feb"], c["mar"]}


def test_the_figures_pair_names_both_figures_and_the_measure(tensions):
    store, c = tensions
    (numeric,) = core.contradicting_pairs(store, Filters(), ["numeric"])
    assert {numeric["a"]["id"], numeric["b"]["id"]} == {c["big"], c["small"]}
    assert "35,000 troops" in numeric["detail"] and "12,000 troops" in numeric["detail"]
    assert "(us-troops-germany)" in numeric["detail"]


PAIRS = {
    "by the Pentagon": (Filters(actors="Pentagon"), CONFIRMED, 1),
    "on article 5": (Filters(topics="article-5"), CONFIRMED, 2),
    "stances only": (Filters(), ["stance"], 2),
    "figures only": (Filters(), ["numeric"], 1),
    "links only, none made": (Filters(), ["linked"], 0),
    "stances since March": (Filters(since="2025-03-01"), ["stance"], 2),
    "until February, a year overlapping": (Filters(until="2025-02-28"), CONFIRMED, 2),
    "by nobody": (Filters(actors="nobody"), CONFIRMED, 0),
    "on a topic nobody speaks of": (Filters(topics="iran"), CONFIRMED, 0),
    "Rutte's": (Filters(actors="Mark Rutte"), CONFIRMED, 1),
}


@pytest.mark.parametrize("filters, kinds, count", PAIRS.values(), ids=PAIRS.keys())
def test_contradicting_pairs_by_filter_and_kind(tensions, filters, kinds, count):
    assert len(core.contradicting_pairs(tensions[0], filters, kinds)) == count


def test_the_ids_in_pairs_are_the_claims_search_marks(tensions):
    store, c = tensions
    assert core.contradicted_ids(store) == set(c.values())
    assert {x["id"] for x in core.find(store, Filters(), has_contradictions=True)} == set(c.values())


def test_the_kinds_looked_for_unless_asked(tensions):
    assert core.contradiction_kinds() == ["linked", "numeric", "stance"]
    assert set(core.contradiction_kinds(leads=True)) > set(core.contradiction_kinds())


def test_a_link_makes_a_linked_contradiction_with_its_note():
    store = memory_store()
    a = add(store, "Troops stay", said_on="2025-01")["id"]
    b = add(store, "Troops go home", actor="B", said_on="2025-01")["id"]
    core.link(store, a, "contradicts", b, note="judgment call")
    assert [p["detail"] for p in core.contradicting_pairs(store, Filters(), ["linked"])] == ["judgment call"]


def test_a_supporting_link_is_no_contradiction():
    store = memory_store()
    a = add(store, "Troops stay", said_on="2025-01")["id"]
    b = add(store, "Troops remain", actor="B", said_on="2025-01")["id"]
    core.link(store, a, "supports", b)
    assert core.contradicting_pairs(store, Filters(), ["linked"]) == []
    assert core.linked_from(store, b) == [{"from": a, "relation": "supports", "note": None}]


@pytest.fixture(scope="module")
def repeated():
    """Trump says one thing three times (one rated false), Rutte another twice and something once."""
    s = memory_store()
    trump = [add(s, NINETY + "!" * m, said_on=f"2025-0{m}")["id"] for m in (1, 2, 3)]
    core.set_status(s, [trump[0]], "false", note="the US pays about 16% of the common budget")
    rutte = [add(s, "Allies agreed to spend 5% of GDP", actor="Mark Rutte", said_on=d)["id"] for d in ("2025-06", "2025-07")]
    add(s, "Article 5 means what it says", actor="Mark Rutte")
    return s, trump, rutte


def test_repeats_are_largest_first_with_dates_and_statuses(repeated):
    store, trump, rutte = repeated
    found = core.repeats(store)
    assert [c["claims"] for c in found] == [trump, rutte]
    assert found[0]["actor"] == "Donald Trump" and found[0]["count"] == 3
    assert (found[0]["first"], found[0]["last"]) == ("2025-01", "2025-03")
    assert found[0]["statuses"] == {"unverified": 2, "false": 1}


REPEATS = {
    "with a false claim": (dict(statuses=("false",)), 1),
    "with a false claim, four or more": (dict(statuses=("false",), min_count=4), 0),
    "three or more": (dict(min_count=3), 1),
    "by Rutte": (dict(filters=Filters(actors="Rutte")), 1),
    "by Trump, verified": (dict(filters=Filters(actors="Trump"), statuses=("verified",)), 0),
    "everything": (dict(), 2),
    "one or more: a claim said once too": (dict(min_count=1), 3),
    "since June": (dict(filters=Filters(since="2025-06")), 1),
}


@pytest.mark.parametrize("options, count", REPEATS.values(), ids=REPEATS.keys())
def test_repeats_by_filter(repeated, options, count):
    assert len(core.repeats(repeated[0], **options)) == count


@pytest.mark.parametrize("min_count", [0, -1])
def test_repeats_refuses_a_minimum_below_one(repeated, min_count):
    with pytest.raises(InvalidInput, match=f"min_count must be 1 or more, not {min_count}"):
        core.repeats(repeated[0], min_count=min_count)


def test_nothing_repeated_is_an_empty_list():
    store = memory_store()
    add(store)
    assert core.repeats(store) == []


def test_add_claim_names_the_similar_claims():
    store = memory_store()
    first = add(store, NINETY, said_on="2025-01")["id"]
    change = core.add_claim(store, NINETY + "!", actor="Donald Trump", sources=["https://b.org"])
    assert first in [c["id"] for c in change.similar]
    other = core.add_claim(store, NINETY.replace("90", "60"), actor="Donald Trump", sources=["https://b.org"])
    assert other.similar == []


def test_add_claim_suggests_the_measure_of_figures_worded_alike():
    store = memory_store()
    known = add(store, "About 35,000 US troops are stationed in Germany", actor="Pentagon", said_on="2025-03",
                measures=["us-troops-germany"], topics=["troops"])["id"]
    change = core.add_claim(store, "Some 36,000 US troops are now stationed in Germany", actor="Mark Rutte",
                            topics=["troops"], sources=["https://b.org"])
    assert change.measures and "us-troops-germany" in str(change.measures) and known in str(change.measures)
    europe = core.add_claim(store, "Some 80,000 US troops are now stationed in Europe", actor="Mark Rutte",
                            topics=["troops"], sources=["https://b.org"])
    assert not europe.measures
