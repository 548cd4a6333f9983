"""From article to claims (SPEC 10): read an article, propose candidate claims, import the accepted ones.

`extract_candidates(store, article)` is what `natoclaims extract` shows; `claim_record()` turns a
candidate into an import-ready claim record; `import_candidates()` adds accepted candidates as one
change set, each marked in its history as extracted.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from natoclaims.core.interchange import ImportReport, import_claims
from natoclaims.engines.extract import Candidate, find_candidates
from natoclaims.errors import InvalidInput
from natoclaims.formats.articles import HTML, Article, read_article
from natoclaims.model import SOURCE_FIELDS, check_url, history_entry, utc_now
from natoclaims.model.dates import check_date
from natoclaims.store import Store

SELECTORS_KNOWN = "selector" in SOURCE_FIELDS
"""Whether this store model takes a quote's `selector` in its source entry (SPEC 8): when not, the
jsonl that `extract` writes leaves it out, so that `import` (which refuses unknown fields) takes it."""

MIN_PAGE_WORDS = 5
"""A page whose main text is shorter than this holds no article (what is left is a menu or a title)."""


def article_from_bytes(data: bytes, *, url: str | None = None, published: str | None = None,
                       media_type: str | None = None) -> Article:
    """The article in a file's or stdin's bytes; `url` and `published` describe it where the page does not."""
    if url is not None:
        url = check_url(url)
    if published is not None:
        published = check_date(published, "--published")
    article = read_article(data, media_type=media_type, url=url)
    # read_article keeps what text a page has (a menu, a footer) when no article was found in it
    if len(article.text.split()) < (MIN_PAGE_WORDS if article.media_type == HTML else 1):
        raise InvalidInput("no article text found in it (an empty page, or one whose main text could not be found)")
    return replace(article, url=url or article.url, published=published or article.published)


def archived_article(store: Store, reference: str) -> Article:
    """The current archived copy of a registered source (id, unique prefix or URL) as an article."""
    from natoclaims.core.archive import current_copy

    return current_copy(store, reference).article


def topics_in_use(store: Store) -> list[str]:
    """The topic slugs the store's claims use."""
    return sorted({topic for claim in store.claims.values() for topic in claim.get("topics", ())})


def extract_candidates(store: Store | None, article: Article, *, min_confidence: float = 0.0) -> list[Candidate]:
    """The claims an article proposes, names resolved through the store's actors, most likely first within
    the article's order; those below `min_confidence` left out."""
    actors = store.actors if store is not None else {}
    topics = topics_in_use(store) if store is not None else []
    found = find_candidates(article.text, published=article.published, actors=actors, topics_in_use=topics)
    return [c for c in found if c.confidence >= min_confidence]


def article_source(article: Article) -> dict[str, Any]:
    """The source entry of a claim drawn from this article (at least a URL or a title)."""
    title = article.title
    if article.url is None and title is None:
        title = " ".join(article.text.split(maxsplit=12)[:12]) + " ..."  # not the whole text, once a candidate
    return {"url": article.url, "title": title, "outlet": article.site, "published": article.published}


def claim_record(candidate: Candidate, article: Article, *, selectors: bool = SELECTORS_KNOWN) -> dict[str, Any]:
    """An import-ready claim record (SPEC 1 fields only) for one candidate."""
    source = article_source(article)
    if selectors and candidate.selector is not None:
        source["selector"] = candidate.selector
    return {"text": candidate.text, "kind": candidate.kind, "actor": candidate.actor, "said_on": candidate.said_on,
            "context": candidate.context, "topics": candidate.topics, "quantities": candidate.quantities,
            "sources": [source]}


def import_candidates(store: Store, candidates: list[Candidate], article: Article, *,
                      on_duplicate: str = "skip") -> ImportReport:
    """Add the accepted candidates as claims, in one change set, each marked in its history as extracted."""
    now = utc_now()
    records = []
    for number, candidate in enumerate(candidates, start=1):
        record = claim_record(candidate, article)
        where = article.url or article.title or "the article"
        record["history"] = [history_entry("origin", None, "extracted", by=store.user, at=now,
                                           note=f"extracted from {where} ({candidate.cue}, confidence {candidate.confidence})")]
        records.append((f"candidate {number}", record))
    return import_claims(store, records, on_duplicate=on_duplicate)
