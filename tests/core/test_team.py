"""Merging stores through the library: merge_files, open_conflicts, conflict_rows, resolve."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from natoclaims import core
from natoclaims.errors import NotFound, UsageError
from natoclaims.store import Store, read_file
from tests.factories import add, unchanged


@pytest.fixture
def conflicted(file_store: Store, tmp_path: Path) -> tuple[Store, str, dict[str, Path]]:
    """A store file merged from two sides that gave one claim different contexts: one open conflict."""
    db = file_store.path
    claim = add(file_store, "Allies will spend 5% of GDP", actor="Mark Rutte")["id"]
    sides = {name: tmp_path / f"{name}.json" for name in ("base", "ours", "theirs")}
    shutil.copy(db, sides["base"])
    for name, context in (("ours", "at the summit"), ("theirs", "told reporters")):
        core.edit_claim(Store(db, user=name), claim, context=context)
        shutil.copy(db, sides[name])
        shutil.copy(sides["base"], db)
    shutil.copy(sides["ours"], db)
    core.merge_files(sides["base"], db, sides["theirs"])
    return Store(db, user="tester"), claim, sides


def test_merge_files_writes_the_merge_over_ours_and_records_the_conflict(conflicted):
    store, claim, _ = conflicted
    assert core.conflict_rows(core.open_conflicts(store.path)) == [
        {"key": claim, "record": "claim", "field": "context", "base": None, "ours": "at the summit",
         "theirs": "told reporters"}]
    assert read_file(store.path)["claims"][claim]["context"] == "at the summit"  # ours, until settled
    assert core.check_store(store) == [f"{claim}: open merge conflict over 'context' of this claim "
                                       "(see open_conflicts; settle it with resolve)"]


def test_changes_to_different_claims_merge_without_conflict(file_store, tmp_path):
    db = file_store.path
    base = tmp_path / "base.json"
    shutil.copy(db, base)
    ours = add(file_store, "Ours says this")["id"]
    theirs_file = tmp_path / "theirs.json"
    shutil.copy(base, theirs_file)
    theirs = add(Store(theirs_file, user="bob"), "Theirs says that", actor="Mark Rutte")["id"]
    assert core.merge_files(base, db, theirs_file) == []
    assert set(read_file(db)["claims"]) == {ours, theirs}
    assert core.open_conflicts(db) == []


def test_resolve_settles_the_conflict_for_a_side(conflicted):
    store, claim, _ = conflicted
    settled = core.resolve(store, claim[:5], "context", side="theirs")
    assert (settled["ours"], settled["theirs"]) == ("at the summit", "told reporters")
    assert read_file(store.path)["claims"][claim]["context"] == "told reporters"
    assert core.open_conflicts(store.path) == [] and core.check_store(store) == []


def test_resolve_with_a_value_of_its_own(conflicted):
    store, claim, _ = conflicted
    core.resolve(store, claim, "context", value="at the summit, to reporters")
    assert store.get(claim)["context"] == "at the summit, to reporters"


@pytest.mark.parametrize("field, options, error, message", [
    ("context", {}, UsageError, "give one of side='ours', side='theirs' or value"),
    ("context", {"side": "ours", "value": "x"}, UsageError, "give one of side='ours', side='theirs' or value"),
    ("notes", {"side": "ours"}, NotFound, "no open merge conflict over field 'notes'"),
])
def test_resolve_refuses_and_leaves_the_store_alone(conflicted, field, options, error, message):
    store, claim, _ = conflicted
    with unchanged(store), pytest.raises(error, match=message):
        core.resolve(store, claim, field, **options)


def test_resolve_with_nothing_open_is_not_found(conflicted):
    store, claim, _ = conflicted
    core.resolve(store, claim, "context", side="ours")
    with pytest.raises(NotFound, match="no open merge conflicts"):
        core.resolve(store, claim, "context", side="ours")


def test_resolve_is_for_store_files_only(memory_store):
    with pytest.raises(UsageError, match="conflicts are kept beside a store file"):
        core.resolve(memory_store, "abcdef12", "context", side="ours")


def test_merge_files_refuses_a_side_that_is_missing_and_writes_nothing(conflicted, tmp_path):
    store, _, sides = conflicted
    with unchanged(store), pytest.raises(UsageError, match="no such file"):
        core.merge_files(tmp_path / "nothing.json", store.path, sides["theirs"])


def test_undo_of_a_resolve_opens_the_conflict_again(conflicted):
    store, claim, _ = conflicted
    core.resolve(store, claim, "context", side="theirs")
    core.undo(store)
    assert [c["field"] for c in core.open_conflicts(store.path)] == ["context"]
    assert store.get(claim)["context"] == "at the summit"
