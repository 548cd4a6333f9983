"""Making a store (`init`): the bundled dataset or an empty one, and replacing one as a change set."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natoclaims.errors import StoreError
from natoclaims.paths import bundled_dataset
from natoclaims.store.files import SCHEMA, empty_data, encode, read_file, schema, write_atomically


@dataclass
class InitReport:
    """What `init` made: how many claims, and where a file that was not a store was kept."""

    claims: int
    backup: Path | None = None


def _holds_a_store(path: Path) -> bool:
    """Whether the file parses as a store; a file that cannot be read at all is an error."""
    from natoclaims.store.files import decode, parse, reading

    with reading(path) as handle:
        raw = handle.read()
    try:
        parse(decode(raw, path), path)
    except StoreError:
        return False
    return True


def _bring_archive(data: dict[str, Any], path: Path) -> None:
    """Copy the bundled dataset's archived sources beside a store made from it, so its quotes check."""
    from natoclaims.paths import archive_folder
    from natoclaims.store.archive import copy_files

    digests = {e["digest"] for s in data.get("sources", {}).values() for e in (s.get("archive") or [])}
    copy_files(archive_folder(bundled_dataset()), archive_folder(path), digests)


def initialise(path: Path, *, empty: bool, force: bool, user: str | None = None, command: str = "") -> InitReport:
    """Create the store at `path` (bundled dataset, or empty).

    Replacing a store (--force) is a change set like any other, so it can be undone; a file that
    is not a store (empty, garbage) is kept beside it as `.bak` instead.
    """
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a store file")
    data = empty_data() if empty else read_file(bundled_dataset())
    content = encode(data) if empty else bundled_dataset().read_bytes()
    from natoclaims.store import Store

    store = Store(path, user=user, command=command)
    target = store.path  # the file itself, through any symlink
    assert target is not None  # a store made from a path keeps one
    if not path.exists():
        with store._lock():
            if not target.exists():
                if not empty:
                    _bring_archive(data, target)
                write_atomically(target, content)
        return InitReport(len(data["claims"]))
    if not force:
        raise StoreError(f"{path}: a store already exists here (force=True replaces it)", about="store-exists", path=path)
    if _holds_a_store(target):
        from natoclaims.store.upgrade import upgrade

        data = upgrade(data) if schema(data) < SCHEMA else data
        if not empty:
            _bring_archive(data, target)
        with store.writing():
            store.clear()
            store.put_actors(list(data["actors"].values()))
            store.tables.insert("sources", list(data["sources"].values()), key="id")
            store.insert_claims(list(data["claims"].values()))
        return InitReport(len(data["claims"]))
    backup = target.with_name(target.name + ".bak")
    with store._lock():
        if not empty:
            _bring_archive(data, target)
        os.replace(target, backup)
        write_atomically(target, content)
    return InitReport(len(data["claims"]), backup)
