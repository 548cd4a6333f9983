"""The change sets: `undo`, `redo`, `log`, `compact`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from natoclaims.cli.env import environment
from natoclaims.cli.options import FormatOption
from natoclaims.cli.output import message
from natoclaims.render import counted

app = typer.Typer()


PAST = {"restore": "restored", "remove": "removed"}


def _past(words: str) -> str:
    """'restore claim k3x9' as done: 'restored claim k3x9'."""
    verb, _, rest = words.partition(" ")
    return f"{PAST.get(verb, verb)} {rest}"


def _revert(ctx: typer.Context, change: str | None, *, yes: bool, dry_run: bool, redoing: bool) -> None:
    """Preview the change set undo (or redo) would revert, ask on a terminal, then revert it."""
    from natoclaims import core

    env = environment(ctx)
    store = env.store()
    preview = core.undo(store, change, dry_run=True, redoing=redoing)
    entry = preview.change
    message(f"change set {entry['id']} at {entry['at']} by {entry['user']}: {entry['command'] or '(no command)'}")
    if preview.redo:
        message(f"  it undid {entry['undoes']}: reverting it is a redo of {entry['undoes']}")
    for words in preview.effects:
        message(f"  would {words}")
    if dry_run:
        return
    if not yes and env.stdin_is_terminal and not typer.confirm("Redo it?" if preview.redo else "Undo it?", err=True):
        message("nothing redone" if preview.redo else "nothing undone")  # a "no" is an answer, not an error
        return
    done = core.undo(store, entry["id"])
    verb = f"redid {entry['undoes']} (undid {entry['id']})" if done.redo else f"undid {entry['id']}"
    message(f"{verb}: " + "; ".join(_past(words) for words in done.effects))


@app.command("undo")
def undo_command(
    ctx: typer.Context,
    change: Annotated[Optional[str], typer.Option("--id", help="Revert this change set (if no later one touched its claims).")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only show what would be reverted.")] = False,
) -> None:
    """Revert the newest change set still in effect (an import, a bulk status, an rm...); run
    again, the one before it. 'redo' re-applies what was undone.

    Example: natoclaims undo --dry-run
    """
    _revert(ctx, change, yes=yes, dry_run=dry_run, redoing=False)


@app.command("redo")
def redo_command(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only show what would be re-applied.")] = False,
) -> None:
    """Re-apply the change set the latest undo reverted (a new change after an undo ends the redo chain).

    Example: natoclaims redo
    """
    _revert(ctx, None, yes=yes, dry_run=dry_run, redoing=True)


@app.command("log")
def log_command(
    ctx: typer.Context,
    claim: Annotated[Optional[str], typer.Option("--claim", help="Only change sets touching this claim (id or prefix).")] = None,
    user: Annotated[Optional[str], typer.Option("--user", help="Only change sets by this user.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Change sets made on or after this date.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Change sets made on or before this date.")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=0, help="At most N change sets.")] = None,
    fmt: FormatOption = None,
) -> None:
    """List change sets, newest first: who changed what, when, with which command.

    Example: natoclaims log --claim k3x9 --format json
    """
    from natoclaims import core

    env = environment(ctx)
    rows = core.change_log(env.store(), claim=claim, user=user, since=since, until=until)
    env.output.rows(rows if limit is None else rows[:limit], ["id", "at", "user", "command", "claims"], fmt,
                    title="Change sets")


@app.command()
def compact(
    ctx: typer.Context,
    keep: Annotated[int, typer.Option("--keep", help="How many of the newest change sets to keep.", min=0)],
) -> None:
    """Drop old change sets from the journal (they can no longer be undone).

    Example: natoclaims compact --keep 100
    """
    from natoclaims import core

    dropped = core.compact(environment(ctx).store(), keep)
    message(f"dropped {counted(dropped, 'change set')}, kept the newest {keep}" if dropped else "nothing to drop")
