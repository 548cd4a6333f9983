"""The store from Python: atomic writes, aborted change sets, errors that name the file."""

from pathlib import Path

import pytest

from natoclaims.errors import StoreError
from natoclaims.store import Store, read_file, write_atomically


def test_write_atomically_keeps_mode(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("old")
    path.chmod(0o600)
    write_atomically(path, b"new")
    assert path.read_text() == "new" and (path.stat().st_mode & 0o777) == 0o600


def test_store_writing_aborted_writes_nothing(empty_store):
    store = Store(empty_store)
    before = empty_store.read_bytes()
    with pytest.raises(RuntimeError):
        with store.writing():
            store.put_actor({"name": "X", "aliases": [], "role": None})
            raise RuntimeError("boom")
    assert empty_store.read_bytes() == before


def test_store_error_has_path(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{}")
    with pytest.raises(StoreError, match=str(path)):
        read_file(Path(path))
