"""Every writing function of the library is one change set: one journal entry, which undo reverts
(a claim keeps its history, which says it was undone) and redo puts back."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from natoclaims import core
from natoclaims.store import Store, read_file
from tests.core.conftest import ids

TROOPS = "About 35,000 US troops"
FEWER = "Only 12,000 US troops"
SPENDING = "Allies will spend 5%"


def state(store: Store) -> dict[str, Any]:
    """The store's tables (as its file holds them, or the memory twin's) as undo compares them:
    claims without their history and update time."""
    data = read_file(store.path) if store.path is not None else copy.deepcopy(store.tables.data())
    claims = {key: {k: v for k, v in claim.items() if k not in ("history", "updated_at")}
              for key, claim in data["claims"].items()}
    return {"claims": claims, "actors": data["actors"], "sources": data["sources"]}


def source_of(store: Store, text: str) -> str:
    return store.get(ids(store, text))["sources"][0]["id"]


CALLS = {
    "add_claim": lambda s: core.add_claim(s, "A new claim", actor="Trump", sources=["https://e.org/new"]),
    "edit_claim": lambda s: core.edit_claim(s, ids(s, TROOPS), context="at a rally", add_topics=["germany"]),
    "remove_claims": lambda s: core.remove_claims(s, [ids(s, TROOPS), ids(s, FEWER)]),
    "link": lambda s: core.link(s, ids(s, TROOPS), "contradicts", ids(s, FEWER)),
    "review": lambda s: core.review(s, [ids(s, TROOPS), ids(s, FEWER)], "disputed", evidence=["https://f.org/x"]),
    "set_status": lambda s: core.set_status(s, [ids(s, SPENDING)], "verified", note="checked"),
    "add_source": lambda s: core.add_source(s, "https://e.org/spare", title="Spare"),
    "edit_source": lambda s: core.edit_source(s, source_of(s, TROOPS), title="Rally transcript"),
    "add_actor": lambda s: core.add_actor(s, "Pete Hegseth", ["Hegseth"], "US Secretary of Defense"),
    "add_alias": lambda s: core.add_alias(s, "Mark Rutte", "NATO chief"),
    "rename_actor": lambda s: core.rename_actor(s, "Trump", "Donald J. Trump"),
    "merge_actors": lambda s: core.merge_actors(s, "Trump", "Mark Rutte"),
    "edit_actor": lambda s: core.edit_actor(s, "Mark Rutte", role="Former Dutch Prime Minister"),
    "import_claims": lambda s: core.import_claims(s, [("line 1", {"text": "Imported", "actor": "Pete Hegseth",
                                                                  "sources": [{"url": "https://e.org/i"}]})]),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_each_writing_call_is_one_change_set_undo_reverts_and_redo_puts_back(any_newsroom, call):
    before, entries = state(any_newsroom), len(core.change_log(any_newsroom))
    call(any_newsroom)
    after = state(any_newsroom)
    assert after != before
    assert len(core.change_log(any_newsroom)) == entries + 1
    core.undo(any_newsroom)
    assert state(any_newsroom) == before
    core.redo(any_newsroom)
    assert state(any_newsroom) == after


def test_unlink_and_remove_source_and_remove_actor_are_undone_too(newsroom):
    troops, fewer = ids(newsroom, TROOPS), ids(newsroom, FEWER)
    core.link(newsroom, troops, "contradicts", fewer)
    spare = core.add_source(newsroom, "https://e.org/spare").source["id"]
    core.add_actor(newsroom, "Pete Hegseth", [], None)
    before = state(newsroom)
    for call in (lambda: core.unlink(newsroom, troops, fewer), lambda: core.remove_source(newsroom, spare),
                 lambda: core.remove_actor(newsroom, "Pete Hegseth")):
        call()
        assert state(newsroom) != before
        core.undo(newsroom)
        assert state(newsroom) == before


def test_calls_inside_one_writing_block_are_one_change_set(newsroom):
    before, entries = state(newsroom), len(core.change_log(newsroom))
    with newsroom.writing():
        for call in CALLS.values():
            if call is not CALLS["remove_claims"] and call is not CALLS["merge_actors"]:
                call(newsroom)
    assert len(core.change_log(newsroom)) == entries + 1
    core.undo(newsroom)
    assert state(newsroom) == before
