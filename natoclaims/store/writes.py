"""Change sets: how a `Store` is written (SPEC section 2). Under a cross-process lock, the file as it
is now is mapped and the index checked against its bytes; the command then changes records, and
the change set is journaled and written once, atomically. Where the index matches a file laid out
as natoclaims writes it, only the changed records are encoded and spliced into the file
(`overlay`); otherwise, or when a command needs every record, the whole store is parsed and
written as before.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from natoclaims.errors import StoreError
from natoclaims.model import new_id, utc_now
from natoclaims.paths import lock_file
from natoclaims.store.files import SCHEMA, open_owned, schema
from natoclaims.store.index import Index, IndexUnavailable
from natoclaims.store.journal import (
    JOURNALED_TABLES,
    UNRECORDED,
    Journal,
    MemoryJournal,
    changed_records,
    signals_held,
)
from natoclaims.store.overlay import Overlay

if TYPE_CHECKING:
    from natoclaims.store import Store
    from natoclaims.store.backend import Tables

LOCK_TIMEOUT_SECONDS = 60


class ChangeSets:
    """The writing half of `Store`: `writing()`, and the ways a change set reaches the file."""

    path: Path | None
    user: str
    command: str
    journal: Journal | MemoryJournal
    warnings: list[str]
    undoes: str | None
    marks: dict[str, Any]
    saved: list[str]
    _tables: Tables | Overlay | None
    _index: Index | None
    _indexed: bool | None
    _writing: bool
    _before: dict[str, dict[str, Any]]

    def _open(self, *, writer: bool = False) -> Tables:
        raise NotImplementedError

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
            yield cast("Store", self)
            return
        self._writing = True
        try:
            with self._write_once():
                yield cast("Store", self)
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
                tables = self._open(writer=True)
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
            except StoreError as exc:  # a claim the index cannot file: the write reads the store whole, as before
                if exc.about != "damaged-claim":
                    raise
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
                    if buf is not None:
                        buf.close()
                except BufferError:  # a view of it is still held by a traceback: it goes with it
                    pass

    def _whole(self, overlay: Overlay) -> Tables:
        """The whole store for a change set begun over the index: parsed from the same bytes, with the
        changes made so far applied (a command that needs every record, such as `resolve` or `import`)."""
        from natoclaims.store.files import decode, parse

        assert self.path is not None
        data = parse(decode(bytes(overlay.buf), self.path), self.path)  # parse checks the shape
        self._before = {table: dict(data.setdefault(table, {})) for table in JOURNALED_TABLES}
        from natoclaims.store.backend import FileStorage, Tables

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
        meta = dict(tables.record("meta", "1") if isinstance(tables, Overlay) else tables.data()["meta"]["1"])
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
