"""Every listing is a function of the set of claims, not of the order they come in (issue 26: an
index hands the engines a subset of the claims, in an order of its own), and it is the order the
docs state (docs/find.md and docs/contradictions-and-repeats.md, "Order")."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natoclaims import core
from natoclaims.engines.contradictions import PAIR_KINDS, find_contradictions, said_order, suggest_measures
from natoclaims.engines.repeats import clusters, repeats_of
from natoclaims.engines.search import SORTERS, Filters
from natoclaims.model import STATUSES
from natoclaims.store import Store, read_file
from natoclaims.store.backend import MemoryStorage, Tables
from tests import factories
from tests.conftest import ROOT, examples

# Wordings that repeat one another, state figures that conflict (with and without a measure), and
# share words: enough for every kind of pair and for clusters of repeats.
TEXTS = [
    "Some 35,000 US troops are stationed in Germany",
    "Some 35,000 US troops are stationed in Germany.",
    "About 36,000 US troops are now stationed in Germany",
    "Some 12,000 US troops are stationed in Germany",
    "We pay 90% of the cost of NATO",
    "We pay 90 percent of the cost of NATO",
    "Allies must spend 5% of GDP on defence",
    "Allies must spend 2% of GDP on defence",
    "NATO is obsolete",
]
ACTORS = ["Donald Trump", "Mark Rutte", "Mark Rütte"]  # the last two fold to one name
DATES = [None, "2025", "2025-03", "2025-03-02", "2026-04"]
MEASURES = [None, "us-troops-germany", "defence-spending"]
SOURCES = [factories.source("srcaaaa1", "https://www.nato.int/a", title="Summit"),
           factories.source("srcaaaa2", "https://example.org/b", title="Summit"),
           factories.source("srcaaaa3", "https://example.org/c", title=None)]


def _source_id(source: dict[str, Any]) -> str:
    return str(source["id"])


def _claim_id(letters: str) -> str:
    return f"c{letters}"


# Built once: a strategy made anew for every claim drawn makes the examples several times slower.
IDS = st.lists(st.text("abc12", min_size=5, max_size=5).map(_claim_id), unique=True, max_size=9)
TEXT, ACTOR, DATE = st.sampled_from(TEXTS), st.sampled_from(ACTORS), st.sampled_from(DATES)
TOPIC_LISTS = st.lists(st.sampled_from(["troops", "spending"]), unique=True, max_size=2)
STANCE_LISTS = st.dictionaries(st.sampled_from(["us-defends-all-allies", "nato-is-obsolete"]),
                               st.sampled_from(["for", "against"]), max_size=2)
LINK_LISTS = st.lists(st.tuples(st.integers(0, 8), st.sampled_from(["contradicts", "duplicates", "supports"]),
                                st.sampled_from([None, "see it", "another note"])), max_size=2)
STATUS, MEASURE, AS_OF = st.sampled_from(STATUSES), st.sampled_from(MEASURES), st.sampled_from([None, "2025", "2025-03"])
SOURCE_LISTS = st.lists(st.sampled_from(SOURCES), unique_by=_source_id, min_size=1, max_size=2)


@st.composite
def claim_sets(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A few stored claims, most of them alike in date, actor, wording, figures, stances and links."""
    ids = draw(IDS)
    claims = []
    for claim_id in ids:
        links = {ids[n % len(ids)]: (relation, note) for n, relation, note in draw(LINK_LISTS)}
        made = factories.claim(
            claim_id, draw(TEXT), draw(ACTOR), said_on=draw(DATE), topics=draw(TOPIC_LISTS),
            stances=[factories.stance(position, proposition) for proposition, position in draw(STANCE_LISTS).items()],
            links=[factories.link(to, relation, note) for to, (relation, note) in links.items() if to != claim_id],
            read_figures=True, status=draw(STATUS), stored=True,
            sources=[factories.source_copy(source) for source in draw(SOURCE_LISTS)],
        )
        for quantity in made["quantities"]:
            quantity["measure"], quantity["as_of"] = draw(MEASURE), draw(AS_OF)
        claims.append(made)
    return claims


