"""Archived copies of sources, and the quotes anchored in them (SPEC section 8).

`archive_source` keeps a copy of what a source said (its raw bytes as a WARC file, its text and
metadata) and anchors every quote that cites it; `anchor_claim` anchors one quote as it is added
or edited; `check_quotes` tells how faithfully each quote's archived source holds it;
`current_copy` is the text and metadata of a source's current copy, for `extract` and `show`.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from natoclaims.engines.anchoring import anchor
from natoclaims.errors import DamagedArchive, InvalidInput, NotFound, UsageError
from natoclaims.formats.articles import Article, read_article
from natoclaims.model import check_source_record, utc_now
from natoclaims.model.shapes import Claim, SourceRecord
from natoclaims.model.vocabulary import Kind, Match
from natoclaims.paths import archive_folder
from natoclaims.store import Store
from natoclaims.store import archive as folder_of_copies
from natoclaims.store.files import real_folder


@dataclass(frozen=True)
class CurrentCopy:
    """A source's current archived copy: the article (text and metadata) and which copy it is."""

    article: Article
    digest: str
    archived_at: str


@dataclass
class ArchiveReport:
    """What `archive_source` did: the source, its new copy, and how each of its quotes anchored."""

    source: SourceRecord
    digest: str
    new_file: bool
    anchored: dict[str, str] = field(default_factory=dict)  # claim id -> match
    filled: dict[str, str] = field(default_factory=dict)  # the source's empty fields given by the copy -> value


@dataclass
class HttpResponse:
    """How a copy was fetched over HTTP: the status line and headers, kept in its WARC record."""

    status: str
    headers: list[tuple[str, str]]


def folder(store: Store) -> Path:
    """The archive folder of a store (the memory twin's lives in a temporary folder as long as it does)."""
    if store.path is None:
        if not hasattr(store, "memory_archive"):
            import tempfile

            store.memory_archive = tempfile.TemporaryDirectory(prefix="natoclaims-archive-")  # type: ignore[attr-defined]
        return Path(store.memory_archive.name)  # type: ignore[attr-defined]
    return archive_folder(store.path)


class Copies:
    """Archived copies read once per command, by digest (a damaged copy is remembered as such)."""

    def __init__(self, store: Store) -> None:
        self.folder = folder(store)
        self.articles: dict[str, Article | DamagedArchive] = {}

    def article(self, digest: str) -> Article:
        """The text and metadata of a copy; DamagedArchive if its file is gone or changed."""
        if digest not in self.articles:
            try:
                self.articles[digest] = verified_copy(self.folder, digest)
            except DamagedArchive as damaged:
                self.articles[digest] = damaged
        found = self.articles[digest]
        if isinstance(found, DamagedArchive):
            raise found
        return found

    def text(self, digest: str) -> str:
        """The extracted text of a copy, the one quotes are anchored in."""
        return self.article(digest).text


def verified_copy(where: Path, digest: str) -> Article:
    """A copy's article, which its WARC file's text and metadata must be what its raw bytes give:
    only the raw bytes are bound to the digest, and a branch may rewrite the other records,
    their own digests and all, to make an invented quote check exact."""
    kept = folder_of_copies.read_copy(where, digest)
    meta = kept.metadata
    media_type, url = meta.get("media_type"), meta.get("url")
    if not isinstance(media_type, str) or not isinstance(url, str | None):
        raise DamagedArchive(digest, f"{folder_of_copies.copy_path(where, digest)} holds metadata of the wrong shape")
    try:
        article = read_article(kept.raw, media_type=media_type, charset=kept.charset, url=url)
    except InvalidInput as refused:
        raise DamagedArchive(digest, f"its bytes are not an article any more ({refused})") from None
    if article.text != kept.text or _metadata(article, url) != meta:
        raise DamagedArchive(digest, f"{folder_of_copies.copy_path(where, digest)} holds a text or metadata that its "
                             "bytes do not give (changed on disk, or extracted by another trafilatura)")
    return replace(article, url=url)


def _metadata(article: Article, url: str | None) -> dict[str, Any]:
    """What a copy's metadata record holds."""
    return {"media_type": article.media_type, "title": article.title, "author": article.author,
            "site": article.site, "published": article.published, "url": url}


