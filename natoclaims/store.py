"""The store of SPEC section 2: the only module that imports TinyDB.

A TinyDB JSON file with the tables `claims` (keyed by claim id), `actors` (keyed by
canonical name) and `meta`. Every write runs under a cross-process lock on a sidecar
file, re-reads the file, and replaces it atomically (temp file, fsync, rename), once.
Reading goes through a cache of the parsed store that is used only when it matches the file.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from natoclaims.errors import InvalidInput, NotFound, StoreError
from natoclaims.model import resolve_id

SCHEMA = 1
TABLES = ("claims", "actors", "meta")
LOCK_TIMEOUT_SECONDS = 60
TITLES = (
    "president", "vice president", "prime minister", "chancellor", "secretary", "minister",
    "general", "senator", "mr", "mrs", "ms", "dr", "sir", "secretary-general",
)


def default_path() -> Path:
    """The user's data file: $XDG_DATA_HOME/natoclaims/claims.json, else ~/.local/share/..."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "natoclaims" / "claims.json"


def bundled_dataset() -> Path:
    """The curated dataset shipped in the package (or in the checkout, for an editable install)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data" / "claims.json", here.parent / "data" / "claims.json"):
        if candidate.is_file():
            return candidate
    raise StoreError("the bundled dataset is missing from this installation")


def encode(data: Any) -> bytes:
    """Deterministic, diff-friendly JSON: UTF-8, 2-space indent, sorted keys, trailing newline."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


def empty_data() -> dict[str, Any]:
    return {"actors": {}, "claims": {}, "meta": {"1": {"schema": SCHEMA}}}


def check_shape(data: Any, path: Path) -> dict[str, Any]:
    """The parsed file if it is a natoclaims store of a schema this version can read."""
    if not isinstance(data, dict) or "meta" not in data or "claims" not in data:
        raise StoreError(f"{path}: not a natoclaims store (no 'claims' and 'meta' tables)")
    unknown = sorted(set(data) - set(TABLES) - {"_default"})
    if unknown or data.get("_default"):
        raise StoreError(f"{path}: not a natoclaims store (unexpected table {(unknown or ['_default'])[0]!r})")
    if not all(isinstance(data.get(t, {}), dict) for t in TABLES):
        raise StoreError(f"{path}: not a natoclaims store (a table is not an object)")
    schema = next(iter(data["meta"].values()), {}).get("schema") if data["meta"] else None
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise StoreError(f"{path}: not a natoclaims store (no schema version)")
    if schema > SCHEMA:
        raise StoreError(f"{path}: store schema {schema} is newer than this natoclaims understands ({SCHEMA}); upgrade")
    for key, claim in data["claims"].items():
        if not isinstance(claim, dict) or claim.get("id") != key:
            raise StoreError(f"{path}: damaged store: claim {key!r} is not a claim record")
    data.setdefault("actors", {})
    data.pop("_default", None)
    return data


@contextmanager
def reading(path: Path) -> Iterator[Any]:
    """The store file open for binary reading, with every OS error as one clear StoreError."""
    try:
        with open(path, "rb") as handle:
            yield handle
    except IsADirectoryError:
        raise StoreError(f"{path}: is a directory, not a store file") from None
    except PermissionError:
        raise StoreError(f"{path}: permission denied") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror}") from None


def decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StoreError(f"{path}: not valid JSON (not UTF-8 text: {exc.reason})") from None


def parse(text: str, path: Path) -> dict[str, Any]:
    """A store file's text, parsed and checked."""
    if not text or text.isspace():
        raise StoreError(f"{path}: the file is empty, not a natoclaims store (run 'natoclaims init --force' to start over)")
    try:
        # The stdlib parser shares repeated keys, so a 100k-claim store takes ~4x its file
        # size in memory (orjson: ~6x); with the GC off (see cli.main) it is as fast.
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoreError(f"{path}: not valid JSON ({exc})") from None
    return check_shape(data, path)


def read_file(path: Path) -> dict[str, Any]:
    """Parse and check a store file; never modifies it."""
    with reading(path) as handle:
        return parse(decode(handle.read(), path), path)


