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
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from natoclaims.errors import InvalidInput, StoreError
from natoclaims.model import new_id, resolve_id, utc_now
from natoclaims.model.shapes import Actor, Claim, SourceRecord
from natoclaims.model.text import printable
from natoclaims.paths import bundled_dataset, lock_file
from natoclaims.store.backend import FileStorage, MemoryStorage, Tables
from natoclaims.store.files import (
    SCHEMA,
    empty_data,
    encode,
    open_owned,
    read_file,
    schema,
    write_atomically,
)
from natoclaims.store.index import Index, IndexedTable, IndexUnavailable, crc_of
from natoclaims.store.overlay import Overlay, OverlayTable
from natoclaims.store.journal import (
    JOURNALED_TABLES,
    UNRECORDED,
    Journal,
    MemoryJournal,
    changed_records,
    signals_held,
)
from natoclaims.store.location import store_file

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


class Store:
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

    def _open(self) -> Tables:
        """The tables as the file holds them now (the memory twin keeps its own), an older schema
        upgraded in memory (a write upgrades it for good)."""
        if self.path is None:
            if self._tables is None:
                self._tables = Tables(MemoryStorage(empty_data()))
        else:
            data = read_file(self.path) if self.path.exists() else empty_data()
            if schema(data) < SCHEMA:
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
        mine = {key: record for (table, key), record in overlay.changes.items() if table == "claims"}
        kept = [c for c in found if c["id"] not in mine] + [r for r in mine.values() if r is not None]
        return sorted(kept, key=lambda claim: claim["id"])

    def actor_names(self) -> set[str]:
        """Every name a claim is attributed to (a few more inside a write: those it changed away from)."""
        index = self._read_index()
        if index is None:
            return {claim["actor"] for claim in self.claims.values()}
        overlay = self._overlay()
        mine = [r["actor"] for (t, _), r in overlay.changes.items() if t == "claims" and r] if overlay else []
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
        mine = {k: r for (t, k), r in overlay.changes.items() if t == "sources"} if overlay else {}
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

    def counts(self, what: str, *, claims: bool = False) -> dict[str, int] | None:
        """From the index: claims by status, actor or month; a label's occurrences by value (topic,
        stance), or with `claims` how many claims have each (topic, figure). None without an index."""
        index = self._read_index()
        if index is None or self._overlay() is not None:
            return None
        return index.claims_with(what) if claims else index.counts(what)

    def get(self, id_or_prefix: str) -> Claim:
        """The claim with this id or unique prefix (>= 4 chars)."""
        claims = self.claims
        if isinstance(claims, IndexedTable):
            prefix = id_or_prefix.strip().lower()
            near = claims.with_prefix(prefix)
            if near:  # else the whole list, for its "did you mean"
                return claims[resolve_id(prefix, near)]
        return claims[resolve_id(id_or_prefix, claims)]

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def _lock(self) -> Iterator[None]:
        if self.path is None:
            yield
            return
        from filelock import FileLock, Timeout

        path = lock_file(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Made or checked here, as the journal is: a link or pipe committed by a branch is refused by name.
            os.close(open_owned(path, os.O_RDWR | os.O_CREAT, "lock file"))
            lock = FileLock(str(path), timeout=LOCK_TIMEOUT_SECONDS)
            lock.acquire()
        except Timeout:
            raise StoreError(f"{self.path}: the store is locked by another natoclaims process") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot lock the store: {exc.strerror or exc} "
                             "(the folder must be writable to change the store)") from None
        try:
            yield
        finally:
            lock.release()

    def locked(self) -> AbstractContextManager[None]:
        """The store's lock alone, for a write that replaces the whole file (`merge-file` by hand)."""
        return self._lock()

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """Lock, re-read the file as it is now, let the caller change it, then journal the
        change set and write the store once. Nested, it joins the change set already open."""
        if self._writing:
            yield self
            return
        self._writing = True
        try:
            with self._write_once():
                yield self
        finally:
            self._writing = False

    @contextmanager
    def _write_once(self) -> Iterator[None]:
        with self._lock(), self._snapshot() as (index, buf):
            self.undoes, self.marks = None, {}
            if index is not None and index.as_written:
                overlay = Overlay(index, cast(Path, self.path), buf, self._whole)
                self._tables, self._before = overlay, {}
                self._settle(overlay.settle_view())
                try:
                    yield
                except BaseException:  # a refused change set leaves nothing behind
                    self._tables = None
                    raise
                if overlay.whole is None:
                    self._write_spliced(overlay)
                    return
                tables = overlay.whole
            else:
                tables = self._open()
                if self.path is not None and not self.path.exists():
                    tables.storage.dirty = True
                self._settle(tables.data())
                upgrading = self._upgrade(tables) if schema(tables.data()) < SCHEMA else None
                self._before = {table: dict(tables.data().setdefault(table, {})) for table in JOURNALED_TABLES}
                try:
                    yield
                except BaseException:  # a refused change set leaves nothing behind, in memory as in the file
                    for table, records in self._before.items():
                        tables.data()[table] = records
                    raise
                if upgrading is not None:
                    changes = changed_records(self._before, tables.data())
                    if not changes:  # a write that changes nothing leaves an older store as it is
                        return
                    self._write_upgrade(tables, self._before, upgrading)
            changes = changed_records(self._before, tables.data())
            if changes:
                self._journaled_write(tables, changes)
            else:
                tables.storage.flush()
            if index is not None and tables.storage.written_crc is not None:
                self._indexed_write(index, tables.storage.written_crc,
                                    [(c["table"], c["key"], c["after"]) for c in changes] +
                                    [("meta", "1", tables.data()["meta"]["1"])], None)

    @contextmanager
    def _snapshot(self) -> Iterator[tuple[Index | None, Any]]:
        """The file's bytes as a write finds them (mapped, not copied), and the index made to match
        them, checked by their CRC rather than trusted by the stamp (None where there is none)."""
        if self.path is None or not self.path.exists() or self.path.stat().st_size == 0:
            yield None, None
            return
        import mmap

        from natoclaims.store.files import reading

        with reading(self.path) as handle:
            st = os.fstat(handle.fileno())
            buf = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if st.st_size else None
            index: Index | None = Index(self.path)
            try:
                assert index is not None
                if not index.match(buf, st):
                    index = None
            except IndexUnavailable as exc:
                self.warnings.append(str(exc))
                index = None
            self._index, self._indexed = None, False  # until the write ends: reads inside it see the change set
            try:
                yield index, buf
            finally:
                self._indexed = None
                if self._tables is None or isinstance(self._tables, Overlay):
                    self._tables = None  # reads after the write go to the index the write updated
                if index is not None:
                    self._index, self._indexed = index, True
                try:
                    buf.close()
                except BufferError:  # a view of it is still held by a traceback: it goes with it
                    pass

    def _whole(self, overlay: Overlay) -> Tables:
        """The whole store for a change set begun over the index: parsed from the same bytes, with the
        changes made so far applied (a command that needs every record, such as `resolve` or `import`)."""
        from natoclaims.store.files import check_shape, decode, parse

        assert self.path is not None
        data = check_shape(parse(decode(bytes(overlay.buf), self.path), self.path), self.path)
        self._before = {table: dict(data.setdefault(table, {})) for table in JOURNALED_TABLES}
        tables = Tables(FileStorage(self.path, data))
        for (table, key), record in overlay.changes.items():
            if record is None:
                tables.remove(table, [key] if key in data.get(table, {}) else [])
            else:
                tables.put(table, key, record)
        return tables

    def _settle(self, tables: Mapping[str, Mapping[str, Any]]) -> None:
        try:
            self.journal.settle(tables)
        except OSError as exc:
            self.warnings.append(f"journal {self.journal.path}: {exc.strerror or exc}; undo may not work")

    def _write_spliced(self, overlay: Overlay) -> None:
        changes = overlay.changed()
        if not changes:
            return
        self._journaled_write(overlay, changes)
        if overlay.storage.written_crc is not None:
            self._indexed_write(overlay.index, overlay.storage.written_crc,
                                [(table, key, record) for (table, key), record in overlay.changes.items()],
                                overlay.storage.spans)

    def _indexed_write(self, index: Index, crc: int, changes: list[tuple[str, str, Any]],
                       spans: dict[str, tuple[int, int]] | None) -> None:
        """Bring the index along with a write it matched before (best effort: a reader that finds it
        behind re-indexes what changed)."""
        assert self.path is not None
        try:
            index.written(os.stat(self.path), crc, changes, spans)
        except (OSError, sqlite3.Error):
            pass

    def _upgrade(self, tables: Tables) -> list[dict[str, Any]]:
        """Upgrade the store to the current schema in memory; the changes it made. It is written
        (by `_write_upgrade`) only once the command's own change succeeded, so a refused command
        leaves an older store as it was."""
        from natoclaims.store.upgrade import upgrade

        before = {table: dict(tables.data().get(table, {})) for table in JOURNALED_TABLES}
        tables.storage.write(upgrade(tables.data()))
        return changed_records(before, tables.data())

    def _write_upgrade(self, tables: Tables, upgraded: dict[str, dict[str, Any]], changes: list[dict[str, Any]]) -> None:
        """Write the upgraded store (`upgraded`: its tables, before the command's change) as a change
        set of its own that undo reverts, ahead of the command's."""
        final = tables.data()
        tables.storage.write(upgraded)
        command, self.command = self.command, f"upgrade the store to schema {SCHEMA} (before: {self.command})"
        undoes, self.undoes = self.undoes, None
        marks, self.marks = self.marks, {}
        try:
            self._journaled_write(tables, changes, upgrade=SCHEMA)
        except StoreError as exc:
            raise StoreError(f"{exc} (this store is of schema 1 and must be upgraded before it can be changed; "
                             "it can still be read)") from None
        finally:
            self.command, self.undoes, self.marks = command, undoes, marks
        tables.storage.write(final)

    def _journaled_write(self, tables: Tables | Overlay, changes: list[dict[str, Any]], **marks: Any) -> None:
        """Journal the change set, write the store, commit the change set: with Ctrl-C and
        SIGTERM held off, so a store that was written always has its change set committed."""
        entry = {"id": new_id(), "at": utc_now(), "user": self.user, "command": self.command, "changes": changes,
                 **self.marks, **marks}
        if self.undoes:
            entry["undoes"] = self.undoes
        meta = dict(tables.data()["meta"]["1"] if isinstance(tables, Tables) else tables.record("meta", "1"))
        with signals_held():
            try:
                if UNRECORDED in meta:  # an earlier write the journal missed: undo must not walk past it
                    self.journal.record_gap(meta[UNRECORDED])
                size: int | None = self.journal.begin(entry)
                meta.pop(UNRECORDED, None)
            except OSError as exc:  # the journal never blocks normal work, but undo will know
                reason = f"{self.journal.path}: {exc.strerror or exc}"
                self.warnings.append(f"journal {reason}; this change cannot be undone")
                meta[UNRECORDED] = {"at": entry["at"], "user": self.user, "command": self.command, "reason": reason}
                size = None
            tables.put("meta", "1", meta)
            try:
                tables.storage.flush()
            except BaseException:
                if size is not None:
                    if tables.storage.holds_last_write():
                        self.journal.commit(entry["id"])  # interrupted after the rename: it happened
                    else:
                        self.journal.truncate(size)
                raise
            if size is not None:
                self.journal.commit(entry["id"])
            self.saved.append(entry["id"] if size is not None else "unrecorded")

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


