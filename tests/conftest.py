"""Every test runs against a store in its own temporary folder, never the user's data file.

The tests come in layers, each in its own folder, by the outermost thing a test drives:
`unit/` pure modules, `core/` the library and the store from Python, `cli/` commands through
CliRunner, `system/` the installed `natoclaims` in subprocesses.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from natoclaims.cli import app

NATOCLAIMS = shutil.which("natoclaims")
ROOT = Path(__file__).resolve().parents[1]  # the checkout: data/, and shared/ beside it


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every way of finding a store at `tmp_path`."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NATOCLAIMS_DB", str(tmp_path / "claims.json"))
    monkeypatch.setenv("NATOCLAIMS_USER", "tester")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("PAGER", raising=False)
    monkeypatch.setenv("NATOCLAIMS_PAGER", "")  # a test on a (pseudo-)terminal never waits in less
    monkeypatch.delenv("NATOCLAIMS_DEBUG", raising=False)
    return tmp_path


@pytest.fixture
def db(isolated: Path) -> Path:
    return isolated / "claims.json"


class Result:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return f"Result(code={self.code}, stdout={self.stdout[:300]!r}, stderr={self.stderr[:300]!r})"


def cli(*args: str, input: str | None = None) -> Result:
    """Run a command in-process with CliRunner."""
    result = CliRunner().invoke(app, list(args), input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    """Run the installed `natoclaims` command in a subprocess."""
    assert NATOCLAIMS, "natoclaims is not installed on PATH"
    proc = subprocess.run([NATOCLAIMS, *args], input=input, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def seed_article(source_id: str) -> bytes:
    """The bytes of a seed article (`analysis2025`, `nakedpolitics7192`) as the bundled dataset ships
    its archived copy: what tests read instead of ../shared/seeds, which a clone does not have."""
    from natoclaims.store import read_file
    from natoclaims.store.archive import read_copy

    dataset = ROOT / "data" / "claims.json"
    digest = read_file(dataset)["sources"][source_id]["archive"][-1]["digest"]
    return read_copy(dataset.parent / "claims.json.archive", digest).raw


def add(*args: str, text: str = "Some 35,000 troops will leave Germany", actor: str = "Donald Trump") -> str:
    """Add a claim through the CLI and return its id."""
    result = cli("add", "--actor", actor, "--source", "https://example.org/a", *args, "--", text)
    assert result.code == 0, result
    return result.stdout.strip()


@pytest.fixture
def empty_store(db: Path) -> Path:
    assert cli("init", "--empty").code == 0
    return db


@pytest.fixture
def two(empty_store: Path) -> tuple[str, str]:
    """Two claims by two known actors (one with an alias): what the bad-input tests refer to."""
    cli("actor", "add", "Donald Trump", "--alias", "Trump")
    cli("actor", "add", "Mark Rutte")
    return add(text="a claim"), add(text="another claim entirely", actor="Mark Rutte")


def assert_refused(result: Result, reason: str) -> None:
    """Bad input: one line on stderr naming the reason, exit 1 or 2, nothing on stdout, no traceback."""
    assert result.code in (1, 2), result
    assert result.stdout == ""
    assert result.stderr.startswith("natoclaims: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert reason in result.stderr
    assert "Traceback" not in result.stderr
