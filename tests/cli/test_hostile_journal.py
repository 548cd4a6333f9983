"""Issue 23, the journal as input: a journal a pulled branch replaced may hold crafted change sets.
`undo` and `redo` check every record they would write as `add` and `import` do, and a damaged
line or conflicts file is one clear line naming the file, never an unexpected error."""

from __future__ import annotations

import json

import pytest

from natoclaims.paths import conflicts_file, journal_file
from natoclaims.store import read_file
from tests.conftest import add, assert_refused, cli


def append_change_set(db, changes, **marks):
    """Append a committed change set to the journal, as a branch could have written it."""
    entry = {"id": "crafted1", "at": "2026-01-01T00:00:00Z", "user": "mallory", "command": "c", "changes": changes,
             **marks}
    with open(journal_file(db), "a") as journal:
        journal.write(json.dumps(entry) + "\n" + json.dumps({"commit": entry["id"]}) + "\n")


def crafted_claim(db, **fields):
    """A copy of the store's one claim under a new id, with `fields` changed (None: removed)."""
    claim = {**next(iter(read_file(db)["claims"].values())), "id": "crafted9"}
    claim.update(fields)
    return {k: v for k, v in claim.items() if v is not None}


INVALID = {
    "bad status": ({"status": "pwned"}, "unknown status 'pwned'"),
    "empty text": ({"text": ""}, "empty claim text"),
    "non-http URL": ({"sources": [{"id": "src00001", "url": "javascript:alert(1)", "title": None, "outlet": None,
                                   "published": None}]}, "only http and https URLs"),
    "id not its key": ({"id": "other999"}, "its id is not 'crafted9'"),
    "unknown field": ({"payload": "$(touch pwned)"}, "unknown field 'payload'"),
    "no actor": ({"actor": None}, "missing required field 'actor'"),  # was: unexpected KeyError: 'actor'
}


@pytest.mark.parametrize("command", [("undo", "--yes"), ("undo", "--dry-run")])
@pytest.mark.parametrize("case", list(INVALID))
def test_undo_refuses_to_restore_an_invalid_claim_from_a_crafted_journal(empty_store, case, command):
    add(text="a claim")
    fields, reason = INVALID[case]
    append_change_set(empty_store, [{"table": "claims", "key": "crafted9",
                                     "before": crafted_claim(empty_store, **fields), "after": None}])
    before = empty_store.read_bytes()
    result = cli(*command)
    assert_refused(result, reason)
    assert f"cannot undo crafted1: {journal_file(empty_store)} holds an invalid claim record 'crafted9'" in result.stderr
    assert empty_store.read_bytes() == before


def test_redo_refuses_to_restore_an_invalid_claim_from_a_crafted_journal(empty_store):
    add(text="a claim")
    invalid = crafted_claim(empty_store, status="pwned")
    append_change_set(empty_store, [{"table": "claims", "key": "crafted9", "before": None, "after": invalid}])
    append_change_set(empty_store, [{"table": "claims", "key": "crafted9", "before": invalid, "after": None}],
                      id="crafted2", undoes="crafted1")
    before = empty_store.read_bytes()
    assert_refused(cli("redo", "--yes"), "holds an invalid claim record 'crafted9' for it (unknown status 'pwned'")
    assert empty_store.read_bytes() == before


@pytest.mark.parametrize(("table", "key", "record", "reason"), [
    ("actors", "Mallory", {"name": "Mallory", "aliases": [], "role": None, "type": "alien"}, "unknown actor type 'alien'"),
    ("actors", "Mallory", {"name": "Somebody else", "aliases": [], "role": None, "type": "person"}, "its name is not"),
    ("sources", "src00009", {"id": "src00009", "url": "file:///etc/passwd", "title": None, "outlet": None,
                             "published": None, "type": "article", "archive": None}, "only http and https URLs"),
    ("meta", "1", {"schema": 99}, "schema 99 is not one this natoclaims writes"),
])
def test_undo_refuses_to_restore_an_invalid_actor_source_or_meta_record(empty_store, table, key, record, reason):
    add(text="a claim")
    after = read_file(empty_store)["meta"]["1"] if table == "meta" else None
    append_change_set(empty_store, [{"table": table, "key": key, "before": record, "after": after}])
    before = empty_store.read_bytes()
    assert_refused(cli("undo", "--yes"), reason)
    assert empty_store.read_bytes() == before


def test_a_journal_line_settling_a_conflict_over_the_meta_table_is_damaged(empty_store):
    first = add(text="a claim")
    append_change_set(empty_store, [], settles=[{"table": "meta", "key": "1", "field": "schema", "ours": 99}])
    log = cli("log", "-f", "ids")
    assert log.code == 0 and f"{journal_file(empty_store)}: line 3 is damaged" in log.stderr, log
    assert cli("undo", "--yes").code == 0  # the damaged line skipped: the add is undone
    assert first not in read_file(empty_store)["claims"] and not conflicts_file(empty_store).exists()


@pytest.mark.parametrize("command", [("conflicts",), ("resolve", "1", "schema", "--theirs"), ("check",)])
def test_a_conflicts_file_naming_the_meta_table_is_one_line(empty_store, command):
    add(text="a claim")
    conflicts_file(empty_store).write_text(json.dumps({"conflicts": [
        {"table": "meta", "key": "1", "field": "schema", "base": 2, "ours": 2, "theirs": 99}], "head": None}))
    before = empty_store.read_bytes()
    result = cli(*command)
    assert result.code == 1 and "unexpected" not in result.stderr, result
    assert result.stderr.count("\n") == 1
    assert f"{conflicts_file(empty_store)}: not a natoclaims conflicts file (a conflict names the table 'meta'" \
        in result.stderr
    assert empty_store.read_bytes() == before


def test_a_crafted_later_change_set_is_never_named_nor_breaks_the_refusal(empty_store, two):
    a, b = two
    adds = cli("log", "-f", "ids").stdout.split()  # newest first: the add of b, then the add of a
    assert cli("link", b, "contradicts", a).code == 0
    append_change_set(empty_store, [{"table": "claims", "key": b, "before": None,
                                     "after": {"links": [{}], "reviews": [{}]}}])
    before = empty_store.read_bytes()
    result = cli("undo", "--id", adds[1], "--yes")  # was: unexpected KeyError: 'to'
    assert_refused(result, f"claim {b} links to {a}, which it would remove")
    assert "crafted1" not in result.stderr and empty_store.read_bytes() == before
