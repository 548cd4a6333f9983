"""Issue 18, undo and the journal: nothing a user did is lost or wrongly reverted, whatever
happened to the journal (unwritable, cut by a crash, damaged) or to the process (Ctrl-C, kill)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natoclaims import add_claim, link, remove_claims, undo
from natoclaims.core import check_store
from natoclaims.errors import InvalidInput
from natoclaims.paths import journal_file
from natoclaims.store import Journal, Store, files, read_file
from tests.conftest import add, cli, examples


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def change_ids(db):
    return cli("--db", str(db), "log", "-f", "ids").stdout.split()


# -- undo --id never leaves the store failing its check ---------------------------------------

def test_undo_of_an_add_whose_new_actor_a_later_claim_uses_is_refused_naming_that_change(empty_store):
    add(text="first by him", actor="New Guy")
    first_change = change_ids(empty_store)[0]
    add(text="second by him", actor="New Guy")
    later_change = change_ids(empty_store)[0]
    before = digest(empty_store)
    result = cli("undo", "--id", first_change, "--yes")
    assert result.code == 1 and "New Guy" in result.stderr and later_change in result.stderr, result
    assert digest(empty_store) == before and cli("check").code == 0


def test_undo_of_an_add_that_a_later_link_points_at_is_refused(empty_store):
    add(text="an earlier claim by the same actor")
    a = add(text="the claim")
    first_change = change_ids(empty_store)[0]
    b = add(text="another claim")
    assert cli("link", b, "contradicts", a).code == 0
    link_change = change_ids(empty_store)[0]
    result = cli("undo", "--id", first_change, "--yes")
    assert result.code == 1 and f"links to {a}" in result.stderr and link_change in result.stderr, result
    assert cli("check").code == 0


OPERATIONS = st.lists(st.tuples(st.sampled_from(["add-new", "add-known", "link", "rm", "undo"]),
                                st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=14)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_check_passes_after_any_sequence_of_changes_and_undos(tmp_path, operations):
    store = Store(tmp_path / f"h{len(list(tmp_path.iterdir()))}.json", user="t")
    actors = ["Old Hand"]
    for number, (operation, i, j) in enumerate(operations):
        ids = sorted(store.claims)
        try:
            if operation.startswith("add"):
                actor = f"Actor {number}" if operation == "add-new" else actors[i % len(actors)]
                actors.append(actor)
                add_claim(store, f"claim {number}", actor=actor, sources=["https://e.org"])
            elif operation == "link" and len(ids) > 1 and ids[i % len(ids)] != ids[j % len(ids)]:
                link(store, ids[i % len(ids)], "supports", ids[j % len(ids)])
            elif operation == "rm" and ids:
                remove_claims(store, [ids[i % len(ids)]])
            elif operation == "undo":
                entries, _ = store.journal.entries()
                if entries:
                    undo(store, entries[i % len(entries)]["id"])
        except InvalidInput:
            pass  # refused, and the store as it was
        assert check_store(store) == [], (operation, i, j)


# -- a journal that cannot record --------------------------------------------------------------

def test_undo_refuses_to_skip_a_write_the_journal_could_not_record(empty_store, monkeypatch):
    first = add(text="recorded claim")
    real_append = Journal._append

    def unwritable(self, line):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Journal, "_append", unwritable)
    result = cli("add", "--actor", "A", "--source", "https://e.org", "--", "unrecorded claim")
    assert result.code == 0 and "cannot be undone" in result.stderr
    unrecorded = result.stdout.strip()
    before = digest(empty_store)
    refused = cli("undo", "--yes")
    assert refused.code == 1 and "could not be recorded" in refused.stderr and "add" in refused.stderr, refused
    assert digest(empty_store) == before
    # The journal works again: the next write is recorded, with the gap before it.
    monkeypatch.setattr(Journal, "_append", real_append)
    later = add(text="later claim")
    gap = change_ids(empty_store)[1]
    assert cli("log", "-f", "ids").stdout.split()[2] != gap
    refused = cli("undo", "--id", gap, "--yes")
    assert refused.code == 1 and "could not be recorded" in refused.stderr, refused
    assert cli("undo", "--yes").code == 0
    assert set(read_file(empty_store)["claims"]) == {first, unrecorded}, later


# -- interrupted and killed writes ----------------------------------------------------------------

def test_ctrl_c_after_the_store_is_renamed_keeps_the_journal_entry(empty_store, monkeypatch):
    older = add(text="older claim")
    real_replace = files.os.replace

    def replace_then_interrupt(source, target):
        real_replace(source, target)
        if str(target) == str(empty_store):
            raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", replace_then_interrupt)
    result = cli("add", "--actor", "A", "--source", "https://e.org", "--", "interrupted claim")
    assert result.code == 130 and "interrupted" in result.stderr
    monkeypatch.setattr(files.os, "replace", real_replace)
    claims = read_file(empty_store)["claims"]
    interrupted = next(i for i, c in claims.items() if c["text"] == "interrupted claim")
    assert cli("undo", "--yes").code == 0
    assert set(read_file(empty_store)["claims"]) == {older}, interrupted


def strip_last_commit(db):
    journal = journal_file(db)
    lines = journal.read_bytes().splitlines(keepends=True)
    assert b'"commit"' in lines[-1]
    journal.write_bytes(b"".join(lines[:-1]))


def test_after_a_kill_between_rename_and_commit_undo_previews_and_reverts_the_last_change(empty_store):
    add(text="older claim")
    newest = add(text="newest claim")
    strip_last_commit(empty_store)  # killed after the store rename, before the commit line
    preview = cli("undo", "--dry-run")
    assert preview.code == 0 and f"would remove claim {newest}" in preview.stderr, preview
    assert cli("undo", "--yes").code == 0
    assert newest not in read_file(empty_store)["claims"] and len(read_file(empty_store)["claims"]) == 1


def test_a_journal_cut_inside_its_last_commit_line_keeps_that_change_set(empty_store):
    add(text="older claim")
    newest = add(text="newest claim")
    journal = journal_file(empty_store)
    journal.write_bytes(journal.read_bytes()[:-5])  # '{"commit":"abc' and no newline
    assert len(change_ids(empty_store)) == 2
    assert cli("undo", "--yes").code == 0
    assert newest not in read_file(empty_store)["claims"]
    assert cli("check").code == 0 and len(change_ids(empty_store)) == 3


@pytest.mark.parametrize("damage", [b"[" * 100_000 + b"\n", b'{"commit": ["x"]}\n',
                                    b'{"id": "zz", "at": "x", "changes": [{"table": "claims"}]}\n', b"\xff\xfe\n",
                                    b'{"id": "zz", "at": "x", "changes": [], "settles": [{"table": "claims"}]}\n'])
def test_a_damaged_journal_line_is_reported_and_stops_nothing(empty_store, damage):
    first = add(text="first claim")
    journal = journal_file(empty_store)
    journal.write_bytes(journal.read_bytes() + damage)
    second = add(text="second claim")
    log = cli("log", "-f", "ids")
    assert log.code == 0 and "line 3 is damaged" in log.stderr and len(log.stdout.split()) == 2, log
    assert cli("search", "claim").code == 0
    assert cli("undo", "--yes").code == 0
    assert set(read_file(empty_store)["claims"]) == {first}, second


def test_undo_of_an_undo_is_a_redo(empty_store):
    claim = add(text="the claim")
    assert cli("undo", "--yes").code == 0
    undo_change = change_ids(empty_store)[0]
    assert cli("add", "--actor", "Mark Rutte", "--source", "https://other.org/b", "--", "something else").code == 0
    result = cli("undo", "--id", undo_change, "--yes")
    assert result.code == 0 and "redo" in result.stderr, result
    assert claim in read_file(empty_store)["claims"]
