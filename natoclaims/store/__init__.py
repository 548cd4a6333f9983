"""The store of SPEC section 2: one file of claims and actors, read fast and written safely.

Every write runs under a cross-process lock on a sidecar file, re-reads the file, records its
change set in the journal, and replaces the file atomically, once. Reads are answered from the
index (`store.index`, SPEC section 15) once it matches the file; a write whose file is laid out
as natoclaims writes it changes only its own records' bytes (`overlay`). `Store(None)` is the
memory twin, with the same behaviour and no files, for testing the library.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from natoclaims.errors import InvalidInput, StoreError
from natoclaims.model import resolve_id
from natoclaims.model.shapes import Actor, Claim, SourceRecord
from natoclaims.model.text import printable
from natoclaims.paths import bundled_dataset
from natoclaims.store.files import (
    SCHEMA,
    empty_data,
    encode,
    read_file,
    schema,
    write_atomically,
)
from natoclaims.store.index import Index, IndexedTable, IndexUnavailable
from natoclaims.store.journal import UNRECORDED, Journal, MemoryJournal
from natoclaims.store.location import store_file
from natoclaims.store.overlay import Overlay, OverlayTable
from natoclaims.store.writes import ChangeSets

if TYPE_CHECKING:
    from natoclaims.store.backend import Tables

__all__ = ["Store", "open_store", "initialise", "current_user", "read_file", "encode", "empty_data",
           "write_atomically", "Journal", "bundled_dataset"]

LOCK_TIMEOUT_SECONDS = 60


def current_user() -> str:
    """Who is making a change: $NATOCLAIMS_USER, else the login name."""
    import getpass

    try:
        return os.environ.get("NATOCLAIMS_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class Store(ChangeSets):
    """One store: read it, look things up, and change it inside `writing()`.

    `path` None keeps the store in memory (the twin the library's tests run against).
    """

    def __init__(self, path: Path | None, *, user: str | None = None, command: str = "") -> None:
        # Through any symlink to the file itself: writes replace the target, and every name of
        # one store takes the same lock.
        path = Path(os.path.realpath(path)) if path is not None else None
        self.path = path
        # Arguments and login names may hold bytes that are not UTF-8: the journal keeps them escaped.
        self.user = printable(user or current_user())
        self.command = printable(command)
        self.journal: Journal | MemoryJournal = Journal(path) if path is not None else MemoryJournal()
        self.warnings: list[str] = []
        self.undoes: str | None = None  # set inside writing() by undo: the change set it reverts
        self.marks: dict[str, Any] = {}  # set inside writing(): more to say of the change set (conflicts it settles)
        self._tables: Tables | Overlay | None = None
        self._index: Index | None = None
        self._indexed: bool | None = None  # whether reads go through the index (None: not yet known)
        self._writing = False
        self.saved: list[str] = []  # the change sets this object wrote ("unrecorded" if the journal could not)

    # -- reading ---------------------------------------------------------------------------

    def _open(self, *, writer: bool = False) -> Tables:
        """The tables as the file holds them now (the memory twin keeps its own). A reader sees an
        older schema upgraded in memory; a writer gets the file's own, and upgrades it for good."""
        from natoclaims.store.backend import (  # TinyDB: only where the store is read whole
            FileStorage,
            MemoryStorage,
            Tables,
        )

        if self.path is None:
            if self._tables is None:
                self._tables = Tables(MemoryStorage(empty_data()))
        else:
            data = read_file(self.path) if self.path.exists() else empty_data()
            if not writer and schema(data) < SCHEMA:
                from natoclaims.store.upgrade import upgrade

                data = upgrade(data)
            self._tables = Tables(FileStorage(self.path, data))
        assert isinstance(self._tables, Tables)
        return self._tables

    @property
    def index(self) -> Index | None:
        """The store's index, matching the file as it is now; None for the memory twin, a missing
        file, a store of an older schema, or where the cache folder cannot hold one."""
        if self._indexed is None:
            self._indexed = False
            if self.path is not None and not self._writing and self.path.exists():
                index = Index(self.path)
                try:
                    self._indexed = index.sync()
                except IndexUnavailable as exc:
                    self.warnings.append(str(exc))
                self._index = index if self._indexed else None
        return self._index if self._indexed else None

    def reread_verified(self) -> bytes | None:
        """Read the tables again, matched to the file's bytes rather than its stamp (for `check`,
        which must see an edit that kept the stamp), and give those bytes unless they are what
        natoclaims writes for these tables, the one form that cannot repeat a key."""
        if self.path is None or not self.path.exists():
            self._open()
            return None
        index = Index(self.path)
        try:
            as_written = index.sync(verify=True) and index.as_written
        except IndexUnavailable:
            as_written = False
        except StoreError as exc:  # a claim the index cannot file is what `check` is there to list
            if exc.about != "damaged-claim":
                raise
            as_written = False
        finally:
            index.close()
        raw = self.path.read_bytes() if not as_written else None
        self._open()
        if raw is not None and encode(self.tables.data()) == raw:
            return None
        return raw

    @property
    def tables(self) -> Tables | Overlay:
        return self._tables or self._open()

    def _table(self, name: str) -> Any:
        tables = self._tables
        if isinstance(tables, Overlay) and tables.whole is None:
            return OverlayTable(tables, name)
        if tables is None and self.index is not None:
            return IndexedTable(self.index, name)
        return self.tables.data().setdefault(name, {})

    @property
    def claims(self) -> dict[str, Claim]:
        """Every claim by id (the raw records: read, do not change)."""
        return cast("dict[str, Claim]", self._table("claims"))

    @property
    def actors(self) -> dict[str, Actor]:
        """Every actor by canonical name."""
        return cast("dict[str, Actor]", self._table("actors"))

    @property
    def sources(self) -> dict[str, SourceRecord]:
        """Every registered source by id."""
        return cast("dict[str, SourceRecord]", self._table("sources"))

    def _overlay(self) -> Overlay | None:
        tables = self._tables
        return tables if isinstance(tables, Overlay) and tables.whole is None else None

    def _read_index(self) -> Index | None:
        """The index reads go through: outside a write, or under one that has not gone whole."""
        overlay = self._overlay()
        if overlay is not None:
            return overlay.index
        return self.index if self._tables is None else None

    @property
    def narrows(self) -> bool:
        """Whether reads go through the index now (then `candidates` and `source_by_key` answer from it)."""
        return self._read_index() is not None

    def candidates(self, **filters: Any) -> list[Claim] | None:
        """The claims that may pass filters given as plain values (`Index.candidates` names them), in
        id order; None where no index narrows them (then every claim may). The caller's matcher decides."""
        index = self._read_index()
        found = index.candidates(**filters) if index is not None else None
        overlay = self._overlay()
        if found is None or overlay is None:
            return cast("list[Claim] | None", found)
        mine = overlay.by_table.get("claims", {})
        kept = [c for c in found if c["id"] not in mine] + [r for r in mine.values() if r is not None]
        return sorted(kept, key=lambda claim: claim["id"])

    def actor_names(self) -> set[str]:
        """Every name a claim is attributed to (a few more inside a write: those it changed away from)."""
        index = self._read_index()
        if index is None:
            return {claim["actor"] for claim in self.claims.values()}
        overlay = self._overlay()
        mine = [r["actor"] for r in overlay.by_table.get("claims", {}).values() if r] if overlay else []
        return {*index.actor_names(), *mine}

    def source_by_key(self, key: str) -> str | None:
        """The id of the registered source with this key (`upgrade.source_key`: its normalised URL, else
        its title and outlet); of two, the greater id, as a scan in id order would keep."""
        from natoclaims.store.upgrade import source_key

        index = self._read_index()
        if index is None:  # a caller that asks often keeps its own table (see `narrows`)
            found = [i for i, record in self.sources.items() if source_key(record) == key]
            return found[-1] if found else None
        overlay = self._overlay()
        mine = overlay.by_table.get("sources", {}) if overlay else {}
        ids = [i for i in index.sources_by_key(key) if i not in mine]
        ids += [i for i, record in mine.items() if record is not None and source_key(record) == key]
        return max(ids) if ids else None

    def in_pairs(self) -> dict[str, Claim]:
        """Every claim a contradiction can involve, by id: from the index, what contradictions read of
        those that state a figure, take a stance or link (every claim without one)."""
        index = self._read_index()
        if index is None or self._overlay() is not None:
            return dict(self.claims.items())
        return {claim["id"]: cast("Claim", claim) for claim in index.in_pairs()}

    def facts(self) -> Iterable[Claim]:
        """Every claim as far as contradictions and repeats read it (`index_rows.FACTS`): from the
        index, a small part of each record; without one, the records."""
        index = self._read_index()
        if index is None or self._overlay() is not None:
            return self.claims.values()
        return (cast("Claim", facts) for _, facts in index.items("claims", "facts"))

    def remembered(self, name: str, compute: Callable[[], Any]) -> Any:
        """`compute()`, a pure function of the store's records named `name`: kept in the index until
        the store changes, so that asking again costs a read (contradictions, repeats)."""
        index = self._read_index()
        if index is None or self._overlay() is not None:
            return compute()
        try:
            found = index.remembered(name)
        except sqlite3.Error:
            return compute()
        if found is None:
            found = compute()
            try:
                index.remember(name, found)
            except sqlite3.Error:  # read-only cache folder, locked by a writer: next time
                pass
        return found

    def counts(self, what: str, *, claims: bool = False) -> dict[str, int] | None:
        """From the index: claims by status, actor or month; a label's occurrences by value (topic,
        stance), or with `claims` how many claims have each (topic, figure). None without an index."""
        index = self._read_index()
        if index is None or self._overlay() is not None:
            return None
        return index.claims_with(what) if claims else index.counts(what)

    def get(self, id_or_prefix: str) -> Claim:
        """The claim with this id or unique prefix (>= 4 chars)."""
        claims = self._table("claims")
        if isinstance(claims, IndexedTable):
            prefix = id_or_prefix.strip().lower()
            near = claims.with_prefix(prefix)
            if near:  # else the whole list, for its "did you mean"
                return cast("Claim", claims[resolve_id(prefix, near)])
        return cast("Claim", claims[resolve_id(id_or_prefix, claims)])

    # -- writing ---------------------------------------------------------------------------

    @property
    def unrecorded(self) -> dict[str, Any] | None:
        """The last write the journal could not record, if no recorded write followed it."""
        meta = self._table("meta").get("1", {})
        return meta.get(UNRECORDED) if isinstance(meta, dict) else None

    def insert_claims(self, claims: Sequence[Mapping[str, Any]]) -> None:
        """Add new claims (their ids must be free)."""
        taken = [c["id"] for c in claims if c["id"] in self.claims]
        if taken:
            raise InvalidInput(f"a claim with id {taken[0]!r} already exists")
        self.tables.insert("claims", claims, key="id")

    def replace_claims(self, claims: Sequence[Mapping[str, Any]]) -> None:
        """Store new versions of existing claims."""
        if claims:
            self.tables.remove("claims", [c["id"] for c in claims])  # one call: each call rewrites the table
            self.tables.insert("claims", claims, key="id")

    def remove_claims(self, ids: list[str]) -> None:
        """Delete claims by id."""
        self.tables.remove("claims", ids)

    def put_actor(self, actor: Mapping[str, Any]) -> None:
        """Add or replace an actor record (keyed by its canonical name)."""
        if actor["name"] in self.actors:
            self.tables.remove("actors", [actor["name"]])
        self.tables.insert("actors", [actor], key="name")

    def put_actors(self, actors: Sequence[Mapping[str, Any]]) -> None:
        """Add actor records that are not in the table yet."""
        self.tables.insert("actors", actors, key="name")

    def put_record(self, table: str, key: str, record: Mapping[str, Any]) -> None:
        """Add or replace one record of a table (a claim by id, an actor by name, a source by id)."""
        self.tables.put(table, key, record)

    def remove_records(self, table: str, keys: list[str]) -> None:
        """Delete records of one table (claims by id, actors by name) in one call."""
        self.tables.remove(table, keys)

    def clear(self) -> None:
        """Delete every claim, actor and source."""
        for table in ("claims", "actors", "sources"):
            self.tables.truncate(table)


def open_store(path: str | os.PathLike[str] | None = None, *, user: str | None = None) -> Store:
    """The store at `path` (else $NATOCLAIMS_DB, else the user's data file), changed as `user`."""
    return Store(store_file(path), user=user)


from natoclaims.store.initialise import InitReport, initialise  # noqa: E402, F401  (it makes a Store)
