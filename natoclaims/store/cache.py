"""The parsed-store cache: a store file parsed once, reused until the file changes.

Parsing JSON is most of the time of every command on a large store, so the parsed store is
also kept in marshal form (twice as fast to load) under $XDG_CACHE_HOME. The cache names the
store file it was made from by the SHA-256 of its bytes and, once the file has stood still
for a few seconds, by its stamp (device, inode, size, and change and modification times to
the nanosecond: more than Python checks before it trusts a .pyc), which is checked without
reading the file. A cache that matches neither is never used, whoever changed the file.
Writers refresh it; a reader that finds it stale rebuilds it. Losing it costs only time.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from natoclaims.errors import StoreError
from natoclaims.paths import cache_file
from natoclaims.store import files

CACHE_TAG = f"natoclaims-cache-3/{sys.implementation.cache_tag}/marshal-{marshal.version}"
SETTLED_NS = 3_000_000_000  # coarser than any file system's clock (FAT: 2 s)
UNSETTLED = "-"
# Whether the file is byte for byte what natoclaims writes for the cached tables (so it repeats
# no key): writers know; `check` finds out when a reader did not.
AS_WRITTEN, NOT_AS_WRITTEN, NOT_COMPARED = "as-written", "other", "not-compared"
STALE_TEMP_SECONDS = 60  # a cache temp file older than this was left by a killed process


def file_stamp(stat: os.stat_result) -> str:
    """What identifies a file's version without reading it, or UNSETTLED if it changed so
    recently that a change in the same clock tick would leave these times as they are."""
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) < SETTLED_NS:
        return UNSETTLED
    return f"{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"


def read_cache(path: Path, accept: Callable[[str, str], bool]) -> tuple[dict[str, Any] | None, str, str, str]:
    """The parsed store from the cache if `accept` takes the digest and stamp of the file it was
    made from; those two; and the file's form (AS_WRITTEN, NOT_AS_WRITTEN or NOT_COMPARED)."""
    target = cache_file(path)
    try:
        # marshal is no parser for hostile bytes: never through a link, only a file of this user's.
        # Not bounded: it is about the size of the store, which is read whole anyway.
        fd = files.open_owned(target, os.O_RDONLY, "cache file")
    except StoreError:
        if os.path.lexists(target):
            raise
        return None, "", "", NOT_COMPARED
    try:
        with os.fdopen(fd, "rb") as handle:
            tag, made_from_digest, made_from_stamp, form = handle.readline().decode("ascii").split()
            if tag != CACHE_TAG or not accept(made_from_digest, made_from_stamp):
                return None, "", "", NOT_COMPARED
            data = marshal.loads(handle.read())
    except (OSError, UnicodeDecodeError, ValueError, EOFError, TypeError):
        return None, "", "", NOT_COMPARED
    # It was checked when it was made (the full check_shape costs 30 ms at 100k claims).
    if isinstance(data, dict) and all(isinstance(data.get(t), dict) for t in files.TABLES):
        return data, made_from_digest, made_from_stamp, form
    return None, "", "", NOT_COMPARED


def write_cache(path: Path, digest: str, stamp: str, data: dict[str, Any], form: str) -> None:
    """Best effort: a cache that cannot be written is simply not there next time."""
    target = cache_file(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        files.remove_stale_temp_files(target, older_than=STALE_TEMP_SECONDS)
        header = f"{CACHE_TAG} {digest} {stamp} {form}\n".encode("ascii")
        files.write_atomically(target, [header, marshal.dumps(data)], durable=False, mode=0o600)
    except (OSError, ValueError, StoreError):
        pass


def load(path: Path, *, writer: bool = False) -> dict[str, Any]:
    """The store at `path`, parsed and checked: from the cache when it matches the file, and
    cached for next time when it did not.

    A reader trusts a settled file's stamp. A writer checks the cache against the file's bytes:
    an edit that keeps the stamp (through mmap, or a clock set back) is then never reverted by a
    write, though a reader may not see it until the file next changes. A writer does not cache
    what it read, since it caches what it writes.
    """
    with files.reading(path) as handle:
        # One open file throughout: a writer renaming a new store meanwhile changes nothing here.
        stamp = file_stamp(os.fstat(handle.fileno()))
        if not writer and stamp != UNSETTLED:
            data, _, _, _ = read_cache(path, lambda _, made_from_stamp: made_from_stamp == stamp)
            if data is not None:
                return data
        raw = handle.read()
    digest = hashlib.sha256(raw).hexdigest()
    data, _, made_from_stamp, form = read_cache(path, lambda made_from_digest, _: made_from_digest == digest)
    by_stamp = stamp != UNSETTLED and made_from_stamp == stamp
    if data is None:
        text = files.decode(raw, path)
        del raw  # the bytes, the text and the cache of a large store need not all stay in memory
        data = files.parse(text, path)
        del text
    elif by_stamp or stamp == UNSETTLED or writer:
        return data
    if not writer:
        write_cache(path, digest, stamp, data, form)  # now with the stamp, to skip the digest next time
    return data


def load_verified(path: Path) -> tuple[dict[str, Any], bytes | None]:
    """The store exactly as the file holds it now, for `check`: the cache is used only if it was
    made from these very bytes (never on the stamp alone, so an edit that kept the stamp is
    seen); and the bytes, unless they are known to be what natoclaims writes for these tables."""
    with files.reading(path) as handle:
        stamp = file_stamp(os.fstat(handle.fileno()))

        def read_and_hash() -> tuple[bytes, str]:
            raw = handle.read()
            return raw, hashlib.sha256(raw).hexdigest()

        # The file is read and hashed on another core while the cache loads (both let go of the GIL).
        reading = _in_background(read_and_hash)
        data, made_from_digest, _, form = read_cache(path, lambda *_: True)
        raw, digest = reading()
    if made_from_digest != digest or form == NOT_COMPARED:
        if made_from_digest != digest:
            data = files.parse(files.decode(raw, path), path)
        assert data is not None  # parsed just now, or loaded from a cache made from these very bytes
        form = AS_WRITTEN if files.encode(data) == raw else NOT_AS_WRITTEN
        write_cache(path, digest, stamp, data, form)  # so that the next check need not compare again
    assert data is not None  # the cache was made from these very bytes, or they were parsed above
    return data, None if form == AS_WRITTEN else raw


def _in_background(work: Callable[[], Any]) -> Callable[[], Any]:
    """Start `work` on another thread; the call returned waits for its result (or raises its error)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as exc:  # handed over to the waiting thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def result() -> Any:
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]

    return result


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
