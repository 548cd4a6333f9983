"""Actors through the library, on the memory twin: near names, and changes composed in one writing()."""

from __future__ import annotations

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput
from natoclaims.store import Store


@pytest.fixture
def three_actors() -> Store:
    """The memory twin with Mark Rutte, Donald Trump and the White House."""
    store = Store(None, user="ana")
    with store.writing():
        core.add_actor(store, "Mark Rutte", ["Rutte"], "NATO Secretary General")
        core.add_actor(store, "Donald Trump", ["POTUS"], None)
        core.add_actor(store, "White House", [], None, "government")
    return store


@pytest.mark.parametrize("name, near", [
    ("Rutte", []),  # Mark Rutte's own alias: not another actor
    ("Marc Rutte", ["Mark Rutte"]),
    ("Prime Minister Rutte", []),  # resolves to Mark Rutte: not new
    ("Prime Minister Mark Rute", ["Mark Rutte"]),
    ("the White House", ["White House"]),
    ("Donald Tusk", []),
    ("Trump Tower", []),
    ("", []),
])
def test_near_actors(three_actors, name, near):
    assert core.near_actors(three_actors, name) == near


def test_rename_and_merge_compose_in_one_change_set(three_actors):
    with three_actors.writing():
        claim = core.add_claim(three_actors, "Five percent", actor="Rutte", sources=["https://e.org/a"]).claim
        core.rename_actor(three_actors, "Rutte", "Mark Rutte NL")
        done = core.merge_actors(three_actors, "Mark Rutte NL", "White House")
    entries, problems = three_actors.journal.entries()
    assert len(entries) == 2 and not problems  # the three actors, then this
    assert done.claims == [claim["id"]] and three_actors.get(claim["id"])["actor"] == "White House"
    assert [h["new"] for h in three_actors.get(claim["id"])["history"]] == ["Mark Rutte NL", "White House"]
    assert three_actors.actors["White House"] == {"name": "White House", "aliases": ["Mark Rutte", "Mark Rutte NL", "Rutte"],
                                           "role": "NATO Secretary General", "type": "government"}
    core.undo(three_actors)
    assert three_actors.claims == {} and set(three_actors.actors) == {"Mark Rutte", "Donald Trump", "White House"}


def test_an_actor_record_without_a_type_gets_one_when_changed(three_actors):
    with three_actors.writing():
        three_actors.put_actor({"name": "Importer", "aliases": [], "role": None})  # as an import of today makes it
    core.edit_actor(three_actors, "Importer", role="Bulk loader")
    assert three_actors.actors["Importer"] == {"name": "Importer", "aliases": [], "role": "Bulk loader", "type": "person"}


def test_bad_type_is_refused_by_the_library(three_actors):
    with pytest.raises(InvalidInput, match="unknown actor type 'robot'"):
        core.add_actor(three_actors, "R2", [], None, "robot")
    with pytest.raises(InvalidInput, match="unknown actor type"):
        core.edit_actor(three_actors, "Mark Rutte", actor_type="robot")
