"""From article to claims (SPEC 10): read an article, propose candidate claims, import the accepted ones.

`extract_candidates(store, article)` is what `natoclaims extract` shows; `claim_record()` turns a
candidate into an import-ready claim record; `import_candidates()` adds accepted candidates as one
change set, each marked in its history as extracted.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from natoclaims.core.interchange import ImportReport, import_claims
from natoclaims.engines.extract import Candidate, find_candidates
from natoclaims.errors import InvalidInput, NotFound, UsageError
from natoclaims.formats.articles import HTML, Article, read_article
from natoclaims.model import KINDS, SOURCE_FIELDS, check_url, choice, history_entry, utc_now
from natoclaims.model.dates import check_date
from natoclaims.store import Store

SELECTORS_KNOWN = "selector" in SOURCE_FIELDS
"""Whether this store model takes a quote's `selector` in its source entry (SPEC 8): when not, the
jsonl that `extract` writes leaves it out, so that `import` (which refuses unknown fields) takes it."""

PUBLISHED = "published date"  # what a wrong `published` is called in an error
SOURCE_HAS_ITS_OWN = "url and published describe bytes, a file or a fetched page; a registered source has its own"
__all__ = ["Article", "Candidate", "archived_article", "article_from", "article_from_bytes", "candidate_date",
           "candidate_kind", "claim_record", "extract_candidates", "import_candidates", "read_article_file",
           "write_candidates"]

MIN_PAGE_WORDS = 5
"""A page whose main text is shorter than this holds no article (what is left is a menu or a title)."""


def article_from_bytes(data: bytes, *, url: str | None = None, published: str | None = None,
                       media_type: str | None = None, charset: str | None = None) -> Article:
    """The article in a file's or stdin's bytes; `url` and `published` describe it where the page does not."""
    if url is not None:
        url = check_url(url)
    if published is not None:
        published = check_date(published, PUBLISHED)
    article = read_article(data, media_type=media_type, charset=charset, url=url)
    # read_article keeps what text a page has (a menu, a footer) when no article was found in it
    if len(article.text.split()) < (MIN_PAGE_WORDS if article.media_type == HTML else 1):
        raise InvalidInput("no article text found in it (an empty page, or one whose main text could not be found)")
    return replace(article, url=url or article.url, published=published or article.published)


def read_article_file(path: str | os.PathLike[str]) -> bytes:
    """A file's bytes (at most the article limit and one more); each way of failing to read it is one clear InvalidInput."""
    from natoclaims.formats.articles import MAX_BYTES
    from natoclaims.store.files import reading

    with reading(Path(path), InvalidInput, "article file") as handle:
        data: bytes = handle.read(MAX_BYTES + 1)
    return data


def article_from(store: Store | None, article: bytes | str | os.PathLike[str], *, url: str | None = None,
                 published: str | None = None, fetch: bool = False, media_type: str | None = None) -> Article:
    """The article to extract from: its bytes; a file's path; with `fetch=True` a URL, fetched (http or
    https); else a registered source of `store` (id, unique prefix or URL) with an archived copy.
    `url` and `published` describe bytes, a file or a fetched page where it does not say."""
    if isinstance(article, bytes):
        return article_from_bytes(article, url=url, published=published, media_type=media_type)
    if fetch:
        from natoclaims.formats.web import fetch as fetch_page

        page = fetch_page(os.fspath(article))
        return article_from_bytes(page.raw, url=url or page.url, published=published,
                                  media_type=media_type or page.media_type, charset=page.charset)
    if isinstance(article, os.PathLike) or Path(article).exists() or Path(article).is_symlink():
        return article_from_bytes(read_article_file(article), url=url, published=published, media_type=media_type)
    from natoclaims.core.sources import find_source

    try:
        if store is None:
            raise NotFound(article)
        source = find_source(store, article)
    except (NotFound, InvalidInput):
        raise NotFound(f"{article}: no such file, and no registered source by that id or URL") from None
    if url is not None or published is not None:
        raise UsageError(SOURCE_HAS_ITS_OWN)
    return archived_article(store, source["id"])


def candidate_kind(value: str) -> str:
    """A candidate's kind as given (quote, paraphrase, figure ...), checked."""
    return str(choice(value, KINDS, "kind"))


def candidate_date(value: str) -> str | None:
    """When a candidate was said, as given (blank: unknown), checked and in ISO form."""
    return check_date(value.strip(), "date") if value.strip() else None


def write_candidates(candidates: list[Candidate], article: Article, out: TextIO, fmt: str = "jsonl") -> None:
    """The candidates as import-ready claim records (jsonl, what `import_file` takes), or as records with
    their confidence, cue and quote selectors (json)."""
    from natoclaims.formats.writers import write_json, write_jsonl

    if fmt == "jsonl":
        write_jsonl([claim_record(c, article) for c in candidates], out)
    elif fmt == "json":
        write_json([{"confidence": c.confidence, "cue": c.cue, **claim_record(c, article, selectors=True)}
                    for c in candidates], out)
    else:
        raise InvalidInput(f"candidates are written as json or jsonl, not {fmt!r}")


def archived_article(store: Store, reference: str) -> Article:
    """The current archived copy of a registered source (id, unique prefix or URL) as an article."""
    from natoclaims.core.archive import current_copy

    return current_copy(store, reference).article


def topics_in_use(store: Store) -> list[str]:
    """The topic slugs the store's claims use."""
    return sorted({topic for claim in store.claims.values() for topic in claim.get("topics", ())})


def extract_candidates(store: Store | None, article: Article | bytes | str | os.PathLike[str], *,
                       min_confidence: float = 0.0, fetch: bool = False) -> list[Candidate]:
    """The claims an article proposes, names resolved through the store's actors, most likely first within
    the article's order; those below `min_confidence` left out. `article` is an Article, or what
    `article_from` reads one from (bytes, a file's path, a URL with `fetch=True`, a registered source);
    keep the Article (`article_from`) to import the accepted candidates with `import_candidates`."""
    if not isinstance(article, Article):
        article = article_from(store, article, fetch=fetch)
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
