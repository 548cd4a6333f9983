"""The store under several processes: concurrent `natoclaims add`s, and a writer killed mid-write."""

import random
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from natoclaims.store import read_file
from tests.conftest import add, cli, run
from tests.system.writer import writer


@pytest.mark.slow
def test_four_processes_adding_at_once_lose_nothing(empty_store):
    def worker(n):
        return [run("add", f"claim {n}-{i} about troops", "--actor", f"Actor {n}", "--source", "https://a.org")
                for i in range(6)]

    with ThreadPoolExecutor(4) as pool:
        results = [r for batch in pool.map(worker, range(4)) for r in batch]
    assert all(r.code == 0 for r in results), [r for r in results if r.code]
    ids = {r.stdout.strip() for r in results}
    data = read_file(empty_store)
    assert len(ids) == 24 and set(data["claims"]) == ids
    assert {f"Actor {n}" for n in range(4)} <= set(data["actors"])


@pytest.mark.slow
def test_writer_killed_mid_write_leaves_a_whole_store(empty_store):
    rng = random.Random(7)
    previous = 0
    for _ in range(6):
        proc = subprocess.Popen(writer(empty_store, "writer", 10_000, pad=300))
        time.sleep(rng.uniform(0.4, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = read_file(empty_store)  # parses: old or new, never partial
        assert len(data["claims"]) >= previous
        previous = len(data["claims"])
        assert cli("check").code == 0
    assert previous > 0
    # A killed writer's lock is released by the OS: the next writer is not blocked.
    add()
    assert len(read_file(empty_store)["claims"]) == previous + 1