# -- the parsed-store cache ------------------------------------------------------------------
#
# Parsing JSON is most of the time of every command on a large store, so the parsed store is
# also kept in marshal form (twice as fast to load) under $XDG_CACHE_HOME. The cache names the
# store file it was made from by the SHA-256 of its bytes and, once the file has stood still
# for a few seconds, by its stamp (device, inode, size, and change and modification times to
# the nanosecond: more than Python checks before it trusts a .pyc), which is checked without
# reading the file. A cache that matches neither is never used, whoever changed the file.
# Writers refresh it; a reader that finds it stale rebuilds it. Losing it costs only time.

CACHE_TAG = f"natoclaims-cache-2/{sys.implementation.cache_tag}/marshal-{marshal.version}"
SETTLED_NS = 3_000_000_000  # coarser than any file system's clock (FAT: 2 s)
UNSETTLED = "-"


def cache_path(path: Path) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    name = hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()[:32]
    return Path(base) / "natoclaims" / f"{name}.marshal"


def file_stamp(stat: os.stat_result) -> str:
    """What identifies a file's version without reading it, or UNSETTLED if it changed so
    recently that a change in the same clock tick would leave these times as they are."""
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) < SETTLED_NS:
        return UNSETTLED
    return f"{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"


def read_cache(path: Path, stamp: str, digest: str | None = None) -> tuple[dict[str, Any] | None, bool]:
    """The parsed store from the cache if it was made from a file with this stamp (or, given
    one, this digest), and whether the cache names this stamp."""
    try:
        with open(cache_path(path), "rb") as handle:
            tag, made_from_digest, made_from_stamp = handle.readline().decode("ascii").split()
            by_stamp = stamp != UNSETTLED and made_from_stamp == stamp
            if tag != CACHE_TAG or not (by_stamp or made_from_digest == digest):
                return None, False
            data = marshal.loads(handle.read())
    except (OSError, UnicodeDecodeError, ValueError, EOFError, TypeError):
        return None, False
    # It was checked when it was made (the full check_shape costs 30 ms at 100k claims).
    if isinstance(data, dict) and all(isinstance(data.get(t), dict) for t in TABLES):
        return data, by_stamp
    return None, False


def write_cache(path: Path, digest: str, stamp: str, data: dict[str, Any]) -> None:
    """Best effort: a cache that cannot be written is simply not there next time."""
    target = cache_path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in target.parent.glob(f".{target.name}.*.tmp"):  # left by a killed process
            with suppress(OSError):
                if time.time() - stale.stat().st_mtime > 60:
                    stale.unlink()
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(f"{CACHE_TAG} {digest} {stamp}\n".encode("ascii"))
                handle.write(marshal.dumps(data))
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):
        pass


def load(path: Path, *, cache: bool = True) -> dict[str, Any]:
    """The store at `path`, parsed and checked: from the cache when it matches the file (and
    cached for next time when it did not, unless `cache` is False: a writer caches what it writes)."""
    with reading(path) as handle:
        # One open file throughout: a writer renaming a new store meanwhile changes nothing here.
        stamp = file_stamp(os.fstat(handle.fileno()))
        data, _ = read_cache(path, stamp)
        if data is not None:
            return data
        raw = handle.read()
    digest = hashlib.sha256(raw).hexdigest()
    data, by_stamp = read_cache(path, stamp, digest)
    if data is None:
        text = decode(raw, path)
        del raw  # the bytes, the text and the cache of a large store need not all stay in memory
        data = parse(text, path)
        del text
    elif by_stamp or stamp == UNSETTLED:
        return data
    if cache:
        write_cache(path, digest, stamp, data)  # now with the stamp, to skip the digest next time
    return data


def canonical(data: dict[str, Any], changes: list[dict[str, Any]]) -> dict[str, Any]:
    """`data` after a write, in the order parsing the written file gives (tables and keys sorted).

    Records that did not change came from a parse (or a cache of one) and are already in that
    order; the changed ones are put in it by a round trip.
    """
    for change in changes:
        if change["after"] is not None:
            data[change["table"]][change["key"]] = json.loads(orjson.dumps(change["after"], option=orjson.OPT_SORT_KEYS))
    for name in {change["table"] for change in changes}:
        keys = sorted(data[name])
        if keys != list(data[name]):
            data[name] = {key: data[name][key] for key in keys}
    return {name: data[name] for name in sorted(data)}