def current_entry(record: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The archive entry of a registered source's current copy (the latest), or None."""
    entries = (record or {}).get("archive") or []
    return entries[-1] if entries else None


def current_copy(store: Store, source: str | Mapping[str, Any]) -> CurrentCopy:
    """The text and metadata of a source's current archived copy (`source`: a reference or a record)."""
    from natoclaims.core.sources import find_source

    record = find_source(store, source) if isinstance(source, str) else source
    entry = current_entry(record)
    if entry is None:
        raise NotFound(f"source {record['id']} has no archived copy (archive_source keeps one)")
    return CurrentCopy(verified_copy(folder(store), entry["digest"]), entry["digest"], entry["archived_at"])


def archive_source(store: Store, reference: str, page: bytes | str | os.PathLike[str] | None = None, *,
                   fetch: bool = False, media_type: str | None = None, charset: str | None = None,
                   url: str | None = None, fetched: HttpResponse | None = None, at: str | None = None) -> ArchiveReport:
    """Keep a copy of a source and anchor every quote that cites it: `page` is its bytes or the path
    of a file holding them, or `fetch=True` fetches the source's URL (over http or https). `url` is
    where given bytes came from (after any redirect), `media_type` what they are if they do not say.
    Refused input leaves store and archive as they were."""
    if fetch == (page is not None):
        raise UsageError("give the page (its bytes or a file's path), or fetch=True to fetch the source's URL")
    if fetch:
        return _archive_fetched(store, reference, at=at)
    raw = page if isinstance(page, bytes) else read_page_file(page)  # type: ignore[arg-type]
    return _keep(store, reference, raw, media_type=media_type, charset=charset, url=url, fetched=fetched, at=at)


def read_page_file(path: str | os.PathLike[str]) -> bytes:
    """A file to archive as bytes; too large, a folder, a pipe or unreadable is one clear InvalidInput."""
    from natoclaims.formats.articles import MAX_BYTES
    from natoclaims.store.files import reading

    with reading(Path(path), InvalidInput, "file to archive") as handle:
        if os.fstat(handle.fileno()).st_size > MAX_BYTES:
            raise InvalidInput(f"{os.fspath(path)}: the file is larger than the {MAX_BYTES // (1024 * 1024)} MB limit "
                               "for an article")
        data: bytes = handle.read(MAX_BYTES + 1)
    return data


def _archive_fetched(store: Store, reference: str, *, at: str | None = None) -> ArchiveReport:
    """Fetch a registered source's URL and keep what came, with the response's status and headers."""
    from natoclaims.core.sources import find_source
    from natoclaims.formats.web import fetch

    url = find_source(store, reference)["url"]
    if url is None:
        raise UsageError(f"source {reference} has no URL to fetch; give its page")
    page = fetch(url)
    return _keep(store, reference, page.raw, media_type=page.media_type, charset=page.charset, url=page.url,
                 fetched=HttpResponse(page.status, kept_headers(page.headers, len(page.raw))), at=at)


def kept_headers(headers: list[tuple[str, str]], length: int) -> list[tuple[str, str]]:
    """The response headers as the WARC record keeps them: the body is stored whole and decoded."""
    dropped = {"transfer-encoding", "content-length", "content-encoding"}
    return [(k, v) for k, v in headers if k.lower() not in dropped] + [("Content-Length", str(length))]


def _keep(store: Store, reference: str, raw: bytes, *, media_type: str | None = None,
          charset: str | None = None, url: str | None = None, fetched: HttpResponse | None = None,
          at: str | None = None) -> ArchiveReport:
    """`archive_source` once the page's bytes are here."""
    from natoclaims.core.sources import find_source, update_source

    at = at or utc_now()
    where = folder(store)
    real_folder(where, "archive folder")  # before anything is undone under it
    made_folder = not os.path.lexists(where)
    digest = folder_of_copies.digest_of(raw)
    new_file = not os.path.lexists(folder_of_copies.copy_path(where, digest))  # a link there is not ours to remove
    try:
        with store.writing():
            record: dict[str, Any] = dict(find_source(store, reference))
            final_url = url or record["url"]
            article = read_article(raw, media_type=media_type, charset=charset, url=final_url)
            folder_of_copies.keep(where, raw, text=article.text, metadata=_metadata(article, final_url), url=final_url, at=at,
                                  status=fetched.status if fetched else None,
                                  headers=fetched.headers if fetched else None)
            # Bytes kept before keep the text extracted then, which their copy must hold.
            text = article.text if new_file else verified_copy(where, digest).text
            filled = _fill_from_copy(record, article)
            current = current_entry(record)
            if current is not None and current["digest"] == digest:  # the current copy already
                if filled:
                    update_source(store, check_source_record(record))
                return ArchiveReport(cast(SourceRecord, record), digest, new_file=False,  # the registry's record
                                     anchored=_anchor_cited(store, record["id"], text), filled=filled)
            entry = {"digest": digest, "media_type": article.media_type, "archived_at": at, "url": final_url,
                     "title": article.title, "author": article.author, "site": article.site,
                     "published": article.published}
            record["archive"] = [*(record.get("archive") or []), entry]
            checked = check_source_record(record)
            update_source(store, checked)
            anchored = _anchor_cited(store, checked["id"], text)
    except BaseException:
        # The store was not written: the archive folder goes back to what it was.
        if new_file:
            folder_of_copies.copy_path(where, digest).unlink(missing_ok=True)
        if made_folder and where.is_dir() and not any(where.iterdir()):
            where.rmdir()
        raise
    return ArchiveReport(checked, digest, new_file, anchored, filled)


def _fill_from_copy(record: dict[str, Any], article: Article) -> dict[str, str]:
    """Give a source the title and published date its copy names where it has none (what a
    person typed is kept); the fields filled. A date a source cannot hold (in the future) is left out."""
    filled = {}
    for name, value in (("title", article.title), ("published", article.published)):
        if record.get(name) is not None or not value:
            continue
        try:
            record[name] = filled[name] = cast("dict[str, Any]", check_source_record({**record, name: value}))[name]
        except InvalidInput:
            continue
    return filled


def reanchor(store: Store, source_ids: Iterable[str]) -> None:
    """Find the quotes citing these sources again in their current copies (after an import brought newer ones)."""
    copies = Copies(store)
    for source_id in source_ids:
        entry = current_entry(store.sources.get(source_id))
        if entry is None:
            continue
        try:
            text = copies.text(entry["digest"])
        except DamagedArchive as damaged:
            store.warnings.append(f"quotes citing source {source_id} are not anchored: {damaged}")
            continue
        _anchor_cited(store, source_id, text)


def _anchor_cited(store: Store, source_id: str, text: str) -> dict[str, str]:
    """Anchor (again) every quote that shows this source in its new text; claim id -> match."""
    results: dict[str, str] = {}
    changed = []
    for claim in store.claims.values():
        if claim["kind"] != Kind.quote or not any(s["id"] == source_id for s in claim["sources"]):
            continue
        claim = copy.deepcopy(claim)
        for entry in _entries(claim):
            if entry["id"] == source_id:
                results[claim["id"]] = _set_selector(entry, claim["text"], text)
        changed.append(claim)
    store.replace_claims(changed)
    return results


def _set_selector(entry: dict[str, Any], quote: str, text: str) -> str:
    """Anchor a quote in one source's text, in its source entry; what cannot be found loses its selector."""
    found = anchor(quote, text, entry.get("selector"))
    if found.selector is None:
        entry.pop("selector", None)
    else:
        entry["selector"] = found.selector
    return found.match


def _entries(claim: Claim) -> list[dict[str, Any]]:
    """A claim's source entries as dicts: an anchored quote's carries a `selector`, a key `Source` does not name."""
    return cast("list[dict[str, Any]]", claim["sources"])


def anchor_claim(store: Store, claim: Claim) -> None:
    """Anchor a quote (being added or edited) in the current copy of each of its archived sources;
    a claim of another kind carries no selectors. A damaged copy leaves the quote unanchored there."""
    copies = Copies(store)
    for entry in _entries(claim):
        current = current_entry(store.sources.get(entry["id"] or ""))
        if claim["kind"] != Kind.quote or current is None:
            entry.pop("selector", None)
            continue
        try:
            _set_selector(entry, claim["text"], copies.text(current["digest"]))
        except DamagedArchive as damaged:
            entry.pop("selector", None)
            store.warnings.append(f"{damaged}; the quote is not anchored in source {entry['id']}")


def check_quotes(store: Store, claims: Iterable[Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Every quote checked against the current archived copy of each of its sources: one row per
    quote and archived source (`match` exact, normalised, altered, missing, or `damaged` when the
    copy's file is gone or changed), or one `unarchived` row for a quote with no archived source."""
    copies = Copies(store)
    rows = []
    for claim in sorted(claims if claims is not None else store.claims.values(), key=lambda c: c["id"]):
        if claim["kind"] != Kind.quote:
            continue
        entries = [(s, current_entry(store.sources.get(s["id"] or ""))) for s in claim["sources"]]
        archived = [(s, entry) for s, entry in entries if entry is not None]
        if not archived:
            rows.append(_row(claim, claim["sources"][0], Match.unarchived))
            continue
        for source, entry in archived:
            try:
                text = copies.text(entry["digest"])
            except DamagedArchive as damaged:
                rows.append({**_row(claim, source, "damaged"), "archive": entry["digest"], "problem": str(damaged)})
                continue
            found = anchor(claim["text"], text, source.get("selector"))
            row = _row(claim, source, found.match, found.selector)
            row["archive"] = entry["digest"]
            if found.match == Match.altered:
                row["found"] = found.found
            rows.append(row)
    return rows


def _row(claim: Mapping[str, Any], source: Mapping[str, Any], match: str, selector: dict[str, Any] | None = None
         ) -> dict[str, Any]:
    return {"id": claim["id"], "source": source["id"], "match": str(match), "selector": selector,
            "text": claim["text"], "archive": None}


def damaged_copies(store: Store) -> list[str]:
    """A problem line for each archived copy whose file is gone or changed (for `check`)."""
    copies = Copies(store)
    problems = []
    for record in sorted(store.sources.values(), key=lambda r: r["id"]):
        for entry in record.get("archive") or []:
            try:
                copies.text(entry["digest"])
            except DamagedArchive as damaged:
                problems.append(f"source {record['id']}: {damaged}")
    return problems


def copy_archives(store: Store, sources: Iterable[dict[str, Any]], origin: Path) -> None:
    """Bring the archived copies these sources name from another store's archive folder."""
    digests = {entry["digest"] for record in sources for entry in (record.get("archive") or [])
               if isinstance(entry, dict) and isinstance(entry.get("digest"), str)}
    for digest in sorted(digests):
        try:
            folder_of_copies.copy_files(origin, folder(store), {digest})
        except DamagedArchive as damaged:
            store.warnings.append(f"not brought along: {damaged}")
