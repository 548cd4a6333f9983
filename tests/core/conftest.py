"""The library's fixtures: a `Store` in memory or on a file, empty or with a small newsroom in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from natoclaims import core
from natoclaims.store import Store
from tests import factories


@pytest.fixture
def memory_store() -> Store:
    """An empty store held in memory (the twin a Python user can compute in)."""
    return factories.memory_store()


@pytest.fixture
def file_store(db: Path) -> Store:
    """An empty store file at $NATOCLAIMS_DB, opened as the user 'tester'."""
    return factories.file_store(db)


def stock(store: Store) -> Store:
    """Two actors (Trump with an alias), two claims that disagree on a figure and a third on
    another topic, each from its own source."""
    with store.writing():
        core.add_actor(store, "Donald Trump", ["Trump"], "President")
        core.add_actor(store, "Mark Rutte", [], "NATO Secretary General")
    factories.add(store, "About 35,000 US troops are stationed in Germany", actor="Trump", said_on="2025-03",
                  sources=["https://example.org/a"], topics=["troops"], measures=["us-troops-germany"])
    factories.add(store, "Only 12,000 US troops are stationed in Germany", actor="Mark Rutte", said_on="2025-03",
                  sources=["https://example.org/b"], topics=["troops"], measures=["us-troops-germany"])
    factories.add(store, "Allies will spend 5% of GDP on defence", actor="Mark Rutte", said_on="2025-06-24",
                  sources=["https://example.org/c"], topics=["defence-spending"], stances=["five-percent:for"])
    return store


@pytest.fixture
def newsroom(file_store: Store) -> Store:
    """A store file stocked with the newsroom's actors and three claims (`stock`)."""
    return stock(file_store)


@pytest.fixture(params=["memory", "file"])
def any_newsroom(request: pytest.FixtureRequest, db: Path) -> Store:
    """The newsroom in the memory twin, then in a store file: what reads the same from either."""
    return stock(factories.memory_store() if request.param == "memory" else factories.file_store(db))


def ids(store: Store, text: str) -> str:
    """The id of the claim whose text starts with `text`."""
    (found,) = [c["id"] for c in store.claims.values() if c["text"].startswith(text)]
    return found
