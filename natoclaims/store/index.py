"""The index of SPEC section 15: a SQLite file derived from the store file, so that a read costs
what its answer costs rather than a parse of the whole store.

It lives under the cache root, never in git, and is never believed blindly. It records the
store file's stamp (device, inode, size, change and modification times to the nanosecond) and a
CRC-32 of its bytes. A settled stamp that matches is trusted; a stamp taken within the clock
tick of the file's last change (git's "racily clean" case) or one that differs is checked
against the CRC, and a file that changed is walked record by record: only the records whose
bytes differ are indexed again. A database that is damaged, of another format or made for
another file is replaced by a new one, built under a new name that a small pointer file then
names, so a stale `-wal` never meets a database it was not written for. Deleting the index
loses nothing.

Tables: `claims` (one row per claim: the fields filters use, and the record as JSON), `records`
(actors, sources and meta), `labels` (a claim's topics, measures, propositions, links and
figures), and `words`, an FTS5 table of the folded words a query can match. FTS5's tokenizers
do not split text as the search matcher does (`_`, apostrophes, ß, "35,000"), so each word is
indexed as the hex of its UTF-8 bytes: one ASCII token per word whose prefixes are the
prefixes of the word. A query finds its candidates here, and the matcher decides.
"""

from __future__ import annotations

import contextlib
import functools
import mmap
import os
import secrets
import sqlite3
import stat as stat_module
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from natoclaims.errors import StoreError
from natoclaims.model.dates import date_range
from natoclaims.model.text import haystack, word_tokens
from natoclaims.paths import index_pointer
from natoclaims.store import files
from natoclaims.store.pieces import NotAsWritten, iter_records, make_piece, piece_value, table_span

FORMAT = 1
TICK_NS = 50_000_000  # the coarsest clock tick of a file system with nanosecond times (Linux: 1-10 ms)
COARSE_TICK_NS = 2_100_000_000  # FAT and some network file systems keep times to the second or two
CHUNK = 16 << 20
BATCH = 2000
UNDATED_FROM, UNDATED_TO = "~", ""  # an undated claim matches no date bound

SCHEMA_SQL = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE records(tab TEXT NOT NULL, key TEXT NOT NULL, crc INTEGER NOT NULL, json BLOB NOT NULL,
                     PRIMARY KEY (tab, key)) WITHOUT ROWID;
CREATE TABLE claims(n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, actor TEXT NOT NULL, status TEXT NOT NULL,
                    kind TEXT NOT NULL, said_from TEXT NOT NULL, said_to TEXT NOT NULL, crc INTEGER NOT NULL,
                    json BLOB NOT NULL);
CREATE TABLE labels(what TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL);
CREATE VIRTUAL TABLE words USING fts5(tokens, tokenize='ascii', detail='none', prefix='2 4 6');
"""
INDEXES_SQL = """
CREATE INDEX claims_actor ON claims(actor);
CREATE INDEX claims_status ON claims(status);
CREATE INDEX labels_value ON labels(what, value);
CREATE INDEX labels_n ON labels(n);
"""


def file_stamp(st: os.stat_result) -> str:
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def settled(st: os.stat_result, at_ns: int) -> bool:
    """Whether a change to the file after `at_ns` must change its stamp: its last change was more
    than a clock tick before (else a change in the same tick could leave every time as it is)."""
    coarse = st.st_mtime_ns % 1_000_000 == 0 and st.st_ctime_ns % 1_000_000 == 0
    return at_ns - max(st.st_mtime_ns, st.st_ctime_ns) > (COARSE_TICK_NS if coarse else TICK_NS)


def crc_of(buf: Any) -> int:
    """The CRC-32 of a file's bytes (a buffer or parts), in chunks so no copy is made."""
    crc = 0
    for part in buf if isinstance(buf, list) else [buf]:
        view = memoryview(part)
        for at in range(0, len(view), CHUNK):
            crc = zlib.crc32(view[at:at + CHUNK], crc)
    return crc


