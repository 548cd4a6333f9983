"""The `natoclaims` command: parse, call the core, pick a format, map errors to exit statuses.

`app` builds the commands from one module per group (`setup`, `claims`, `finding`,
`interchange`, `reports`, `actors`, `journal`) over `env` (where a run happens),
`options` (shared options) and `output` (the one sink). Heavy modules (Rich, TinyDB,
dateutil, orjson, the store and the core) are imported inside commands, so `--version`
and `--help` start fast. This package imports nothing until `main()` has set up Ctrl-C and
SIGTERM, so an interrupt even during start-up is one line and exit 130.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    if name == "app":
        from natoclaims.cli.application import app

        return app
    raise AttributeError(f"module 'natoclaims.cli' has no attribute {name!r}")


def _interrupted(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _asks_only_version(argv: list[str]) -> bool:
    """Whether the arguments are `--version` with at most the other root options."""
    words = iter(argv)
    for word in words:
        if word == "--db":
            next(words, None)
        elif not (word.startswith("--db=") or word in ("--no-pager", "--version")):
            return False
    return "--version" in argv


def main() -> None:
    """Console-script entry point."""
    import gc

    signal.signal(signal.SIGTERM, _interrupted)  # like Ctrl-C: "interrupted", exit 130
    # One short-lived process reads a store of up to millions of objects and makes few cycles:
    # without this, collections triggered while parsing and scanning double the run time.
    gc.disable()
    if _asks_only_version(sys.argv[1:]):  # the one answer that needs neither Typer nor the store
        from natoclaims import __version__

        sys.stdout.write(f"natoclaims {__version__}\n")
        sys.stdout.flush()
        os._exit(0)
    try:
        from natoclaims.cli.application import app_for

        app_for(sys.argv[1:])()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except KeyboardInterrupt:  # before the app's own ladder was in place
        sys.stderr.write("natoclaims: error: interrupted\n")
        code = 130
    else:
        code = 0
    # Leave without freeing the store object by object: at 100k claims that takes longer
    # (~0.4 s) than loading it from the cache, and the OS takes the memory back at once.
    # Every file written was closed and synced by then; only the standard streams are open.
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # `| head` went away: nothing more to say
        pass
    except OSError as exc:  # a full disk or a broken device after the last command (already said if it mattered)
        sys.stderr.write(f"natoclaims: error: cannot write standard output: {exc.strerror or exc}\n")
        code = code or 1
    sys.stderr.flush()
    os._exit(code)
