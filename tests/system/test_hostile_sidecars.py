"""Issue 23, the files natoclaims keeps beside the store: a teammate's branch is untrusted input.

A journal, lock, conflicts file or index pointer that is a symbolic link (to a file outside, or to
/dev/zero) or a pipe is refused with one line naming it: nothing is written through it, the
store stays as it was, and nothing waits on it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from natoclaims.paths import conflicts_file, index_pointer, journal_file, lock_file
from tests.conftest import add, run
from tests.system.conftest import GIT_ENV, Repo

BASHRC = b"export PATH=$HOME/bin:$PATH\n"
SIDECARS = {"journal": journal_file, "lock file": lock_file, "conflicts file": conflicts_file, "index pointer": index_pointer}
# A command that opens each sidecar: a write opens the lock and journal, `conflicts` its file, a search the index.
COMMANDS = {
    "journal": ("add", "--actor", "A", "--source", "https://e.org", "--", "$(touch pwned)"),
    "lock file": ("add", "--actor", "A", "--source", "https://e.org", "--", "$(touch pwned)"),
    "conflicts file": ("conflicts",),
    "index pointer": ("search", "claim"),
}


def plant(path: Path, kind: str, bashrc: Path) -> None:
    """Put a link to a file outside, a link to /dev/zero, or a pipe where natoclaims keeps a file."""
    if path.exists() or path.is_symlink():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "link":
        path.symlink_to(bashrc)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        os.mkfifo(path)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["link", "zero", "fifo"])
@pytest.mark.parametrize("sidecar", list(SIDECARS))
def test_a_sidecar_that_is_a_link_or_a_pipe_is_refused_by_name(empty_store, tmp_path, sidecar, kind):
    add(text="a claim")
    bashrc = tmp_path / ".bashrc"
    bashrc.write_bytes(BASHRC)
    path = SIDECARS[sidecar](empty_store)
    plant(path, kind, bashrc)
    before = empty_store.read_bytes()
    result = run(*COMMANDS[sidecar])  # a 60 s timeout: a pipe opened for reading would wait for ever
    assert result.code == 1 and result.stdout == "", result
    assert result.stderr.startswith(f"natoclaims: error: {path}: ") and result.stderr.count("\n") == 1, result
    assert f"its {sidecar}" in result.stderr or f"this store's {sidecar}" in result.stderr, result
    assert bashrc.read_bytes() == BASHRC and empty_store.read_bytes() == before
    assert not (tmp_path / "pwned").exists()


@pytest.mark.slow
@pytest.mark.parametrize("command", [("undo", "--yes"), ("redo", "--yes"), ("log",), ("compact", "--keep", "0")])
def test_every_command_that_reads_the_journal_refuses_a_link(empty_store, tmp_path, command):
    add(text="a claim")
    bashrc = tmp_path / ".bashrc"
    bashrc.write_bytes(BASHRC)
    plant(journal_file(empty_store), "link", bashrc)
    before = empty_store.read_bytes()
    result = run(*command)
    assert result.code == 1 and result.stderr.count("\n") == 1, result
    assert f"{journal_file(empty_store)}: is a symbolic link" in result.stderr
    assert bashrc.read_bytes() == BASHRC and empty_store.read_bytes() == before


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_merged_branch_that_commits_the_journal_as_a_link_to_bashrc_changes_nothing(repo, tmp_path):
    bashrc = tmp_path / ".bashrc"  # ../.bashrc from the work tree
    bashrc.write_bytes(BASHRC)
    assert journal_file(repo.store).is_file()  # the victim's own journal, ignored by git
    attacker = Repo(tmp_path / "attacker")
    subprocess.run(["git", "clone", "-q", str(repo.folder), str(attacker.folder)], check=True, timeout=60,
                   env={**os.environ, **GIT_ENV})
    attacker.git("config", "user.name", "Mallory")
    attacker.git("config", "user.email", "mallory@example.org")
    journal_file(attacker.store).symlink_to("../.bashrc")
    attacker.git("add", "-f", "claims.json.journal")  # the ignore line does not stop it
    attacker.git("commit", "-qm", "tidy up")
    repo.git("pull", "-q", "--no-rebase", str(attacker.folder), "main")
    assert journal_file(repo.store).is_symlink()  # git replaced the ignored journal with the link
    before = repo.store.read_bytes()
    result = repo.nc("add", "--actor", "A", "--source", "https://e.org", "--", "$(touch pwned)", ok=False)
    assert result.code == 1 and result.stderr.count("\n") == 1, result
    assert f"{journal_file(repo.store)}: is a symbolic link" in result.stderr
    assert bashrc.read_bytes() == BASHRC and repo.store.read_bytes() == before


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_setup_never_writes_through_a_committed_link(tmp_path):
    bashrc = tmp_path / ".bashrc"
    bashrc.write_bytes(BASHRC)
    victim = Repo(tmp_path / "newsroom")
    victim.folder.mkdir()
    victim.git("init", "-q", "-b", "main")
    victim.nc("init", "--empty")
    (victim.folder / ".gitattributes").symlink_to("../.bashrc")
    result = victim.nc("git", "setup", ok=False)
    assert result.code == 1 and result.stderr.count("\n") == 1, result
    assert f"{victim.folder / '.gitattributes'}: is a symbolic link" in result.stderr
    assert bashrc.read_bytes() == BASHRC and (victim.folder / ".gitattributes").is_symlink()
