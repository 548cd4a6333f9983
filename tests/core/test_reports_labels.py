"""Reports and vocabularies through the library: contradicting_pairs, repeats, stats, check_store,
topic_rows, measure_rows, proposition_rows, nearby, unknown_filter_values."""

from __future__ import annotations

import json

import pytest

from natoclaims import core
from natoclaims.engines.search import Filters
from natoclaims.errors import InvalidInput
from natoclaims.store import Store
from tests.core.conftest import ids
from tests.factories import add, unchanged

TROOPS = "About 35,000 US troops"
FEWER = "Only 12,000 US troops"
SPENDING = "Allies will spend 5%"
NINETY = "We pay 90% of the cost of NATO, and they pay nothing."
ALL_KINDS = ["linked", "numeric", "stance", "possible"]


@pytest.fixture
def busy(any_newsroom: Store) -> Store:
    """The newsroom (in memory, then in a file) with Trump saying one thing twice and taking the other side on five percent."""
    add(any_newsroom, NINETY, said_on="2025-04", sources=["https://e.org/p"])
    add(any_newsroom, "We pay 90 % of the cost of NATO and they pay nothing!", said_on="2025-05", sources=["https://e.org/q"])
    add(any_newsroom, "Five percent is too much", actor="Trump", said_on="2025-07", sources=["https://e.org/r"],
        stances=["five-percent:against"])
    return any_newsroom


def pair_ids(pairs):
    return {frozenset((p["a"]["id"], p["b"]["id"])): p["kinds"] for p in pairs}


# -- contradicting_pairs ----------------------------------------------------------------------------

def test_contradicting_pairs_finds_the_numeric_and_the_stance_dispute(busy):
    pairs = core.contradicting_pairs(busy, Filters(), ALL_KINDS)
    five = ids(busy, "Five percent")
    assert pair_ids(pairs) == {frozenset((ids(busy, TROOPS), ids(busy, FEWER))): ["numeric"],
                               frozenset((ids(busy, SPENDING), five)): ["stance"]}
    (numeric,) = [p for p in pairs if p["kinds"] == ["numeric"]]
    assert numeric["detail"] in ("12,000 troops vs 35,000 troops (us-troops-germany)",  # same month: either first
                                 "35,000 troops vs 12,000 troops (us-troops-germany)")


def test_contradicting_pairs_keeps_pairs_where_either_claim_passes_the_filters(busy):
    by_trump = core.contradicting_pairs(busy, Filters(actors=("Trump",)), ALL_KINDS)
    assert len(by_trump) == 2  # Trump is one side of both
    stances = core.contradicting_pairs(busy, Filters(topics=("defence-spending",)), ["stance"])
    assert [p["kinds"] for p in stances] == [["stance"]]
    assert core.contradicting_pairs(busy, Filters(since="2026"), ALL_KINDS) == []


def test_contradicting_pairs_within_days(busy):
    assert [p["kinds"] for p in core.contradicting_pairs(busy, Filters(), ALL_KINDS, within=0)] == [["numeric"]]
    assert len(core.contradicting_pairs(busy, Filters(), ALL_KINDS, within=365)) == 2


def test_a_link_makes_a_linked_pair(newsroom):
    core.link(newsroom, ids(newsroom, SPENDING), "contradicts", ids(newsroom, TROOPS))
    pairs = pair_ids(core.contradicting_pairs(newsroom, Filters(), ["linked"]))
    assert pairs[frozenset((ids(newsroom, SPENDING), ids(newsroom, TROOPS)))] == ["linked"]


def test_contradicting_pairs_refuses_a_negative_window(newsroom):
    with unchanged(newsroom), pytest.raises(InvalidInput, match="within takes a number of days, 0 or more, not -1"):
        core.contradicting_pairs(newsroom, Filters(), ALL_KINDS, within=-1)


# -- repeats ----------------------------------------------------------------------------------------

def test_repeats_clusters_one_actor_saying_the_same_thing(busy):
    (cluster,) = core.repeats(busy)
    assert (cluster["actor"], cluster["count"], cluster["first"], cluster["last"]) == ("Donald Trump", 2, "2025-04", "2025-05")
    assert sorted(cluster["claims"]) == sorted(c["id"] for c in busy.claims.values() if "90" in c["text"])
    assert cluster["statuses"] == {"unverified": 2}


def test_repeats_filters_by_actor_status_and_size(busy):
    assert core.repeats(busy, Filters(actors=("Mark Rutte",))) == []
    assert core.repeats(busy, statuses=("verified",)) == []
    assert len(core.repeats(busy, statuses=("unverified",))) == 1
    assert core.repeats(busy, min_count=3) == []
    assert len(core.repeats(busy, min_count=1)) == len({c["text"] for c in busy.claims.values()}) - 1


def test_repeats_refuses_a_minimum_below_one(busy):
    with pytest.raises(InvalidInput, match="min_count must be 1 or more, not 0"):
        core.repeats(busy, min_count=0)


# -- stats ------------------------------------------------------------------------------------------