def write_atomically(path: Path, content: bytes) -> None:
    """Write to a temp file beside `path`, fsync, rename over it: readers see old or new, never half."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(f"{path}: the store is read-only")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise StoreError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def remove_stale_temp_files(path: Path) -> None:
    """Delete temp files a killed writer left beside the store (call only while holding the lock)."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            stale.unlink()
        except OSError:
            pass


class CachedAtomicStorage(Storage):
    """TinyDB storage that reads the file once and writes it once, atomically, on `flush`.

    TinyDB's own JSONStorage writes in place (a crash truncates the store) and re-reads
    the file on every table access (slow at 100k claims).
    """

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data
        self.dirty = False
        self.written: str | None = None  # the SHA-256 of what flush last wrote

    def read(self) -> dict[str, Any]:
        return self.data

    def write(self, data: dict[str, Any]) -> None:
        self.data = data
        self.dirty = True

    def flush(self) -> None:
        if self.dirty:
            remove_stale_temp_files(self.path)
            content = encode(self.data)
            write_atomically(self.path, content)
            self.written = hashlib.sha256(content).hexdigest()
            self.dirty = False

    def refresh_cache(self, changes: list[dict[str, Any]]) -> None:
        """After a flush: put the data in file order and cache it for the next command."""
        if self.written:
            self.data = canonical(self.data, changes)
            write_cache(self.path, self.written, UNSETTLED, self.data)  # a file just written is unsettled


JOURNALED_TABLES = ("claims", "actors")


