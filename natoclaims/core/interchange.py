"""Bringing claims in from other files: validated, deduplicated, all or nothing, one write."""

from __future__ import annotations

import base64
import binascii
import copy
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from natoclaims.core.actors import resolve_actor
from natoclaims.core.claims import change_field
from natoclaims.core.sources import Registry, anchored, inline
from natoclaims.errors import InvalidInput
from natoclaims.model import DUPLICATE_POLICIES, check_actor, check_claim, choice, new_id, utc_now
from natoclaims.model.text import tidy_pasted
from natoclaims.store import Store

DIGEST_RE = re.compile(r"[0-9a-f]{64}")
# A copy's WARC file: the raw bytes (at most 50 MB, compressed) with their extracted text and metadata.
COPY_LIMIT = 150 * 1024 * 1024
DUPLICATE_REMEDY = "on_duplicate='skip' or 'update'"
IMPORT_FORMATS = ("json", "jsonl", "csv")
IMPORT_UPDATABLE = ("text", "kind", "actor", "said_on", "context", "topics", "status", "sources",
                    "quantities", "stances", "links", "notes", "reviews")


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # duplicates to update that already were as given
    skipped: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    new_actors: list[str] = field(default_factory=list)
    tidied: list[str] = field(default_factory=list)  # where a text was repaired or trimmed


@dataclass
class ImportFile:
    """A file read for `import_file`: its claim records, or the tables of a whole store (and the
    archive folder beside the file, where a store's copies may be)."""

    records: list[tuple[str, Any]]
    tables: dict[str, Any] | None = None
    archive: Path | None = None

    def __len__(self) -> int:
        """How many claims it holds (a progress bar's length)."""
        return len(self.records or (self.tables or {}).get("claims", ()))


def read_import_file(file: str | os.PathLike[str] | IO[str] | IO[bytes], fmt: str | None = None) -> ImportFile:
    """Read a file to import (a path, or an open file in text or binary mode): `fmt` json (an array, or a
    whole store), jsonl or csv, else guessed from its name (.json, .csv), else jsonl."""
    from natoclaims.formats import readers

    name = os.fspath(file) if isinstance(file, str | os.PathLike) else getattr(file, "name", None)
    name = name if isinstance(name, str) else ""
    chosen = choice(fmt, IMPORT_FORMATS, "import format") if fmt is not None else readers.guess_format(name)
    if isinstance(file, str | os.PathLike):
        from natoclaims.paths import archive_folder
        from natoclaims.store.files import reading

        with reading(Path(file), InvalidInput, "file to import") as handle:
            raw: str | bytes = handle.read()
        archive: Path | None = archive_folder(Path(file))
    else:
        raw, archive = file.read(), None
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{name or 'the file'}: not UTF-8 text ({exc.reason}), so not JSON or CSV") from None
    records, tables = readers.read_import(raw, chosen)
    return ImportFile(records, tables, archive)


def import_file(store: Store, file: str | os.PathLike[str] | IO[str] | IO[bytes] | ImportFile, fmt: str | None = None,
                *, on_duplicate: str = "error", skip_invalid: bool = False, dry_run: bool = False,
                tick: Any = None) -> ImportReport:
    """Import a file (a path, an open file, or one `read_import_file` read) in one write, all or nothing:
    claims as JSON, JSON Lines or CSV (`fmt`, else guessed from the name), or a whole store
    (`export_claims(..., fmt="store")` or a store file) with its actors, sources and archived copies.
    A duplicate (same id, or same actor, text and date) is an error, or skipped or updated (`on_duplicate`);
    with `skip_invalid` the valid records go in and the report lists the others; `dry_run` writes nothing."""
    read = file if isinstance(file, ImportFile) else read_import_file(file, fmt)
    options = {"on_duplicate": on_duplicate, "skip_invalid": skip_invalid, "dry_run": dry_run, "tick": tick}
    if read.tables is not None:
        return import_store(store, read.tables, archive=read.archive, **options)
    return import_claims(store, read.records, **options)


