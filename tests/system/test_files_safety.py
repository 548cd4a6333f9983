"""Issue 18, files: links, pipes, in-place edits, unwritable places and garbage stores each get a
clear line and lose nothing."""

from __future__ import annotations

import mmap
import os
import subprocess
import sys
import time

import pytest

from natoclaims.paths import index_pointer
from natoclaims.store import Store, files, read_file
from tests.conftest import add, cli


def test_a_store_given_as_a_symlink_is_written_through_the_link(empty_store, tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(empty_store)
    claim = add(text="through the link")
    assert cli("--db", str(link), "add", "--actor", "A", "--source", "https://e.org", "--", "via link").code == 0
    assert link.is_symlink() and os.readlink(link) == str(empty_store)
    assert len(read_file(empty_store)["claims"]) == 2 and claim in read_file(empty_store)["claims"]
    assert not (tmp_path / "link.json.lock").exists()  # one lock for both names
    assert Store(link).path == Store(empty_store).path


@pytest.mark.parametrize("which", ["store", "journal", "index"])
def test_a_fifo_in_place_of_a_file_is_refused_quickly_never_waited_on(empty_store, isolated, which):
    from natoclaims.paths import journal_file

    add(text="a claim")
    target = {"store": empty_store, "journal": journal_file(empty_store), "index": index_pointer(empty_store)}[which]
    target.unlink()
    os.mkfifo(target)
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "natoclaims", "search", "claim"], capture_output=True, text=True,
                          timeout=20)
    write = subprocess.run([sys.executable, "-m", "natoclaims", "add", "--actor", "A", "--source", "https://e.org",
                            "--", "another"], capture_output=True, text=True, timeout=20)
    assert time.monotonic() - started < 15
    # A search never opens the journal; every other file is refused by name (issue 23).
    for result in (proc, write) if which != "journal" else (write,):
        assert result.returncode == 1 and "not a regular file" in result.stderr, result
        assert len(result.stderr.strip().splitlines()) == 1
    assert which != "journal" or proc.returncode == 0


def restamp(store):
    """Make the index name the file's stamp as it is now, as if an edit had kept it."""
    import sqlite3

    from natoclaims.store.index import file_stamp

    database = index_pointer(store).parent / index_pointer(store).read_text().strip()
    with sqlite3.connect(database) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'stamp'", (file_stamp(store.stat()),))
        db.execute("UPDATE meta SET value = 1 WHERE key = 'settled'")


def test_an_in_place_edit_that_keeps_the_stamp_is_never_reverted_by_a_write(empty_store, monkeypatch):
    monkeypatch.setattr("natoclaims.store.index.TICK_NS", -1)  # the file counts as settled at once
    add(text="original text AAAA")
    assert cli("search", "AAAA").stdout  # indexed, with its stamp
    stat = empty_store.stat()
    with open(empty_store, "r+b") as handle, mmap.mmap(handle.fileno(), 0) as mapped:
        at = mapped.find(b"AAAA")
        mapped[at:at + 4] = b"BBBB"  # same size, through mmap: mtime and ctime may not change
    os.utime(empty_store, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    add(text="a later claim")
    texts = {c["text"] for c in read_file(empty_store)["claims"].values()}
    assert "original text BBBB" in texts and "original text AAAA" not in texts


def test_check_sees_an_in_place_edit_that_keeps_the_stamp(empty_store, monkeypatch):
    monkeypatch.setattr("natoclaims.store.index.TICK_NS", -1)  # the file counts as settled at once
    a = add(text="original text")
    assert cli("search", "original").stdout  # indexed, with its stamp
    stat = empty_store.stat()
    with open(empty_store, "r+b") as handle, mmap.mmap(handle.fileno(), 0) as mapped:
        at = mapped.find(b'"kind": "paraphrase"')
        mapped[at:at + 20] = b'"kind": "paraphrasX"'  # same size, through mmap: mtime and ctime may not change
    os.utime(empty_store, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    # Where the file system kept the stamp (here utime changed the ctime), the index still names it.
    restamp(empty_store)
    assert cli("search", "original").code == 0  # a reader trusts the stamp (the README says so)
    result = cli("check")
    assert result.code == 1 and f"{a}: unknown kind 'paraphrasX'" in result.stdout, result


def test_a_lock_that_cannot_be_taken_is_named(empty_store, monkeypatch):
    import filelock

    def refuse(self, *a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    before = empty_store.read_bytes()
    result = cli("add", "--actor", "A", "--source", "https://e.org", "--", "text")
    assert result.code == 1 and "claims.json.lock: cannot lock the store: Permission denied" in result.stderr, result
    assert "unexpected" not in result.stderr and empty_store.read_bytes() == before


def test_a_folder_that_cannot_be_written_is_named(empty_store, monkeypatch):
    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    before = empty_store.read_bytes()
    result = cli("add", "--actor", "A", "--source", "https://e.org", "--", "text")
    assert result.code == 1 and f"{empty_store.parent}: cannot write in this folder" in result.stderr, result
    assert empty_store.read_bytes() == before


@pytest.mark.parametrize("content", [b"", b"   \n", b"garbage{", b'{"claims": 3}'])
def test_init_force_replaces_a_file_that_is_not_a_store_keeping_a_backup(db, content):
    db.write_bytes(content)
    advice = cli("search")
    assert advice.code == 1
    result = cli("init", "--force", "--empty")
    assert result.code == 0 and "claims.json.bak" in result.stderr, result
    assert db.with_name("claims.json.bak").read_bytes() == content
    assert cli("check").code == 0 and read_file(db)["claims"] == {}