def shuffled(data: st.DataObject, records: dict[str, Any]) -> dict[str, Any]:
    """The same records keyed the same, in another order."""
    return {key: records[key] for key in data.draw(st.permutations(list(records)))}


def store_of(tables: dict[str, Any]) -> Store:
    """A store held in memory whose tables are these, in this order."""
    store = Store(None, user=factories.USER)
    store._tables = Tables(MemoryStorage(tables))
    return store


def as_text(value: Any) -> str:
    """A result as the commands would write it: list order and key order both count."""
    return json.dumps(value, ensure_ascii=False, default=str)


def listings(store: Store) -> dict[str, Any]:
    """What the listing commands print (search, export (ClaimReview too) and timeline by every sort; contradictions,
    repeats, topics, measures, propositions, stats, actors, sources, show's "linked from", the
    repeats and measures `add` names), from a store."""
    every_kind = core.contradiction_kinds(leads=True)
    claims = store.claims
    return {
        "find": {f"{by} {reverse}": [c["id"] for c in core.find(store, Filters(), sort=by, reverse=reverse)]
                 for by in SORTERS for reverse in (False, True)},
        "find contradicted": [c["id"] for c in core.find(store, Filters(), has_contradictions=True)],
        "contradictions": core.contradicting_pairs(store, Filters(), every_kind),
        "contradictions of Trump, within 31 days": core.contradicting_pairs(
            store, Filters(actors=("Donald Trump",)), ["stance", "numeric", "linked"], within=31),
        "contradicted": sorted(core.contradicted_ids(store)),
        "claimreview": core.claim_review_document(store, core.find(store, Filters()), publisher_url="https://desk.example",
                                                  allow_missing_rationale=True),
        "repeats": core.repeats(store), "partition": core.repeats(store, min_count=1),
        "repeats of": {claim_id: [c["id"] for c in group]
                       for claim_id, group in repeats_of(claims.values()).items()},
        "topics": core.topic_rows(store), "measures": core.measure_rows(store),
        "propositions": core.proposition_rows(store), "stats": core.stats(store),
        "actors": core.actor_rows(store), "sources": core.source_rows(store),
        "near actors": core.near_actors(store, "Mark Rutt"),
        "linked from": {claim_id: core.linked_from(store, claim_id) for claim_id in sorted(claims)},
        "similar": {claim_id: [c["id"] for c in core.similar_claims(store, claims[claim_id])] for claim_id in sorted(claims)},
        "measures suggested": {claim_id: [(q, measure, other["id"]) for q, measure, other
                                          in suggest_measures(claims[claim_id], claims.values())]
                               for claim_id in sorted(claims)},
    }


# -- the engines ------------------------------------------------------------------------------------

def _pair_place(pair: dict[str, Any]) -> tuple[Any, ...]:
    """Where the docs say a pair comes: by kind, leads the most alike first, then by its claims' times."""
    lead = -pair["similarity"] if pair["kind"] == "possible" else 0
    return PAIR_KINDS.index(pair["kind"]), lead, said_order(pair["a"]), said_order(pair["b"])


@settings(max_examples=examples(150), deadline=None)
@given(claims=claim_sets(), data=st.data())
def test_contradictions_come_in_their_order_whatever_order_the_claims_come_in(claims, data):
    by_id = {c["id"]: c for c in claims}
    for kinds, within in ((PAIR_KINDS, None), (PAIR_KINDS[:3], None), (("possible",), None), (PAIR_KINDS, 31)):
        pairs = find_contradictions(by_id, kinds, within)
        assert [_pair_place(p) for p in pairs] == sorted(_pair_place(p) for p in pairs)
        assert all(said_order(p["a"]) < said_order(p["b"]) for p in pairs)
        expected = as_text(pairs)
        assert as_text(find_contradictions(claims, kinds, within)) == expected
        assert as_text(find_contradictions(data.draw(st.permutations(claims)), kinds, within)) == expected
        assert as_text(find_contradictions(shuffled(data, by_id), kinds, within)) == expected


def _cluster_place(cluster: dict[str, Any]) -> tuple[Any, ...]:
    """Where the docs say a cluster comes, the first the greatest: largest, latest, then by its earliest claim's id."""
    return cluster["count"], cluster["last"] or "", cluster["claims"][0]


