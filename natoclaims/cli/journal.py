"""The change sets: `undo`, `log`, `compact`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from natoclaims.cli.env import environment
from natoclaims.cli.options import FormatOption, LimitOption, SinceFilter, UntilFilter
from natoclaims.cli.output import message

app = typer.Typer()


@app.command("undo")
def undo_command(
    ctx: typer.Context,
    change: Annotated[Optional[str], typer.Option("--id", help="Revert this change set (if no later one touched its claims).")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only show what would be reverted.")] = False,
) -> None:
    """Revert the latest change set as a whole (an import, a bulk status, an rm...). Twice is a redo.

    Example: natoclaims undo --dry-run
    """
    from natoclaims import core

    env = environment(ctx)
    store = env.store()
    preview = core.undo(store, change, dry_run=True)
    entry = preview.change
    message(f"change set {entry['id']} at {entry['at']} by {entry['user']}: {entry['command'] or '(no command)'}")
    if preview.redo:
        message(f"  it undid {entry['undoes']}: undoing it is a redo of {entry['undoes']}")
    message(f"  would restore {len(preview.restored)} claim(s) and remove {len(preview.removed)} claim(s)")
    if dry_run:
        return
    if not yes and env.stdin_is_terminal and not typer.confirm("Redo it?" if preview.redo else "Undo it?", err=True):
        raise typer.Abort()
    done = core.undo(store, entry["id"])
    verb = f"redid {entry['undoes']} (undid {entry['id']})" if done.redo else f"undid {entry['id']}"
    message(f"{verb}: restored {len(done.restored)}, removed {len(done.removed)}")


@app.command("log")
def log_command(
    ctx: typer.Context,
    claim: Annotated[Optional[str], typer.Option("--claim", help="Only change sets touching this claim (id or prefix).")] = None,
    user: Annotated[Optional[str], typer.Option("--user", help="Only change sets by this user.")] = None,
    since: SinceFilter = None, until: UntilFilter = None,
    limit: LimitOption = None,
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
    message(f"dropped {dropped} change set(s), kept the newest {keep}" if dropped else "nothing to drop")