def _import_plan(store: Store, records: list[tuple[str, Any]], on_duplicate: str, skip_invalid: bool,
                 now: str, tick: Any = None, aliases: dict[str, str] | None = None,
                 ) -> tuple[ImportReport, list[dict[str, Any]], dict[str, tuple[dict[str, Any], set[str]]]]:
    """Validate every record against the store as it is: new claims, updates, and the report.
    `aliases` maps names the imported claims use to the store's actors (from another store's table)."""
    aliases = aliases or {}
    from natoclaims.engines.quantities import extract_quantities

    report = ImportReport()
    new: dict[str, dict[str, Any]] = {}
    updates: dict[str, tuple[dict[str, Any], set[str]]] = {}
    origin: dict[str, str] = {}
    by_key = {(c["actor"], c["text"], c["said_on"]): c["id"] for c in store.claims.values()}
    resolved: dict[str, str | None] = {}
    file_ids: set[str] = set()
    taken = set(store.claims)

    def refuse(where: str, reason: str) -> None:
        if not skip_invalid:
            raise InvalidInput(f"{where}: {reason}")
        report.invalid.append(f"{where}: {reason}")

    for where, raw in records:
        if tick:
            tick()
        try:
            claim = cast("dict[str, Any]", check_claim(raw, now=now, reviewer=store.user))  # its id may be None yet
            claim["text"], tidied = tidy_pasted(claim["text"])
            if tidied:
                report.tidied.append(where)
            if "quantities" not in raw:
                claim["quantities"] = extract_quantities(claim["text"])
        except InvalidInput as exc:
            refuse(where, str(exc))
            continue
        name = claim["actor"]
        if name not in resolved:
            try:
                resolved[name] = resolve_actor(store, name, by_word=True) or aliases.get(name)
            except InvalidInput as exc:  # a word that several actors have
                refuse(where, str(exc))
                continue
        claim["actor"] = resolved[name] or name
        if claim["id"] is not None:
            if claim["id"] in file_ids:
                refuse(where, f"duplicate id {claim['id']!r} in the file")
                continue
            file_ids.add(claim["id"])
        key = (claim["actor"], claim["text"], claim["said_on"])
        existing = claim["id"] if claim["id"] in store.claims else by_key.get(key)
        if existing is not None:
            if on_duplicate == "error":
                refuse(where, f"duplicate of claim {existing} (same id, or same actor, text and date); "
                              f"use {DUPLICATE_REMEDY}")
            elif on_duplicate == "skip":
                report.skipped.append(existing)
            elif existing in new:  # the same claim twice in the file: the later one wins
                new[existing] = {**claim, "id": existing}
            else:
                updates[existing] = (claim, set(raw) & set(IMPORT_UPDATABLE))
            continue
        if claim["id"] is None:
            claim["id"] = new_id(taken)
        taken.add(claim["id"])
        by_key[key] = claim["id"]
        origin[claim["id"]] = where
        new[claim["id"]] = claim

    # Links must point at a claim in the store or in this import; refuse (or drop) until none dangle.
    while True:
        known = set(store.claims) | set(new)
        dangling = {i: c for i, c in [*new.items(), *((k, u[0]) for k, u in updates.items())]
                    if any(link["to"] not in known for link in c["links"])}
        if not dangling:
            break
        for claim_id, claim in dangling.items():
            target = next(link["to"] for link in claim["links"] if link["to"] not in known)
            refuse(origin.get(claim_id, f"the update of {claim_id}"), f"link to unknown claim {target!r}")
            new.pop(claim_id, None)
            updates.pop(claim_id, None)
    report.added = list(new)
    # What an update would change (the write counts what it did: a source given without its id may match).
    report.updated = sorted(i for i, (claim, given) in updates.items() if any(claim[f] != cast("dict[str, Any]", store.claims[i])[f] for f in given))
    report.unchanged = sorted(set(updates) - set(report.updated))
    actors = {c["actor"] for c in new.values()} | {u[0]["actor"] for u in updates.values()}
    report.new_actors = sorted(a for a in actors if a not in store.actors)
    return report, list(new.values()), updates


