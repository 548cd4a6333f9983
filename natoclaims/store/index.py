"""The index of SPEC section 15: a SQLite file derived from the store file, so that a read costs
what its answer costs rather than a parse of the whole store (its tables: `index_rows`).

It lives under the cache root, never in git, and is never believed blindly. It records the
store file's stamp (device, inode, size, change and modification times to the nanosecond) and a
CRC-32 of its bytes. A settled stamp that matches is trusted; a stamp taken within a clock tick
of the file's last change (git's "racily clean" case) or one that differs is checked against
the CRC, and a file that changed is walked record by record: only the records whose bytes
differ are indexed again. A database that is damaged, of another format or made for another
file is replaced by a new one, built under a new name that a small pointer file then names, so
a stale `-wal` never meets a database it was not written for. Deleting the index loses nothing.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import secrets
import sqlite3
import stat as stat_module
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from natoclaims.errors import StoreError
from natoclaims.paths import index_pointer
from natoclaims.store import files, index_rows
from natoclaims.store.index_queries import IndexedTable, Queries
from natoclaims.store.pieces import NotAsWritten, iter_records, make_piece, piece_value, table_spans

FORMAT = 6
TICK_NS = 50_000_000  # coarser than the clock of any file system with nanosecond times (Linux: 1-10 ms)
COARSE_TICK_NS = 2_100_000_000  # FAT and some network file systems keep times to the second or two
CHUNK = 16 << 20
BATCH = 2000
Spans = dict[str, tuple[int, int]]


class IndexUnavailable(Exception):
    """The index cannot be made or kept here (the cache folder is not writable, the disk is full):
    the store is read whole instead."""


def file_stamp(st: os.stat_result) -> str:
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def settled(st: os.stat_result, at_ns: int) -> bool:
    """Whether a change to the file after `at_ns` must change its stamp: its last change was more
    than a clock tick before (else a change in the same tick could leave every time as it is)."""
    coarse = st.st_mtime_ns % 1_000_000 == 0 and st.st_ctime_ns % 1_000_000 == 0
    return at_ns - max(st.st_mtime_ns, st.st_ctime_ns) > (COARSE_TICK_NS if coarse else TICK_NS)


def crc_of(buf: Any) -> int:
    """The CRC-32 of a file's bytes (a buffer, or a list of parts), in chunks: no copy is made."""
    crc = 0
    for part in buf if isinstance(buf, list) else [buf]:
        view = memoryview(part)
        for at in range(0, len(view), CHUNK):
            crc = zlib.crc32(view[at:at + CHUNK], crc)
    return crc


class Rebuild(Exception):
    """Most of the file changed since the index was made: make a new one."""


