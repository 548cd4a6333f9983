"""The commands read through the index (SPEC section 15) and give what a scan of the file gives:
after an edit made by another program, with the cache deleted between commands, and where the
cache folder cannot be written at all (then the store is read whole, with one warning at most)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from natoclaims.paths import index_pointer
from natoclaims.store import files
from natoclaims.store.index import file_stamp
from tests.conftest import add, cli


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """An index's stamp is trusted as soon as it is made (as a minute after the last write): a
    stamp believed where it must not be cannot hide behind a test's quick edits."""
    monkeypatch.setattr("natoclaims.store.index.TICK_NS", -1)
    monkeypatch.setattr("natoclaims.store.index.COARSE_TICK_NS", -1)


READS = [("search", "troops", "--format", "ids"), ("search", "--actor", "Rutte", "--format", "json"),
         ("search", "35,000", "--format", "ids"), ("stats", "--format", "json"), ("topics", "--format", "json"),
         ("contradictions", "--format", "ids"), ("export", "--format", "json")]


@pytest.fixture
def desk(empty_store: Path) -> list[str]:
    """Four claims added by the commands, two of which disagree on a figure; read once (indexed)."""
    made = [add("--topic", "troops", "--measure", "us-troops-germany", text="Some 35,000 US troops are in Germany"),
            add("--topic", "troops", "--measure", "us-troops-germany", actor="Mark Rutte",
                text="Only 12,000 US troops are in Germany"),
            add("--topic", "spending", actor="Mark Rutte", text="Allies will spend 5% of GDP on defence"),
            add(text="Trump’s plan: we_will leave")]
    assert cli("search", "troops", "--format", "ids").code == 0
    return made


def parsed(args: tuple[str, ...], stdout: str) -> object:
    """A command's output, JSON parsed (the order of a record's keys is held by its own test, below)."""
    return json.loads(stdout) if args[-1] == "json" else stdout


def outputs() -> dict[tuple[str, ...], object]:
    results = {}
    for args in READS:
        result = cli(*args)
        assert result.code == 0, (args, result)
        results[args] = parsed(args, result.stdout)
    return results


def test_commands_read_an_edit_made_by_another_program(desk, empty_store):
    data = files.read_file(empty_store)
    data["claims"][desk[2]]["text"] = "Zeppelins will leave Germany"
    empty_store.write_bytes(files.encode(data))
    assert cli("search", "zeppelins", "--format", "ids").stdout.split() == [desk[2]]
    assert desk[2] not in cli("search", "spend", "--format", "ids").stdout
    assert "Zeppelins will leave Germany" in cli("show", desk[2]).stdout
    assert cli("check").code == 0


def test_check_sees_an_edit_even_where_the_stamp_was_kept(desk, empty_store):
    raw = empty_store.read_bytes()
    at = raw.index(b'"kind": "paraphrase"', raw.index(f'"{desk[1]}": {{'.encode()))
    stat = empty_store.stat()
    empty_store.write_bytes(raw[:at] + b'"kind": "paraphrasX"' + raw[at + 20:])
    os.utime(empty_store, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    pointer = index_pointer(empty_store)
    with sqlite3.connect(pointer.parent / pointer.read_text().strip()) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'stamp'", (file_stamp(empty_store.stat()),))
        db.execute("UPDATE meta SET value = 1 WHERE key = 'settled'")
    result = cli("check")
    assert result.code == 1 and f"{desk[1]}: unknown kind 'paraphrasX'" in result.stdout, result


def test_deleting_the_cache_between_commands_changes_no_answer(desk, isolated):
    before = outputs()
    shutil.rmtree(isolated / "cache")
    assert outputs() == before
    assert not (isolated / "cache").exists() or (isolated / "cache" / "natoclaims" / "index").is_dir()


def test_the_commands_work_where_the_cache_cannot_be_written(desk, empty_store, isolated, monkeypatch):
    expected = outputs()
    blocker = isolated / "blocker"
    blocker.write_text("not a folder\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    raw = empty_store.read_bytes()
    for args in READS:
        result = cli(*args)
        assert result.code == 0 and parsed(args, result.stdout) == expected[args], (args, result)
        assert result.stderr.count("\n") <= 1 and "Traceback" not in result.stderr, result.stderr
    assert empty_store.read_bytes() == raw  # reads leave the store file as it was
    new = add(text="Written where no index can be kept")
    assert cli("edit", new, "--text", "Written where no index can be kept, edited").code == 0
    assert cli("search", "edited", "--format", "ids").stdout.split() == [new]
    assert empty_store.read_bytes() == files.encode(files.read_file(empty_store))




def test_json_output_after_a_write_is_the_output_of_a_scan(desk, isolated):
    after_write = cli("search", "--actor", "Rutte", "--format", "json").stdout
    shutil.rmtree(isolated / "cache")
    assert cli("search", "--actor", "Rutte", "--format", "json").stdout == after_write


def test_a_write_to_a_file_without_a_sources_table_is_written_whole(empty_store: Path) -> None:
    """A store file with no `sources` table is laid out as natoclaims writes it, but a splice has no
    table to put a new source in: that write goes whole, and the file is what `encode` gives."""
    data = files.read_file(empty_store)
    del data["sources"]
    empty_store.write_bytes(files.encode(data))
    assert cli("search", "--format", "ids").code == 0  # indexed as it is
    made = add(text="A claim with a new source")
    written = files.read_file(empty_store)
    assert made in written["claims"] and len(written["sources"]) == 1
    assert empty_store.read_bytes() == files.encode(written)
    assert cli("search", "--format", "ids").stdout.split() == [made]


@pytest.mark.parametrize(("field", "value"), [("status", "bogus"), ("text", 5), ("actor", None), ("said_on", "2026-99-99"),
                                              ("topics", "abc"), ("quantities", [{"value": "x"}]), ("stances", [{"x": 1}])])
@pytest.mark.parametrize("indent", [2, 4])
def test_a_claim_the_index_cannot_file_is_named_never_left_out(empty_store: Path, field: str, value: object,
                                                               indent: int) -> None:
    """A hand edit leaves a value no claim can have: a read names the claim and `check`, rather than
    answer without it (the index would otherwise file the other claims and miss this one), whether
    the file is laid out as natoclaims writes it (2) or not (4: it is parsed whole)."""
    kept, damaged = add(text="zeta claim one"), add(text="zeta claim two")
    data = files.read_file(empty_store)
    data["claims"][damaged][field] = value
    empty_store.write_text(json.dumps(data, indent=indent, sort_keys=True) + "\n", encoding="utf-8")
    before = empty_store.read_bytes()
    for read in (("search", "zeta"), ("stats",)):
        result = cli(*read)
        assert result.code == 1 and result.stdout == "", result
        assert f"claim {damaged!r}" in result.stderr and "natoclaims check" in result.stderr, result
        assert len(result.stderr.strip().splitlines()) == 1 and "unexpected" not in result.stderr, result
    assert cli("check").code == 1
    assert empty_store.read_bytes() == before and kept in data["claims"]
