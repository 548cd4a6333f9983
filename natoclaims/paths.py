"""Where things live: every location natoclaims reads or writes, from one root each.

The user's store lives under the data root, its index under the cache root, and
everything that belongs to one store file (its lock, journal and archive folder) beside it.
Tests point the roots elsewhere through the XDG variables.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from natoclaims.errors import StoreError


def data_root() -> Path:
    """$XDG_DATA_HOME/natoclaims, else ~/.local/share/natoclaims."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "natoclaims"


def cache_root() -> Path:
    """$XDG_CACHE_HOME/natoclaims, else ~/.cache/natoclaims."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "natoclaims"


def default_store() -> Path:
    """The user's data file."""
    return data_root() / "claims.json"


def bundled_dataset() -> Path:
    """The curated dataset shipped in the package (or in the checkout, for an editable install)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data" / "claims.json", here.parent / "data" / "claims.json"):
        if candidate.is_file():
            return candidate
    raise StoreError("the bundled dataset is missing from this installation")


def index_pointer(store: Path) -> Path:
    """The file naming the current index database of one store file (SPEC section 15): one per
    absolute path, under the cache root, never beside the store (never in git)."""
    name = hashlib.sha256(os.fsencode(os.path.abspath(store))).hexdigest()[:32]
    return cache_root() / "index" / f"{name}.current"


def archive_folder(store: Path) -> Path:
    """The content-addressed folder of archived source copies, beside the store (kept in git)."""
    return store.with_name(store.name + ".archive")


def lock_file(store: Path) -> Path:
    """The sidecar file writers lock (never the store itself, which is replaced on every write)."""
    return store.with_name(store.name + ".lock")


def journal_file(store: Path) -> Path:
    """The change sets that `undo`, `redo` and `log` read."""
    return store.with_name(store.name + ".journal")


def conflicts_file(store: Path) -> Path:
    """The merge conflicts still open in the store, beside it (SPEC section 11)."""
    return store.with_name(store.name + ".conflicts")
