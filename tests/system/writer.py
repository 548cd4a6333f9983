"""A writer process for the concurrency and crash tests: adds claims to a store, one library call each.

Run as `python tests/system/writer.py DB NAME COUNT [PAD]`: COUNT claims "NAME claim I" by the
actor "Writer NAME", each followed by PAD x's (bigger claims make each write take longer).
"""

from __future__ import annotations

import sys
from pathlib import Path

from natoclaims import core
from natoclaims.store import Store


def writer(db: Path, name: str, count: int, pad: int = 0) -> list[str]:
    """The command line that runs this script as a writer process."""
    return [sys.executable, str(Path(__file__).resolve()), str(db), name, str(count), str(pad)]


def write(db: Path, name: str, count: int, pad: int = 0) -> None:
    """Add `count` claims to the store at `db`, each its own change set."""
    store = Store(db)
    filler = " " + "x" * pad if pad else ""
    for i in range(count):
        core.add_claim(store, f"{name} claim {i}{filler}", actor=f"Writer {name}", sources=["https://a.org"])


if __name__ == "__main__":
    db, name, count, *pad = sys.argv[1:]
    write(Path(db), name, int(count), int(pad[0]) if pad else 0)
