"""The installed `natoclaims` keeps its index true to the store file (SPEC section 15) when git
puts another version of the file in place, and while other processes write it."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from natoclaims.store import files
from tests.conftest import run
from tests.system.conftest import Repo

SETTLED = 0.2  # longer than the clock tick after which the index trusts a stamp that matches (index.TICK_NS)

# Not strict: a race, that most runs lose (seen: 1-2 reads in 25 fail).


def ids_of(repo: Repo, *query: str) -> list[str]:
    return repo.nc("search", *query, "--format", "ids").stdout.split()


@pytest.mark.slow
def test_a_git_checkout_of_another_version_is_read(repo: Repo) -> None:
    added = repo.nc("add", "--actor", "Mark Rutte", "--source", "https://www.nato.int/b", "Zeppelins will leave Germany")
    zeppelins = added.stdout.strip()
    repo.nc("edit", repo.first, "--text", "Allies will spend 3.5% of GDP on defence")
    repo.commit("second")
    assert ids_of(repo, "zeppelins") == [zeppelins] and ids_of(repo, "3.5%") == [repo.first]
    time.sleep(SETTLED)
    assert ids_of(repo, "zeppelins") == [zeppelins]  # now the index's stamp is one a reader trusts
    repo.git("checkout", "HEAD~1", "--", "claims.json")
    assert ids_of(repo, "zeppelins") == [] and ids_of(repo, "3.5%") == []
    assert "Allies will spend 5% of GDP on defence" in repo.nc("show", repo.first).stdout
    assert repo.claims() == files.read_file(repo.store)["claims"]
    time.sleep(SETTLED)
    repo.git("checkout", "HEAD", "--", "claims.json")
    assert ids_of(repo, "zeppelins") == [zeppelins] and ids_of(repo, "3.5%") == [repo.first]
    assert repo.nc("check").code == 0


@pytest.mark.slow
@pytest.mark.parametrize("cache", ["kept", "deleted meanwhile"])
def test_readers_see_a_whole_store_while_another_process_writes(empty_store: Path, isolated: Path, cache: str) -> None:
    assert run("add", "--actor", "Mark Rutte", "--source", "https://www.nato.int/a", "The first claim").code == 0
    count = 12
    done = threading.Event()
    seen: list[int] = []
    failures: list[str] = []

    def write() -> None:
        try:
            for i in range(count):
                result = run("add", "--actor", "Writer W", "--source", "https://a.org", f"W claim {i}")
                if result.code != 0:
                    failures.append(repr(result))
        finally:
            done.set()

    def read() -> None:
        while not done.is_set():
            result = run("export", "--format", "json")
            if result.code != 0:
                failures.append(repr(result))
                continue
            texts = sorted(c["text"] for c in result.json() if c["actor"] == "Writer W")
            written = len(texts)
            if texts != sorted(f"W claim {i}" for i in range(written)) or len(result.json()) != written + 1:
                failures.append(f"not a store the writer left: {texts}")
            found = run("search", "W", "claim", "--actor", "Writer W", "--format", "ids")
            if found.code != 0 or len(found.stdout.split()) < written:
                failures.append(repr(found))
            seen.append(written)

    def remove_cache() -> None:
        while not done.is_set():
            shutil.rmtree(isolated / "cache", ignore_errors=True)
            time.sleep(0.05)

    threads = [threading.Thread(target=work) for work in (write, read, read, *([remove_cache] if cache != "kept" else []))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures[:3]
    assert len(seen) >= 2, seen  # the readers read while it wrote
    final = run("export", "--format", "json")
    assert {c["id"]: c for c in final.json()} == files.read_file(empty_store)["claims"]
    assert len(final.json()) == count + 1
