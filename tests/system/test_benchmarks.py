"""benchmarks/: the synthetic stores are the bytes the store's encoder writes, and run.py runs its rows.

Benchmarks measure; these tests never time anything. They check that a store written record by
record, and the edits made to its bytes (an external edit, a `git pull`), are exactly what
`natoclaims.store.encode` writes for the same data, and that a small run of run.py fills its table.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from natoclaims.store import encode

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import synthetic  # noqa: E402  (benchmarks/ is not a package)


@pytest.mark.parametrize("size", [0, 1, 300])
def test_a_store_written_record_by_record_is_what_encode_writes(tmp_path: Path, size: int) -> None:
    path = tmp_path / "bench" / "claims.json"
    path.parent.mkdir()
    synthetic.write_store(path, size)
    data = synthetic.synthetic_data(size)
    assert path.read_bytes() == encode(data)
    assert synthetic.claim_ids(path.read_bytes()) == sorted(data["claims"])


def test_edits_to_the_bytes_are_what_encode_writes_for_the_changed_store(tmp_path: Path) -> None:
    raw = encode(synthetic.synthetic_data(400))
    ids = synthetic.claim_ids(raw)
    for claim_id in (ids[0], ids[200], ids[-1]):  # the first, a middle and the last record of the table
        edited = synthetic.edit_text(raw, claim_id)
        data = json.loads(edited)
        assert edited == encode(data)
        assert data["claims"][claim_id]["text"] != json.loads(raw)["claims"][claim_id]["text"]
    after = synthetic.pulled(raw, 1, 300)
    before, data = json.loads(raw), json.loads(after)
    assert after == encode(data)
    assert sum(before["claims"][i] != data["claims"][i] for i in ids) == 300
    assert {name: table for name, table in before.items() if name != "claims"} == \
           {name: table for name, table in data.items() if name != "claims"}


@pytest.mark.slow
def test_run_fills_its_table(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--sizes", "400", "--repeat", "1",
                           "--rows", "show,external-edit,pull,add", "--stores", str(tmp_path / "stores")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = lines.index("| | 400 claims (1 MiB) |")
    cells = dict(line[2:-2].split(" | ") for line in lines[header + 2:])
    assert list(cells) == ["`python -c pass`", "parse floor: `json.load`, GC off", "`show ID`",
                           "read after an external edit (`search --actor X`)",
                           "first read after a `git pull` of 300 changed claims", "`add`",
                           "peak RSS: parse floor", "peak RSS: `show ID`"]
    assert all(cell.endswith(("x)", "MiB", " ms")) for cell in cells.values()), cells
