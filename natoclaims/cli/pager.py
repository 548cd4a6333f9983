"""Long output on a terminal goes through a pager, as git does (`Environment.pager` picks which)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys


def page(document: str, command: str) -> None:
    """Write `document` to stdout, through `command` (run by the shell) when it is longer than
    the terminal and the pager exists; a pager that quits early (`q` in less) is not an error."""
    height = shutil.get_terminal_size().lines
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        program = ""
    if document.count("\n") < height or not shutil.which(program):
        sys.stdout.write(document)
        return
    sys.stdout.flush()
    environment = {**os.environ, "LESS": os.environ.get("LESS", "FRX"), "LV": os.environ.get("LV", "-c")}
    pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=environment)  # noqa: S602 - the user's own pager
    assert pager.stdin is not None
    try:
        pager.stdin.write(document.encode("utf-8", "backslashreplace"))
        pager.stdin.close()
    except BrokenPipeError:
        pass
    while True:
        try:
            pager.wait()
            break
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager (less stays open), as in git
            continue
