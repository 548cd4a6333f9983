"""The TinyDB backend: the only module that imports TinyDB.

Tables are keyed by the records' own keys (claim id, actor name), read once from the parsed
store and written once, atomically, when a change set ends. `MemoryStorage` is its twin
without a file, for testing the library.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from natoclaims.store import files

__all__ = ["FileStorage", "MemoryStorage", "Tables"]


class FileStorage(Storage):
    """TinyDB storage that reads the file once and writes it once, atomically, on `flush`.

    TinyDB's own JSONStorage writes in place (a crash truncates the store) and re-reads
    the file on every table access (slow at 100k claims).
    """

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data
        self.dirty = False
        self.written: str | None = None  # the SHA-256 of what flush last wrote
        self.writing: str | None = None  # the SHA-256 of what flush is writing
        self.written_crc: int | None = None  # the CRC-32 of what flush last wrote (the index records it)

    def read(self) -> dict[str, Any]:
        return self.data

    def write(self, data: dict[str, Any]) -> None:
        self.data = data
        self.dirty = True

    def flush(self) -> None:
        if self.dirty:
            files.remove_stale_temp_files(self.path)
            content = files.encode(files.as_written(self.data))
            self.writing = hashlib.sha256(content).hexdigest()
            files.write_atomically(self.path, content)
            self.written, self.written_crc = self.writing, zlib.crc32(content)
            self.dirty = False

    def holds_last_write(self) -> bool:
        """Whether the file holds what the last flush was writing (it may have been interrupted
        after the rename)."""
        try:
            return self.writing is not None and hashlib.sha256(self.path.read_bytes()).hexdigest() == self.writing
        except OSError:
            return False


class KeyedTable(Table):
    """A table whose document ids are the records' own keys (claim id, actor name), not counters."""

    document_id_class = str  # type: ignore[assignment]

    def _update_table(self, updater: Any) -> None:
        # TinyDB copies the whole table twice per change to convert its keys to
        # document_id_class and back; ours are strings already, so change it in place
        # (0.2 s less per write at 100k claims).
        tables = cast(dict[str, dict[str, Any]], self._storage.read())  # FileStorage reads {} for no file, never None
        updater(tables.setdefault(self.name, {}))
        self._storage.write(tables)
        self.clear_cache()


class ClaimsDB(TinyDB):
    table_class = KeyedTable


class MemoryStorage(FileStorage):
    """The file storage's twin without a file: the same tables, nothing written."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(None, data)  # type: ignore[arg-type]

    def flush(self) -> None:
        self.dirty = False

    def holds_last_write(self) -> bool:
        return True


class Tables:
    """The store's tables through TinyDB, keyed by each record's own key."""

    def __init__(self, storage: FileStorage) -> None:
        self.storage = storage
        self._db = ClaimsDB(storage=lambda: storage)

    def data(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Every table by name, each a mapping from key to record (read, do not change)."""
        return self.storage.read()

    def _table(self, name: str) -> Table:
        return self._db.table(name, cache_size=0)

    def insert(self, name: str, records: Sequence[Mapping[str, Any]], *, key: str) -> None:
        """Add records under their `key` field."""
        if records:
            self._table(name).insert_multiple(Document(r, doc_id=r[key]) for r in records)

    def put(self, name: str, key: str, record: Mapping[str, Any]) -> None:
        """Add or replace one record under `key`."""
        self.remove(name, [key] if key in self.data().get(name, {}) else [])
        self._table(name).insert(Document(record, doc_id=key))  # type: ignore[arg-type]  # str ids: KeyedTable

    def remove(self, name: str, keys: list[str]) -> None:
        """Delete records by key, in one call (each call rewrites the table)."""
        if keys:
            self._table(name).remove(doc_ids=keys)  # type: ignore[arg-type]  # str ids: KeyedTable

    def truncate(self, name: str) -> None:
        """Delete every record of a table."""
        self._table(name).truncate()
