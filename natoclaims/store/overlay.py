"""A change set over the index: the records a command changes, kept apart from the rest, so that a
write parses and encodes only those and splices their bytes into the file (issue 26).

`Overlay` answers what `backend.Tables` answers for the records a command looks up or changes.
Anything that needs every record at once (`data()`, `truncate`) turns it into the whole store,
parsed from the same bytes, with the changes made so far applied: the command goes on as before.
"""

from __future__ import annotations

import heapq
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from natoclaims.store import files
from natoclaims.store.index import Index, crc_of
from natoclaims.store.journal import JOURNALED_TABLES
from natoclaims.store.pieces import NotAsWritten, splice

if TYPE_CHECKING:
    from natoclaims.store.backend import Tables

__all__ = ["Overlay", "OverlayTable"]


class SplicedStorage:
    """Writes the file as the old bytes with the changed records' bytes replaced."""

    def __init__(self, overlay: Overlay) -> None:
        self.overlay = overlay
        self.written_crc: int | None = None
        self.writing_crc: int | None = None
        self.spans: dict[str, tuple[int, int]] | None = None  # where the tables are in the file written

    def flush(self) -> None:
        changes = self.overlay.changes
        if not changes:
            return
        spans = dict(self.overlay.index.spans) if self.overlay.index.spans else None
        try:
            parts = splice(self.overlay.buf, changes, spans)  # views of the old file, and the new pieces
        except NotAsWritten:  # a table the file does not have yet: the store is written whole
            whole = self.overlay.tables()
            whole.storage.dirty = True
            whole.storage.flush()
            self.writing_crc = self.written_crc = whole.storage.written_crc
            return
        self.writing_crc, self.spans = crc_of(parts), spans
        files.remove_stale_temp_files(self.overlay.path)
        files.write_atomically(self.overlay.path, parts)
        del parts  # they hold the old file's map open
        self.written_crc = self.writing_crc

    def holds_last_write(self) -> bool:
        """Whether the file holds what the last flush was writing (it may have been interrupted after the rename)."""
        try:
            with open(self.overlay.path, "rb") as handle:
                crc = 0
                while chunk := handle.read(1 << 24):
                    crc = zlib.crc32(chunk, crc)
            return self.writing_crc is not None and crc == self.writing_crc
        except OSError:
            return False


class Overlay:
    """The changes of one change set, over an index that matches the file `buf` holds."""

    def __init__(self, index: Index, path: Path, buf: Any, whole: Callable[[Overlay], Tables]) -> None:
        self.index, self.path, self.buf = index, path, buf
        self.changes: dict[tuple[str, str], Any] = {}  # (table, key) -> the record, or None when removed
        self.by_table: dict[str, dict[str, Any]] = {}  # the same changes, table by table
        self.storage = SplicedStorage(self)
        self._whole_maker = whole
        self.whole: Tables | None = None

    def _change(self, table: str, key: str, record: Any) -> None:
        self.changes[(table, key)] = self.by_table.setdefault(table, {})[key] = record

    def record(self, table: str, key: str) -> Any:
        if (table, key) in self.changes:
            return self.changes[(table, key)]
        return self.index.record(table, key)

    def keys(self, table: str) -> list[str]:
        known = self.index.keys(table)
        mine = self.by_table.get(table, {})
        if not mine:
            return known
        return sorted({*(k for k in known if k not in mine), *(k for k, r in mine.items() if r is not None)})

    def data(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Every table: the whole store, from now on (see the module's docstring)."""
        return self.tables().data()

    def tables(self) -> Tables:
        if self.whole is None:
            self.whole = self._whole_maker(self)
        return self.whole

    def insert(self, name: str, records: Sequence[Mapping[str, Any]], *, key: str) -> None:
        if self.whole is not None:
            return self.whole.insert(name, records, key=key)
        for record in records:
            self._change(name, record[key], dict(record))
        return None

    def put(self, name: str, key: str, record: Mapping[str, Any]) -> None:
        if self.whole is not None:
            return self.whole.put(name, key, record)
        self._change(name, key, dict(record))
        return None

    def remove(self, name: str, keys: list[str]) -> None:
        if self.whole is not None:
            return self.whole.remove(name, keys)
        for key in keys:
            self._change(name, key, None)
        return None

    def truncate(self, name: str) -> None:
        self.tables().truncate(name)

    def changed(self) -> list[dict[str, Any]]:
        """The before and after of every record that differs, in the order `journal.changed_records` gives."""
        found = []
        befores = {table: self.index.records(table, list(records)) for table, records in self.by_table.items()}
        for (table, key), after in self.changes.items():
            before = befores[table].get(key)
            if before != after:
                found.append((JOURNALED_TABLES.index(table), key, {"table": table, "key": key, "before": before, "after": after}))
        return [change for _, _, change in sorted(found, key=lambda item: (item[0], item[1]))]

    def settle_view(self) -> dict[str, Mapping[str, Any]]:
        """The tables as the journal's crash check reads them (by key)."""
        return {table: OverlayTable(self, table) for table in JOURNALED_TABLES}


class OverlayTable(Mapping[str, Any]):
    """One table as the change set sees it: its changes over the index (the whole store once there is one)."""

    def __init__(self, overlay: Overlay, table: str) -> None:
        self.overlay, self.table = overlay, table

    def _whole(self) -> dict[str, Any] | None:
        whole = self.overlay.whole
        return whole.data().setdefault(self.table, {}) if whole is not None else None

    def __getitem__(self, key: str) -> Any:
        whole = self._whole()
        if whole is not None:
            return whole[key]
        record = self.overlay.record(self.table, key) if isinstance(key, str) else None
        if record is None:
            raise KeyError(key)
        return record

    def __contains__(self, key: object) -> bool:
        whole = self._whole()
        if whole is not None:
            return key in whole
        return isinstance(key, str) and self.overlay.record(self.table, key) is not None

    def __iter__(self) -> Iterator[str]:
        whole = self._whole()
        return iter(list(whole) if whole is not None else self.overlay.keys(self.table))

    def __len__(self) -> int:
        whole = self._whole()
        return len(whole) if whole is not None else len(self.overlay.keys(self.table))

    def items(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]  # one pass, not a view
        whole = self._whole()
        if whole is not None:
            return iter(list(whole.items()))
        mine = self.overlay.by_table.get(self.table, {})
        kept = ((key, record) for key, record in self.overlay.index.items(self.table) if key not in mine)
        added = sorted((key, record) for key, record in mine.items() if record is not None)
        return heapq.merge(kept, added, key=itemgetter(0))

    def values(self) -> Iterator[Any]:  # type: ignore[override]  # one pass, not a view
        return (record for _, record in self.items())

