"""Team work through the library: merge_files on three stores, open_conflicts, resolve (each way, and
what it refuses with the store and conflicts file as they were), and git_setup in a real git folder."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput, NotFound, StoreError, UsageError
from natoclaims.store import Store, read_file
from tests.factories import add, file_store

NEWER = b'{"actors": {}, "claims": {}, "meta": {"1": {"schema": 9}}, "sources": {}}'


@pytest.fixture
def sides(db: Path, tmp_path: Path) -> dict:
    """base/ours/theirs copies of a store with one claim, which ours and theirs each gave its own
    context, notes and verdict; the store file itself is ours."""
    store = file_store(db)
    claim = add(store, "Allies will spend 5% of GDP", actor="Mark Rutte")["id"]
    paths = {name: tmp_path / f"{name}.json" for name in ("base", "ours", "theirs")}
    shutil.copy(db, paths["base"])
    for name, context, verdict in (("ours", "at the summit", "verified"), ("theirs", "told reporters", "false")):
        side = Store(db, user=name)
        core.edit_claim(side, claim, context=context, notes=f"{name} note")
        core.review(side, [claim], verdict)
        shutil.copy(db, paths[name])
        shutil.copy(paths["base"], db)
    shutil.copy(paths["ours"], db)
    return {"db": db, "id": claim, **paths}


def conflicts_file(db: Path) -> Path:
    return db.with_name(db.name + ".conflicts")


@pytest.fixture
def merged(sides) -> dict:
    conflicts = core.merge_files(sides["base"], sides["db"], sides["theirs"])
    assert len(conflicts) == 3
    return sides


def fields(db: Path) -> list[str]:
    return [c["field"] for c in core.open_conflicts(db)]


def test_merge_files_records_a_conflict_for_each_field_both_changed(merged):
    assert fields(merged["db"]) == ["context", "notes", "status"]
    rows = core.conflict_rows(core.open_conflicts(merged["db"]))
    assert {r["field"]: (r["ours"], r["theirs"]) for r in rows}["context"] == ("at the summit", "told reporters")
    assert read_file(merged["db"])["claims"][merged["id"]]["context"] == "at the summit"


@pytest.mark.parametrize("which, content, error, reason", [
    ("base", b"not json at all", UsageError, "not valid JSON"),
    ("base", b'{"claims": {}}', UsageError, "not a natoclaims store"),
    ("theirs", NEWER, UsageError, "newer than this"),
    ("base", b"<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> other\n", UsageError, "git conflict markers"),
    ("theirs", None, UsageError, "no such file"),
])
def test_merge_files_refuses_what_is_not_a_store_and_writes_nothing(sides, which, content, error, reason):
    db = sides["db"]
    before = db.read_bytes()
    if content is None:
        sides[which].unlink()
    else:
        sides[which].write_bytes(content)
    with pytest.raises(error, match=reason):
        core.merge_files(sides["base"], db, sides["theirs"])
    assert db.read_bytes() == before and not conflicts_file(db).exists()


RESOLVE_REFUSED = {
    "no side and no value": ("ID", "context", {}, UsageError, "give one of side='ours', side='theirs' or value"),
    "a side and a value": ("ID", "context", {"side": "theirs", "value": "x"}, UsageError, "give one of"),
    "a claim with no conflict": ("nosuchclaim", "context", {"side": "ours"}, NotFound,
                                 "no open merge conflict over 'nosuchclaim'"),
    "a field with no conflict": ("ID", "kind", {"side": "ours"}, NotFound, "no open merge conflict over field 'kind'"),
    "unverified as a verdict": ("ID", "status", {"value": "unverified"}, InvalidInput, "unknown verdict 'unverified'"),
}


@pytest.mark.parametrize("key, field, options, error, reason", RESOLVE_REFUSED.values(), ids=RESOLVE_REFUSED.keys())
def test_resolve_refuses_and_changes_nothing(merged, key, field, options, error, reason):
    db = merged["db"]
    before = db.read_bytes(), conflicts_file(db).read_bytes()
    with pytest.raises(error, match=reason):
        core.resolve(Store(db), merged["id"] if key == "ID" else key, field, **options)
    assert (db.read_bytes(), conflicts_file(db).read_bytes()) == before


def test_resolve_each_way_and_the_file_goes_with_the_last(merged):
    db, claim = merged["db"], merged["id"]
    store = Store(db)
    core.resolve(store, claim, "context", side="theirs")
    core.resolve(store, claim, "notes", value="both notes")
    assert fields(db) == ["status"]
    core.resolve(store, claim, "status", side="theirs")
    settled = store.get(claim)
    assert (settled["context"], settled["notes"], settled["status"]) == ("told reporters", "both notes", "false")
    assert settled["reviews"][-1]["note"] == "merge conflict settled: false"
    assert not conflicts_file(db).exists() and core.check_store(store) == []


def test_an_open_conflict_is_a_problem_for_check_store(merged):
    problems = core.check_store(Store(merged["db"]))
    assert len(problems) == 3 and all("open merge conflict" in p for p in problems)


def test_resolve_without_open_conflicts_is_not_found(db):
    with pytest.raises(NotFound, match="no open merge conflicts"):
        core.resolve(file_store(db), "abcdef1", "context", side="ours")


def test_a_damaged_conflicts_file_is_a_store_error(merged):
    conflicts_file(merged["db"]).write_text("[1, 2]")
    with pytest.raises(StoreError, match="not a natoclaims conflicts file"):
        core.open_conflicts(merged["db"])


def test_a_value_given_to_resolve_is_checked_like_an_edit(db, tmp_path):
    store = file_store(db)
    claim = add(store, "Allies will spend 5% of GDP", actor="Mark Rutte")["id"]
    base, theirs = tmp_path / "base.json", tmp_path / "theirs.json"
    shutil.copy(db, base)
    core.edit_claim(store, claim, said_on="2025-06-24")
    shutil.copy(db, theirs)
    shutil.copy(base, db)
    core.edit_claim(Store(db), claim, said_on="2025-06-25")
    assert len(core.merge_files(base, db, theirs)) == 1
    before = db.read_bytes()
    with pytest.raises(InvalidInput, match="said_on"):
        core.resolve(Store(db), claim, "said_on", value="03/04/2025")
    assert db.read_bytes() == before
    core.resolve(Store(db), claim, "said_on", value="2025-06")
    assert Store(db).get(claim)["said_on"] == "2025-06"


def test_resolve_names_an_ambiguous_or_too_short_prefix(db):
    file_store(db)
    conflicts = [{"table": "claims", "key": key, "field": "context", "base": None, "ours": "a", "theirs": "b"}
                 for key in ("abcd1111", "abcd2222")]
    conflicts_file(db).write_text(json.dumps({"conflicts": conflicts, "head": None}))
    before = db.read_bytes(), conflicts_file(db).read_bytes()
    with pytest.raises(NotFound, match=r"id prefix 'abcd' is ambiguous: it matches 2 claims \(abcd1111, abcd2222\)"):
        core.resolve(Store(db), "abcd", "context", side="ours")
    with pytest.raises(NotFound, match="a prefix needs at least 4 characters"):
        core.resolve(Store(db), "abc", "context", side="ours")
    with pytest.raises(NotFound, match="no open merge conflict over 'zzzz'"):
        core.resolve(Store(db), "zzzz", "context", side="ours")
    assert (db.read_bytes(), conflicts_file(db).read_bytes()) == before


def test_resolve_theirs_never_writes_a_record_under_another_key(db):
    store = file_store(db)
    claim = add(store, "Allies will spend 5% of GDP", actor="Mark Rutte")
    conflicts = [{"table": "claims", "key": claim["id"], "field": "record", "base": None, "ours": claim,
                  "theirs": {**claim, "id": "other1234", "notes": "theirs"}}]
    conflicts_file(db).write_text(json.dumps({"conflicts": conflicts, "head": None}))
    before = db.read_bytes(), conflicts_file(db).read_bytes()
    with pytest.raises(InvalidInput, match="is named 'other1234' there: not settled"):
        core.resolve(Store(db), claim["id"], "record", side="theirs")
    assert (db.read_bytes(), conflicts_file(db).read_bytes()) == before
    core.resolve(Store(db), claim["id"], "record", side="ours")
    assert core.check_store(Store(db)) == []


def test_undo_of_a_resolve_opens_its_conflict_again_and_redo_settles_it(merged):
    db, claim = merged["db"], merged["id"]
    store = Store(db)
    core.resolve(store, claim, "context", side="theirs")
    core.undo(store)
    assert fields(db) == ["context", "notes", "status"] and store.get(claim)["context"] == "at the summit"
    core.redo(store)
    assert fields(db) == ["notes", "status"] and store.get(claim)["context"] == "told reporters"


def test_undo_of_the_last_resolve_brings_the_conflicts_file_back(merged):
    db, claim = merged["db"], merged["id"]
    store = Store(db)
    for field in ("context", "notes", "status"):
        core.resolve(store, claim, field, side="ours")
    assert not conflicts_file(db).exists()
    core.undo(store)
    assert fields(db) == ["status"]


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def work_tree(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q")
    file_store(folder / "claims.json")
    return folder


def test_git_setup_registers_the_driver_and_ignores_the_sidecars(work_tree):
    changes = core.git_setup(work_tree / "claims.json")
    assert ".gitattributes: added '/claims.json merge=natoclaims'" in changes
    assert (work_tree / ".gitattributes").read_text().splitlines() == ["/claims.json merge=natoclaims"]
    ignored = (work_tree / ".gitignore").read_text().splitlines()
    assert ignored == ["/claims.json.lock", "/claims.json.journal", "/claims.json.conflicts"]
    assert git(work_tree, "config", "merge.natoclaims.name").strip() == "natoclaims: merge claims, not lines"
    assert git(work_tree, "config", "merge.natoclaims.driver").strip()


def test_git_setup_twice_changes_nothing_the_second_time(work_tree):
    core.git_setup(work_tree / "claims.json")
    attributes = (work_tree / ".gitattributes").read_bytes()
    assert core.git_setup(work_tree / "claims.json") == []
    assert (work_tree / ".gitattributes").read_bytes() == attributes


def test_git_setup_keeps_the_lines_already_there(work_tree):
    (work_tree / ".gitignore").write_text("*.pyc\n")
    core.git_setup(work_tree / "claims.json")
    assert (work_tree / ".gitignore").read_text().splitlines()[0] == "*.pyc"


def test_git_setup_of_a_store_in_a_subfolder_names_its_path_from_the_top(work_tree):
    (work_tree / "data").mkdir()
    file_store(work_tree / "data" / "claims.json")
    core.git_setup(work_tree / "data" / "claims.json")
    assert "/data/claims.json merge=natoclaims" in (work_tree / ".gitattributes").read_text()


def test_git_setup_outside_a_work_tree_is_refused(db):
    file_store(db)
    with pytest.raises(StoreError, match="not in a git work tree"):
        core.git_setup(db)
    assert not (db.parent / ".gitattributes").exists()


def test_git_setup_refuses_a_gitattributes_too_large_to_be_one(work_tree):
    attributes = work_tree / ".gitattributes"
    attributes.write_bytes(b"# padding\n" * 200_000)
    before = attributes.read_bytes()
    with pytest.raises(StoreError, match="is larger than 1,048,576 bytes"):
        core.git_setup(work_tree / "claims.json")
    assert attributes.read_bytes() == before and not (work_tree / ".gitignore").exists()
