"""The `natoclaims` command: parse, call the core, pick a format, map errors to exit statuses.

`app` builds the commands from one module per group (`setup`, `claims`, `finding`,
`interchange`, `reports`, `actors`, `journal`) over `env` (where a run happens),
`options` (shared options) and `output` (the one sink). Heavy modules (Rich, TinyDB,
dateutil, orjson, the store and the core) are imported inside commands, so `--version`
and `--help` start fast.
"""

from __future__ import annotations

import os
import sys

from natoclaims.cli.app import app
from natoclaims.errors import ExitStatus

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    import gc

    # One short-lived process reads a store of up to millions of objects and makes few cycles:
    # without this, collections triggered while parsing and scanning double the run time.
    gc.disable()
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    else:
        code = ExitStatus.OK
    # Leave without freeing the store object by object: at 100k claims that takes longer
    # (~0.4 s) than loading it from the cache, and the OS takes the memory back at once.
    # Every file written was closed and synced by then; only the standard streams are open.
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # `| head` went away: nothing more to say
        pass
    sys.stderr.flush()
    os._exit(code)
