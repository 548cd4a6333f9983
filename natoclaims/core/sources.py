"""Sources: registered once (a URL names one source), then referred to by id or URL.

A claim carries each of its sources as the registered source's id with the details inline
(appearances); a review carries its evidence the same way. Editing a registered source updates
every copy, so the inline details always equal the registry's.
"""

from __future__ import annotations

import copy
import re
from collections import ChainMap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from natoclaims.errors import InvalidInput, NotFound
from natoclaims.model import (
    MIN_PREFIX,
    SOURCE_FIELDS,
    SOURCE_TYPES,
    check_source,
    check_source_record,
    check_url,
    choice,
    new_id,
    normalise_url,
    text_field,
    utc_now,
)
from natoclaims.model.shapes import Source, SourceRecord
from natoclaims.model.text import counted
from natoclaims.model.vocabulary import SourceType
from natoclaims.store import Store
from natoclaims.store.upgrade import source_key

ID_PREFIX_RE = re.compile(r"[a-z][a-z0-9]*")


@dataclass
class Registration:
    """A source after `add_source`: its record, and whether it was there already."""

    source: SourceRecord
    existed: bool


def inline(record: Mapping[str, Any]) -> Source:
    """A registered source as a claim or review carries it."""
    return cast(Source, {field: record[field] for field in SOURCE_FIELDS})


