"""Issue 6 in processes: concurrent writers, readers during writes, crashes at random moments, a megabyte of text."""

import json
import random
import signal
import subprocess
import sys
import time

import pytest

from natoclaims.store import read_file
from tests.conftest import add, cli, run
from tests.system.writer import writer


@pytest.mark.slow
def test_eight_processes_adding_25_claims_each_lose_nothing_and_readers_see_whole_stores(empty_store):
    writers = [subprocess.Popen(writer(empty_store, f"w{n}", 25)) for n in range(8)]
    reads = 0
    while any(w.poll() is None for w in writers):
        json.loads(empty_store.read_bytes())  # a reader never sees a half-written file
        reads += 1
    assert all(w.returncode == 0 for w in writers)
    data = read_file(empty_store)
    assert len(data["claims"]) == 200 and reads > 0
    texts = {c["text"] for c in data["claims"].values()}
    assert texts == {f"w{n} claim {i}" for n in range(8) for i in range(25)}
    assert cli("check").code == 0


def kill_at_random(argv: list[str], rng: random.Random, low: float, high: float) -> int:
    """Start `argv`, SIGKILL it `low`..`high` seconds later; its exit status (-SIGKILL if it was still running)."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(low, high))
    proc.send_signal(signal.SIGKILL)
    return proc.wait()


@pytest.mark.slow
def test_import_of_20k_killed_at_random_moments_is_all_or_nothing(empty_store, isolated):
    add()
    source = isolated / "big.jsonl"
    source.write_text("".join(json.dumps({"text": f"Imported claim {i} about 5% of GDP", "actor": f"A{i % 40}",
                                           "sources": [{"url": f"https://a.org/{i}"}]}) + "\n" for i in range(20_000)))
    importer = [sys.executable, "-m", "natoclaims", "import", str(source)]
    before = empty_store.read_bytes()
    # Time one whole import first: kills at fixed seconds can all come after a fast machine has
    # finished the import, and then nothing is ever interrupted.
    started = time.monotonic()
    whole = subprocess.run(importer, capture_output=True, text=True)
    duration = time.monotonic() - started
    assert whole.returncode == 0 and len(read_file(empty_store)["claims"]) == 20_001, whole.stderr
    empty_store.write_bytes(before)
    rng = random.Random(11)
    rounds = []
    # Most kills land inside the import; the last two near its end, where the new store is written.
    for low, high in [(0.05, 0.9)] * 5 + [(0.75, 1.05)] * 2:
        status = kill_at_random(importer, rng, low * duration, high * duration)
        count = len(read_file(empty_store)["claims"])
        assert count in (1, 20_001), count
        assert status == -signal.SIGKILL or count == 20_001, (status, count)  # an import that ended imported all
        rounds.append((status, count))
        if count == 20_001:
            empty_store.write_bytes(before)
    assert (-signal.SIGKILL, 1) in rounds, rounds  # an import killed part way left the old store whole
    # Whatever a killed writer left beside the store is removed by the next write.
    add(text="after the crashes")
    assert [p.name for p in empty_store.parent.iterdir() if p.name.endswith(".tmp")] == []


EDITOR = """
import sys
from pathlib import Path
from natoclaims import core
from natoclaims.store import Store
store = Store(Path(sys.argv[1]))
for i in range(100_000):
    core.edit_claim(store, sys.argv[2], text=f"edit {i}")
"""


@pytest.mark.slow
def test_edits_killed_at_random_moments_leave_a_whole_store(empty_store):
    for i in range(3):
        add(text=f"filler {i} " + "x" * 200)
    target = add(text="the one being edited")
    rng = random.Random(5)
    changes = 0
    for _ in range(5):
        kill_at_random([sys.executable, "-c", EDITOR, str(empty_store), target], rng, 0.3, 1.0)
        claim = read_file(empty_store)["claims"][target]
        # Each edit is whole: the text is what the last history entry says, and history only grows.
        assert claim["text"] == claim["history"][-1]["new"]
        assert len(claim["history"]) > changes
        changes = len(claim["history"])
    assert cli("check").code == 0


@pytest.mark.slow
def test_one_megabyte_of_text_survives(empty_store):
    text = ("Some 35,000 troops [bold]x[/] \x1b[31m " * 30_000)[:1_000_000]
    result = run("add", "-", "--actor", "A", "--source", "https://a.org", input=text)
    assert result.code == 0
    claim_id = result.stdout.strip()
    assert json.loads(run("show", claim_id, "--format", "json").stdout)[0]["text"] == text
    assert run("search", "troops", "--format", "ids").stdout.split() == [claim_id]
    table = run("show", claim_id, "--format", "table").stdout
    assert "\x1b" not in table
