"""The journal through the library: undo, redo, change_log and compact on a store file."""

from __future__ import annotations

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput, NotFound
from natoclaims.store import Store, read_file
from tests.factories import add, unchanged


@pytest.fixture
def edited(file_store: Store) -> tuple[Store, str, str]:
    """A store file with three change sets: a claim by Trump, one by Rutte, then a note on the first."""
    first = add(file_store, "one claim")["id"]
    second = add(file_store, "two claim", actor="Mark Rutte")["id"]
    core.edit_claim(file_store, first, notes="a note")
    return file_store, first, second


def test_undo_reverts_the_newest_change_set_and_the_history_says_so(edited):
    store, first, _ = edited
    done = core.undo(store)
    assert done.restored == [first] and done.removed == [] and not done.redo
    assert done.effects == [f"restore the notes of claim {first}"]
    claim = read_file(store.path)["claims"][first]
    assert claim["notes"] is None
    assert [h["field"] for h in claim["history"]] == ["notes", "undo"]
    assert claim["history"][-1]["note"] == f"undid change set {done.change['id']} (no command)"


def test_undo_again_reverts_the_one_before(edited):
    store, first, second = edited
    core.undo(store)
    assert core.undo(store).removed == [second]
    assert list(read_file(store.path)["claims"]) == [first]


def test_redo_reapplies_what_undo_reverted(edited):
    store, first, _ = edited
    core.undo(store)
    done = core.redo(store)
    assert done.redo and done.restored == [first]
    assert read_file(store.path)["claims"][first]["notes"] == "a note"


def test_undo_by_id_reverts_an_older_change_set_nothing_later_touched(edited):
    store, first, second = edited
    (rutte,) = [row["id"] for row in core.change_log(store) if row["claims"] == [second]]
    assert core.undo(store, rutte[:5]).removed == [second]
    assert list(read_file(store.path)["claims"]) == [first]


def test_undo_by_id_refuses_a_change_set_a_later_one_touched(edited):
    store, first, _ = edited
    oldest = core.change_log(store)[-1]["id"]
    with unchanged(store), pytest.raises(InvalidInput, match=f"cannot undo {oldest}: later change sets touched"):
        core.undo(store, oldest)


def test_a_dry_run_says_what_undo_would_do_and_writes_nothing(edited):
    store, first, _ = edited
    with unchanged(store):
        planned = core.undo(store, dry_run=True)
    assert planned.effects == [f"restore the notes of claim {first}"]
    assert core.undo(store).change["id"] == planned.change["id"]


@pytest.mark.parametrize("call, message", [
    (lambda s: core.undo(s), "nothing to undo: no change sets"),
    (lambda s: core.redo(s), "nothing to undo: no change sets"),
    (lambda s: core.undo(s, "zz"), "nothing to undo"),
])
def test_undo_and_redo_with_nothing_to_do_are_not_found(file_store, call, message):
    with unchanged(file_store), pytest.raises(NotFound, match=message):
        call(file_store)


def test_redo_with_no_undo_since_the_last_change_is_not_found(edited):
    store, _, _ = edited
    with unchanged(store), pytest.raises(NotFound, match="nothing to redo: nothing was undone"):
        core.redo(store)


def test_undo_of_an_unknown_change_set_is_not_found(edited):
    store, _, _ = edited
    with unchanged(store), pytest.raises(NotFound, match="no change set 'zz'"):
        core.undo(store, "zz")


def test_undo_of_a_change_set_already_undone_is_refused(edited):
    store, _, _ = edited
    undone = core.undo(store).change["id"]
    add(store, "a third claim")
    with unchanged(store), pytest.raises(InvalidInput, match=f"change set {undone} is already undone"):
        core.undo(store, undone)


def test_change_log_lists_change_sets_newest_first_and_filters(edited):
    store, first, second = edited
    rows = core.change_log(store)
    assert [row["claims"] for row in rows] == [[first], [second], [first]]
    assert all(row["user"] == "tester" for row in rows) and rows[0]["at"] >= rows[-1]["at"]
    assert [row["claims"] for row in core.change_log(store, claim=second[:4])] == [[second]]
    assert core.change_log(store, user="nobody") == []
    assert len(core.change_log(store, since=rows[-1]["at"][:10], until=rows[0]["at"][:10])) == 3
    assert core.change_log(store, until="2001") == []


def test_change_log_refuses_a_date_it_cannot_read(edited):
    store, _, _ = edited
    with pytest.raises(InvalidInput, match="cannot read a since date from 'nope'"):
        core.change_log(store, since="nope")


def test_compact_keeps_the_newest_change_sets(edited):
    store, first, _ = edited
    assert core.compact(store, 1) == 2
    assert [row["claims"] for row in core.change_log(store)] == [[first]]
    assert core.compact(store, 5) == 0
    core.undo(store)  # the change set kept can still be undone
    assert read_file(store.path)["claims"][first]["notes"] is None


def test_compact_to_nothing_leaves_nothing_to_undo(edited):
    store, _, _ = edited
    assert core.compact(store, 0) == 3
    with pytest.raises(NotFound, match="nothing to undo"):
        core.undo(store)


def test_compact_refuses_a_negative_count(edited):
    store, _, _ = edited
    with unchanged(store), pytest.raises(InvalidInput, match="keep must be 0 or more"):
        core.compact(store, -1)


def test_the_memory_twin_undoes_too(memory_store):
    claim = add(memory_store)
    core.edit_claim(memory_store, claim["id"], context="at a rally")
    core.undo(memory_store)
    assert memory_store.get(claim["id"])["context"] is None
    core.undo(memory_store)
    assert memory_store.claims == {}