def claim_row(record: dict[str, Any]) -> tuple[Any, ...]:
    """(actor, status, kind, said_from, said_to) of a claim, as the filters compare them."""
    said_on = record.get("said_on")
    if said_on:
        try:
            start, end = date_range(said_on)
            said_from, said_to = start.isoformat(), end.isoformat()
        except (ValueError, TypeError):
            said_from, said_to = UNDATED_FROM, UNDATED_TO
    else:
        said_from, said_to = UNDATED_FROM, UNDATED_TO
    return (str(record.get("actor")), str(record.get("status")), str(record.get("kind")), said_from, said_to)


def claim_labels(record: dict[str, Any]) -> set[tuple[str, str]]:
    """The (what, value) pairs a claim is found by besides its fields and words."""
    labels: set[tuple[str, str]] = set()

    def each(name: str) -> list[Any]:
        value = record.get(name)
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    topics = record.get("topics")
    labels.update(("topic", t) for t in topics if isinstance(t, str)) if isinstance(topics, list) else None
    for quantity in each("quantities"):
        labels.add(("figure", str(quantity.get("measure") or "")))
        labels.add(("unit", str(quantity.get("unit") or "")))
    labels.update(("proposition", str(s.get("proposition"))) for s in each("stances"))
    for link in each("links"):
        labels.add(("link", str(link.get("to"))))
        labels.add(("relation", str(link.get("relation"))))
    return labels


@functools.lru_cache(maxsize=1 << 16)
def hex_word(word: str) -> str:
    """A word as FTS5 sees it: the hex of its UTF-8 bytes (a prefix of the word is a prefix of this)."""
    return word.encode("utf-8", "surrogatepass").hex()


def claim_words(record: dict[str, Any]) -> str:
    """The FTS5 document of a claim: its distinct words, each as `hex_word` gives it."""
    try:
        return " ".join(map(hex_word, set(word_tokens(haystack(record)))))
    except (TypeError, AttributeError, KeyError):
        return ""


class IndexUnavailable(Exception):
    """The index cannot be made or kept here (the cache folder is not writable, the disk is full):
    the store is read whole instead."""


