"""The archive as a library: `archive_source`, `current_copy`, `check_quotes` on the memory twin and on files."""

from __future__ import annotations

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput, NotFound
from natoclaims.formats.web import fetch

TEXT = "Rutte said on Tuesday: \u201cWe will defend every inch of allied territory.\u201d Then he left."


def test_current_copy_gives_the_article_and_which_copy(memory_store):
    source = core.add_source(memory_store, "https://example.com/a", title="A").source["id"]
    with pytest.raises(NotFound, match="no archived copy"):
        core.current_copy(memory_store, source)
    first = core.archive_source(memory_store, source, TEXT.encode(), at="2026-11-20T00:00:00Z")
    second = core.archive_source(memory_store, source, ("Update.\n\n" + TEXT).encode(), at="2026-11-21T00:00:00Z")
    current = core.current_copy(memory_store, source)
    assert current.digest == second.digest != first.digest
    assert current.archived_at == "2026-11-21T00:00:00Z"
    assert current.article.text.startswith("Update.") and current.article.media_type == "text/plain"
    assert current.article.url == "https://example.com/a"
    assert [c["digest"] for c in memory_store.sources[source]["archive"]] == [first.digest, second.digest]


def test_quotes_are_anchored_as_added_and_checked(memory_store):
    source = core.add_source(memory_store, "https://example.com/a").source["id"]
    core.archive_source(memory_store, source, TEXT.encode())
    quote = core.add_claim(memory_store, "We will defend every inch of allied territory", actor="Mark Rutte", kind="quote",
                           sources=[source]).claim
    paraphrase = core.add_claim(memory_store, "Rutte promised to defend allied territory", actor="Mark Rutte",
                                sources=[source]).claim
    assert quote["sources"][0]["selector"]["start"] == len("Rutte said on Tuesday: \u201c")
    assert "selector" not in paraphrase["sources"][0]
    rows = core.check_quotes(memory_store)
    assert [(r["id"], r["match"]) for r in rows] == [(quote["id"], "exact")]


def test_a_refused_article_leaves_the_source_unarchived(memory_store):
    source = core.add_source(memory_store, "https://example.com/a").source["id"]
    with pytest.raises(InvalidInput, match="PDF"):
        core.archive_source(memory_store, source, b"%PDF-1.4 ...")
    assert memory_store.sources[source]["archive"] is None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://example.com/x"])
def test_fetch_takes_http_and_https_only(url):
    with pytest.raises(InvalidInput):
        fetch(url)
