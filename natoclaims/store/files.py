"""The store file itself: parse and check it, encode it, and the one atomic write.

A TinyDB JSON file with the tables `claims` (keyed by claim id), `actors` (keyed by canonical
name) and `meta`. It is written deterministic and diff-friendly (SPEC section 2).
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import orjson

from natoclaims.errors import NatoclaimsError, StoreError

SCHEMA = 2  # 1: sources inline in claims, verdicts only as a status (upgraded on the first write)
TABLES = ("claims", "actors", "sources", "meta")
# What git leaves in a file it merged line by line (a store file never starts a line so: it is indented JSON).
CONFLICT_MARKERS_RE = re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


def encode(data: Any) -> bytes:
    """Deterministic, diff-friendly JSON: UTF-8, 2-space indent, sorted keys, trailing newline."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


def empty_data() -> dict[str, Any]:
    """An empty store of the current schema."""
    return {"actors": {}, "claims": {}, "meta": {"1": {"schema": SCHEMA}}, "sources": {}}


def schema(data: dict[str, Any]) -> int:
    """The schema of a parsed, checked store."""
    return int(data["meta"]["1"]["schema"])


def as_written(data: dict[str, Any]) -> dict[str, Any]:
    """The tables as the file holds them: a schema-1 store (an upgrade undone) has no sources table."""
    if schema(data) < 2 and not data.get("sources"):
        return {name: table for name, table in data.items() if name != "sources"}
    return data


