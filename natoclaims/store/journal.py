"""The undo journal: every write's change set, beside the store, so it can be reverted.

One JSON line per change set, oldest first, then a small `{"commit": id}` line once the store
holds it. Under the store's lock a change set is appended and fsynced, then the store is
replaced, then the commit line follows. A crash leaves at most one uncommitted change set at
the end; the next write keeps it if the store has it, else drops it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import orjson

from natoclaims.model import new_id
from natoclaims.paths import journal_file
from natoclaims.store.files import open_owned, read_owned, write_atomically

JOURNALED_TABLES = ("claims", "actors", "sources", "meta")
CONFLICTED_TABLES = ("claims", "actors", "sources")  # what a merge conflict can be over
UNRECORDED = "unrecorded"  # the store's meta key for a write the journal could not record
# A branch may commit the journal: reading it is bounded (a real one is far smaller; 'compact' shortens it).
JOURNAL_LIMIT = 1 << 30


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM off until the block ends (then they arrive as usual)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def changed_records(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The before/after of every record that differs (unchanged ones keep their identity: cheap)."""
    changes = []
    for table in JOURNALED_TABLES:
        old_table, new_table = before.get(table, {}), after.get(table, {})
        found = [(key, old, new) for key, new in new_table.items()
                 if (old := old_table.get(key)) is not new and old != new]
        found += [(key, old_table[key], None) for key in old_table.keys() - new_table.keys()]
        # Only the changed keys are sorted (for a stable journal), not every key of the table.
        changes += [{"table": table, "key": key, "before": old, "after": new} for key, old, new in sorted(found)]
    return changes


def _conflicts(value: Any) -> bool:
    """Whether a change set's `settles` or `reopens` is a list of merge conflicts (record and field;
    a conflict is over a claim, actor or source, never the `meta` table)."""
    return isinstance(value, list) and all(
        isinstance(c, dict) and c.get("table") in CONFLICTED_TABLES
        and all(isinstance(c.get(k), str) for k in ("key", "field")) for c in value)


def parse_line(line: bytes) -> tuple[str, Any]:
    """One journal line as ("commit", change-set id), ("change", change set) or ("damaged", why)."""
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return "damaged", "not JSON"
    if not isinstance(value, dict):
        return "damaged", "not an object"
    if "commit" in value:
        if set(value) == {"commit"} and isinstance(value["commit"], str):
            return "commit", value["commit"]
        return "damaged", "not a commit line"
    fields_ok = isinstance(value.get("id"), str) and isinstance(value.get("at"), str) and \
        isinstance(value.get("changes"), list) and isinstance(value.get("command", ""), str) and \
        isinstance(value.get("user", ""), str) and isinstance(value.get("undoes", ""), str) and \
        isinstance(value.get("gap", ""), str) and isinstance(value.get("upgrade", 0), int) and \
        all(_conflicts(value.get(mark, [])) for mark in ("settles", "reopens"))
    if not fields_ok:
        return "damaged", "not a change set"
    for change in value["changes"]:
        if not (isinstance(change, dict) and change.get("table") in JOURNALED_TABLES
                and isinstance(change.get("key"), str)
                and all(isinstance(change.get(side), dict | None) for side in ("before", "after"))
                and "before" in change and "after" in change):
            return "damaged", "a change in it is not a record change"
    value.setdefault("user", "unknown")
    value.setdefault("command", "")
    return "change", value


def applied(entry: dict[str, Any], tables: Mapping[str, Mapping[str, Any]]) -> bool:
    """Whether the store holds every record as the change set left it."""
    return all(tables.get(c["table"], {}).get(c["key"]) == c["after"] for c in entry["changes"])


