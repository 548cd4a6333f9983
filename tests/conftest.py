"""Every test runs against a store in its own temporary folder, never the user's data file.

The tests come in layers, each in its own folder, by the outermost thing a test drives:
`unit/` pure modules, `core/` the library and the store from Python, `cli/` commands through
CliRunner, `system/` the installed `natoclaims` in subprocesses. Each layer's conftest holds its
fixtures; this one what all share (the isolation, `empty_store`, `two`, the helpers that drive the
commands). Records and stores for the library are made by `tests.factories`.

Quick run: `python -m pytest -m "not slow"` (a test of 2 s or more is `slow`; Hypothesis tries a
fifth of each property's examples). CI runs everything.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
from hypothesis import settings
from typer.main import get_command as _get_command
from typer.testing import CliRunner

from natoclaims.cli import app

NATOCLAIMS = shutil.which("natoclaims")
ROOT = Path(__file__).resolve().parents[1]  # the checkout: data/, and shared/ beside it
# Hypothesis: the quick run (`-m "not slow"`) tries a fifth of each property's examples; the full
# run (CI: no -m) every one. HYPOTHESIS_PROFILE=quick or =full chooses either way.
settings.register_profile("full")
settings.register_profile("quick", max_examples=20)
_PROFILE = ["full"]


def pytest_configure(config: pytest.Config) -> None:
    quick = "not slow" in (config.getoption("markexpr", "") or "")
    _PROFILE[0] = os.environ.get("HYPOTHESIS_PROFILE") or ("quick" if quick else "full")
    settings.load_profile(_PROFILE[0])


def examples(count: int) -> int:
    """A property's `max_examples`: `count` in the full run, a fifth of it (at least 10) in the quick one."""
    return min(count, max(count // 5, 10)) if _PROFILE[0] == "quick" else count


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


def _command_once(app: typer.Typer, _built: dict[int, Any] = {}) -> Any:  # noqa: B006 (the cache)
    """The click command of a Typer app, built on its first use. typer's CliRunner builds it anew on
    every invoke (~95% of a command's time in a test); the command is the same each time."""
    if id(app) not in _built:
        _built[id(app)] = (app, _get_command(app))
    return _built[id(app)][1]


typer.testing._get_command = _command_once  # every CliRunner in the tests, the helpers' and the tests' own


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


_BUILT: dict[tuple[Any, ...], tuple[dict[str, tuple[bytes, int]], Any]] = {}
_NOT_COPIED = ("cache",)  # the parse cache is keyed by the store's path: each test builds its own


def _tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` (but the cache and lock files): its bytes and mode."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mode & 0o7777) for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink() and p.relative_to(folder).parts[0] not in _NOT_COPIED
            and not p.name.endswith(".lock")}


def _moved(value: Any, old: Path, new: Path) -> Any:
    if isinstance(value, Path) and value.is_relative_to(old):
        return new / value.relative_to(old)
    if isinstance(value, dict):
        return {k: _moved(v, old, new) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_moved(v, old, new) for v in value)
    return value


def built_once(request: pytest.FixtureRequest, isolated: Path, build: Callable[[], Any]) -> Any:
    """What `build` makes in the test's folder, made through the commands once per session (and
    worker): every later test gets a byte-for-byte copy of the files it wrote (the store, its
    journal and sidecars, files beside it) and the same return value. For fixtures that only set
    a store up; a fixture that patches anything for the test itself must build every time."""
    key = (build.__code__, getattr(request, "param", None))  # one per fixture definition (and parameter)
    if key not in _BUILT:
        before = _tree(isolated)
        made = build()
        _BUILT[key] = ({name: data for name, data in _tree(isolated).items() if before.get(name) != data},
                       (isolated, copy.deepcopy(made)))  # what this test does to its value stays its own
        return made
    files, (folder, made) = _BUILT[key]
    for name, (data, mode) in files.items():
        (isolated / name).parent.mkdir(parents=True, exist_ok=True)
        (isolated / name).write_bytes(data)
        (isolated / name).chmod(mode)
    return _moved(copy.deepcopy(made), folder, isolated)


@pytest.fixture
def empty_store(db: Path, request: pytest.FixtureRequest, isolated: Path) -> Path:
    """The path of an empty store made by `init --empty`."""
    def build() -> Path:
        assert cli("init", "--empty").code == 0
        return db

    return built_once(request, isolated, build)


@pytest.fixture
def two(empty_store: Path, request: pytest.FixtureRequest, isolated: Path) -> tuple[str, str]:
    """Two claims by two known actors (one with an alias): what the bad-input tests refer to."""
    def build() -> tuple[str, str]:
        cli("actor", "add", "Donald Trump", "--alias", "Trump")
        cli("actor", "add", "Mark Rutte")
        return add(text="a claim"), add(text="another claim entirely", actor="Mark Rutte")

    return built_once(request, isolated, build)


def assert_refused(result: Result, reason: str) -> None:
    """Bad input: one line on stderr naming the reason, exit 1 or 2, nothing on stdout, no traceback."""
    assert result.code in (1, 2), result
    assert result.stdout == ""
    assert result.stderr.startswith("natoclaims: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert reason in result.stderr
    assert "Traceback" not in result.stderr
