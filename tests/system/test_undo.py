"""Undo while other processes write: nothing is lost, every add is journaled."""

import subprocess

import pytest

from natoclaims.store import Journal, read_file
from tests.conftest import cli
from tests.system.writer import writer


@pytest.mark.slow
def test_concurrent_writers_and_undo_lose_nothing(empty_store):
    procs = [subprocess.Popen(writer(empty_store, f"w{n}", 15)) for n in range(4)]
    undone = 0
    while any(p.poll() is None for p in procs):
        if cli("undo", "--yes").code == 0:
            undone += 1
    assert all(p.returncode == 0 for p in procs)
    # Every add that was not undone is there; an undo removed exactly one claim (or redid one).
    count = len(read_file(empty_store)["claims"])
    journal_adds = sum(1 for e in Journal(empty_store).entries()[0] if e["command"] == "")
    assert count <= 60 and count >= 60 - undone
    assert journal_adds == 60
    assert cli("check").code == 0
