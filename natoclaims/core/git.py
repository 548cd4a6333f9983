"""`git setup` (SPEC section 11): natoclaims registered as the merge driver of a store in its git work
tree, and its lock, journal and conflicts files ignored; `run_git` runs git for the merge's checks too."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from natoclaims.errors import StoreError
from natoclaims.paths import conflicts_file, journal_file, lock_file
from natoclaims.store import write_atomically
from natoclaims.store.files import read_owned
from natoclaims.store.location import GIT_FILE_LIMIT, MERGE_DRIVER, attributes_pattern

DRIVER = MERGE_DRIVER


def run_git(folder: Path, *args: str) -> str:
    """Run git in `folder`: its output; a failure (or no git) is one StoreError naming the git command."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise StoreError("git is not installed (not found on PATH)") from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise StoreError(f"git {args[0]}: {reason}")
    return done.stdout.strip()


def _read_git_file(path: Path) -> str:
    """The text of a file git reads in the work tree ("" when there is none). A symbolic link (a branch
    may commit one pointing at a secret or at /dev/zero), or anything but this user's regular file of
    bounded size, is refused, never followed."""
    raw = read_owned(path, path.name, limit=GIT_FILE_LIMIT)
    try:
        return (raw or b"").decode("utf-8")
    except UnicodeDecodeError:
        raise StoreError(f"{path}: is not UTF-8 text, so natoclaims will not add to it") from None


def _add_lines(path: Path, text: str, lines: list[str]) -> list[str]:
    """Append to the file (`text` as read) the lines it does not hold yet, in one atomic write; those added."""
    present = {existing.rstrip("\r") for existing in text.splitlines()}
    added = [line for line in lines if line not in present]
    if added:
        write_atomically(path, (text + ("" if not text or text.endswith("\n") else "\n") + "".join(
            line + "\n" for line in added)).encode())
    return added


def ignore_pattern(relative: str) -> str:
    """The `.gitignore` line that matches exactly this path of the work tree: anchored, with glob
    characters, backslashes and blanks escaped (a .gitignore line cannot be quoted)."""
    return "/" + re.sub(r"([\\*?\[ \t])", r"\\\1", relative)


def driver_command() -> tuple[str, bool]:
    """How git runs the driver, and whether by name: `natoclaims` on PATH, so that a teammate's install
    and a recreated virtualenv work too; else this Python's by its absolute path. git puts the paths
    in for %O %A %B %P, quoted, so no file name is ever part of the command."""
    if shutil.which(DRIVER):
        return f"{DRIVER} merge-file -- %O %A %B %P", True
    return f"{shlex.quote(sys.executable)} -m natoclaims merge-file -- %O %A %B %P", False


def _set_config(top: Path, name: str, wanted: str) -> str | None:
    """Set one setting in the repository's own git config unless it holds `wanted`; what changed."""
    try:
        current = run_git(top, "config", "--local", "--get", name)
    except StoreError:
        current = None
    if current == wanted:
        return None
    run_git(top, "config", "--local", name, wanted)
    return f"git config: set {name} = {wanted}" + (f" (was '{current}')" if current else "")


def git_setup(store: str | os.PathLike[str]) -> list[str]:
    """Register the merge driver for the store in its git work tree, ignore the lock, journal and
    conflicts files (the archive folder stays tracked); what it changed, one line each (none: already
    set up). A store name git cannot write in `.gitattributes` is refused before anything changes."""
    store = Path(store).absolute()
    folder = store.parent
    if not folder.is_dir():
        raise StoreError(f"{folder}: no such folder")
    try:
        top = Path(run_git(folder, "rev-parse", "--show-toplevel"))
    except StoreError:
        raise StoreError(f"{folder}: not in a git work tree (run 'git init' or clone first)") from None
    try:
        relative = store.resolve().relative_to(top.resolve())
    except ValueError:
        raise StoreError(f"{store}: the store is outside the git work tree {top} (a symlink?)") from None
    attribute = f"{attributes_pattern(relative.as_posix())} merge={DRIVER}"
    ignored = [ignore_pattern(sidecar(relative).as_posix()) for sidecar in (lock_file, journal_file, conflicts_file)]
    texts = {name: _read_git_file(top / name) for name in (".gitattributes", ".gitignore")}  # both, before any change
    changes = [f".gitattributes: added '{line}'" for line in _add_lines(top / ".gitattributes", texts[".gitattributes"],
                                                                        [attribute])]
    name_change = _set_config(top, f"merge.{DRIVER}.name", "natoclaims: merge claims, not lines")
    command, by_name = driver_command()
    driver_change = _set_config(top, f"merge.{DRIVER}.driver", command)
    changes += [change for change in (name_change, driver_change) if change]
    if driver_change and not by_name:
        changes.append(f"{DRIVER} is not on PATH: the driver runs this installation by its absolute path, "
                       "which a teammate's clone will not have; put natoclaims on PATH and set up again")
    changes += [f".gitignore: added '{line}'" for line in _add_lines(top / ".gitignore", texts[".gitignore"], ignored)]
    return changes