def changed_records(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The before/after of every claim and actor that differs (unchanged ones keep their identity: cheap)."""
    changes = []
    for table in JOURNALED_TABLES:
        old_table, new_table = before[table], after[table]
        found = [(key, old, new) for key, new in new_table.items()
                 if (old := old_table.get(key)) is not new and old != new]
        found += [(key, old_table[key], None) for key in old_table.keys() - new_table.keys()]
        # Only the changed keys are sorted (for a stable journal), not every key of the table.
        changes += [{"table": table, "key": key, "before": old, "after": new} for key, old, new in sorted(found)]
    return changes


class KeyedTable(Table):
    """A table whose document ids are the records' own keys (claim id, actor name), not counters."""

    document_id_class = str  # type: ignore[assignment]

    def _update_table(self, updater: Any) -> None:
        # TinyDB copies the whole table twice per change to convert its keys to
        # document_id_class and back; ours are strings already, so change it in place
        # (0.2 s less per write at 100k claims).
        tables = self._storage.read()
        updater(tables.setdefault(self.name, {}))
        self._storage.write(tables)
        self.clear_cache()


class ClaimsDB(TinyDB):
    table_class = KeyedTable


class Journal:
    """Change sets beside the store (`claims.json.journal`), one JSON line each, oldest first.

    Under the store's lock a change set is appended and fsynced, then the store is replaced,
    then a small `{"commit": id}` line follows. A crash leaves at most one uncommitted change
    set at the end; the next write keeps it if the store has it, else drops it.
    """

    def __init__(self, store_path: Path) -> None:
        self.path = store_path.with_name(store_path.name + ".journal")

    def entries(self) -> tuple[list[dict[str, Any]], list[str]]:
        """Every committed change set, oldest first, and a line per damaged one."""
        if not self.path.exists():
            return [], []
        try:
            lines = self.path.read_bytes().split(b"\n")
        except OSError as exc:
            return [], [f"{self.path}: cannot read: {exc.strerror}"]
        entries, committed, problems = [], set(), []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                if isinstance(entry, dict) and "commit" in entry:
                    committed.add(entry["commit"])
                    continue
                if not isinstance(entry, dict) or not isinstance(entry.get("changes"), list):
                    raise ValueError("not a change set")
                entries.append(entry)
            except ValueError:
                problems.append(f"{self.path}: line {number} is damaged")
        return [e for e in entries if e.get("id") in committed], problems

    def _append(self, line: bytes) -> int:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            size = os.fstat(fd).st_size
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        return size

    def begin(self, entry: dict[str, Any]) -> int:
        """Append a change set durably; returns the journal's size before it, to take it back."""
        return self._append(orjson.dumps(entry) + b"\n")

    def commit(self, entry_id: str) -> None:
        self._append(orjson.dumps({"commit": entry_id}) + b"\n")

    def truncate(self, size: int) -> None:
        with open(self.path, "r+b") as handle:
            handle.truncate(size)
            handle.flush()
            os.fsync(handle.fileno())

    def rewrite(self, entries: list[dict[str, Any]]) -> None:
        """Replace the journal with these (committed) change sets."""
        lines = [orjson.dumps(e) + b"\n" + orjson.dumps({"commit": e["id"]}) + b"\n" for e in entries]
        write_atomically(self.path, b"".join(lines))

    def _last_line(self) -> tuple[int, bytes]:
        """Where the last line starts, and the line, reading back from the end in blocks."""
        with open(self.path, "rb") as handle:
            end = handle.seek(0, os.SEEK_END)
            tail = b""
            position = end
            while position > 0:
                step = min(65536, position)
                position -= step
                handle.seek(position)
                tail = handle.read(step) + tail
                body = tail.rstrip(b"\n")
                if b"\n" in body or position == 0 and body:
                    break
            body = tail.rstrip(b"\n")
            cut = body.rfind(b"\n") + 1
            return position + cut, body[cut:]

    def settle(self, tables: dict[str, dict[str, Any]]) -> None:
        """After a crash: commit a last change set the store has, drop one it does not."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        start, line = self._last_line()
        try:
            entry = json.loads(line)
            if "commit" in entry:
                return
            applied = all(tables[c["table"]].get(c["key"]) == c["after"] for c in entry["changes"])
        except (ValueError, KeyError, TypeError):
            applied = False  # a half-written line: the store write after it never happened
        if applied:
            self.commit(entry["id"])
        else:
            self.truncate(start)


def fold_name(name: str) -> str:
    """An actor name compared ignoring case, accents and spacing."""
    from natoclaims.search import fold

    return " ".join(fold(name).split())


def current_user() -> str:
    """Who is making a change: $NATOCLAIMS_USER, else the login name."""
    import getpass

    try:
        return os.environ.get("NATOCLAIMS_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class Store:
    """One store file: read it, look things up, and change it inside `writing()`."""

    def __init__(self, path: Path, *, user: str | None = None, command: str = "") -> None:
        self.path = path
        self.user = user or current_user()
        self.command = command
        self.journal = Journal(path)
        self.warnings: list[str] = []
        self.undoes: str | None = None  # set inside writing() by undo: the change set it reverts
        self._db: ClaimsDB | None = None
        self._writing = False

    # -- reading ---------------------------------------------------------------------------

    def _open(self, *, cache: bool = True) -> CachedAtomicStorage:
        """Read the file as it is now."""
        data = load(self.path, cache=cache) if self.path.exists() else empty_data()
        self._db = ClaimsDB(storage=CachedAtomicStorage, path=self.path, data=data)  # type: ignore[arg-type]
        return self.storage

    @property
    def db(self) -> ClaimsDB:
        if self._db is None:
            self._open()
        return self._db  # type: ignore[return-value]

    @property
    def storage(self) -> CachedAtomicStorage:
        return self.db.storage  # type: ignore[return-value]

    @property
    def claims(self) -> dict[str, dict[str, Any]]:
        """Every claim by id (the raw records: read, do not change)."""
        return self.storage.read()["claims"]

    @property
    def actors(self) -> dict[str, dict[str, Any]]:
        """Every actor by canonical name."""
        return self.storage.read().setdefault("actors", {})

    def get(self, id_or_prefix: str) -> dict[str, Any]:
        """The claim with this id or unique prefix (>= 4 chars)."""
        return self.claims[resolve_id(id_or_prefix, self.claims)]

    def resolve_actor(self, name: str) -> str | None:
        """The canonical name for a name or alias ('Trump' -> 'Donald Trump'), or None."""
        wanted = fold_name(name)
        if not wanted:
            return None
        for canonical, actor in self.actors.items():
            if wanted == fold_name(canonical) or wanted in {fold_name(a) for a in actor.get("aliases", [])}:
                return canonical
        words = wanted.split()
        for size in (2, 1):
            if len(words) > size and " ".join(words[:size]) in TITLES:
                return self.resolve_actor(" ".join(words[size:]))
        return None

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def _lock(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_SECONDS)
        try:
            with lock:
                yield
        except Timeout:
            raise StoreError(f"{self.path}: the store is locked by another natoclaims process") from None

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
        with self._lock():
            storage = self._open(cache=False)  # what this write stores is cached after it
            if not self.path.exists():
                storage.dirty = True
            self.undoes = None
            try:
                self.journal.settle(self.storage.read())
            except OSError as exc:
                self.warnings.append(f"journal {self.journal.path}: {exc.strerror or exc}; undo may not work")
            before = {table: dict(self.storage.read().setdefault(table, {})) for table in JOURNALED_TABLES}
            yield
            changes = changed_records(before, self.storage.read())
            if not changes:
                storage.flush()
                storage.refresh_cache(changes)
                return
            from natoclaims.model import new_id, utc_now

            entry = {"id": new_id(), "at": utc_now(), "user": self.user,
                     "command": self.command, "changes": changes}
            if self.undoes:
                entry["undoes"] = self.undoes
            try:
                size: int | None = self.journal.begin(entry)
            except OSError as exc:  # the journal never blocks normal work
                self.warnings.append(f"journal {self.journal.path}: {exc.strerror or exc}; this change cannot be undone")
                size = None
            try:
                storage.flush()
            except BaseException:
                if size is not None:
                    self.journal.truncate(size)
                raise
            if size is not None:
                self.journal.commit(entry["id"])
            storage.refresh_cache(changes)

    def table(self, name: str) -> Table:
        return self.db.table(name, cache_size=0)

    def insert_claims(self, claims: list[dict[str, Any]]) -> None:
        """Add new claims (their ids must be free)."""
        taken = [c["id"] for c in claims if c["id"] in self.claims]
        if taken:
            raise InvalidInput(f"a claim with id {taken[0]!r} already exists")
        self.table("claims").insert_multiple(Document(c, doc_id=c["id"]) for c in claims)

    def replace_claims(self, claims: list[dict[str, Any]]) -> None:
        """Store new versions of existing claims."""
        if not claims:
            return
        table = self.table("claims")
        table.remove(doc_ids=[c["id"] for c in claims])  # one call: each call rewrites the whole table
        table.insert_multiple(Document(c, doc_id=c["id"]) for c in claims)

    def remove_claims(self, ids: list[str]) -> None:
        if ids:
            self.table("claims").remove(doc_ids=ids)

    def put_actor(self, actor: dict[str, Any]) -> None:
        """Add or replace an actor record (keyed by its canonical name)."""
        table = self.table("actors")
        if actor["name"] in self.actors:
            table.remove(doc_ids=[actor["name"]])
        table.insert(Document(actor, doc_id=actor["name"]))

    def put_actors(self, actors: list[dict[str, Any]]) -> None:
        """Add actor records that are not in the table yet."""
        self.table("actors").insert_multiple(Document(a, doc_id=a["name"]) for a in actors)

    def actor(self, name: str) -> dict[str, Any]:
        canonical = self.resolve_actor(name)
        if canonical is None or canonical not in self.actors:
            raise NotFound(f"no actor named {name!r}")
        return self.actors[canonical]


def initialise(path: Path, *, empty: bool, force: bool, user: str = "unknown", command: str = "") -> int:
    """Create the store at `path` (bundled dataset, or empty); returns the number of claims.

    Replacing an existing store (--force) is a change set like any other, so it can be undone.
    """
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a store file")
    data = empty_data() if empty else read_file(bundled_dataset())
    if path.exists():
        if not force:
            raise StoreError(f"{path}: a store already exists here (use --force to replace it)")
        store = Store(path, user=user, command=command)
        with store.writing():
            store.table("claims").truncate()
            store.table("actors").truncate()
            store.put_actors(list(data["actors"].values()))
            store.insert_claims(list(data["claims"].values()))
        return len(data["claims"])
    with Store(path)._lock():
        if not path.exists():
            write_atomically(path, encode(data) if empty else bundled_dataset().read_bytes())
    return len(data["claims"])


def open_store(path: str | os.PathLike[str] | None = None, *, user: str | None = None) -> Store:
    """The store at `path` (else $NATOCLAIMS_DB, else the user's data file), changes made as `user`."""
    if path is None:
        path = os.environ.get("NATOCLAIMS_DB") or default_path()
    return Store(Path(path), user=user)