def test_stats_counts_by_status_actor_topic_and_month(any_newsroom):
    core.review(any_newsroom, [ids(any_newsroom, SPENDING)], "verified")
    rows = {(r["group"], r["key"]): r["count"] for r in core.stats(any_newsroom)}
    assert rows[("status", "unverified")] == 2 and rows[("status", "verified")] == 1 and rows[("status", "false")] == 0
    assert rows[("actor", "Mark Rutte")] == 2 and rows[("actor", "Donald Trump")] == 1
    assert rows[("topic", "troops")] == 2 and rows[("topic", "defence-spending")] == 1
    assert rows[("month", "2025-03")] == 2 and rows[("month", "2025-06")] == 1


def test_stats_orders_groups_and_names_undated_claims(memory_store):
    add(memory_store, "undated claim")
    rows = core.stats(memory_store)
    assert [r["group"] for r in rows][:7] == ["status"] * 7
    assert {"group": "month", "key": "undated", "count": 1} in rows
    assert core.stats(Store(None))[-1] == {"group": "status", "key": "retracted", "count": 0}


# -- check_store ------------------------------------------------------------------------------------

def test_check_store_finds_nothing_in_a_store_the_library_wrote(busy):
    assert core.check_store(busy) == []


def test_check_store_names_a_dangling_link_and_an_unknown_actor(newsroom):
    data = json.loads(newsroom.path.read_text())
    troops, spending = ids(newsroom, TROOPS), ids(newsroom, SPENDING)
    data["claims"][troops]["links"] = [{"relation": "contradicts", "to": "zzzzzzzz", "note": None}]
    data["claims"][spending]["actor"] = "Nobody Known"
    newsroom.path.write_text(json.dumps(data))
    assert sorted(core.check_store(Store(newsroom.path))) == sorted([
        f"{troops}: dangling link: contradicts zzzzzzzz (no such claim)",
        f"{spending}: actor 'Nobody Known' is not in the actors table"])


def test_check_store_names_a_claim_whose_copy_of_a_source_differs(newsroom):
    data = json.loads(newsroom.path.read_text())
    troops = ids(newsroom, TROOPS)
    source_id = data["claims"][troops]["sources"][0]["id"]
    data["claims"][troops]["sources"][0]["title"] = "Forged title"
    newsroom.path.write_text(json.dumps(data))
    assert core.check_store(Store(newsroom.path)) == [f"{troops}: its copy of source {source_id} differs from the sources table"]


def test_check_store_reads_without_writing(newsroom):
    with unchanged(newsroom):
        core.check_store(newsroom)


# -- labels -----------------------------------------------------------------------------------------

def test_topic_measure_and_proposition_rows(busy):
    assert core.topic_rows(busy) == [{"topic": "troops", "claims": 2}, {"topic": "defence-spending", "claims": 1}]
    assert core.measure_rows(busy) == [{"measure": "us-troops-germany", "claims": 2}]
    assert core.proposition_rows(busy) == [{"proposition": "five-percent", "claims": 2, "for": 1, "against": 1}]


def test_rows_of_an_empty_store_are_empty(memory_store):
    assert core.topic_rows(memory_store) == core.measure_rows(memory_store) == core.proposition_rows(memory_store) == []


@pytest.mark.parametrize("value, known, near", [
    ("artcle-5", ["article-5", "troops"], ["article-5"]),
    ("troop", ["article-5", "troops"], ["troops"]),
    ("iran", ["article-5", "troops"], []),
])
def test_nearby_names_the_known_values_closest_to_a_typo(value, known, near):
    assert core.nearby(value, known) == near


def test_unknown_filter_values_name_what_nothing_has_and_what_is_near(any_newsroom):
    said = core.unknown_filter_values(any_newsroom, Filters(
        topics=("trops",), actors=("Mark Rute",), measures=("x",), source_domains=("exmaple.org",)))
    assert said == ["no actor 'Mark Rute'; did you mean 'Mark Rutte'?", "no topic 'trops'; did you mean troops?",
                    "no measure 'x' in this store", "no source domain 'exmaple.org'; did you mean example.org?"]


def test_unknown_filter_values_says_nothing_of_values_in_use(any_newsroom):
    assert core.unknown_filter_values(any_newsroom, Filters(
        topics=("troops",), actors=("Trump",), measures=("us-troops-germany",), source_domains=("example.org",))) == []


def test_a_domain_cited_only_as_evidence_is_said_so(newsroom):
    core.review(newsroom, [ids(newsroom, TROOPS)], "false", evidence=["https://factcheck.example.net/x"])
    (said,) = core.unknown_filter_values(newsroom, Filters(source_domains=("factcheck.example.net",)))
    assert said.startswith("no claim appeared on 'factcheck.example.net': it is cited only as evidence")


def test_check_store_names_a_twin_claim_and_an_alias_of_two_actors(newsroom):
    data = json.loads(newsroom.path.read_text())
    troops = ids(newsroom, TROOPS)
    data["claims"]["zzzzzzzz"] = {**data["claims"][troops], "id": "zzzzzzzz"}
    data["actors"]["Mark Rutte"]["aliases"] = ["Donald Trump"]
    newsroom.path.write_text(json.dumps(data))
    assert core.check_store(Store(newsroom.path)) == [
        f"zzzzzzzz: the same claim as {troops} (same actor, text and date)",
        "actor 'Mark Rutte': its alias 'Donald Trump' also names the actor 'Donald Trump'"]
