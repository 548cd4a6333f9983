"""The system layer's fixtures: the installed `natoclaims` in real git repositories."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run

GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}


class Repo:
    """A git work tree with a store in it, and natoclaims run on that store."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.store = folder, folder / "claims.json"

    @classmethod
    def new(cls, folder: Path, store: str = "claims.json") -> Repo:
        """A new git repository on `main` at `folder`, with a committer, and no store in it yet."""
        repo = cls(folder)
        repo.store = folder / store
        repo.store.parent.mkdir(parents=True)
        repo.git("init", "-q", "-b", "main")
        repo.git("config", "user.name", "Tester")
        repo.git("config", "user.email", "tester@example.org")
        return repo

    def git(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(["git", "-C", str(self.folder), *args], capture_output=True, text=True, timeout=60,
                              env={**os.environ, **GIT_ENV})
        assert not ok or done.returncode == 0, done
        return done

    def nc(self, *args: str, user: str = "tester", ok: bool = True):
        result = run("--db", str(self.store), *args, env={**GIT_ENV, "NATOCLAIMS_USER": user})
        assert not ok or result.code == 0, result
        return result

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-qm", message)

    def claims(self) -> dict[str, dict]:
        return {c["id"]: c for c in self.nc("export", "--format", "json").json()}


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """A repository on `main` holding a store with one claim, the driver set up, and a branch `other`."""
    repo = Repo.new(tmp_path / "newsroom")
    repo.nc("init", "--empty")
    setup = repo.nc("git", "setup")
    assert ".gitattributes: added '/claims.json merge=natoclaims'" in setup.stderr
    repo.first = repo.nc("add", "--actor", "Mark Rutte", "--source", "https://www.nato.int/a",
                         "Allies will spend 5% of GDP on defence").stdout.strip()
    repo.commit("base")
    repo.git("branch", "other")
    return repo
