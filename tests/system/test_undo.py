"""Undo while other processes write: nothing is lost, every add is journaled."""

import subprocess
import sys

from natoclaims.store import Journal, read_file
from tests.conftest import cli


def test_concurrent_writers_and_undo_lose_nothing(empty_store):
    writer = ("import sys\nfrom pathlib import Path\nfrom natoclaims import core\nfrom natoclaims.store import Store\n"
              "s = Store(Path(sys.argv[1]))\n"
              "for i in range(15):\n"
              "    core.add_claim(s, f'{sys.argv[2]} {i}', actor='W', sources=['https://a.org'])\n")
    procs = [subprocess.Popen([sys.executable, "-c", writer, str(empty_store), f"w{n}"]) for n in range(4)]
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
