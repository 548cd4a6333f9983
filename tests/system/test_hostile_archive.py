"""A teammate's branch is untrusted input (issue 23): archived copies committed as links, pipes or
forged WARC files, read by the installed `natoclaims` in subprocesses that must end."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_archive import EXACT, PAGE, snapshot
from tests.conftest import assert_refused, run


@pytest.fixture
def archived(empty_store: Path, tmp_path: Path) -> tuple[str, str, Path]:
    """A source with one quote and its archived copy: (source id, the copy's digest, the page file)."""
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    source = run("source", "add", "https://news.example.com/rutte-troops").stdout.strip()
    assert run("add", "--kind", "quote", "--actor", "Mark Rutte", "--source", source, "--", EXACT).code == 0
    result = run("source", "archive", source, str(page))
    assert result.code == 0, result
    return source, result.stdout.strip(), page


def replace_copy(store: Path, digest: str, make: Callable[[Path], object]) -> None:
    path = store.with_name("claims.json.archive") / f"{digest}.warc.gz"
    path.unlink()
    make(path)


def entries(store: Path) -> dict[Path, object]:
    """The store and journal byte for byte, and what each archive entry is (a FIFO is never read)."""
    files: dict[Path, object] = {p: p.read_bytes() for p in (store, store.with_name(store.name + ".journal"))
                                 if p.exists()}
    for path in store.with_name(store.name + ".archive").iterdir():
        files[path] = os.readlink(path) if path.is_symlink() else path.read_bytes() if path.is_file() else "not a file"
    return files


HOSTILE = {
    "link to /dev/zero": (lambda path: path.symlink_to("/dev/zero"), "symbolic link"),
    "FIFO": (lambda path: os.mkfifo(path), "pipe, device or socket"),
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_copy_committed_as_a_link_or_a_pipe_is_damaged_and_every_command_ends(archived, empty_store, kind):
    source, digest, page = archived
    make, reason = HOSTILE[kind]
    replace_copy(empty_store, digest, make)
    before = entries(empty_store)

    checked = run("check")
    assert checked.code == 1 and "Traceback" not in checked.stderr
    (problem,) = checked.stdout.splitlines()
    assert f"archived copy {digest} is damaged" in problem and reason in problem
    quotes = run("check", "--quotes", "--format", "json")
    assert quotes.code == 1 and [row["match"] for row in quotes.json()] == ["damaged"]
    assert_refused(run("extract", source), reason)
    assert_refused(run("source", "archive", source, str(page)), reason)
    assert entries(empty_store) == before


def test_an_archive_folder_committed_as_a_plain_file_is_named_by_every_command(archived, empty_store):
    """Issue 23.2: each command that reads or writes the archive says the folder is a file, not that a copy is missing."""
    source, digest, page = archived
    folder = empty_store.with_name("claims.json.archive")
    for copy in folder.iterdir():
        copy.unlink()
    folder.rmdir()
    folder.write_text("junk\n")
    def files() -> dict[Path, bytes]:
        return {p: p.read_bytes() for p in empty_store.parent.iterdir() if p.is_file()}

    before = files()
    reason = "claims.json.archive: is not a folder"

    checked = run("check")
    assert checked.code == 1 and reason in checked.stdout and "missing" not in checked.stdout, checked
    quotes = run("check", "--quotes")
    assert quotes.code == 1 and reason in quotes.stderr and "missing" not in quotes.stderr, quotes
    assert_refused(run("extract", source), reason)
    assert_refused(run("source", "archive", source, str(page)), reason)
    assert files() == before


def test_an_archive_folder_committed_as_a_link_is_never_written_through(empty_store, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    empty_store.with_name("claims.json.archive").symlink_to(outside)
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    source = run("source", "add", "https://news.example.com/rutte-troops").stdout.strip()
    before = snapshot(empty_store)
    assert_refused(run("source", "archive", source, str(page)), "is a symbolic link")
    assert list(outside.iterdir()) == []
    assert snapshot(empty_store) == before


def test_a_link_under_a_new_copy_s_name_is_neither_followed_nor_removed(empty_store, tmp_path):
    """A branch may commit the link where the next copy will go: the copy is made O_EXCL or not at all."""
    from natoclaims.store.archive import digest_of

    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    target = tmp_path / "bashrc"
    target.write_text("echo hello\n")
    folder = empty_store.with_name("claims.json.archive")
    folder.mkdir()
    link = folder / f"{digest_of(PAGE.encode())}.warc.gz"
    link.symlink_to(target)
    source = run("source", "add", "https://news.example.com/rutte-troops").stdout.strip()
    assert_refused(run("source", "archive", source, str(page)), "is a symbolic link")
    assert target.read_text() == "echo hello\n" and os.readlink(link) == str(target)