class Index:
    """One store file's index. `sync()` brings it up to date with the file; reads then go through
    `records`, `claim`, `claims_where` and the SQL helpers."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.pointer = index_pointer(store)
        self.folder, self.name = self.pointer.parent, self.pointer.stem
        self.db: sqlite3.Connection | None = None
        self.as_written = False

    # -- opening ---------------------------------------------------------------------------

    def _current(self) -> Path | None:
        """The database the pointer names, if it is a regular file of this user's."""
        raw = files.read_owned(self.pointer, "index pointer", limit=200)  # a link or a pipe is refused by name
        name = (raw or b"").decode("ascii", "replace").strip()
        if not name or "/" in name or not name.startswith(self.name):
            return None
        path = self.folder / name
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if not stat_module.S_ISREG(st.st_mode) or st.st_uid != os.getuid():
            return None
        return path

    def _connect(self, path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA busy_timeout = 30000")
        return db

    def _meta(self, db: sqlite3.Connection) -> dict[str, Any]:
        return dict(db.execute("SELECT key, value FROM meta").fetchall())

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
        """Make the index describe these bytes of the file (`st` its stat); False as `sync`."""
        if self.db is None:
            self._open_db()
        if self._schema(buf) < files.SCHEMA:
            self.close()
            return False
        try:
            self._update(buf, st)
        except sqlite3.Error as exc:
            self.close()
            raise IndexUnavailable(f"{self.folder}: the index cannot be written ({exc}); reading the store whole") from None
        return True

    def _schema(self, buf: Any) -> int:
        """The file's schema, after the checks `files.check_shape` makes of its tables."""
        claims, meta = table_span(buf, "claims"), table_span(buf, "meta")
        if claims is not None and meta is not None:
            try:
                record = orjson.loads(b"{\"" + bytes(buf[meta[0]:meta[1]]) + b"}") if meta[1] > meta[0] else {}
            except orjson.JSONDecodeError:
                record = None
            if isinstance(record, dict):
                return files.schema(files.check_shape({"claims": {}, "meta": record}, self.store))
        return files.schema(files.parse(files.decode(bytes(buf), self.store), self.store))

    def _open_db(self) -> dict[str, Any]:
        """Open the database the pointer names, if it is one of this format made for this file; its meta."""
        self.close()
        path = self._current()
        if path is None:
            return {}
        try:
            db = self._connect(path)
            meta = self._meta(db)
        except sqlite3.Error:
            return {}
        if meta.get("format") != FORMAT or meta.get("store") != os.path.abspath(self.store):
            db.close()
            return {}
        self.db, self.as_written = db, bool(meta.get("as_written"))
        return meta

    def _update(self, buf: Any, st: os.stat_result) -> None:
        crc = crc_of(buf)
        now = time.time_ns()
        if self.db is not None:
            try:
                meta = self._meta(self.db)
                if meta.get("crc") == crc and meta.get("size") == st.st_size:
                    self._stamp(self.db, st, crc, now)
                    return
                self._reindex(buf, st, crc, now)
                return
            except sqlite3.DatabaseError:
                pass  # damaged: built anew below
        self._build(buf, st, crc, now)

    def _stamp(self, db: sqlite3.Connection, st: os.stat_result, crc: int, at_ns: int, **more: Any) -> None:
        values = {"stamp": file_stamp(st), "settled": int(settled(st, at_ns)), "crc": crc, "size": st.st_size, **more}
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))

    def _build(self, buf: Any, st: os.stat_result, crc: int, now: int) -> None:
        """A new database from the whole file, under a new name; then the pointer names it."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise IndexUnavailable(f"{self.folder}: cannot make the index folder ({exc.strerror or exc}); "
                                   "reading the store whole") from None
        old = self._current()
        path = self.folder / f"{self.name}-{secrets.token_hex(6)}.sqlite3"
        db = self._connect(path)
        try:
            db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA_SQL)
            db.execute("BEGIN")
            as_written = self._fill(db, buf)
            for statement in INDEXES_SQL.strip().splitlines():
                db.execute(statement)
            self._stamp(db, st, crc, now, format=FORMAT, store=os.path.abspath(self.store), as_written=int(as_written))
            db.execute("COMMIT")
            db.execute("PRAGMA journal_mode = WAL")
            db.close()
            files.write_atomically(self.pointer, path.name.encode("ascii") + b"\n", durable=False, mode=0o600)
        except BaseException as exc:
            db.close()
            _remove(path)
            if isinstance(exc, StoreError):
                raise IndexUnavailable(f"{exc} (the index; reading the store whole)") from None
            raise
        if old is not None and old != path:
            _remove(old)
        self.close()
        self.db, self.as_written = self._connect(path), as_written

    def _fill(self, db: sqlite3.Connection, buf: Any) -> bool:
        """Index every record of the file; whether it is laid out as natoclaims writes it."""
        try:
            batch: list[tuple[str, str, int, Any]] = []
            as_written = True
            for table, key, piece in _walk(buf):
                record = self._checked(table, key, piece_value(piece))
                as_written = as_written and make_piece(key, record) == piece
                batch.append((table, key, zlib.crc32(piece), record))
                if len(batch) >= BATCH:
                    self._put(db, batch, fresh=True)
                    batch = []
            self._put(db, batch, fresh=True)
            return as_written
        except NotAsWritten:
            db.execute("ROLLBACK")
            db.execute("BEGIN")
            for name in ("claims", "records", "labels", "words"):
                db.execute(f"DELETE FROM {name}")
            data = files.parse(files.decode(bytes(buf), self.store), self.store)
            self._put(db, [(table, key, _canonical_crc(key, record), record)
                           for table in sorted(data) for key, record in sorted(data[table].items())], fresh=True)
            return False

    def _reindex(self, buf: Any, st: os.stat_result, crc: int, now: int) -> None:
        """Index again only the records whose bytes changed (`git pull`, an editor, the merge driver)."""
        assert self.db is not None
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            try:
                known = self._crcs(db)
                changed: list[tuple[str, str, int, Any]] = []
                seen: set[tuple[str, str]] = set()
                as_written = self.as_written
                for table, key, piece in _walk(buf):
                    piece_crc = zlib.crc32(piece)
                    seen.add((table, key))
                    if known.get((table, key)) != piece_crc:
                        record = self._checked(table, key, piece_value(piece))
                        as_written = as_written and make_piece(key, record) == piece
                        changed.append((table, key, piece_crc, record))
            except NotAsWritten:
                data = files.parse(files.decode(bytes(buf), self.store), self.store)
                known = self._crcs(db)
                changed, seen = [], set()
                for table in sorted(data):
                    for key, record in data[table].items():
                        seen.add((table, key))
                        record_crc = _canonical_crc(key, record)
                        if known.get((table, key)) != record_crc:
                            changed.append((table, key, record_crc, record))
                as_written = False
            gone = [key for key in known if key not in seen]
            self._drop(db, gone + [(t, k) for t, k, _, _ in changed])
            self._put(db, changed, fresh=False)
            self._stamp(db, st, crc, now, as_written=int(as_written))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.as_written = as_written

    def _checked(self, table: str, key: str, record: Any) -> Any:
        """A record as `files.check_shape` accepts it: a table it knows, a claim under its own id."""
        if table not in files.TABLES or (table == "claims" and not (isinstance(record, dict) and record.get("id") == key)):
            files.check_shape({"claims": {key: record}, "meta": {"1": {"schema": files.SCHEMA}}, table: {key: record}},
                              self.store)
        return record

    def _crcs(self, db: sqlite3.Connection) -> dict[tuple[str, str], int]:
        known = {("claims", key): crc for key, crc in db.execute("SELECT id, crc FROM claims")}
        known.update(((tab, key), crc) for tab, key, crc in db.execute("SELECT tab, key, crc FROM records"))
        return known

    def _drop(self, db: sqlite3.Connection, keys: Iterable[tuple[str, str]]) -> None:
        claim_ids = [key for table, key in keys if table == "claims"]
        others = [(table, key) for table, key in keys if table != "claims"]
        db.executemany("DELETE FROM records WHERE tab = ? AND key = ?", others)
        for at in range(0, len(claim_ids), 500):
            chunk = claim_ids[at:at + 500]
            marks = ",".join("?" * len(chunk))
            numbers = [n for (n,) in db.execute(f"SELECT n FROM claims WHERE id IN ({marks})", chunk)]
            if numbers:
                places = ",".join("?" * len(numbers))
                db.execute(f"DELETE FROM labels WHERE n IN ({places})", numbers)
                db.execute(f"DELETE FROM words WHERE rowid IN ({places})", numbers)
                db.execute(f"DELETE FROM claims WHERE n IN ({places})", numbers)

    def _put(self, db: sqlite3.Connection, rows: list[tuple[str, str, int, Any]], *, fresh: bool) -> None:
        """Index records (table, key, crc of their bytes, the record), claims with their words."""
        claims = [(key, crc, record) for table, key, crc, record in rows if table == "claims"]
        db.executemany("INSERT INTO records VALUES (?, ?, ?, ?)",
                       [(table, key, crc, orjson.dumps(record)) for table, key, crc, record in rows if table != "claims"])
        if not claims:
            return
        start = db.execute("SELECT coalesce(max(n), 0) FROM claims").fetchone()[0] + 1
        numbered = [(start + i, key, crc, record if isinstance(record, dict) else {}) for i, (key, crc, record) in enumerate(claims)]
        db.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [(n, key, *claim_row(record), crc, orjson.dumps(record)) for n, key, crc, record in numbered])
        db.executemany("INSERT INTO labels VALUES (?, ?, ?)",
                       [(what, value, n) for n, _, _, record in numbered for what, value in claim_labels(record)])
        db.executemany("INSERT INTO words(rowid, tokens) VALUES (?, ?)",
                       [(n, claim_words(record)) for n, _, _, record in numbered])

    def written(self, st: os.stat_result, crc: int, changes: list[tuple[str, str, Any]]) -> None:
        """After natoclaims wrote the file the index matched: index the changed records (table, key,
        record or None). The file is now as natoclaims writes it."""
        if self.db is None:
            return
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            self._drop(db, [(table, key) for table, key, _ in changes])
            self._put(db, [(table, key, _canonical_crc(key, record), record)
                           for table, key, record in changes if record is not None], fresh=False)
            self._stamp(db, st, crc, time.time_ns(), as_written=1)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.as_written = True

    # -- reading ---------------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        assert self.db is not None, "sync() first"
        return self.db

    def record(self, table: str, key: str) -> Any:
        """One record, or None."""
        if table == "claims":
            row = self._db().execute("SELECT json FROM claims WHERE id = ?", (key,)).fetchone()
        else:
            row = self._db().execute("SELECT json FROM records WHERE tab = ? AND key = ?", (table, key)).fetchone()
        return orjson.loads(row[0]) if row else None

    def keys(self, table: str) -> list[str]:
        if table == "claims":
            return [key for (key,) in self._db().execute("SELECT id FROM claims ORDER BY id")]
        return [key for (key,) in self._db().execute("SELECT key FROM records WHERE tab = ? ORDER BY key", (table,))]

    def count(self, table: str) -> int:
        if table == "claims":
            return int(self._db().execute("SELECT count(*) FROM claims").fetchone()[0])
        return int(self._db().execute("SELECT count(*) FROM records WHERE tab = ?", (table,)).fetchone()[0])

    def items(self, table: str) -> Iterator[tuple[str, Any]]:
        """Every record of a table in key order, parsed one at a time."""
        if table == "claims":
            rows = self._db().execute("SELECT id, json FROM claims ORDER BY id")
        else:
            rows = self._db().execute("SELECT key, json FROM records WHERE tab = ? ORDER BY key", (table,))
        for key, raw in rows:
            yield key, orjson.loads(raw)

    def with_prefix(self, prefix: str) -> list[str]:
        """Claim ids starting with `prefix`."""
        rows = self._db().execute("SELECT id FROM claims WHERE id >= ? AND id < ? ORDER BY id",
                                  (prefix, prefix + "\U0010ffff"))
        return [key for (key,) in rows]

    def claims_where(self, sql: str, parameters: Iterable[Any] = ()) -> list[dict[str, Any]]:
        """The claims whose row `n` is in the result of `sql` (a SELECT of claim numbers), in id order."""
        rows = self._db().execute(f"SELECT json FROM claims WHERE n IN ({sql}) ORDER BY id", tuple(parameters))
        return [orjson.loads(raw) for (raw,) in rows]

    def column(self, sql: str, parameters: Iterable[Any] = ()) -> list[Any]:
        return [row[0] for row in self._db().execute(sql, tuple(parameters))]

    def rows(self, sql: str, parameters: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        return self._db().execute(sql, tuple(parameters)).fetchall()


def _walk(buf: Any) -> Iterator[tuple[str, str, bytes]]:
    """(table, key, piece) of every record, in file order; NotAsWritten where keys repeat or are out of order."""
    last: tuple[str, str] | None = None
    for table, key, start, end in iter_records(buf):
        if last is not None and last >= (table, key):
            raise NotAsWritten(f"record {key!r} of {table!r} out of order")
        last = (table, key)
        yield table, key, bytes(buf[start:end])


def _canonical_crc(key: str, record: Any) -> int:
    """The CRC of a record's bytes as natoclaims writes them (for a file not laid out so, or a record
    just written), so that the next walk of a file as written finds it unchanged."""
    return zlib.crc32(make_piece(key, record))


def _remove(path: Path) -> None:
    for each in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            os.unlink(each)


class IndexedTable(Mapping[str, Any]):
    """One table of the store as a read-only mapping over the index: a record is parsed when asked for."""

    def __init__(self, index: Index, table: str) -> None:
        self.index, self.table = index, table

    def __getitem__(self, key: str) -> Any:
        record = self.index.record(self.table, key) if isinstance(key, str) else None
        if record is None:
            raise KeyError(key)
        return record

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.index.record(self.table, key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.index.keys(self.table))

    def __len__(self) -> int:
        return self.index.count(self.table)

    def items(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]  # one pass, not a view
        return self.index.items(self.table)

    def values(self) -> Iterator[Any]:  # type: ignore[override]  # one pass, not a view
        return (record for _, record in self.index.items(self.table))

    def with_prefix(self, prefix: str) -> list[str]:
        return self.index.with_prefix(prefix) if self.table == "claims" else []
