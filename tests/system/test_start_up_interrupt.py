"""Issue 23.14: Ctrl-C while natoclaims is still starting (importing) is one line and exit 130, never a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from tests.conftest import NATOCLAIMS

# Put first on PYTHONPATH, this holds up the import of one module (named in SLOW_IMPORT) after saying so
# in a file, so that the signal lands at a known point of start-up rather than by timing.
SITECUSTOMIZE = '''
import os, sys, time

class HoldUp:
    def find_spec(self, name, path=None, target=None):
        if name == os.environ["SLOW_IMPORT"]:
            open(os.environ["SLOW_IMPORT_REACHED"], "w").close()
            time.sleep(30)

sys.meta_path.insert(0, HoldUp())
'''


@pytest.mark.slow
@pytest.mark.parametrize("module", [
    "gc",  # imported by main() before it runs the command
    "typer",  # imported to build the command line
    "natoclaims.store",  # imported by the command
])
def test_ctrl_c_during_start_up_is_one_line_and_exit_130(empty_store, tmp_path, module):
    (tmp_path / "hook").mkdir()
    (tmp_path / "hook" / "sitecustomize.py").write_text(SITECUSTOMIZE)
    reached = tmp_path / "reached"
    for _ in range(3):
        reached.unlink(missing_ok=True)
        env = {**os.environ, "PYTHONPATH": str(tmp_path / "hook"), "SLOW_IMPORT": module,
               "SLOW_IMPORT_REACHED": str(reached)}
        proc = subprocess.Popen([NATOCLAIMS, "search", "--format", "ids"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        while not reached.exists() and proc.poll() is None:
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert (proc.returncode, err, out) == (130, "natoclaims: error: interrupted\n", ""), (module, err)
