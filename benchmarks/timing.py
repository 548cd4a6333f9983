"""Running one command for benchmarks/run.py: its wall time and its own peak memory, in a fresh process."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field


class Failed(Exception):
    """A command that exited with an error or ran out of time: its cell says so."""


@dataclass
class Run:
    seconds: float
    rss_kib: int


@dataclass
class Cell:
    runs: list[Run] = field(default_factory=list)
    note: str = ""

    def ms(self) -> float:
        return statistics.median(run.seconds for run in self.runs) * 1000

    def rss_mib(self) -> float:
        return max(run.rss_kib for run in self.runs) / 1024


# Each command is started by this small launcher, not by the benchmark itself: Linux counts in a
# child's ru_maxrss the memory of the process it was forked from (the benchmark holds a 1.3 GB
# store at 1M). The launcher (~10 MB, less than any natoclaims command) times the command and
# reports its wall time, peak RSS and exit status.
LAUNCHER = """
import os, sys, time
quiet = os.open(os.devnull, os.O_RDWR)
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ,
                      file_actions=[(os.POSIX_SPAWN_DUP2, quiet, 0), (os.POSIX_SPAWN_DUP2, quiet, 1)])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def run(argv: list[str], env: dict[str, str] | None = None, timeout: float = 1800.0) -> Run:
    """One fresh process: wall seconds and its own peak RSS (KiB)."""
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen([sys.executable, "-S", "-c", LAUNCHER, *argv], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=errors, env=env, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise Failed(f"> {timeout:,.0f} s") from None
        seconds, rss, code = out.split() if proc.returncode == 0 else (b"0", b"0", b"-1")
        if int(code) not in (0, 1):
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip().splitlines()
            print(f"  {' '.join(argv[:6])}... exited {int(code)}: {message[-1] if message else ''}", file=sys.stderr)
            raise Failed(f"failed ({int(code)})")
    return Run(float(seconds), int(rss))