def anchored(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The selector of an anchored quote's source entry, as a dict to merge (empty if none)."""
    return {"selector": entry["selector"]} if entry.get("selector") is not None else {}


class Registry:
    """The sources table as one command changes it: found by id, prefix or URL; new sources kept
    until `save` adds them in one go (an import registers thousands)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.keys: dict[str, str] = {}  # source key -> id: those registered here (every one, without an index)
        self.all_keys = not store.narrows
        if self.all_keys:
            self.keys = {source_key(record): source_id for source_id, record in store.sources.items()}
        self.added: dict[str, SourceRecord] = {}

    def by_key(self, key: str) -> str | None:
        """The id of the source with this key (`source_key`), registered here or before."""
        return self.keys.get(key) if self.all_keys or key in self.keys else self.store.source_by_key(key)

    def get(self, source_id: str | None) -> SourceRecord | None:
        """A registered source (new in this command or not) by its exact id."""
        return (self.added.get(source_id) or self.store.sources.get(source_id)) if source_id else None

    def find(self, reference: str) -> SourceRecord:
        """The registered source a reference names: its id, a unique id prefix (>= 4 characters) or its URL."""
        reference = reference.strip()
        if not _is_id(reference):
            known = self.get(self.by_key(normalise_url(check_url(reference))))
            if known is None:
                raise NotFound(f"no source with the URL {reference!r} (register it with add_source)")
            return known
        wanted = reference.lower()
        ids = [*self.store.sources, *self.added]
        matches = [wanted] if self.get(wanted) else [i for i in ids if i.startswith(wanted)] if len(wanted) >= MIN_PREFIX else []
        if len(matches) != 1:
            reason = "is ambiguous" if matches else "matches no source"
            raise NotFound(f"source {reference!r} {reason} (give a source id, a prefix of >= {MIN_PREFIX} "
                           "characters, or a URL)")
        return self.get(matches[0])  # type: ignore[return-value]

    def register(self, source: Mapping[str, Any], *, kind: str | None = None, fill: bool = True) -> SourceRecord:
        """The registered source for a source object: found by id or URL (with `fill`, details it
        gives that the record lacks are added), else registered with its `type` (else `kind`,
        else article) and its `archive`."""
        source = dict(source)
        kind = source.pop("type", None) or kind
        archive = source.pop("archive", None)
        source.pop("selector", None)  # a quote's anchor belongs to its claim, not to the source
        source = check_source(source)
        known = self.get(source["id"])
        if known is None or source_key(known) != source_key(source):
            known = self.get(self.by_key(source_key(source)))
        if known is None:
            taken = source["id"] is None or self.get(source["id"]) is not None
            # Both tables, looked up where they are: a set of them per new source made an import quadratic.
            source_id = new_id(ChainMap(self.added, self.store.sources)) if taken else source["id"]
            record = check_source_record({**source, "id": source_id, "type": kind or SourceType.article,
                                          "archive": archive})
            self.added[source_id] = record
            self.keys[source_key(record)] = source_id
            return record
        missing = {f: source[f] for f in ("title", "outlet", "published") if known[f] is None and source[f] is not None}
        kept = [f for f in ("title", "outlet", "published") if source[f] not in (None, known[f]) and f not in missing]
        kept += ["type"] if kind and kind != known["type"] else []
        if fill and kept:  # typed once: a different detail given again is not used, but said
            self.store.warnings.append(f"source {known['id']} is registered with another {' and '.join(kept)}, kept "
                                       f"as registered (edit_source changes it)")
        if fill and missing and known["id"] not in self.added:
            known = cast(SourceRecord, {**known, **missing})
            update_source(self.store, known)
        copies = _new_copies(known, archive)
        if copies:  # another store's archived copies of this source join ours, the latest current
            known = check_source_record({**known, "archive": copies})
            if known["id"] in self.added:
                self.added[known["id"]] = known
            else:
                update_source(self.store, known)
        return known

    def resolve(self, reference: str | dict[str, Any]) -> SourceRecord:
        """A source given on the command line or by a caller: a URL (registered if new), a source id
        or prefix, or a source object."""
        if isinstance(reference, dict):
            return self.register(reference)
        if _is_id(reference):
            return self.find(reference)
        return self.register({"url": reference})

    def save(self) -> None:
        """Add the new sources to the store (inside `store.writing()`)."""
        self.store.tables.insert("sources", list(self.added.values()), key="id")
        self.added = {}


def _new_copies(known: Mapping[str, Any], archive: Any) -> list[dict[str, Any]] | None:
    """The archive of a known source with the copies another record of it names and it lacks, in
    the order they were made (None when there are none to add)."""
    if not isinstance(archive, list):
        return None
    have = {entry["digest"] for entry in known.get("archive") or []}
    extra = [e for e in archive if isinstance(e, dict) and e.get("digest") not in have]
    if not extra:
        return None
    return sorted([*(known.get("archive") or []), *extra], key=lambda e: str(e.get("archived_at")))


def _is_id(reference: str) -> bool:
    """Whether a reference is a source id or a prefix of one, rather than a URL."""
    return ID_PREFIX_RE.fullmatch(reference.strip().lower()) is not None


def find_source(store: Store, reference: str) -> SourceRecord:
    """The registered source a reference names: its id, a unique id prefix (>= 4 characters) or its URL."""
    return Registry(store).find(reference)


def resolve(store: Store, references: Sequence[str | dict[str, Any]]) -> list[Source]:
    """Sources given on the command line or by a caller, registered where new, as claims carry
    them, each once (one URL spelt twice is one source). Call inside `store.writing()`."""
    registry = Registry(store)
    found = list({record["id"]: inline(record) for record in map(registry.resolve, references)}.values())
    registry.save()
    return found


def cited(claim: Mapping[str, Any] | None) -> set[str]:
    """The registered sources a claim shows or cites as evidence (a journaled record may be None,
    or a schema-1 claim without ids or reviews)."""
    if not claim:
        return set()
    return ({s.get("id") for s in claim.get("sources", [])} | {
        e.get("id") for r in claim.get("reviews", []) for e in r["evidence"]}) - {None}


def update_source(store: Store, record: SourceRecord) -> None:
    """Store a changed source and bring every claim's and review's copy of it up to date (an
    anchored quote keeps its selector)."""
    store.put_record("sources", record["id"], record)
    copy_of = inline(record)
    changed = []
    for claim in store.claims.values():
        if record["id"] in cited(claim) and any(
                inline(s) != copy_of for s in (*claim["sources"], *(e for r in claim["reviews"] for e in r["evidence"]))
                if s["id"] == record["id"]):  # an archived copy added changes no claim's copy
            claim = copy.deepcopy(claim)
            claim["sources"] = [cast(Source, {**copy_of, **anchored(s)}) if s["id"] == record["id"] else s for s in claim["sources"]]
            for review in claim["reviews"]:
                review["evidence"] = [copy_of if e["id"] == record["id"] else e for e in review["evidence"]]
            claim["updated_at"] = utc_now()
            changed.append(claim)
    store.replace_claims(changed)


def add_source(store: Store, url: str, *, title: str | None = None, outlet: str | None = None,
               published: str | None = None, kind: str | None = None) -> Registration:
    """Register a source by its URL; a URL already registered (after normalisation) is that source."""
    url = check_url(url)
    with store.writing():
        registry = Registry(store)
        known = registry.by_key(normalise_url(url))
        record = registry.register({"url": url, "title": title, "outlet": outlet, "published": published},
                                   kind=choice(kind, SOURCE_TYPES, "source type") if kind else None)
        registry.save()
    return Registration(record, existed=known is not None)


def edit_source(store: Store, reference: str, *, url: str | None = None, title: str | None = None,
                outlet: str | None = None, published: str | None = None, kind: str | None = None) -> SourceRecord:
    """Change a registered source's details (an empty string clears one); every copy follows."""
    with store.writing():
        record: dict[str, Any] = dict(find_source(store, reference))
        if url is not None:
            taken = Registry(store).by_key(normalise_url(check_url(url)))
            if taken not in (None, record["id"]):
                raise InvalidInput(f"the URL {url!r} is already the source {taken}")
            record["url"] = url or None
        for field, value in (("title", title), ("outlet", outlet), ("published", published)):
            if value is not None:
                record[field] = text_field(value, f"source {field}") or None
        if kind is not None:
            record["type"] = kind
        checked = check_source_record(record)
        update_source(store, checked)
    return checked


def sources_in_use(store: Store, source_id: str) -> list[str]:
    """The claims that show a source as an appearance or as evidence."""
    return sorted(c["id"] for c in store.claims.values() if source_id in cited(c))


def remove_source(store: Store, reference: str) -> SourceRecord:
    """Delete a registered source no claim uses."""
    with store.writing():
        record = find_source(store, reference)
        users = sources_in_use(store, record["id"])
        if users:
            raise InvalidInput(f"source {record['id']} is used by {counted(len(users), 'claim')} "
                               f"({', '.join(users[:5])}{', ...' if len(users) > 5 else ''}); it cannot be removed")
        store.remove_records("sources", [record["id"]])
    return record


def source_rows(store: Store, ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Registered sources with how many claims show each and cite each as evidence."""
    appearances: dict[str | None, int] = {}
    evidence: dict[str | None, int] = {}
    for claim in store.claims.values():
        for source_id in {s["id"] for s in claim["sources"]}:
            appearances[source_id] = appearances.get(source_id, 0) + 1
        for source_id in {e["id"] for r in claim["reviews"] for e in r["evidence"]}:
            evidence[source_id] = evidence.get(source_id, 0) + 1
    records = store.sources.values() if ids is None else [store.sources[i] for i in ids]
    return [{**record, "claims": appearances.get(record["id"], 0), "evidence_for": evidence.get(record["id"], 0),
             "archived": _archived(record)}
            for record in sorted(records, key=lambda r: (r["title"] or r["url"] or "", r["id"]))]


def _archived(record: Mapping[str, Any]) -> str | None:
    """The current archived copy in a word: when, and the start of its digest (and how many copies)."""
    copies = record.get("archive") or []
    if not copies:
        return None
    current = copies[-1]
    more = f" (copy {len(copies)} of {len(copies)})" if len(copies) > 1 else ""
    return f"{current['archived_at'][:10]} {current['digest'][:12]}{more}"
