"""The undo journal: every write's change set, beside the store, so it can be reverted.

One JSON line per change set, oldest first, then a small `{"commit": id}` line once the store
holds it. Under the store's lock a change set is appended and fsynced, then the store is
replaced, then the commit line follows. A crash leaves at most one uncommitted change set at
the end; the next write keeps it if the store has it, else drops it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import orjson

from natoclaims.paths import journal_file
from natoclaims.store.files import write_atomically

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


class Journal:
    """The change sets of one store file (`claims.json.journal`)."""

    def __init__(self, store_path: Path) -> None:
        self.path = journal_file(store_path)

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


class MemoryJournal:
    """The journal's twin for a store kept in memory: the same change sets, no file."""

    path = Path("(memory)")

    def __init__(self) -> None:
        self.lines: list[dict[str, Any]] = []

    def entries(self) -> tuple[list[dict[str, Any]], list[str]]:
        committed = {line["commit"] for line in self.lines if "commit" in line}
        return [line for line in self.lines if line.get("id") in committed], []

    def begin(self, entry: dict[str, Any]) -> int:
        self.lines.append(json.loads(orjson.dumps(entry)))  # a copy, as the file keeps one
        return len(self.lines) - 1

    def commit(self, entry_id: str) -> None:
        self.lines.append({"commit": entry_id})

    def truncate(self, size: int) -> None:
        del self.lines[size:]

    def rewrite(self, entries: list[dict[str, Any]]) -> None:
        self.lines = [line for entry in entries for line in (entry, {"commit": entry["id"]})]

    def settle(self, tables: dict[str, dict[str, Any]]) -> None:
        """Nothing to settle: a process that dies takes a memory store with it."""
