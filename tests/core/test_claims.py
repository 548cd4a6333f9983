"""Claims through the library: add_claim, edit_claim, remove_claims, link, unlink, linked_from, find."""

from __future__ import annotations

import pytest

from natoclaims import core
from natoclaims.engines.search import Filters
from natoclaims.errors import InvalidInput, NotFound
from natoclaims.store import Store, read_file
from tests.core.conftest import ids
from tests.factories import add, unchanged

TROOPS = "About 35,000 US troops"
FEWER = "Only 12,000 US troops"
SPENDING = "Allies will spend 5%"


# -- add_claim --------------------------------------------------------------------------------------

def test_add_claim_stores_the_claim_in_the_file_with_its_source_and_actor(file_store):
    written = core.add_claim(file_store, "Some 35,000 troops will leave Germany", actor="Donald Trump",
                             said_on="March 2025", sources=["https://example.org/a"], topics=["Troops"])
    on_disk = read_file(file_store.path)
    stored = on_disk["claims"][written.claim["id"]]
    assert stored["text"] == "Some 35,000 troops will leave Germany" and stored["said_on"] == "2025-03"
    assert stored["topics"] == ["troops"] and stored["status"] == "unverified" and stored["reviews"] == []
    assert [s["url"] for s in stored["sources"]] == ["https://example.org/a"]
    assert list(on_disk["sources"]) == [stored["sources"][0]["id"]]
    assert written.new_actor and on_disk["actors"]["Donald Trump"]["type"] == "person"


def test_add_claim_takes_figures_from_the_text_or_from_quantities(memory_store):
    from_text = add(memory_store, "Some 35,000 troops will leave Germany")
    given = add(memory_store, "Many troops will leave", quantities=["9500 troops"], measures=["us-troops-germany"],
                as_of="2025-06")
    assert [(q["value"], q["unit"], q["qualifier"]) for q in from_text["quantities"]] == [(35000, "troops", "approx")]
    assert given["quantities"] == [{"value": 9500, "unit": "troops", "measure": "us-troops-germany",
                                    "qualifier": "exact", "as_of": "2025-06"}]


def test_add_claim_resolves_an_alias_to_the_known_actor_unless_a_new_one_is_asked_for(newsroom):
    assert add(newsroom, "Another thing said", actor="Trump")["actor"] == "Donald Trump"
    assert add(newsroom, "Something else said", actor="Rutte")["actor"] == "Mark Rutte"  # a word of one name
    written = core.add_claim(newsroom, "Yet another thing", actor="Rutte", sources=["https://e.org/x"], new_actor=True)
    assert written.claim["actor"] == "Rutte" and written.new_actor and "Rutte" in newsroom.actors


def test_add_claim_with_a_verdict_and_rationale_records_the_review(memory_store):
    claim = add(memory_store, "Five percent of GDP", status="disputed", rationale="the budget says 3.5%")
    (review,) = claim["reviews"]
    assert claim["status"] == "disputed"
    assert (review["verdict"], review["note"], review["reviewer"]) == ("disputed", "the budget says 3.5%", "tester")


def test_add_claim_names_similar_claims_by_the_same_actor(memory_store):
    first = add(memory_store, "We pay 90% of the cost of NATO, and they pay nothing.")
    written = core.add_claim(memory_store, "We pay 90 % of the cost of NATO and they pay nothing!",
                             actor="Donald Trump", sources=["https://e.org/b"])
    assert [c["id"] for c in written.similar] == [first["id"]]


def test_add_claim_one_url_spelt_twice_is_one_source(memory_store):
    claim = add(memory_store, sources=["https://example.org/a", "https://EXAMPLE.org/a"])
    assert len(claim["sources"]) == 1 and len(memory_store.sources) == 1


@pytest.mark.parametrize("wrong, message", [
    ({"kind": "rumour"}, "unknown kind 'rumour'"),
    ({"said_on": "yesterday-ish"}, "cannot read a date from 'yesterday-ish'"),
    ({"status": "great"}, "unknown status 'great'"),
    ({"sources": []}, "a claim needs a source"),
    ({"stances": ["nato-holds:maybe"]}, "unknown stance position 'maybe'"),
    ({"quantities": ["lots"]}, "invalid quantity 'lots'"),
    ({"actor": ""}, "empty actor"),
    ({"measures": ["a", "b"]}, "2 measures for 0 quantities"),
    ({"sources": ["ftp://example.org/a"]}, "ftp"),
])
def test_add_claim_refuses_wrong_input_and_leaves_the_file_alone(newsroom, wrong, message):
    fields = {"actor": "Donald Trump", "sources": ["https://example.org/new"], **wrong}
    with unchanged(newsroom), pytest.raises(InvalidInput, match=message):
        core.add_claim(newsroom, "A new claim about troops", **fields)