@dataclass
class InitReport:
    """What `init` made: how many claims, and where a file that was not a store was kept."""

    claims: int
    backup: Path | None = None


def _holds_a_store(path: Path) -> bool:
    """Whether the file parses as a store; a file that cannot be read at all is an error."""
    from natoclaims.store.files import decode, parse, reading

    with reading(path) as handle:
        raw = handle.read()
    try:
        parse(decode(raw, path), path)
    except StoreError:
        return False
    return True


def _bring_archive(data: dict[str, Any], path: Path) -> None:
    """Copy the bundled dataset's archived sources beside a store made from it, so its quotes check."""
    from natoclaims.paths import archive_folder
    from natoclaims.store.archive import copy_files

    digests = {e["digest"] for s in data.get("sources", {}).values() for e in (s.get("archive") or [])}
    copy_files(archive_folder(bundled_dataset()), archive_folder(path), digests)


def initialise(path: Path, *, empty: bool, force: bool, user: str | None = None, command: str = "") -> InitReport:
    """Create the store at `path` (bundled dataset, or empty).

    Replacing a store (--force) is a change set like any other, so it can be undone; a file that
    is not a store (empty, garbage) is kept beside it as `.bak` instead.
    """
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a store file")
    data = empty_data() if empty else read_file(bundled_dataset())
    content = encode(data) if empty else bundled_dataset().read_bytes()
    store = Store(path, user=user, command=command)
    target = store.path  # the file itself, through any symlink
    assert target is not None  # a store made from a path keeps one
    if not path.exists():
        with store._lock():
            if not target.exists():
                if not empty:
                    _bring_archive(data, target)
                write_atomically(target, content)
        return InitReport(len(data["claims"]))
    if not force:
        raise StoreError(f"{path}: a store already exists here (force=True replaces it)", about="store-exists", path=path)
    if _holds_a_store(target):
        from natoclaims.store.upgrade import upgrade

        data = upgrade(data) if schema(data) < SCHEMA else data
        if not empty:
            _bring_archive(data, target)
        with store.writing():
            store.clear()
            store.put_actors(list(data["actors"].values()))
            store.tables.insert("sources", list(data["sources"].values()), key="id")
            store.insert_claims(list(data["claims"].values()))
        return InitReport(len(data["claims"]))
    backup = target.with_name(target.name + ".bak")
    with store._lock():
        if not empty:
            _bring_archive(data, target)
        os.replace(target, backup)
        write_atomically(target, content)
    return InitReport(len(data["claims"]), backup)
