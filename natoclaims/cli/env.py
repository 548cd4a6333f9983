"""Where a command runs: its streams, its variables, its user, its command line and its store.

One `Environment` per run, made by the root callback. Whether stdout is a terminal decides,
here and only here, the default format (a table on a terminal, TSV in a pipe), colour and
boxes; whether stderr is one decides the progress bar. A caller can pass its own through
Click's `obj` (`CliRunner().invoke(app, args, obj=Environment(stdout_is_terminal=True))`).

Standard input is read here too, not in `output`: it is where a command's text or ids come
from, like its options, and `output` only writes.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import typer

from natoclaims.cli.output import Output, message, silence_stdout
from natoclaims.errors import ExitStatus, InvalidInput, NatoclaimsError, NotFound
from natoclaims.model.vocabulary import OutputFormat

if TYPE_CHECKING:
    from natoclaims.core import Store, StoreOrigin


def is_terminal(stream: IO[Any] | None) -> bool:
    """True when the stream is open on a terminal (a closed or missing one is not)."""
    try:
        return stream is not None and stream.isatty()
    except ValueError:
        return False


CREATING_COMMANDS = ("init", "add", "import")  # may start a store --db or NATOCLAIMS_DB names


@dataclass
class Environment:
    """What a command needs to know about where it runs, read once at start."""

    stdin_is_terminal: bool = field(default_factory=lambda: is_terminal(sys.stdin))
    stdout_is_terminal: bool = field(default_factory=lambda: is_terminal(sys.stdout))
    stderr_is_terminal: bool = field(default_factory=lambda: is_terminal(sys.stderr))
    no_color: bool = field(default_factory=lambda: bool(os.environ.get("NO_COLOR")))
    force_color: bool = field(default_factory=lambda: bool(os.environ.get("FORCE_COLOR")))
    paging: bool = True  # --no-pager turns it off
    db: Path | None = None  # --db
    command: str | None = None  # the command run (a group's name for `source add`): decides who may create a store
    command_line: str = ""  # recorded in the journal with each change set
    opened: list[Store] = field(default_factory=list, repr=False)
    created: Path | None = None  # a store --db or NATOCLAIMS_DB named that this command may create

    @property
    def default_format(self) -> OutputFormat:
        """A table on a terminal, TSV in a pipe (like gh)."""
        return OutputFormat.table if self.stdout_is_terminal else OutputFormat.tsv

    @property
    def color(self) -> bool:
        """Colour on a terminal or under FORCE_COLOR (a table piped to `less -R`), never under NO_COLOR."""
        return (self.stdout_is_terminal or self.force_color) and not self.no_color

    @property
    def pager(self) -> str | None:
        """The pager for long output, as git picks one: only on a terminal and without --no-pager;
        $NATOCLAIMS_PAGER, else $PAGER, else `less -FRX`; empty or `cat` means none."""
        if not (self.stdout_is_terminal and self.paging):
            return None
        command = os.environ.get("NATOCLAIMS_PAGER", os.environ.get("PAGER", "less -FRX")).strip()
        return None if command in ("", "cat") else command

    @property
    def progress_bars(self) -> bool:
        """A progress bar only when stderr is a terminal, and never under NO_COLOR."""
        return self.stderr_is_terminal and not self.no_color

    @cached_property
    def output(self) -> Output:
        """Where results, words and errors go."""
        return Output(self)

    @cached_property
    def user(self) -> str:
        """Who makes the changes: $NATOCLAIMS_USER, else the login name."""
        from natoclaims import core

        return core.current_user()

    @cached_property
    def found_store(self) -> tuple[Path, StoreOrigin]:
        """The store, and what named it: --db, else $NATOCLAIMS_DB, else the nearest one `git setup`
        registered above the working folder, else the user's data file."""
        from natoclaims import core

        return core.find_store(self.db)

    def store_path(self) -> Path:
        """The store's file (see `found_store`)."""
        return self.found_store[0]

    def store(self) -> Store:
        """The store; the user's data file starts as a copy of the bundled dataset."""
        from natoclaims.core import Store, initialise

        path, origin = self.found_store
        named = origin != "personal"
        if origin == "environment" and not path.is_absolute() and not os.path.lexists(path) and self.command != "init":
            # Read from whatever folder the command runs in: a new store there is a mistake, not a wish.
            raise NotFound(f"{path}: no such store in {Path.cwd()} (NATOCLAIMS_DB names a relative path, read from "
                           f"the working folder; give it an absolute one, or run 'natoclaims init' here to create it)")
        if not named and not path.exists():
            try:
                made = initialise(path, empty=False, force=False)
                message(f"created {path} with the bundled NATO dataset ({made.claims} claims)")
            except NatoclaimsError:
                if not path.exists():
                    raise
        elif not path.exists() and not path.is_symlink():
            # A store named by --db or NATOCLAIMS_DB that is not there is most likely a typo: only
            # the commands that add claims make it (and say so), never a silently empty store.
            if self.command not in CREATING_COMMANDS:
                where = {"given": "--db", "environment": "NATOCLAIMS_DB"}.get(origin, "git setup's .gitattributes line")
                raise NotFound(f"{path}: no such store ({where} names a file that does not exist; "
                               f"'natoclaims --db {path} init' creates one)")
            self.created = path
        store = Store(path, user=self.user, command=self.command_line)
        self.opened.append(store)
        return store

    def close(self) -> None:
        """Show what was kept for the pager; say what the journal could not do (it never stops a command),
        and that a store was made."""
        self.output.finish()
        if self.created is not None and self.created.exists():
            message(f"created {self.created}: a new, empty store")
        from natoclaims.cli.wording import advice_in_commands

        for store in self.opened:
            for warning in dict.fromkeys(store.warnings):
                message(f"warning: {advice_in_commands(warning)}")
        self._say_where_written()
        sys.stdout.flush()  # so that a failing output is noticed while the ladder can still say what was saved

    def _say_where_written(self) -> None:
        """On a terminal, name the store a change went to when it is not the user's own, so that
        nobody writes to a team's store (or a new one) without knowing."""
        if not self.stderr_is_terminal or not any(store.saved for store in self.opened):
            return
        path, origin = self.found_store
        if origin == "personal":
            return
        how = {"given": "--db", "environment": "NATOCLAIMS_DB", "registered": "registered by git setup"}[origin]
        message(f"saved in {path.absolute()} ({how})")

    def output_failed(self, error: OSError) -> ExitStatus:
        """Standard output cannot be written (a full disk, a broken device). If this run saved a
        change, say so, so that nobody runs it again, and succeed; otherwise it is an error."""
        silence_stdout()
        saved = [change for store in self.opened for change in store.saved]
        if not saved:
            message(f"natoclaims: error: cannot write standard output: {error.strerror or error}")
            return ExitStatus.ERROR
        message(f"warning: standard output could not be written ({error.strerror or error}), but the change was "
                f"saved as change set {saved[-1]} ('natoclaims log' shows it, 'natoclaims undo' reverts it)")
        return ExitStatus.OK

    def stdin_text(self) -> str:
        """Standard input exactly (binary, so a CR stays a CR), less one final newline."""
        try:
            text = sys.stdin.buffer.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"standard input is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        return text[:-1] if text.endswith("\n") else text

    def stdin_bytes(self) -> bytes:
        """Standard input as it came (an article to archive), at most `core.MAX_ARTICLE_BYTES` + 1 bytes."""
        from natoclaims.core import MAX_ARTICLE_BYTES

        return sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)

    def stdin_ids(self) -> list[str]:
        """Ids from standard input, one a line; none at all is an error."""
        ids = [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
        if not ids:
            raise InvalidInput("no ids on standard input")
        return ids


def environment(ctx: typer.Context) -> Environment:
    """The environment of this run, kept on the root context."""
    return ctx.find_root().obj  # type: ignore[no-any-return]
