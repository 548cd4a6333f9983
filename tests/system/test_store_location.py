"""Which store a command uses when none is named: the one `git setup` registered above the working
folder, found as git finds its repository, then the user's own; the installed `natoclaims` run from
a folder with `cwd`, and on a pseudo-terminal (`script`) where it says which store a write went to."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import NATOCLAIMS, Result

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}

def adding(text: str) -> list[str]:
    return ["add", "--actor", "Mark Rutte", "--source", "https://www.nato.int/a", text]


def natoclaims(*args: str, cwd: Path, **variables: str) -> Result:
    """The installed command run in `cwd` with no store named, unless `variables` name one."""
    env = {key: value for key, value in os.environ.items() if key != "NATOCLAIMS_DB"}
    proc = subprocess.run([NATOCLAIMS, *args], capture_output=True, text=True, cwd=cwd, timeout=60,
                          env={**env, **GIT_ENV, **variables})
    return Result(proc.returncode, proc.stdout, proc.stderr)


def on_a_terminal(*args: str, cwd: Path) -> str:
    """What the terminal shows when the command runs on one (a pseudo-terminal made by `script`)."""
    env = {key: value for key, value in os.environ.items() if key != "NATOCLAIMS_DB"}
    proc = subprocess.run(["script", "-qc", shlex.join([NATOCLAIMS, *args]), os.devnull], capture_output=True,
                          text=True, cwd=cwd, timeout=60, env={**env, **GIT_ENV, "NO_COLOR": "1"},
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc
    return proc.stdout.replace("\r\n", "\n")


def team_folder(folder: Path, store: str = "claims.json") -> Path:
    """A git work tree with an empty store that `git setup` registered; the store's path."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / ".git").exists():
        subprocess.run(["git", "init", "-q", str(folder)], check=True, env={**os.environ, **GIT_ENV})
    for command in (["init", "--empty"], ["git", "setup"]):
        done = natoclaims("--db", store, *command, cwd=folder)
        assert done.code == 0, done
    return folder / store


def claims(store: Path) -> int:
    return len(json.loads(store.read_text())["claims"])


def personal(isolated: Path) -> Path:
    return isolated / "xdg" / "natoclaims" / "claims.json"


def test_a_command_in_a_subfolder_writes_to_the_store_registered_above(isolated: Path) -> None:
    store = team_folder(isolated / "desk")
    deeper = store.parent / "notes" / "2025"
    deeper.mkdir(parents=True)
    for cwd in (store.parent, deeper):
        added = natoclaims(*adding(f"A claim added in {cwd.name}"), cwd=cwd)
        assert added.code == 0, added
    assert claims(store) == 2
    listed = natoclaims("search", "--format", "ids", cwd=deeper)
    assert len(listed.stdout.split()) == 2
    assert not personal(isolated).exists()


def test_the_nearest_registered_store_wins(isolated: Path) -> None:
    top = team_folder(isolated / "newsroom")
    desk = team_folder(isolated / "newsroom", "desk/claims.json")
    assert natoclaims(*adding("Claim number 2"), cwd=desk.parent).code == 0
    assert natoclaims(*adding("Claim number 3"), cwd=top.parent).code == 0
    assert (claims(top), claims(desk)) == (1, 1)


def test_named_stores_come_before_the_registered_one(isolated: Path) -> None:
    store = team_folder(isolated / "desk")
    other = isolated / "other.json"
    assert natoclaims("--db", str(other), "init", "--empty", cwd=isolated).code == 0
    assert natoclaims("--db", str(other), *adding("Claim number 4"), cwd=store.parent).code == 0
    assert natoclaims(*adding("Claim number 5"), cwd=store.parent, NATOCLAIMS_DB=str(other)).code == 0
    assert (claims(other), claims(store)) == (2, 0)


def test_the_walk_stops_at_the_top_of_the_work_tree(isolated: Path) -> None:
    store = team_folder(isolated / "outer")
    inner = store.parent / "vendored"
    subprocess.run(["git", "init", "-q", str(inner)], check=True, env={**os.environ, **GIT_ENV})
    assert natoclaims(*adding("Claim number 6"), cwd=inner).code == 0
    assert claims(store) == 0 and claims(personal(isolated)) > 0


