"""Every function that writes, undone then redone through the library (SPEC: one change set per
call, `undo` puts the store back as it was, `redo` as the call left it), in memory and in a file."""

from __future__ import annotations

import copy

import pytest

from natoclaims import core
from natoclaims.errors import NotFound
from tests.core.conftest import ids

TROOPS = "About 35,000 US troops"
FEWER = "Only 12,000 US troops"
SPENDING = "Allies will spend"


def view(store):
    """What a change set changes, without the records' own memory of it: a claim's history and
    updated_at (undo adds an entry to the history; the meta table counts change sets)."""
    tables = copy.deepcopy(store.tables.data())
    for claim in tables["claims"].values():
        claim.pop("history", None)
        claim.pop("updated_at", None)
    tables.pop("meta", None)
    return tables


def source_of(store, text):
    return store.get(ids(store, text))["sources"][0]["id"]


WRITERS = {
    "add_claim": lambda s: core.add_claim(s, "A new claim of 7 troops", actor="Trump", sources=["https://e.org/n"]),
    "add_claim with a new actor": lambda s: core.add_claim(s, "Someone new said it", actor="Jens Stoltenberg",
                                                           sources=["https://e.org/n"], new_actor=True),
    "add_claim with a verdict": lambda s: core.add_claim(s, "Checked on arrival", actor="Trump", status="false",
                                                         rationale="wrong", sources=["https://e.org/n"]),
    "edit_claim text": lambda s: core.edit_claim(s, ids(s, TROOPS), text="About 40,000 US troops are in Germany"),
    "edit_claim notes": lambda s: core.edit_claim(s, ids(s, TROOPS), notes="a note", why="context"),
    "edit_claim actor": lambda s: core.edit_claim(s, ids(s, TROOPS), actor="Mark Rutte"),
    "edit_claim topics": lambda s: core.edit_claim(s, ids(s, TROOPS), add_topics=["bases"], remove_topics=["troops"]),
    "edit_claim sources": lambda s: core.edit_claim(s, ids(s, TROOPS), add_sources=["https://e.org/more"]),
    "edit_claim measures": lambda s: core.edit_claim(s, ids(s, SPENDING), measures=["defence-gdp"]),
    "edit_claim stances": lambda s: core.edit_claim(s, ids(s, SPENDING), stances=["five-percent:against"]),
    "edit_claim date": lambda s: core.edit_claim(s, ids(s, TROOPS), said_on="2025-02-01"),
    "remove_claims of a claim linking and linked to": lambda s: core.remove_claims(s, [ids(s, TROOPS)]),
    "remove_claims of a claim only linking": lambda s: core.remove_claims(s, [ids(s, FEWER)]),
    "remove_claims of two claims": lambda s: core.remove_claims(s, [ids(s, FEWER), ids(s, SPENDING)]),
    "link": lambda s: core.link(s, ids(s, TROOPS), "contradicts", ids(s, FEWER), note="figures differ"),
    "unlink": lambda s: core.unlink(s, ids(s, SPENDING), ids(s, TROOPS)),
    "review": lambda s: core.review(s, [ids(s, TROOPS), ids(s, FEWER)], "misleading", note="both off",
                                    evidence=["https://www.nato.int/facts"]),
    "set_status": lambda s: core.set_status(s, [ids(s, SPENDING)], "verified", source="https://e.org/ev"),
    "add_actor": lambda s: core.add_actor(s, "Pete Hegseth", ["Hegseth"], "Secretary of Defense"),
    "add_alias": lambda s: core.add_alias(s, "Mark Rutte", "Rutte"),
    "rename_actor": lambda s: core.rename_actor(s, "Mark Rutte", "M. Rutte"),
    "merge_actors": lambda s: core.merge_actors(s, "Mark Rutte", "Donald Trump"),
    "edit_actor": lambda s: core.edit_actor(s, "Donald Trump", role="Former President", actor_type="person"),
    "remove_actor without claims": lambda s: core.remove_actor(s, "Nobody Yet"),
    "add_source": lambda s: core.add_source(s, "https://www.nato.int/summit", title="Summit", outlet="NATO"),
    "edit_source": lambda s: core.edit_source(s, source_of(s, TROOPS), title="Retitled", outlet="Outlet"),
    "remove_source unused": lambda s: core.remove_source(s, "https://e.org/unused"),
}


@pytest.fixture
def linked(any_newsroom):
    """The newsroom with what the removing writers remove: links between its claims (the troops
    figures contradict each other, the spending claim supports the troops one), an actor without
    claims and a source no claim cites; each made in its own change set before the one undone."""
    s = any_newsroom
    core.link(s, ids(s, FEWER), "contradicts", ids(s, TROOPS))
    core.link(s, ids(s, TROOPS), "supports", ids(s, SPENDING))
    core.add_actor(s, "Nobody Yet", [], None)
    core.add_source(s, "https://e.org/unused")
    return s


@pytest.mark.parametrize("write", WRITERS.values(), ids=WRITERS.keys())
def test_undo_puts_the_store_back_and_redo_as_the_call_left_it(linked, write):
    any_newsroom = linked
    before = view(any_newsroom)
    write(any_newsroom)
    after = view(any_newsroom)
    assert after != before
    core.undo(any_newsroom)
    assert view(any_newsroom) == before
    core.redo(any_newsroom)
    assert view(any_newsroom) == after


@pytest.mark.parametrize("write", WRITERS.values(), ids=WRITERS.keys())
def test_a_dry_run_undo_says_what_undo_will_do_and_does_nothing(linked, write):
    any_newsroom = linked
    write(any_newsroom)
    after = view(any_newsroom)
    planned = core.undo(any_newsroom, dry_run=True)
    assert planned.effects and view(any_newsroom) == after
    assert core.undo(any_newsroom).effects == planned.effects


def test_undo_with_nothing_to_undo_is_not_found(memory_store):
    with pytest.raises(NotFound):
        core.undo(memory_store)


def test_redo_with_nothing_undone_is_not_found(any_newsroom):
    with pytest.raises(NotFound):
        core.redo(any_newsroom)


def test_several_calls_in_one_writing_block_are_one_undo(any_newsroom):
    before = view(any_newsroom)
    with any_newsroom.writing():
        core.add_actor(any_newsroom, "Pete Hegseth", [], None)
        core.link(any_newsroom, ids(any_newsroom, TROOPS), "contradicts", ids(any_newsroom, FEWER))
        core.set_status(any_newsroom, [ids(any_newsroom, SPENDING)], "verified")
    core.undo(any_newsroom)
    assert view(any_newsroom) == before