def test_add_claim_refuses_the_same_claim_twice(newsroom):
    troops = newsroom.get(ids(newsroom, TROOPS))
    with unchanged(newsroom), pytest.raises(InvalidInput, match=f"claim {troops['id']} by Donald Trump already says this"):
        core.add_claim(newsroom, troops["text"], actor="Trump", said_on=troops["said_on"], sources=["https://e.org/z"])


# -- edit_claim -------------------------------------------------------------------------------------

def test_edit_claim_changes_fields_and_records_each_in_the_history(newsroom):
    claim_id = ids(newsroom, TROOPS)
    written = core.edit_claim(newsroom, claim_id, context="at a rally", said_on="2025-03-05", add_topics=["Germany"],
                              why="from the transcript")
    assert written.changed == 3
    stored = read_file(newsroom.path)["claims"][claim_id]
    assert stored["context"] == "at a rally" and stored["said_on"] == "2025-03-05"
    assert stored["topics"] == ["troops", "germany"]
    assert [(h["field"], h["note"], h["by"]) for h in stored["history"]] == [
        ("said_on", "from the transcript", "tester"), ("context", "from the transcript", "tester"),
        ("topics", "from the transcript", "tester")]


def test_edit_claim_with_nothing_new_changes_nothing(newsroom):
    claim_id = ids(newsroom, TROOPS)
    text = newsroom.get(claim_id)["text"]
    with unchanged(newsroom):
        assert core.edit_claim(newsroom, claim_id, text=text).changed == 0


def test_edit_claim_empty_values_clear_context_notes_and_date(newsroom):
    claim_id = ids(newsroom, TROOPS)
    core.edit_claim(newsroom, claim_id, context="somewhere", notes="a note")
    core.edit_claim(newsroom, claim_id, context="", notes="", said_on="")
    stored = newsroom.get(claim_id)
    assert (stored["context"], stored["notes"], stored["said_on"]) == (None, None, None)


def test_edit_claim_adds_a_source_once_and_moves_topics(newsroom):
    claim_id = ids(newsroom, TROOPS)
    core.edit_claim(newsroom, claim_id, add_sources=["https://example.org/a", "https://example.org/more"],
                    add_topics=["germany"], remove_topics=["troops"])
    stored = newsroom.get(claim_id)
    assert [s["url"] for s in stored["sources"]] == ["https://example.org/a", "https://example.org/more"]
    assert stored["topics"] == ["germany"]


def test_edit_claim_sets_a_measure_on_the_figures_it_states(newsroom):
    claim_id = ids(newsroom, SPENDING)
    core.edit_claim(newsroom, claim_id, measures=["defence-spending-target"], as_of="2025-06")
    assert newsroom.get(claim_id)["quantities"] == [
        {"value": 5, "unit": "%GDP", "measure": "defence-spending-target", "qualifier": "exact", "as_of": "2025-06"}]


def test_edit_claim_by_id_prefix(newsroom):
    claim_id = ids(newsroom, TROOPS)
    assert core.edit_claim(newsroom, claim_id[:4], notes="checked").claim["id"] == claim_id


@pytest.mark.parametrize("wrong, error, message", [
    ({"kind": "rumour"}, InvalidInput, "unknown kind"),
    ({"said_on": "not a date"}, InvalidInput, "cannot read a date"),
    ({"text": "   "}, InvalidInput, "claim text"),
    ({"remove_topics": ["iran"]}, InvalidInput, "has no topic 'iran'"),
    ({"measures": ["a", "b", "c"]}, InvalidInput, "3 measures for the 1 figure"),
    ({"add_sources": ["not a url"]}, InvalidInput, "invalid source URL"),
])
def test_edit_claim_refuses_wrong_input_and_leaves_the_file_alone(newsroom, wrong, error, message):
    claim_id = ids(newsroom, TROOPS)
    with unchanged(newsroom), pytest.raises(error, match=message):
        core.edit_claim(newsroom, claim_id, **wrong)


