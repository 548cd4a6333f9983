"""Time `extract` on hostile input at n, 2n and 4n, and how long Ctrl-C takes to end it (issue 23.12).

    python benchmarks/hostile.py [--kind quotes] [--size N] [--interrupt]

Each kind is an article built to make extraction superlinear: thousands of quotations in one
sentence, a text with no sentence break, very long words, one element with thousands of
attributes, thousands of elements each with hundreds, deep nesting. Each run is a fresh
`natoclaims extract FILE --format jsonl` on an empty store; linear work doubles its time when
the size doubles. `--interrupt` sends SIGINT one second after the start of the largest run and
prints how long the command took to end after it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

NATOCLAIMS = shutil.which("natoclaims") or "natoclaims"


def quotes(n: int) -> str:
    return ", ".join(f"“word{i} here” said Person{i % 50} Smith" for i in range(n)) + "\n"


def run_on(n: int) -> str:
    return " ".join("Rutte said allies pay 5% of GDP and" if i % 7 == 0 else f"word{i}" for i in range(n)) + "\n"


def long_words(n: int) -> str:
    return "A" + "b" * n + " said “x y z” " + "C" * n + "\n"


def attributes(n: int) -> str:
    many = " ".join(f'data-a{i}="2024-01-{i % 28 + 1:02d}"' for i in range(n))
    return (f"<html><head><title>T</title></head><body><article><p {many}>“We will pay,” Rutte said on Thursday. "
            "More text here for the article body to be found.</p></article></body></html>")


def elements(n: int) -> str:
    many = " ".join(f"a{j}" for j in range(450))
    return ("<html><body><article>" + "".join(f"<p {many}>“We will pay {i},” Rutte said. More text.</p>"
                                              for i in range(n)) + "</article></body></html>")


def nesting(n: int) -> str:
    return ("<html><body><article>" + "<div>" * n + "<p>“We will pay,” Rutte said. More text here for the body.</p>"
            + "</div>" * n + "</article></body></html>")


KINDS = {"quotes": (quotes, 5000, "txt"), "run-on": (run_on, 50000, "txt"), "long-words": (long_words, 100000, "txt"),
         "attributes": (attributes, 10000, "html"), "elements": (elements, 250, "html"),
         "nesting": (nesting, 1000, "html")}


def extract(path: Path, env: dict[str, str], interrupt: bool) -> str:
    """Run extract once: its wall time, or with `interrupt` how long it took to end after SIGINT."""
    started = time.perf_counter()
    proc = subprocess.Popen([NATOCLAIMS, "extract", str(path), "--format", "jsonl"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if not interrupt:
        proc.communicate()
        return f"{time.perf_counter() - started:6.2f} s, exit {proc.returncode}"
    time.sleep(1)
    if proc.poll() is not None:
        return "ended before the signal"
    signalled = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    return f"ended {time.perf_counter() - signalled:.2f} s after SIGINT, exit {proc.returncode}: {err.strip()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=sorted(KINDS), action="append", help="Only these kinds (repeatable).")
    parser.add_argument("--size", type=int, help="n (each kind has its own default).")
    parser.add_argument("--interrupt", action="store_true", help="Also time Ctrl-C on the largest size.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "NATOCLAIMS_DB": str(Path(folder) / "claims.json")}
        subprocess.run([NATOCLAIMS, "init", "--empty"], env=env, check=True, capture_output=True)
        for kind in options.kind or sorted(KINDS):
            build, default, suffix = KINDS[kind]
            for n in (size * (options.size or default) for size in (1, 2, 4)):
                path = Path(folder) / f"{kind}-{n}.{suffix}"
                path.write_text(build(n), encoding="utf-8")
                print(f"{kind:11} n={n:<7} {path.stat().st_size:>9} bytes  {extract(path, env, False)}", flush=True)
            if options.interrupt:
                print(f"{kind:11} n={n:<7} {extract(path, env, True)}", flush=True)


if __name__ == "__main__":
    main()
