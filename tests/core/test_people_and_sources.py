"""Actors and sources through the library, from the CLI's tables: what actor functions refuse, the
names they resolve and suggest, a URL that names one source, and a claim's own source as evidence."""

from __future__ import annotations

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput, NotFound, UsageError
from tests.factories import NEAR_NONE, WORDS_OF_ONE_ACTOR, add, memory_store, unchanged

STORY = "https://www.example.com/report?id=7"
FACTCHECK = "https://factcheck.example.org/troops"


def cast(store):
    """Three actors and three claims: two by Donald Trump (one given as an alias), one by Mark Rutte."""
    with store.writing():
        core.add_actor(store, "Donald Trump", ["Trump"], "US President")
        core.add_actor(store, "Mark Rutte", ["Rutte"], "NATO Secretary General")
        core.add_actor(store, "White House", [], None, "government")
    add(store, "Some 35,000 troops will leave Germany")
    add(store, "NATO is obsolete", actor="Trump")
    add(store, "Allies will spend 5% of GDP on defence", actor="Mark Rutte")
    return store


@pytest.fixture(params=["memory", "file"])
def actors(request, db):
    from tests.factories import file_store

    return cast(memory_store() if request.param == "memory" else file_store(db))


REFUSED = {
    "rename nobody": (lambda s: core.rename_actor(s, "Nobody Known", "Somebody"), NotFound, "no actor named 'Nobody Known'"),
    "rename onto a name": (lambda s: core.rename_actor(s, "Mark Rutte", "Donald Trump"), InvalidInput,
                           "already names the actor 'Donald Trump'"),
    "rename onto an alias": (lambda s: core.rename_actor(s, "Mark Rutte", "trump"), InvalidInput,
                             "already names the actor 'Donald Trump'"),
    "rename to itself": (lambda s: core.rename_actor(s, "Mark Rutte", "Mark Rutte"), InvalidInput, "already the name"),
    "rename to blanks": (lambda s: core.rename_actor(s, "Mark Rutte", "  "), InvalidInput, "empty new actor name"),
    "merge nobody": (lambda s: core.merge_actors(s, "Nobody Known", "Mark Rutte"), NotFound,
                     "no actor named 'Nobody Known'"),
    "merge into nobody": (lambda s: core.merge_actors(s, "Mark Rutte", "Nobody Known"), NotFound,
                          "no actor named 'Nobody Known'"),
    "merge into itself": (lambda s: core.merge_actors(s, "Donald Trump", "Donald Trump"), InvalidInput, "same actor"),
    "merge an alias into its actor": (lambda s: core.merge_actors(s, "Trump", "Donald Trump"), InvalidInput,
                                      "same actor"),
    "edit nobody": (lambda s: core.edit_actor(s, "Nobody Known", role="x"), NotFound, "no actor named 'Nobody Known'"),
    "edit to a robot": (lambda s: core.edit_actor(s, "Mark Rutte", actor_type="robot"), InvalidInput,
                        "unknown actor type 'robot'"),
    "add a robot": (lambda s: core.add_actor(s, "Jens Stoltenberg", [], None, "robot"), InvalidInput,
                    "unknown actor type 'robot'"),
    "remove nobody": (lambda s: core.remove_actor(s, "Nobody Known"), NotFound, "no actor named 'Nobody Known'"),
    "remove an actor with a claim": (lambda s: core.remove_actor(s, "Mark Rutte"), InvalidInput,
                                     r"is the actor of 1 claim \("),
    "remove an actor with claims": (lambda s: core.remove_actor(s, "Trump"), InvalidInput,
                                    r"'Donald Trump' is the actor of 2 claims .*merge_actors\(store, 'Donald Trump', OTHER\)"),
}


@pytest.mark.parametrize("call, error, message", REFUSED.values(), ids=REFUSED.keys())
def test_an_actor_change_refused_changes_nothing(actors, call, error, message):
    with unchanged(actors), pytest.raises(error, match=message):
        call(actors)