def test_edit_claim_of_no_such_claim_is_not_found(newsroom):
    with unchanged(newsroom), pytest.raises(NotFound):
        core.edit_claim(newsroom, "zzzzzzzz", notes="x")


# -- remove_claims ----------------------------------------------------------------------------------

def test_remove_claims_deletes_them_and_the_links_pointing_at_them(newsroom):
    troops, fewer, spending = ids(newsroom, TROOPS), ids(newsroom, FEWER), ids(newsroom, SPENDING)
    core.link(newsroom, fewer, "contradicts", troops)
    core.link(newsroom, spending, "supports", troops)
    assert core.remove_claims(newsroom, [troops]) == (1, 2)
    on_disk = read_file(newsroom.path)["claims"]
    assert troops not in on_disk and on_disk[fewer]["links"] == [] and on_disk[spending]["links"] == []
    assert on_disk[fewer]["history"][-1]["note"] == "linked claim deleted"


def test_remove_claims_is_all_or_nothing(newsroom):
    with unchanged(newsroom), pytest.raises(NotFound):
        core.remove_claims(newsroom, [ids(newsroom, TROOPS), "zzzzzzzz"])


# -- link, unlink, linked_from ----------------------------------------------------------------------

def test_link_records_the_relation_on_the_first_claim(newsroom):
    troops, fewer = ids(newsroom, TROOPS), ids(newsroom, FEWER)
    assert core.link(newsroom, troops[:5], "contradicts", fewer, note="different counts") == (troops, fewer)
    assert newsroom.get(troops)["links"] == [{"relation": "contradicts", "to": fewer, "note": "different counts"}]
    assert core.linked_from(newsroom, fewer) == [{"from": troops, "relation": "contradicts", "note": "different counts"}]
    assert core.linked_from(newsroom, troops) == []


@pytest.mark.parametrize("relation, other, error, message", [
    ("contradicts", None, InvalidInput, "cannot link to itself"),
    ("argues-with", "fewer", InvalidInput, "unknown relation 'argues-with'"),
    ("contradicts", "zzzzzzzz", NotFound, "no claim with id .zzzzzzzz."),
])
def test_link_refuses_and_leaves_the_file_alone(newsroom, relation, other, error, message):
    troops = ids(newsroom, TROOPS)
    target = {None: troops, "fewer": ids(newsroom, FEWER)}.get(other, other)
    with unchanged(newsroom), pytest.raises(error, match=message):
        core.link(newsroom, troops, relation, target)


def test_link_twice_is_refused(newsroom):
    troops, fewer = ids(newsroom, TROOPS), ids(newsroom, FEWER)
    core.link(newsroom, troops, "contradicts", fewer)
    with unchanged(newsroom), pytest.raises(InvalidInput, match="already contradicts"):
        core.link(newsroom, troops, "contradicts", fewer)


def test_unlink_removes_links_in_both_directions(newsroom):
    troops, fewer = ids(newsroom, TROOPS), ids(newsroom, FEWER)
    core.link(newsroom, troops, "contradicts", fewer)
    core.link(newsroom, fewer, "supports", troops)
    assert core.unlink(newsroom, fewer, troops) == 2
    assert newsroom.get(troops)["links"] == newsroom.get(fewer)["links"] == []
    assert newsroom.get(troops)["history"][-1]["note"] == "unlinked"


def test_unlink_without_a_link_is_not_found(newsroom):
    with unchanged(newsroom), pytest.raises(NotFound, match="no link between"):
        core.unlink(newsroom, ids(newsroom, TROOPS), ids(newsroom, FEWER))


# -- find -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("filters, expected", [
    (Filters(), [TROOPS, FEWER, SPENDING]),
    (Filters(actors=("Trump",)), [TROOPS]),
    (Filters(actors=("Mark Rutte",)), [FEWER, SPENDING]),
    (Filters(topics=("troops",)), [TROOPS, FEWER]),
    (Filters(query="germany"), [TROOPS, FEWER]),
    (Filters(since="2025-06"), [SPENDING]),
    (Filters(until="2025-03"), [TROOPS, FEWER]),
    (Filters(measures=("us-troops-germany",)), [TROOPS, FEWER]),
    (Filters(source_domains=("example.org",), topics=("defence-spending",)), [SPENDING]),
    (Filters(statuses=("verified",)), []),
])
def test_find_selects_by_each_filter(any_newsroom, filters, expected):
    found = core.find(any_newsroom, filters)
    assert sorted(c["id"] for c in found) == sorted(ids(any_newsroom, text) for text in expected)


