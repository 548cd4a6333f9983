"""A new source's id is new in the store and among the sources the same command registers, without a set of
every id built per source (which made an import of 100k claims with their own sources quadratic)."""

from __future__ import annotations

import pytest

from natoclaims.core.sources import Registry
from natoclaims.model import fields
from natoclaims.store import Store


def test_a_new_source_id_avoids_the_store_and_the_sources_registered_in_the_same_command(
        file_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with file_store.writing():
        registry = Registry(file_store)
        first = registry.register({"url": "https://example.org/a"})
        registry.save()
    with file_store.writing():
        registry = Registry(file_store)
        second = registry.register({"url": "https://example.org/b"})
        # The random draws give, in turn: the stored source's id, this command's new one, then a fresh one.
        drawn = iter([first["id"], second["id"], "zfresh01"])
        monkeypatch.setattr(fields, "new_id", lambda taken=frozenset(): next(i for i in drawn if i not in taken))
        import natoclaims.core.sources as sources

        monkeypatch.setattr(sources, "new_id", fields.new_id)
        third = registry.register({"url": "https://example.org/c"})
        registry.save()
    assert third["id"] == "zfresh01"
    assert sorted(file_store.sources) == sorted([first["id"], second["id"], "zfresh01"])