def test_a_registration_outside_any_work_tree_is_not_followed(isolated: Path) -> None:
    loose = isolated / "loose"
    loose.mkdir()
    (loose / ".gitattributes").write_text("/claims.json merge=natoclaims\n")
    assert natoclaims("--db", "claims.json", "init", "--empty", cwd=loose).code == 0
    assert natoclaims(*adding("Claim number 7"), cwd=loose).code == 0
    assert claims(loose / "claims.json") == 0 and personal(isolated).exists()


@pytest.mark.parametrize("pattern", ["/../outside.json", "/*.json", "claims.json"])
def test_only_an_anchored_literal_path_inside_the_work_tree_registers_a_store(isolated: Path, pattern: str) -> None:
    folder = isolated / "desk"
    store = team_folder(folder)
    outside = isolated / "outside.json"
    for path in (outside, store):
        assert natoclaims("--db", str(path), "init", "--empty", "--force", cwd=isolated).code == 0
    (folder / ".gitattributes").write_text(f"{pattern} merge=natoclaims\n")
    assert natoclaims(*adding("Claim number 8"), cwd=folder).code == 0
    assert (claims(outside), claims(store)) == (0, 0) and personal(isolated).exists()


def test_a_symlinked_gitattributes_is_never_followed(isolated: Path) -> None:
    store = team_folder(isolated / "desk")
    registration = isolated / "elsewhere"
    registration.write_text((store.parent / ".gitattributes").read_text())
    (store.parent / ".gitattributes").unlink()
    (store.parent / ".gitattributes").symlink_to(registration)
    assert natoclaims(*adding("Claim number 9"), cwd=store.parent).code == 0
    assert claims(store) == 0 and personal(isolated).exists()


def test_a_relative_store_variable_naming_no_file_is_an_error(isolated: Path) -> None:
    elsewhere = isolated / "elsewhere"
    elsewhere.mkdir()
    refused = natoclaims(*adding("Claim number 10"), cwd=elsewhere, NATOCLAIMS_DB="claims.json")
    assert refused.code == 1 and refused.stdout == "" and refused.stderr.count("\n") == 1, refused
    assert "claims.json: no such store in" in refused.stderr and "relative path" in refused.stderr
    assert list(elsewhere.iterdir()) == []
    assert natoclaims("init", "--empty", cwd=elsewhere, NATOCLAIMS_DB="claims.json").code == 0
    assert natoclaims(*adding("Claim number 11"), cwd=elsewhere, NATOCLAIMS_DB="claims.json").code == 0
    assert claims(elsewhere / "claims.json") == 1


@pytest.mark.slow
def test_a_terminal_is_told_which_store_a_write_went_to(isolated: Path) -> None:
    store = team_folder(isolated / "desk")
    shown = on_a_terminal(*adding("Claim number 12"), cwd=store.parent)
    assert f"saved in {store} (registered by git setup)" in shown
    assert "saved in" not in natoclaims(*adding("Claim number 13"), cwd=store.parent).stderr  # not in a pipe
    assert "saved in" not in on_a_terminal("search", cwd=store.parent)  # nothing written
    assert "saved in" not in on_a_terminal(*adding("Claim number 14"), cwd=isolated)  # the user's own store
    assert claims(store) == 2


def test_two_stores_registered_in_one_folder_are_named_not_guessed(isolated: Path) -> None:
    first = team_folder(isolated / "desk")
    second = team_folder(isolated / "desk", "second.json")
    refused = natoclaims(*adding("Which store?"), cwd=first.parent)
    assert refused.code == 1 and refused.stderr.count("\n") == 1, refused
    assert "2 stores are registered here (claims.json, second.json)" in refused.stderr
    assert natoclaims("--db", "second.json", *adding("This store."), cwd=first.parent).code == 0
    assert (claims(first), claims(second)) == (0, 1)