def test_remove_actor_of_many_claims_shows_a_few_ids(memory_store):
    cast(memory_store)
    for n in range(3):
        add(memory_store, f"claim number {n}", actor="Trump")
    with pytest.raises(InvalidInput, match=r"is the actor of 5 claims \(.*, \.\.\.\)"):
        core.remove_actor(memory_store, "Donald Trump")


def test_merge_keeps_the_role_and_type_of_the_actor_that_stays(actors):
    core.merge_actors(actors, "White House", "Mark Rutte")
    kept = core.get_actor(actors, "Mark Rutte")
    assert kept["role"] == "NATO Secretary General" and kept["type"] == "person"
    assert "White House" in kept["aliases"]


def test_rename_that_only_changes_case_keeps_no_alias_of_the_same_spelling(actors):
    core.rename_actor(actors, "Mark Rutte", "MARK RUTTE")
    assert core.get_actor(actors, "MARK RUTTE")["aliases"] == ["Rutte"]


def test_edit_actor_clears_the_role_and_says_a_change(actors):
    assert core.edit_actor(actors, "Rutte", role="", actor_type="group") is True
    assert core.get_actor(actors, "Mark Rutte")["role"] is None
    assert core.get_actor(actors, "Mark Rutte")["type"] == "group"


@pytest.fixture
def known():
    store = memory_store()
    for name in ("Mark Rutte", "Jens Stoltenberg", "Pete Hegseth", "JD Vance"):
        core.add_actor(store, name, [], None)
    core.add_actor(store, "Donald Trump", ["POTUS"], None)
    return store


@pytest.mark.parametrize("name, meant", [
    ("Marc Rutte", "Mark Rutte"),  # a typo
    ("Mark Rute", "Mark Rutte"),
    ("J. D. Vance", "JD Vance"),  # punctuation
    ("POTUS 47", "Donald Trump"),  # has every word of an alias
])
def test_a_new_actor_close_to_a_known_one_is_near_it(known, name, meant):
    change = core.add_claim(known, "Some words", actor=name, sources=["https://a.org"])
    assert change.new_actor and change.claim["actor"] == name
    assert core.near_actors(known, name)[0] == meant


@pytest.mark.parametrize("name, others", NEAR_NONE)
def test_a_new_actor_not_close_to_any_is_near_none(memory_store, name, others):
    for each in others:
        core.add_actor(memory_store, each, [], None)
    assert core.add_claim(memory_store, "Some words", actor=name, sources=["https://a.org"]).new_actor
    assert core.near_actors(memory_store, name) == []


def test_new_actor_makes_an_actor_even_near_known_ones(memory_store):
    core.add_actor(memory_store, "Mark Rutte", [], None)
    core.add_actor(memory_store, "Mark Carney", [], None)
    change = core.add_claim(memory_store, "Some words", actor="Mark", new_actor=True, sources=["https://a.org"])
    assert change.new_actor and change.claim["actor"] == "Mark"
    assert core.near_actors(memory_store, "Mark") == ["Mark Carney", "Mark Rutte"]


@pytest.mark.parametrize("name, actor", WORDS_OF_ONE_ACTOR)
def test_add_claim_resolves_a_word_of_one_actor(known, name, actor):
    change = core.add_claim(known, "Some words", actor=name, sources=["https://a.org"])
    assert change.claim["actor"] == actor and not change.new_actor
    assert len(known.actors) == 5


def test_edit_claim_resolves_a_word_of_one_actor(actors):
    claim = add(actors, "words to move")
    assert core.edit_claim(actors, claim["id"], actor="mark").claim["actor"] == "Mark Rutte"


def test_a_word_of_several_actors_is_refused_with_their_names(memory_store):
    core.add_actor(memory_store, "Mark Rutte", [], None)
    core.add_actor(memory_store, "Mark Carney", [], None)
    with unchanged(memory_store), pytest.raises(InvalidInput, match="could be Mark Carney or Mark Rutte"):
        core.add_claim(memory_store, "Some words", actor="mark", sources=["https://a.org"])