class Journal:
    """The change sets of one store file (`claims.json.journal`).

    A damaged line never stops a command: it is skipped and reported, line by line.
    """

    def __init__(self, store_path: Path) -> None:
        self.path = journal_file(store_path)

    def _open(self, flags: int) -> int:
        """The journal as a descriptor: never through a link, only a regular file of this user's
        (a pulled branch may commit `claims.json.journal` pointing at ~/.bashrc); refused by name."""
        return open_owned(self.path, flags, "journal")

    def entries(self, tables: dict[str, dict[str, Any]] | None = None) -> tuple[list[dict[str, Any]], list[str]]:
        """Every committed change set, oldest first, and a line per damaged one. Given the store's
        tables, a last change set a crash left uncommitted counts when the store holds it (as the
        next write will settle it)."""
        raw = read_owned(self.path, "journal", limit=JOURNAL_LIMIT)
        if raw is None:
            return [], []
        lines = raw.split(b"\n")
        if lines and lines[-1]:
            lines[-1] = b""  # a line without its newline was cut by a crash: it never counted
        entries, committed, problems = [], set(), []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            kind, value = parse_line(line)
            if kind == "commit":
                committed.add(value)
            elif kind == "change":
                entries.append(value)
            else:
                problems.append(f"{self.path}: line {number} is damaged ({value}); skipped")
        last = entries[-1] if entries else None
        if last is not None and last["id"] not in committed and tables is not None and applied(last, tables):
            committed.add(last["id"])
        return [e for e in entries if e["id"] in committed], problems

    def _append(self, line: bytes) -> int:
        fd = self._open(os.O_WRONLY | os.O_APPEND | os.O_CREAT)
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
        """Mark a change set as held by the store."""
        self._append(orjson.dumps({"commit": entry_id}) + b"\n")

    def record_gap(self, unrecorded: dict[str, Any]) -> None:
        """A committed change set without changes that stands for writes the journal missed."""
        entry: dict[str, Any] = {"id": new_id(), "at": str(unrecorded.get("at", "")), "user": str(unrecorded.get("user", "unknown")),
                 "command": str(unrecorded.get("command", "")), "changes": [],
                 "gap": str(unrecorded.get("reason", "the journal could not be written"))}
        self.begin(entry)
        self.commit(entry["id"])

    def truncate(self, size: int) -> None:
        """Take back what was appended after `size` bytes."""
        fd = self._open(os.O_WRONLY)
        try:
            os.ftruncate(fd, size)
            os.fsync(fd)
        finally:
            os.close(fd)

    def rewrite(self, entries: list[dict[str, Any]]) -> None:
        """Replace the journal with these (committed) change sets."""
        lines = [orjson.dumps(e) + b"\n" + orjson.dumps({"commit": e["id"]}) + b"\n" for e in entries]
        write_atomically(self.path, b"".join(lines))

    @staticmethod
    def _tail(handle: IO[bytes]) -> tuple[int, bytes]:
        """Where the last line starts and the rest of the file from there (newline included),
        reading back from the end in blocks."""
        end = handle.seek(0, os.SEEK_END)
        tail = b""
        position = end
        while position > 0:
            step = min(65536, position)
            position -= step
            handle.seek(position)
            tail = handle.read(step) + tail
            if b"\n" in tail[:-1]:
                break
        cut = tail[:-1].rfind(b"\n") + 1
        return position + cut, tail[cut:]

    def settle(self, tables: Mapping[str, Mapping[str, Any]]) -> None:
        """After a crash: drop a half-written last line, then commit a last change set the store
        holds and drop one it does not (its store write never happened)."""
        if not os.path.lexists(self.path):
            return
        with os.fdopen(self._open(os.O_RDONLY), "rb") as handle:
            while os.fstat(handle.fileno()).st_size:
                start, tail = self._tail(handle)
                if not tail.endswith(b"\n"):
                    self.truncate(start)  # cut short by a crash: whatever it was, it never counted
                    continue
                kind, entry = parse_line(tail)
                if kind == "change":
                    if applied(entry, tables):
                        self.commit(entry["id"])
                    else:
                        self.truncate(start)
                return


class MemoryJournal:
    """The journal's twin for a store kept in memory: the same change sets, no file."""

    path = Path("(memory)")

    def __init__(self) -> None:
        self.lines: list[dict[str, Any]] = []

    def entries(self, tables: dict[str, dict[str, Any]] | None = None) -> tuple[list[dict[str, Any]], list[str]]:
        committed = {line["commit"] for line in self.lines if "commit" in line}
        return [line for line in self.lines if line.get("id") in committed], []

    def begin(self, entry: dict[str, Any]) -> int:
        self.lines.append(json.loads(orjson.dumps(entry)))  # a copy, as the file keeps one
        return len(self.lines) - 1

    def commit(self, entry_id: str) -> None:
        self.lines.append({"commit": entry_id})

    def record_gap(self, unrecorded: dict[str, Any]) -> None:
        raise AssertionError("a memory journal never fails to record")

    def truncate(self, size: int) -> None:
        del self.lines[size:]

    def rewrite(self, entries: list[dict[str, Any]]) -> None:
        self.lines = [line for entry in entries for line in (entry, {"commit": entry["id"]})]

    def settle(self, tables: Mapping[str, Mapping[str, Any]]) -> None:
        """Nothing to settle: a process that dies takes a memory store with it."""
