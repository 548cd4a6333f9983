"""Teams sharing a store in git: `git setup`, `merge-file` (the merge driver), `conflicts`, `resolve`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from natoclaims.cli.env import environment
from natoclaims.cli.options import FormatOption
from natoclaims.cli.output import message
from natoclaims.errors import ExitStatus

app = typer.Typer()
git_app = typer.Typer(help="Share the store in git: 'git setup' registers the merge driver.\n\n"
                           "Example: natoclaims --db claims.json git setup", no_args_is_help=True)
app.add_typer(git_app, name="git")

SideArg = Annotated[Path, typer.Argument(dir_okay=True)]


@git_app.command("setup")
def git_setup(ctx: typer.Context) -> None:
    """Register natoclaims as the merge driver for the store in its git work tree; ignore its lock and
    journal files. Run it again after every clone: git does not copy a repository's config.

    Example: natoclaims --db claims.json git setup
    """
    from natoclaims import core

    env = environment(ctx)
    path = env.store_path()
    changes = core.git_setup(path)
    for change in changes:
        message(change)
    message(f"{path}: merged by natoclaims in git" + ("" if changes else " (already set up, nothing changed)"))


@app.command("merge-file")
def merge_file(
    base: Annotated[Path, typer.Argument(help="The common ancestor (git's %O).", metavar="BASE")],
    ours: Annotated[Path, typer.Argument(help="Our version, where the result is written (git's %A).", metavar="OURS")],
    theirs: Annotated[Path, typer.Argument(help="Their version (git's %B).", metavar="THEIRS")],
    path: Annotated[Optional[Path], typer.Argument(
        help="The store's path in the work tree (git's %P): its conflicts are recorded beside it (default: beside OURS).",
        metavar="[PATH]")] = None,
) -> None:
    """Merge two versions of a store claim by claim and field by field, into OURS; exit 1 on a conflict.

    Example: natoclaims merge-file base.json claims.json theirs.json
    """
    from natoclaims import core

    conflicts = core.merge_files(base, ours, theirs, path)
    if conflicts:
        from natoclaims.render import counted

        where = path or ours
        message(f"{where}: {counted(len(conflicts), 'merge conflict')}, our value kept for now; "
                f"see 'natoclaims --db {where} conflicts', settle each with 'natoclaims resolve'")
        raise typer.Exit(ExitStatus.ERROR)


@app.command()
def conflicts(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """List the merge conflicts still open: the record, the field, and the base, our and their values.

    Example: natoclaims conflicts --format json
    """
    from natoclaims import core
    from natoclaims.core.team import CONFLICT_COLUMNS

    env = environment(ctx)
    store = env.store()
    store.claims  # noqa: B018 - a store git merged line by line is named as such here too
    assert store.path is not None  # the command line's store is a file
    rows = core.conflict_rows(core.open_conflicts(store.path))
    if env.output.wants_table(fmt) and not rows:
        message("no open merge conflicts")
        return
    env.output.rows(rows, CONFLICT_COLUMNS, fmt, title="Merge conflicts")


@app.command()
def resolve(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Claim id or prefix, actor name or source id.", metavar="ID")],
    field: Annotated[str, typer.Argument(help="The field in conflict ('record' for a deleted record).", metavar="FIELD")],
    ours: Annotated[bool, typer.Option("--ours", help="Keep our value.")] = False,
    theirs: Annotated[bool, typer.Option("--theirs", help="Take their value.")] = False,
    value: Annotated[Optional[str], typer.Option("--value", help="Set this value (JSON for lists and numbers).")] = None,
) -> None:
    """Settle one merge conflict; a verdict conflict is settled by a review with the chosen verdict.

    Example: natoclaims resolve k3x9 said_on --theirs
    """
    from natoclaims import core
    from natoclaims.errors import InvalidInput, NotFound, UsageError
    from natoclaims.render import counted

    if ours + theirs + (value is not None) != 1:
        raise UsageError("give exactly one of --ours, --theirs or --value V")
    env = environment(ctx)
    store = env.store()
    side = "ours" if ours else "theirs" if theirs else None
    try:
        settled = core.resolve(store, key, field, side=side, value=value)
    except (InvalidInput, NotFound, UsageError) as exc:  # said in the library's words: in the command's here
        worded = in_flags(str(exc))
        if worded == str(exc):
            raise
        raise type(exc)(worded) from None
    assert store.path is not None  # the command line's store is a file (core.resolve refuses one in memory)
    left = len(core.open_conflicts(store.path))
    message(f"{settled['key']}: {settled['field']} settled"
            + (f"; {counted(left, 'conflict')} still open" if left else "; no conflicts left: 'git add' the store to finish the merge"))


LIBRARY_WORDS = (
    ("(see open_conflicts)", "(see 'natoclaims conflicts')"),
    ("takes side='ours' or side='theirs', not a value", "takes --ours or --theirs"),
    ("the value for field", "--value for field"),
)


def in_flags(text: str) -> str:
    """A message of `resolve` as the command says it: its options where the library names its arguments."""
    for library, command in LIBRARY_WORDS:
        text = text.replace(library, command)
    return text
