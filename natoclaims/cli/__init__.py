"""The `natoclaims` command: parse, call the core, pick a format, map errors to exit statuses.

`app` builds the commands from one module per group (`setup`, `claims`, `finding`,
`interchange`, `reports`, `actors`, `journal`) over `env` (where a run happens),
`options` (shared options) and `output` (the one sink). Heavy modules (Rich, TinyDB,
dateutil, orjson, the store and the core) are imported inside commands, so `--version`
and `--help` start fast. Run as the command, this package handles Ctrl-C from its first lines
and SIGTERM from `main()` on, so an interrupt even during start-up is one line and exit 130.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

__all__ = ["app", "main"]


def _interrupted_at_start(signum: int, frame: Any) -> None:
    os.write(2, b"natoclaims: error: interrupted\n")
    os._exit(130)  # nothing has been done yet: nothing to undo or flush


# Ctrl-C from here until main() is running: one line and exit 130, not Python's traceback. Only
# when this process is the `natoclaims` command (or `python -m natoclaims`): a program or a test
# runner that imports the package keeps its own Ctrl-C.
# A Ctrl-C the process was started to ignore (a background job) stays ignored.
if (sys.argv and sys.argv[0].replace("\\", "/").endswith(("/natoclaims", "natoclaims/__main__.py"))
        and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
    signal.signal(signal.SIGINT, _interrupted_at_start)


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
    try:
        code = _run(sys.argv[1:])
    except KeyboardInterrupt:  # before the app's own ladder was in place
        sys.stderr.write("natoclaims: error: interrupted\n")
        code = 130
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


def _run(argv: list[str]) -> int:
    """Run the command line; its exit status. A Ctrl-C from here on is a KeyboardInterrupt."""
    if signal.getsignal(signal.SIGINT) is _interrupted_at_start:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupted)  # like Ctrl-C: "interrupted", exit 130
    import gc

    # One short-lived process reads a store of up to millions of objects and makes few cycles:
    # without this, collections triggered while parsing and scanning double the run time.
    gc.disable()
    if _asks_only_version(argv):  # the one answer that needs neither Typer nor the store
        from natoclaims import __version__

        sys.stdout.write(f"natoclaims {__version__}\n")
        sys.stdout.flush()
        os._exit(0)
    try:
        from natoclaims.cli.application import app_for

        app_for(argv)()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return 0