def test_find_sorts_limits_and_keeps_only_contradicting_claims(any_newsroom):
    newest_first = [c["said_on"] for c in core.find(any_newsroom, Filters(), sort="date", reverse=True)]
    assert newest_first == sorted(newest_first, reverse=True)
    assert len(core.find(any_newsroom, Filters(), limit=2)) == 2
    contradicting = core.find(any_newsroom, Filters(), has_contradictions=True)
    assert sorted(c["id"] for c in contradicting) == sorted([ids(any_newsroom, TROOPS), ids(any_newsroom, FEWER)])


def test_find_reads_without_writing(newsroom):
    with unchanged(newsroom):
        core.find(newsroom, Filters(query="troops"), has_contradictions=True)


def test_a_claim_added_through_one_store_is_found_through_another(newsroom):
    other = Store(newsroom.path, user="ana")
    assert len(core.find(other, Filters())) == 3
    add(other, "A fourth claim", actor="Mark Rutte")
    assert len(core.find(Store(newsroom.path), Filters(actors=("Rutte",)))) == 3


# -- figures, similar_claims ------------------------------------------------------------------------

def test_figures_come_from_the_text_or_the_quantities_given():
    assert [(f["value"], f["unit"]) for f in core.figures([], [], "Some 35,000 troops and 5% of GDP")] == [
        (35000, "troops"), (5, "%GDP")]
    assert core.figures(["100-200 troops"], ["m"], "ignored") == [
        {"value": 100, "unit": "troops", "measure": "m", "qualifier": "at-least", "as_of": None},
        {"value": 200, "unit": "troops", "measure": "m", "qualifier": "at-most", "as_of": None}]
    assert core.figures([], ["m"], "Some 35,000 troops", as_of="2025") == [
        {"value": 35000, "unit": "troops", "measure": "m", "qualifier": "approx", "as_of": "2025"}]


@pytest.mark.parametrize("quantities, measures, text, as_of, message", [
    (["5 %GDP"], ["a", "b"], "x", None, "2 measures for 1 quantities"),
    ([], ["m"], "no figures here", None, "measures need quantities: the text states 0 figures, not one"),
    ([], [], "x", "whenever", "cannot read a as_of date from 'whenever'"),
])
def test_figures_refuse_what_cannot_be_paired_or_dated(quantities, measures, text, as_of, message):
    with pytest.raises(InvalidInput, match=message):
        core.figures(quantities, measures, text, as_of)


def test_similar_claims_are_by_the_same_actor_only(memory_store):
    first = add(memory_store, "We pay 90% of the cost of NATO, and they pay nothing.")
    add(memory_store, "We pay 90% of the cost of NATO, and they pay nothing.", actor="Mark Rutte")
    again = {**first, "id": "zzzzzzzz", "text": "We pay 90 % of the cost of NATO and they pay nothing!"}
    assert [c["id"] for c in core.similar_claims(memory_store, again)] == [first["id"]]


@pytest.mark.parametrize("sort, key", [
    ("date", lambda c: (c["said_on"] or "")),
    ("actor", lambda c: c["actor"]),
    ("created", lambda c: c["created_at"]),
])
def test_find_sorts_by_each_key_either_way(any_newsroom, sort, key):
    ascending = [key(c) for c in core.find(any_newsroom, Filters(), sort=sort)]
    descending = [key(c) for c in core.find(any_newsroom, Filters(), sort=sort, reverse=True)]
    assert ascending == sorted(ascending) and descending == sorted(descending, reverse=True)


def test_find_by_status_after_a_review(any_newsroom):
    core.review(any_newsroom, [ids(any_newsroom, SPENDING)], "verified")
    assert [c["id"] for c in core.find(any_newsroom, Filters(statuses=("verified",)))] == [ids(any_newsroom, SPENDING)]
    assert len(core.find(any_newsroom, Filters(statuses=("unverified",)))) == 2
