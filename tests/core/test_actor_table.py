"""The actors table through the library on a store file: add_actor, add_alias, canonical_actor,
rename_actor, merge_actors, edit_actor, remove_actor, actor_rows."""

from __future__ import annotations

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput, NotFound
from natoclaims.store import read_file
from tests.core.conftest import ids
from tests.factories import add, unchanged

TROOPS = "About 35,000 US troops"


def test_add_actor_writes_the_record(file_store):
    core.add_actor(file_store, "White House", ["the White House"], None, "government")
    assert read_file(file_store.path)["actors"]["White House"] == {
        "name": "White House", "aliases": ["the White House"], "role": None, "type": "government"}


@pytest.mark.parametrize("name, aliases, message", [
    ("Trump", [], "'Trump' already names the actor 'Donald Trump'"),
    ("Mark Rutte", [], "'Mark Rutte' already names the actor 'Mark Rutte'"),
    ("Somebody New", ["Trump"], "'Trump' already names the actor 'Donald Trump'"),
    ("", [], "actor"),
])
def test_add_actor_refuses_a_name_taken_or_empty(newsroom, name, aliases, message):
    with unchanged(newsroom), pytest.raises(InvalidInput, match=message):
        core.add_actor(newsroom, name, aliases, None)


def test_add_alias_gives_an_actor_another_name(newsroom):
    assert core.add_alias(newsroom, "Mark Rutte", "NATO chief") == "Mark Rutte"
    assert read_file(newsroom.path)["actors"]["Mark Rutte"]["aliases"] == ["NATO chief"]
    assert add(newsroom, "Something said", actor="NATO chief")["actor"] == "Mark Rutte"


def test_add_alias_refuses_a_name_of_another_actor(newsroom):
    with unchanged(newsroom), pytest.raises(InvalidInput, match="'Trump' already names the actor 'Donald Trump'"):
        core.add_alias(newsroom, "Mark Rutte", "Trump")


def test_add_alias_of_no_such_actor_is_not_found(newsroom):
    with unchanged(newsroom), pytest.raises(NotFound):
        core.add_alias(newsroom, "Nobody Known", "Nobody")


@pytest.mark.parametrize("name, new, expected", [
    ("Donald Trump", False, ("Donald Trump", False)),
    ("Trump", False, ("Donald Trump", False)),
    ("Rutte", False, ("Mark Rutte", False)),
    ("Rutte", True, ("Rutte", True)),
    ("Pete Hegseth", False, ("Pete Hegseth", True)),
])
def test_canonical_actor_resolves_names_aliases_and_words(any_newsroom, name, new, expected):
    with any_newsroom.writing():
        assert core.canonical_actor(any_newsroom, name, new=new) == expected
    assert expected[0] in any_newsroom.actors


def test_rename_actor_repoints_claims_and_keeps_the_old_name_as_alias(newsroom):
    troops = ids(newsroom, TROOPS)
    done = core.rename_actor(newsroom, "Trump", "Donald J. Trump")
    assert (done.old, done.new, done.claims) == ("Donald Trump", "Donald J. Trump", [troops])
    on_disk = read_file(newsroom.path)
    assert "Donald Trump" not in on_disk["actors"]
    assert on_disk["actors"]["Donald J. Trump"]["aliases"] == ["Donald Trump", "Trump"]
    assert on_disk["claims"][troops]["actor"] == "Donald J. Trump"
    assert on_disk["claims"][troops]["history"][-1]["note"] == "actor renamed from 'Donald Trump'"


@pytest.mark.parametrize("old, new, error, message", [
    ("Donald Trump", "Donald Trump", InvalidInput, "is already the name of that actor"),
    ("Donald Trump", "Mark Rutte", InvalidInput, "'Mark Rutte' already names the actor 'Mark Rutte'"),
    ("Donald Trump", "  ", InvalidInput, "new actor name"),
    ("Nobody Known", "Somebody", NotFound, "Nobody Known"),
])
def test_rename_actor_refuses_and_leaves_the_file_alone(newsroom, old, new, error, message):
    with unchanged(newsroom), pytest.raises(error, match=message):
        core.rename_actor(newsroom, old, new)


def test_merge_actors_folds_one_into_the_other(newsroom):
    rutte_claims = sorted(c["id"] for c in newsroom.claims.values() if c["actor"] == "Mark Rutte")
    done = core.merge_actors(newsroom, "Mark Rutte", "Trump")
    assert done.claims == rutte_claims
    actors = read_file(newsroom.path)["actors"]
    assert list(actors) == ["Donald Trump"]
    assert actors["Donald Trump"] == {"name": "Donald Trump", "aliases": ["Mark Rutte", "Trump"], "role": "President",
                                      "type": "person"}
    assert {c["actor"] for c in newsroom.claims.values()} == {"Donald Trump"}


def test_merge_actors_refuses_one_actor_twice(newsroom):
    with unchanged(newsroom), pytest.raises(InvalidInput, match="are the same actor, 'Donald Trump': nothing to merge"):
        core.merge_actors(newsroom, "Trump", "Donald Trump")


def test_edit_actor_changes_role_and_type_and_says_whether_anything_changed(newsroom):
    assert core.edit_actor(newsroom, "Trump", role="US President", actor_type="government")
    assert read_file(newsroom.path)["actors"]["Donald Trump"] == {
        "name": "Donald Trump", "aliases": ["Trump"], "role": "US President", "type": "government"}
    with unchanged(newsroom):
        assert not core.edit_actor(newsroom, "Trump", role="US President")
    assert core.edit_actor(newsroom, "Trump", role="")
    assert newsroom.actors["Donald Trump"]["role"] is None


def test_remove_actor_refuses_an_actor_with_claims_and_removes_one_without(newsroom):
    with unchanged(newsroom), pytest.raises(InvalidInput, match="'Donald Trump' is the actor of 1 claim"):
        core.remove_actor(newsroom, "Trump")
    core.add_actor(newsroom, "Pete Hegseth", ["Hegseth"], None)
    assert core.remove_actor(newsroom, "Hegseth") == "Pete Hegseth"
    assert "Pete Hegseth" not in read_file(newsroom.path)["actors"]


def test_actor_rows_count_claims_most_first(any_newsroom):
    rows = core.actor_rows(any_newsroom)
    assert [(r["name"], r["claims"]) for r in rows] == [("Mark Rutte", 2), ("Donald Trump", 1)]
    assert rows[1]["aliases"] == ["Trump"] and rows[1]["role"] == "President" and rows[1]["type"] == "person"


def test_every_actor_change_is_one_change_set_undo_reverts(newsroom):
    before = read_file(newsroom.path)["actors"]
    core.rename_actor(newsroom, "Trump", "Donald J. Trump")
    core.undo(newsroom)
    assert read_file(newsroom.path)["actors"] == before
    assert newsroom.get(ids(newsroom, TROOPS))["actor"] == "Donald Trump"