def _actor_names(store: Store, actors: dict[str, Any]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Another store's actors against this one's: the names its claims may use mapped to this
    store's actors, and the actor records to put (new actors, and actors here given the aliases
    that the other store knows them by and no actor here has yet)."""
    names, put = {}, []
    for name, record in actors.items():
        record = check_actor(record)
        known = next(filter(None, (resolve_actor(store, n) for n in (name, *record["aliases"]))), None)
        unclaimed = [a for a in (name, *record["aliases"]) if resolve_actor(store, a) is None]
        if known is None:
            put.append({**record, "aliases": [a for a in unclaimed if a != name]})
            known = name
        elif unclaimed:
            here = store.actors[known]
            put.append({**here, "aliases": sorted({*here.get("aliases", []), *unclaimed})})
        names.update({n: known for n in (name, *record["aliases"])})
    return names, put


def _new_actors(store: Store, report: ImportReport, put: list[dict[str, Any]]) -> list[str]:
    """The actors an import adds: those its claims name, and every actor another store brings (a
    copy of a store keeps its actors without claims too)."""
    return sorted({*report.new_actors, *(record["name"] for record in put if record["name"] not in store.actors)})


def import_claims(store: Store, records: list[tuple[str, Any]], *, on_duplicate: str = "error",
                  skip_invalid: bool = False, dry_run: bool = False, tick: Any = None,
                  actors: dict[str, Any] | None = None, sources: dict[str, Any] | None = None) -> ImportReport:
    """Add claims from parsed records, all or nothing (unless skip_invalid), in one store write.

    From another store (`import_store`), `actors` and `sources` come along: actors with their
    aliases, roles and types, sources with their types and archived copies.
    """
    choice(on_duplicate, DUPLICATE_POLICIES, "on_duplicate policy")
    now = utc_now()
    if dry_run:
        names, put_actors = _actor_names(store, actors or {})
        report = _import_plan(store, records, on_duplicate, skip_invalid, now, tick, names)[0]
        report.new_actors = _new_actors(store, report, put_actors)
        return report
    with store.writing():
        names, put_actors = _actor_names(store, actors or {})
        report, new, updates = _import_plan(store, records, on_duplicate, skip_invalid, now, tick, names)
        report.new_actors = _new_actors(store, report, put_actors)
        for record in put_actors:
            store.put_actor(record)
        for name in report.new_actors:
            if name not in store.actors:
                store.put_actor(check_actor({"name": name}))
        registry = Registry(store)
        moved = {old: registry.register(record, fill=False)["id"] for old, record in (sources or {}).items()}

        def cite(claim: dict[str, Any]) -> None:
            claim["sources"] = [{**inline(registry.register({**s, "id": moved.get(s["id"], s["id"])}, fill=False)),
                                 **anchored(s)} for s in claim["sources"]]
            for review in claim["reviews"]:
                review["evidence"] = [inline(registry.register({**e, "id": moved.get(e["id"], e["id"])}, fill=False))
                                      for e in review["evidence"]]

        for claim in [*new, *(imported for imported, _ in updates.values())]:
            cite(claim)
        registry.save()
        store.insert_claims(new)
        changed = []
        for claim_id, (imported, given) in updates.items():
            stored = copy.deepcopy(store.claims[claim_id])
            if sum(change_field(stored, name, imported[name], by=store.user, at=now, note="import") for name in sorted(given)):
                changed.append(stored)
        store.replace_claims(changed)
        report.updated = sorted(claim["id"] for claim in changed)
        report.unchanged = sorted(set(updates) - set(report.updated))
    return report


def export_store(store: Store) -> dict[str, Any]:
    """The whole store as its file holds it, with every archived copy its sources name embedded
    (`archive`: each copy's WARC file in base64, by digest): what `import_store` takes back whole.
    A copy that is gone or changed on disk is left out, and said."""
    from natoclaims.core.archive import folder, verified_copy
    from natoclaims.errors import DamagedArchive
    from natoclaims.store import archive as folder_of_copies
    from natoclaims.store.files import TABLES, read_owned

    data = store.tables.data()
    exported = {name: data.get(name, {}) for name in TABLES}
    where = folder(store)
    digests = {entry["digest"] for record in store.sources.values() for entry in record.get("archive") or []}
    copies = {}
    for digest in sorted(digests):
        try:
            verified_copy(where, digest)  # its bytes, text and metadata checked: a damaged copy is never passed on
            raw = read_owned(folder_of_copies.copy_path(where, digest), "archived copy", limit=COPY_LIMIT)
        except DamagedArchive as damaged:
            store.warnings.append(f"not exported: {damaged}")
            continue
        copies[digest] = base64.b64encode(raw or b"").decode("ascii")
    return {**exported, "archive": copies}


def _unpack_copies(embedded: Any, into: Path) -> None:
    """Write the copies a store export embeds into a folder, as WARC files named by digest (each is
    checked against its digest when brought from there, as from the folder beside a store file)."""
    from natoclaims.store.archive import copy_path

    if not isinstance(embedded, dict):
        raise InvalidInput("the imported store's 'archive' is not an object of archived copies by digest")
    for digest, text in embedded.items():
        if not DIGEST_RE.fullmatch(digest) or not isinstance(text, str):
            raise InvalidInput(f"the imported store's archived copy {digest!r} is not a SHA-256 digest with base64 text")
        try:
            copy_path(into, digest).write_bytes(base64.b64decode(text, validate=True))
        except binascii.Error as exc:
            raise InvalidInput(f"the imported store's archived copy {digest}: not base64 ({exc})") from None


def import_store(store: Store, tables: dict[str, Any], *, archive: Path | None = None, **options: Any) -> ImportReport:
    """Add another store's claims with their actors, sources and reviews (`tables`: a parsed store),
    and the archived copies its sources name: embedded in it (`export_store`), else from its archive
    folder `archive` (if given)."""
    from natoclaims.store.files import check_shape

    tables = dict(tables)
    embedded = tables.pop("archive", None)
    tables = check_shape(tables, Path("the imported store"))
    with tempfile.TemporaryDirectory(prefix="natoclaims-import-") as unpacked:
        if embedded is not None:
            _unpack_copies(embedded, Path(unpacked))
            archive = Path(unpacked)
        return _import_tables(store, tables, archive, **options)


def _import_tables(store: Store, tables: dict[str, Any], archive: Path | None, **options: Any) -> ImportReport:
    """`import_store` once its copies are in a folder (`archive`) they can be brought from."""
    from natoclaims.store.files import SCHEMA, schema
    from natoclaims.store.upgrade import upgrade

    if schema(tables) < SCHEMA:
        tables = upgrade(tables)
    records = [(f"claim {claim_id}", claim) for claim_id, claim in tables["claims"].items()]
    with store.writing():
        current = {key: _latest(record) for key, record in store.sources.items()}
        report = import_claims(store, records, actors=tables.get("actors"), sources=tables.get("sources"), **options)
        if archive is not None and not options.get("dry_run"):
            from natoclaims.core.archive import copy_archives, reanchor

            copy_archives(store, (tables.get("sources") or {}).values(), archive)
            reanchor(store, [key for key, record in store.sources.items()
                             if key in current and _latest(record) != current[key]])
    return report


def _latest(record: Mapping[str, Any]) -> Any:
    """A registered source's latest archived copy, or None."""
    return (record.get("archive") or [None])[-1]