@pytest.mark.parametrize("spelling", [
    "HTTPS://WWW.EXAMPLE.COM/report?id=7",  # scheme and host case
    "https://www.example.com:443/report?id=7",  # default port
    "https://www.example.com/report/?id=7",  # trailing slash
    "https://www.example.com/report?id=7#section-2",  # fragment
    "https://www.example.com/report?utm_source=feed&id=7&utm_medium=email",  # utm_* parameters
])
def test_a_second_spelling_of_a_url_is_the_registered_source(memory_store, spelling):
    core.add_source(memory_store, STORY, title="Troops to leave Germany", outlet="Example News", published="2025-03-06")
    first = add(memory_store, "first claim", sources=[STORY])
    second = add(memory_store, "second claim", sources=[spelling])
    assert first["sources"] == second["sources"]
    assert second["sources"][0]["title"] == "Troops to leave Germany"
    assert len(memory_store.sources) == 1


@pytest.mark.parametrize("other", [
    "https://www.example.com/Report?id=7",  # the path's case matters
    "https://www.example.com/report?id=8",  # so do the other parameters
    "http://www.example.com:8080/report?id=7",  # and a port that is not the default
])
def test_a_different_url_is_a_different_source(memory_store, other):
    add(memory_store, "first claim", sources=[STORY])
    add(memory_store, "second claim", sources=[other])
    assert len(memory_store.sources) == 2


def test_one_source_given_twice_is_one_appearance_and_one_piece_of_evidence(memory_store):
    claim = add(memory_store, "a claim", sources=[STORY, "https://WWW.example.com/report?id=7#x", "https://example.org/other"])
    assert [s["url"] for s in claim["sources"]] == [STORY, "https://example.org/other"]
    core.review(memory_store, [claim["id"]], "false", evidence=[FACTCHECK, FACTCHECK + "/"])
    assert [e["url"] for e in memory_store.get(claim["id"])["reviews"][0]["evidence"]] == [FACTCHECK]


OWN_SOURCE = {
    "by its URL": lambda s, c: core.review(s, [c["id"]], "false", evidence=["https://www.example.com/report/?id=7"]),
    "by its id beside another": lambda s, c: core.review(s, [c["id"]], "false",
                                                         evidence=[FACTCHECK, c["sources"][0]["id"]]),
    "as set_status's source": lambda s, c: core.set_status(s, [c["id"]], "false", source=c["sources"][0]["id"]),
}


@pytest.mark.parametrize("call", OWN_SOURCE.values(), ids=OWN_SOURCE.keys())
def test_a_claims_own_source_is_refused_as_evidence(memory_store, call):
    claim = add(memory_store, "a claim", sources=[STORY])
    with unchanged(memory_store), pytest.raises(UsageError, match=f"is a source of claim {claim['id']}, where it was said"):
        call(memory_store, claim)


def test_a_review_records_the_reviewer_the_user_by_default(memory_store):
    claim = add(memory_store, "a claim")
    core.review(memory_store, [claim["id"]], "disputed", note="why")
    core.review(memory_store, [claim["id"]], "false", reviewer="desk")
    assert [r["reviewer"] for r in memory_store.get(claim["id"])["reviews"]] == ["tester", "desk"]


def test_reviewing_one_claim_named_twice_is_one_review(memory_store):
    claim = add(memory_store, "a claim")
    core.review(memory_store, [claim["id"], claim["id"][:5]], "false")
    assert len(memory_store.get(claim["id"])["reviews"]) == 1


def test_remove_source_of_a_cited_source_is_refused_naming_the_claim(memory_store):
    claim = add(memory_store, "a claim", sources=[STORY])
    with unchanged(memory_store), pytest.raises(InvalidInput, match=claim["id"]):
        core.remove_source(memory_store, STORY)