def check_shape(data: Any, path: Path) -> dict[str, Any]:
    """The parsed file if it is a natoclaims store of a schema this version can read."""
    if not isinstance(data, dict) or "meta" not in data or "claims" not in data:
        raise StoreError(f"{path}: not a natoclaims store (no 'claims' and 'meta' tables)")
    unknown = sorted(set(data) - set(TABLES) - {"_default"})
    if unknown or data.get("_default"):
        raise StoreError(f"{path}: not a natoclaims store (unexpected table {(unknown or ['_default'])[0]!r})")
    if not all(isinstance(data.get(t, {}), dict) for t in TABLES):
        raise StoreError(f"{path}: not a natoclaims store (a table is not an object)")
    meta = data["meta"].get("1")
    version = meta.get("schema") if isinstance(meta, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreError(f"{path}: not a natoclaims store (no schema version)")
    if version > SCHEMA:
        raise StoreError(f"{path}: store schema {version} is newer than this natoclaims understands ({SCHEMA}); "
                         "install a newer natoclaims")
    for key, claim in data["claims"].items():
        if not isinstance(claim, dict) or claim.get("id") != key:
            raise StoreError(f"{path}: damaged store: claim {key!r} is not a claim record")
    data.setdefault("actors", {})
    data.setdefault("sources", {})
    data.pop("_default", None)
    return data


@contextmanager
def reading(path: Path, error: type[NatoclaimsError] = StoreError, what: str = "store file") -> Iterator[IO[bytes]]:
    """A regular file open for binary reading, with every OS error as one clear `error` naming the
    path. A FIFO, device or socket is refused at once (opened without blocking), never waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory, not a {what}") from None
    except PermissionError:
        raise error(f"{path}: permission denied") from None
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise error(f"{path}: is a directory, not a {what}")
        raise error(f"{path}: is not a regular file (a pipe, device or socket), not a {what}")
    os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as handle:
        try:
            yield handle
        except OSError as exc:
            raise error(f"{path}: cannot read: {exc.strerror}") from None


def open_owned(path: Path, flags: int, what: str, *, mode: int = 0o644,
               error: type[NatoclaimsError] = StoreError) -> int:
    """A file natoclaims keeps beside the store (journal, lock, conflicts, archive copies), opened
    as a descriptor: never through a symbolic link (a pulled branch may commit one pointing at
    ~/.bashrc or /dev/zero), only a regular file, only one owned by this user; refused by name.
    Add `os.O_CREAT | os.O_EXCL` to `flags` for a file that must be new."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, mode)
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise error(f"{path}: is a symbolic link; natoclaims never follows one for its {what} "
                        "(a branch may have committed it): remove it") from None
        if exc.errno == errno.EEXIST:
            raise error(f"{path}: already exists, so it cannot be a new {what}") from None
        raise error(f"{path}: cannot open this {what}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "a pipe, device or socket"
            raise error(f"{path}: is {kind}, not a regular file, so it cannot be this store's {what}")
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            raise error(f"{path}: belongs to another user, so natoclaims will not use it as its {what}")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_owned(path: Path, what: str, *, limit: int, error: type[NatoclaimsError] = StoreError) -> bytes | None:
    """The bytes of a file natoclaims keeps beside the store (see `open_owned`), None when there is
    none; refused beyond `limit` bytes rather than read without bound."""
    try:
        fd = open_owned(path, os.O_RDONLY, what, error=error)
    except error as exc:
        if not os.path.lexists(path):
            return None
        raise exc from None
    with os.fdopen(fd, "rb") as handle:
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise error(f"{path}: cannot read: {exc.strerror}") from None
    if len(raw) > limit:
        raise error(f"{path}: is larger than {limit:,} bytes, too large for this store's {what}")
    return raw


def real_folder(path: Path, what: str, *, error: type[NatoclaimsError] = StoreError) -> None:
    """Refuse a folder beside the store that is a symbolic link or not a directory (a branch may
    commit `claims.json.archive` as a link out of the work tree); a missing one is fine."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise error(f"{path}: cannot use this {what}: {exc.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise error(f"{path}: is a symbolic link; natoclaims never follows one for its {what} "
                    "(a branch may have committed it): remove it")
    if not stat.S_ISDIR(info.st_mode):
        raise error(f"{path}: is not a folder, so it cannot be this store's {what}")


def decode(raw: bytes, path: Path) -> str:
    """The store's bytes as text."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StoreError(f"{path}: not valid JSON (not UTF-8 text: {exc.reason})") from None


def parse(text: str, path: Path) -> dict[str, Any]:
    """A store file's text, parsed and checked."""
    if not text or text.isspace():
        raise StoreError(f"{path}: the file is empty, not a natoclaims store (initialise it with force=True to start over)",
                         about="empty-store", path=path)
    try:
        # The stdlib parser shares repeated keys, so a 100k-claim store takes ~4x its file
        # size in memory (orjson: ~6x); with the GC off (see cli.main) it is as fast.
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if CONFLICT_MARKERS_RE.search(text):
            raise StoreError(f"{path}: holds git conflict markers (<<<<<<<, =======, >>>>>>>): git merged it line by "
                             "line; register the store's merge driver (git_setup), then 'git merge --abort' and merge again",
                             about="conflict-markers", path=path) from None
        raise StoreError(f"{path}: not valid JSON ({exc})") from None
    except RecursionError:
        raise StoreError(f"{path}: not a natoclaims store (JSON nested too deeply to read)") from None
    return check_shape(data, path)


def read_file(path: Path) -> dict[str, Any]:
    """Parse and check a store file; never modifies it."""
    with reading(path) as handle:
        return parse(decode(handle.read(), path), path)


def write_atomically(path: Path, content: bytes | Sequence[bytes | memoryview], *, durable: bool = True, mode: int | None = None) -> None:
    """Write to a temp file beside `path`, fsync, rename over it: readers see old or new, never half.

    `content` may come in parts, so that a large file is never joined into one copy in memory.
    `durable=False` skips the fsyncs, for files that only save time (a cache checks itself when read).
    The file keeps its permissions, else gets `mode` (default 0644). A symbolic link at `path` is refused.
    """
    folder = path.parent
    try:
        existing = os.lstat(path)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise StoreError(f"{path}: cannot write: {exc.strerror or exc}") from None
    if existing is not None and stat.S_ISLNK(existing.st_mode):
        # Renaming over it would not follow it, but a link where natoclaims writes was never its own.
        raise StoreError(f"{path}: is a symbolic link; natoclaims never writes one of its files through a link "
                         "(a branch may have committed it): remove it")
    if existing is not None and not os.access(path, os.W_OK):
        raise StoreError(f"{path}: the file is read-only")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise StoreError(f"{folder}: cannot write in this folder: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.writelines([content] if isinstance(content, bytes) else content)
            os.fchmod(handle.fileno(), existing.st_mode & 0o777 if existing else (0o644 if mode is None else mode))
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise StoreError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise
    if not durable:
        return
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


def remove_stale_temp_files(path: Path, older_than: float = 0.0) -> None:
    """Delete temp files a killed writer left beside `path` (the store's: call while holding its lock;
    elsewhere give `older_than` seconds, so a writer still at work keeps its file)."""
    import time

    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if not older_than or time.time() - stale.stat().st_mtime > older_than:
                stale.unlink()
        except OSError:
            pass
