"""The library call behind `extract`: article bytes and the store's actors in, candidates and claims out."""

from __future__ import annotations

import pytest

from natoclaims import core, open_store, undo
from natoclaims.core.extract import SELECTORS_KNOWN
from natoclaims.errors import InvalidInput, NotFound
from natoclaims.model import FIELDS, SOURCE_FIELDS

PAGE = b"""<html><head><title>Hegseth in Brussels</title></head><body><article>
<h1>Hegseth in Brussels</h1>
<p>NATO allies cannot rely on the United States to defend them, U.S. Defense Secretary Pete Hegseth said on Thursday
as ministers met in Brussels to discuss the new spending target for the alliance and its members.</p>
<p>"It cannot and will not be reliance on America," the Pentagon chief told reporters after the meeting ended.</p>
<p>"The United States is proud to be here," Hegseth added, before leaving for the airport with his delegation.</p>
</article></body></html>"""


@pytest.fixture
def hegseth_store(tmp_path):
    """A store file with Pete Hegseth (alias Hegseth) in its actors table."""
    store = open_store(tmp_path / "claims.json", user="ana")
    core.add_actor(store, "Pete Hegseth", ["Hegseth"], "US Secretary of Defense")
    return store


def test_candidates_resolve_names_and_titles_through_the_actor_table(hegseth_store):
    article = core.article_from_bytes(PAGE, url="https://example.org/hegseth", published="2025-06-06")
    candidates = core.extract_candidates(hegseth_store, article)
    assert [(c.actor, c.text, c.said_on) for c in candidates if c.kind == "quote"] == [
        ("Pete Hegseth", "It cannot and will not be reliance on America", "2025-06-06"),
        ("Pete Hegseth", "The United States is proud to be here", "2025-06-06")]
    assert core.extract_candidates(hegseth_store, article, min_confidence=0.99) == []


def test_a_record_has_only_claim_fields_and_a_selector_only_when_the_model_knows_it(hegseth_store):
    article = core.article_from_bytes(PAGE, url="https://example.org/hegseth", published="2025-06-06")
    candidate = core.extract_candidates(hegseth_store, article)[0]
    record = core.claim_record(candidate, article)
    assert set(record) <= set(FIELDS) and set(record["sources"][0]) <= set(SOURCE_FIELDS)
    assert ("selector" in record["sources"][0]) == SELECTORS_KNOWN == ("selector" in SOURCE_FIELDS)
    anchored = core.claim_record(candidate, article, selectors=True)["sources"][0]["selector"]
    assert article.text[anchored["start"]:anchored["end"]] == anchored["exact"] == candidate.text


def test_accepted_candidates_are_one_change_set_marked_as_extracted(hegseth_store):
    article = core.article_from_bytes(PAGE, url="https://example.org/hegseth")
    candidates = core.extract_candidates(hegseth_store, article)
    before = len(hegseth_store.journal.entries()[0])
    report = core.import_candidates(hegseth_store, candidates[:2], article)
    assert len(report.added) == 2 and len(hegseth_store.journal.entries()[0]) == before + 1
    for claim_id in report.added:
        claim = hegseth_store.claims[claim_id]
        assert claim["history"][0]["new"] == "extracted" and "example.org/hegseth" in claim["history"][0]["note"]
        assert claim["sources"][0]["url"] == "https://example.org/hegseth"
    again = core.import_candidates(hegseth_store, candidates[:2], article)
    assert again.added == [] and len(again.skipped) == 2
    undo(hegseth_store)
    assert not set(report.added) & set(hegseth_store.claims)


def test_a_source_without_an_archived_copy_is_named(hegseth_store):
    core.add_source(hegseth_store, "https://example.org/hegseth")
    source_id = next(iter(hegseth_store.sources))
    with pytest.raises(NotFound, match=f"source {source_id} has no archived copy .archive_source keeps one."):
        core.archived_article(hegseth_store, "https://example.org/hegseth")


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"), (b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG"), (b"<html><body><nav>menu</nav></body></html>", "text"),
])
def test_bad_articles_are_refused(data, reason):
    with pytest.raises(InvalidInput, match=reason):
        core.article_from_bytes(data)


def test_bad_descriptions_are_refused():
    with pytest.raises(InvalidInput):
        core.article_from_bytes(b"Some text.", url="ftp://example.org/x")
    with pytest.raises(InvalidInput):
        core.article_from_bytes(b"Some text.", published="next tuesdayish")