class Index(Queries):
    """One store file's index. `sync()` (or `match()`, given the file's bytes) brings it up to date
    with the file; reads then go through `record`, `candidates` and the other `Queries`."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.pointer = index_pointer(store)
        self.folder, self.name = self.pointer.parent, self.pointer.stem
        self.db: sqlite3.Connection | None = None
        self.as_written = False  # every record's bytes are what natoclaims writes: a write may splice
        self.spans: Spans | None = None  # where each table's records are in the file (as written)

    # -- opening ---------------------------------------------------------------------------

    def _current(self) -> Path | None:
        """The database the pointer names, if it is a regular file of this user's."""
        raw = files.read_owned(self.pointer, "index pointer", limit=200)  # a link or a pipe is refused by name
        name = (raw or b"").decode("ascii", "replace").strip()
        if not name.startswith(self.name + "-") or "/" in name:
            return None
        path = self.folder / name
        try:
            st = os.lstat(path)
        except OSError:
            return None
        return path if stat_module.S_ISREG(st.st_mode) and st.st_uid == os.getuid() else None

    def _connect(self, path: Path, *, new: bool = False) -> sqlite3.Connection:
        """A database: a new one, or one that is there (never made empty where it went away)."""
        from urllib.request import pathname2url

        target = str(path) if new else f"file:{pathname2url(str(path))}?mode=rw"
        db = sqlite3.connect(target, timeout=30, isolation_level=None, check_same_thread=False, uri=not new)
        db.execute("PRAGMA busy_timeout = 30000")
        return db

    def _open_db(self) -> dict[str, Any]:
        """Open the database the pointer names if it is one of this format made for this file; its meta."""
        self.close()
        path = self._current()
        if path is None:
            return {}
        try:
            db = self._connect(path)
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error:
            return {}
        if meta.get("format") != FORMAT or meta.get("store") != os.fsencode(os.path.abspath(self.store)):
            db.close()
            return {}
        self.db, self.as_written = db, bool(meta.get("as_written"))
        self.spans = {name: (a, b) for name, (a, b) in orjson.loads(meta.get("spans") or "{}").items()} or None
        return meta

    def mend(self, error: sqlite3.Error) -> None:
        """Replace a database a query found damaged by a new one made from the file."""
        self.close()
        current = self._current()
        if current is not None:
            _remove(current)
        try:
            self.sync()
        except IndexUnavailable:
            raise StoreError(f"{self.folder}: the index is damaged ({error}) and cannot be made again here; "
                             "remove the folder") from None

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    # -- keeping it true to the file -------------------------------------------------------

    def sync(self, *, verify: bool = False) -> bool:
        """Make the index describe the store file as it is now; False if this file is not indexed
        (a store of an older schema, read the old way). `verify` checks the bytes even where the
        stamp would do. The file's own errors are raised as a parse would raise them."""
        with files.reading(self.store) as handle:
            st = os.fstat(handle.fileno())
            meta = self._open_db()
            if not verify and meta.get("stamp") == file_stamp(st) and meta.get("settled"):
                return True
            if st.st_size == 0:
                files.parse("", self.store)
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buf:
                return self.match(buf, st)

    def match(self, buf: Any, st: os.stat_result) -> bool:
        """Make the index describe these bytes of the file (`st`, its stat); False as `sync`."""
        try:
            meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall()) if self.db else self._open_db()
            crc, now = crc_of(buf), time.time_ns()
            if self.db is not None and meta.get("crc") == crc and meta.get("size") == len(buf):
                self._stamp(self.db, st, crc, now)
                return True
            try:
                spans: Spans | None = table_spans(buf)
                data = None
            except NotAsWritten:
                spans, data = None, files.parse(files.decode(bytes(buf), self.store), self.store)
            if self._schema(buf, spans, data) < files.SCHEMA:
                self.close()
                return False
            for _ in range(2):
                try:
                    if self.db is not None:
                        try:
                            self._reindex(buf, spans, data, st, crc, now)
                            return True
                        except (sqlite3.DatabaseError, Rebuild):
                            self.close()  # damaged, or most of it changed: built anew
                    self._build(buf, spans, data, st, crc, now)
                    break
                except NotAsWritten:  # a record no parser takes, or out of order: the whole file says why
                    spans, data = None, files.parse(files.decode(bytes(buf), self.store), self.store)
        except sqlite3.Error as exc:
            self.close()
            raise IndexUnavailable(f"{self.folder}: the index cannot be written ({exc}); reading the store whole") from None
        return True

    def _schema(self, buf: Any, spans: Spans | None, data: dict[str, Any] | None) -> int:
        """The file's schema, after the checks `files.check_shape` makes of its tables."""
        if data is not None:
            return files.schema(data)
        assert spans is not None
        if "claims" not in spans or "meta" not in spans:
            files.check_shape({name: {} for name in spans}, self.store)
        start, end = spans["meta"]
        try:
            meta = orjson.loads(b'{"' + bytes(buf[start:end]) + b"}") if end > start else {}
        except orjson.JSONDecodeError:
            meta = None
        return files.schema(files.check_shape({**{name: {} for name in spans}, "meta": meta}, self.store))

    def _stamp(self, db: sqlite3.Connection, st: os.stat_result, crc: int, at_ns: int, **more: Any) -> None:
        """Record what the index now describes: the file's stamp and CRC, and how many claims it has."""
        claims = db.execute("SELECT count(*) FROM claims").fetchone()[0]
        values = {"stamp": file_stamp(st), "settled": int(settled(st, at_ns)), "crc": crc, "size": st.st_size,
                  "claims": claims, **more}
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))

    def _build(self, buf: Any, spans: Spans | None, data: dict[str, Any] | None, st: os.stat_result,
               crc: int, now: int) -> None:
        """A new database from the whole file, under a new name; then the pointer names it."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise IndexUnavailable(f"{self.folder}: cannot make the index folder ({exc.strerror or exc}); "
                                   "reading the store whole") from None
        old = self._current()
        self.close()
        path = self.folder / f"{self.name}-{secrets.token_hex(6)}.sqlite3"
        db = self._connect(path, new=True)
        try:
            db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + index_rows.TABLES_SQL)
            db.execute("BEGIN")
            as_written = self._fill(db, buf, data)
            for statement in index_rows.INDEXES_SQL.strip().splitlines():
                db.execute(statement)
            self._stamp(db, st, crc, now, format=FORMAT, store=os.fsencode(os.path.abspath(self.store)), as_written=int(as_written),
                        spans=orjson.dumps(spans or {}).decode())
            db.execute("COMMIT")
            db.execute("PRAGMA journal_mode = WAL")
            db.close()
            try:
                files.write_atomically(self.pointer, path.name.encode("ascii") + b"\n", durable=False, mode=0o600)
            except StoreError as exc:
                raise IndexUnavailable(f"{exc} (the index; reading the store whole)") from None
        except BaseException:
            db.close()
            _remove(path)
            raise
        if old is not None and old != path:
            _remove(old)
        self.db, self.as_written, self.spans = self._connect(path), as_written, spans

    def _fill(self, db: sqlite3.Connection, buf: Any, data: dict[str, Any] | None) -> bool:
        """Index every record of the file; whether each is written as natoclaims writes it."""
        if data is not None:
            index_rows.put(db, [(table, key, index_rows.canonical_crc(key, record), self._checked(table, key, record))
                                for table in sorted(data) for key, record in sorted(data[table].items())])
            return False
        batch: list[tuple[str, str, int, Any]] = []
        as_written = True
        for table, key, piece in self._walk(buf):
            record = self._checked(table, key, self._value(piece))
            as_written = as_written and make_piece(key, record) == piece
            batch.append((table, key, zlib.crc32(piece), record))
            if len(batch) >= BATCH:
                index_rows.put(db, batch)
                batch = []
        index_rows.put(db, batch)
        return as_written

    def _reindex(self, buf: Any, spans: Spans | None, data: dict[str, Any] | None, st: os.stat_result,
                 crc: int, now: int) -> None:
        """Index again only the records whose bytes changed (`git pull`, an editor, the merge driver)."""
        assert self.db is not None
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            known = {("claims", key): crc for key, crc in db.execute("SELECT id, crc FROM claims")}
            recorded = db.execute("SELECT value FROM meta WHERE key = 'claims'").fetchone()
            if recorded is None or recorded[0] != sum(1 for table, _ in known if table == "claims"):
                raise Rebuild  # rows lost since it was last stamped: damaged, never mended in place
            known.update(((tab, key), crc) for tab, key, crc in db.execute("SELECT tab, key, crc FROM records"))
            changed: list[tuple[str, str, int, Any]] = []
            as_written = self.as_written and data is None
            if data is not None:
                walked = 0
                for table in sorted(data):
                    for key, record in data[table].items():
                        walked += 1
                        record_crc = index_rows.canonical_crc(key, record)
                        if known.pop((table, key), None) != record_crc:
                            changed.append((table, key, record_crc, self._checked(table, key, record)))
                gone = list(known)
            else:
                walked, view = 0, memoryview(buf)
                try:
                    for table, key, start, end in iter_records(buf):  # the CRC of a piece, no copy of it
                        walked += 1
                        piece_crc = zlib.crc32(view[start:end])
                        if known.pop((table, key), None) != piece_crc:
                            piece = bytes(view[start:end])
                            record = self._checked(table, key, self._value(piece))
                            as_written = as_written and make_piece(key, record) == piece
                            changed.append((table, key, piece_crc, record))
                finally:
                    view.release()
                gone = list(known)
            if len(gone) + len(changed) > max(1000, walked // 2):
                raise Rebuild  # most records changed: a new database is faster than changing this one
            index_rows.drop(db, gone + [(t, k) for t, k, _, _ in changed])
            index_rows.put(db, changed)
            self._stamp(db, st, crc, now, as_written=int(as_written), spans=orjson.dumps(spans or {}).decode())
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.as_written, self.spans = as_written, spans

    def _walk(self, buf: Any) -> Iterator[tuple[str, str, bytes]]:
        """(table, key, piece) of every record, in file order."""
        for table, key, start, end in iter_records(buf):
            yield table, key, bytes(buf[start:end])

    def _value(self, piece: bytes) -> Any:
        try:
            return piece_value(piece)
        except orjson.JSONDecodeError as exc:
            raise NotAsWritten(str(exc)) from None

    def _checked(self, table: str, key: str, record: Any) -> Any:
        """A record as `files.check_shape` accepts it (of a table it knows, a claim under its own id), and
        a claim whose fields the index can file: one it cannot is named, never left out of the answers."""
        if table not in files.TABLES or (table == "claims" and not (isinstance(record, dict) and record.get("id") == key)):
            files.check_shape({"claims": {key: record}, "meta": {"1": {"schema": files.SCHEMA}}, table: {key: record}},
                              self.store)
        problem = index_rows.claim_problem(record) if table == "claims" else None
        if problem:
            raise StoreError(f"{self.store}: damaged store: claim {key!r} {problem} ('natoclaims check' lists every "
                             "problem; edit the file to mend it)", about="damaged-claim", path=self.store)
        return record

    def written(self, st: os.stat_result, crc: int, changes: Iterable[tuple[str, str, Any]],
                spans: Spans | None) -> None:
        """After natoclaims wrote the file the index matched: index the changed records (table, key,
        record or None). The file is now as natoclaims writes it."""
        if self.db is None:
            return
        changes = list(changes)
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            index_rows.drop(db, [(table, key) for table, key, _ in changes])
            index_rows.put(db, [(table, key, index_rows.canonical_crc(key, record), record)
                                for table, key, record in changes if record is not None])
            self._stamp(db, st, crc, time.time_ns(), as_written=1, spans=orjson.dumps(spans or {}).decode())
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.as_written, self.spans = True, spans

def _remove(path: Path) -> None:
    for each in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            os.unlink(each)


__all__ = ["Index", "IndexUnavailable", "IndexedTable", "crc_of", "file_stamp"]