@settings(max_examples=examples(150), deadline=None)
@given(claims=claim_sets(), data=st.data(), min_count=st.sampled_from([1, 2, 3]))
def test_repeats_come_in_their_order_whatever_order_the_claims_come_in(claims, data, min_count):
    found = clusters(claims, min_count)
    assert [_cluster_place(c) for c in found] == sorted((_cluster_place(c) for c in found), reverse=True)
    by_id = {c["id"]: c for c in claims}
    for cluster in found:
        assert cluster["claims"] == sorted(cluster["claims"], key=lambda i: said_order(by_id[i]))
        assert cluster["text"] == by_id[cluster["claims"][0]]["text"]
    expected = as_text(found)
    assert as_text(clusters(data.draw(st.permutations(claims)), min_count)) == expected
    assert as_text(clusters(by_id.values(), min_count)) == expected

    def members(found: dict[str, list[dict[str, Any]]]) -> str:
        return as_text({claim_id: [c["id"] for c in group] for claim_id, group in found.items()})

    assert members(repeats_of(data.draw(st.permutations(claims)))) == members(repeats_of(claims))


# -- the listings of a store ------------------------------------------------------------------------

@settings(max_examples=examples(60), deadline=None)
@given(claims=claim_sets(), data=st.data())
def test_every_listing_is_the_same_whatever_order_the_store_holds_its_records_in(claims, data):
    tables = factories.store_data(*claims, sources=SOURCES)
    expected = as_text(listings(store_of(tables)))
    again = {**tables, **{table: shuffled(data, tables[table]) for table in ("claims", "actors", "sources")}}
    assert as_text(listings(store_of(again))) == expected


@pytest.fixture(scope="module")
def dataset_listings() -> str:
    """The listings of the bundled dataset, read as the file holds it (records in key order)."""
    return as_text(listings(store_of(read_file(ROOT / "data" / "claims.json"))))


@settings(max_examples=examples(20), deadline=None)
@given(data=st.data())
def test_every_listing_of_the_bundled_dataset_is_the_same_whatever_order_it_is_read_in(data, dataset_listings):
    tables = read_file(ROOT / "data" / "claims.json")
    again = {**tables, **{table: shuffled(data, tables[table]) for table in ("claims", "actors", "sources")}}
    assert as_text(listings(store_of(again))) == dataset_listings


# -- ties the order settles ---------------------------------------------------------------------------

def test_a_pair_disputed_on_two_propositions_names_the_first_by_name_either_way():
    a = factories.claim("caaaaa", "x", "One", stances=[factories.stance("for", "zeta"), factories.stance("for", "alpha")])
    b = factories.claim("cbbbbb", "y", "Two", stances=[factories.stance("against", "zeta"),
                                                       factories.stance("against", "alpha")])
    for claims in ([a, b], [b, a]):
        ((pair,),) = [find_contradictions(claims, ["stance"])]
        assert pair["proposition"] == "alpha" and pair["detail"].startswith("dispute on alpha:")


def test_the_earliest_of_two_equally_alike_claims_suggests_the_measure():
    text = "Some 35,000 US troops are stationed in Germany"
    known = [factories.claim(cid, text, said_on=said_on, topics=["troops"], quantities=[factories.figure(35000)])
             for cid, said_on in (("cbbbbb", "2025-01"), ("caaaaa", "2025-02"), ("ccccc0", None))]
    new = factories.claim("cnewer", "Some 36,000 US troops are stationed in Germany", topics=["troops"],
                          quantities=[factories.figure(36000, measure=None)])
    for others in (known, known[::-1]):
        ((_, measure, like),) = suggest_measures(new, others)
        assert (measure, like["id"]) == ("us-troops-germany", "cbbbbb")


def test_actors_of_one_folded_name_are_listed_as_written():
    claims = [factories.claim(cid, actor=name, stored=True) for cid, name in (("caaaaa", "Mark Rütte"), ("cbbbbb", "Mark Rutte"))]
    for order in (claims, claims[::-1]):
        store = store_of(factories.store_data(*order))
        assert [row["name"] for row in core.actor_rows(store)] == ["Mark Rutte", "Mark Rütte"]
