"""The archive beside a store file through the library: archive_source writes the copy, check_quotes
and damaged_copies read it back, and a changed copy is named by every reader."""

from __future__ import annotations

import pytest

from natoclaims import core
from natoclaims.errors import DamagedArchive
from natoclaims.store import Store

TEXT = "Rutte said on Tuesday: \u201cWe will defend every inch of allied territory.\u201d Then he left."
QUOTE = "We will defend every inch of allied territory"


@pytest.fixture
def archived(file_store: Store) -> tuple[Store, str, str]:
    """A store file with a source archived beside it; the source's id and the copy's digest."""
    source = core.add_source(file_store, "https://example.com/a").source["id"]
    done = core.archive_source(file_store, source, TEXT.encode())
    return file_store, source, done.digest


def copy_file(store: Store, digest: str):
    (found,) = [p for p in store.path.with_name(store.path.name + ".archive").iterdir() if p.name.startswith(digest)]
    return found


def test_archive_source_writes_one_file_named_by_its_digest(archived):
    store, source, digest = archived
    assert copy_file(store, digest).name == f"{digest}.warc.gz"
    assert [c["digest"] for c in store.sources[source]["archive"]] == [digest]
    again = core.archive_source(store, source, TEXT.encode())
    assert again.digest == digest and not again.new_file


def test_check_quotes_says_which_quote_is_exact_and_which_altered(archived):
    store, source, _ = archived
    exact = core.add_claim(store, QUOTE, actor="Mark Rutte", kind="quote", sources=[source]).claim["id"]
    altered = core.add_claim(store, "We will never leave", actor="Mark Rutte", kind="quote", sources=[source]).claim["id"]
    rows = {row["id"]: row for row in core.check_quotes(store)}
    assert rows[exact]["match"] == "exact" and rows[exact]["selector"]["exact"] == QUOTE
    assert rows[altered]["match"] == "altered" and rows[altered]["found"] == "We will"


def test_a_copy_changed_on_disk_is_damaged_for_check_and_every_reader(archived):
    store, source, digest = archived
    assert core.damaged_copies(store) == [] and core.check_store(store) == []
    copy_file(store, digest).write_bytes(b"garbage")
    reread = Store(store.path)
    (problem,) = core.damaged_copies(reread)
    assert problem.startswith(f"source {source}: archived copy {digest} is damaged")
    assert core.check_store(reread) == [problem]
    with pytest.raises(DamagedArchive, match="is not a readable WARC file"):
        core.current_copy(reread, source)
