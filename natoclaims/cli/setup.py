"""Setting up: `init`."""

from __future__ import annotations

from typing import Annotated

import typer

from natoclaims.cli.env import environment
from natoclaims.cli.output import message
from natoclaims.render import counted

app = typer.Typer()


@app.command()
def init(
    ctx: typer.Context,
    empty: Annotated[bool, typer.Option("--empty", help="Start with no claims instead of the bundled dataset.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing store.")] = False,
) -> None:
    """Create the store: a copy of the bundled NATO dataset, or empty.

    Example: natoclaims --db team.json init --empty
    """
    from natoclaims.core import initialise

    env = environment(ctx)
    path = env.store_path()
    made = initialise(path, empty=empty, force=force, user=env.user, command=env.command_line)
    if made.backup:
        message(f"kept the file that was not a store as {made.backup}")
    message(f"created {path} ({counted(made.claims, 'claim')})")
