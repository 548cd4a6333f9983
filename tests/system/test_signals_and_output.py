"""Issue 18: a signal or a failing standard output is one clear line, never a traceback, and a
change that was saved is said to be saved (so nobody repeats it)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from natoclaims.store import read_file
from tests.conftest import NATOCLAIMS, add


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_a_long_import_is_interrupted_exit_130_and_the_store_old_or_new(empty_store, isolated, signum):
    source = isolated / "big.jsonl"
    source.write_text("".join(json.dumps({"text": f"claim {i} about 5% of GDP", "actor": f"A{i % 9}",
                                          "sources": [{"url": f"https://a.org/{i}"}]}) + "\n" for i in range(20_000)))
    proc = subprocess.Popen([NATOCLAIMS, "import", str(source)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    time.sleep(0.4)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the import finished before the signal")
    assert proc.returncode == 130 and err == "natoclaims: error: interrupted\n", err
    assert len(read_file(empty_store)["claims"]) in (0, 20_000)


@pytest.mark.slow
def test_a_signal_during_start_up_is_one_line(empty_store):
    handled = 0
    for delay in (0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2):
        proc = subprocess.Popen([NATOCLAIMS, "search", "--format", "ids"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        if proc.returncode == -signal.SIGINT or "Fatal Python error" in err:
            continue  # the interpreter itself was still starting: no natoclaims code had run yet
        assert "Traceback" not in err, (delay, err)
        assert proc.returncode == 0 or (proc.returncode == 130 and err == "natoclaims: error: interrupted\n"), err
        handled += proc.returncode == 130
    assert handled, "no signal landed while natoclaims was starting"


def test_add_with_standard_output_on_a_full_disk_says_the_claim_was_saved(empty_store):
    with open("/dev/full", "w") as full:
        proc = subprocess.run([NATOCLAIMS, "add", "--actor", "A", "--source", "https://e.org", "--", "saved claim"],
                              stdout=full, stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 0 and "the change was saved as change set" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and "unexpected" not in proc.stderr
    assert [c["text"] for c in read_file(empty_store)["claims"].values()] == ["saved claim"]


def test_a_listing_to_a_full_disk_is_one_error_line(empty_store):
    for n in range(3):
        add(text=f"claim {n} " + "x" * 5000)
    with open("/dev/full", "w") as full:
        proc = subprocess.run([NATOCLAIMS, "search", "--format", "json"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "No space left on device" in proc.stderr, proc.stderr


def test_check_escapes_hostile_ids_in_its_problem_lines(empty_store):
    data = read_file(empty_store)
    data["claims"]["evil\x1b[2Jid"] = {"id": "evil\x1b[2Jid"}
    empty_store.write_text(json.dumps(data))
    proc = subprocess.run([NATOCLAIMS, "check"], capture_output=True, text=True)
    assert proc.returncode == 1 and "\x1b" not in proc.stdout + proc.stderr, proc
    assert sys.executable
