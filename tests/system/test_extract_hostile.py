"""`natoclaims extract` on hostile input (issue 23.12): Ctrl-C during a long extraction is one line and exit 130."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import NATOCLAIMS


@pytest.mark.slow
def test_ctrl_c_during_a_long_extraction_ends_it_with_exit_130(empty_store: Path, isolated: Path) -> None:
    article = isolated / "run-on.txt"  # 20,000 quotations and no full stop: half a minute of work
    article.write_text(", ".join(f"“word{i} here” said Person{i % 50} Smith" for i in range(20_000)) + "\n",
                       encoding="utf-8")
    proc = subprocess.Popen([NATOCLAIMS, "extract", str(article), "--format", "jsonl"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(2)  # past start-up, inside the extraction
    assert proc.poll() is None, "the extraction ended before the signal"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130 and err == "natoclaims: error: interrupted\n", err
    assert out == ""
