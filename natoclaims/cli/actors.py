"""Who says things: `actors`, `actor add`, `actor alias`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from natoclaims.cli.env import environment
from natoclaims.cli.options import FormatOption
from natoclaims.cli.output import message

app = typer.Typer()
actor_app = typer.Typer(no_args_is_help=True, help="Manage actors: canonical names, aliases and roles.")
app.add_typer(actor_app, name="actor")


@app.command()
def actors(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """List actors with their aliases, roles and claim counts.

    Example: natoclaims actors --format csv
    """
    from natoclaims import core

    env = environment(ctx)
    rows = core.actor_rows(env.store())
    env.output.rows(rows, ["name", "aliases", "role", "claims"], fmt, title="Actors")


@actor_app.command("add")
def actor_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Canonical name, e.g. 'Mark Rutte'.")],
    alias: Annotated[Optional[list[str]], typer.Option("--alias", help="Another name for the actor (repeatable).")] = None,
    role: Annotated[Optional[str], typer.Option("--role", help="e.g. 'NATO Secretary General'.")] = None,
) -> None:
    """Add an actor.

    Example: natoclaims actor add "Mark Rutte" --alias Rutte --role "NATO Secretary General"
    """
    from natoclaims import core

    core.add_actor(environment(ctx).store(), name, alias or [], role)
    message(f"added actor {name.strip()}")


@actor_app.command("alias")
def actor_alias(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The actor's name or an alias.")],
    alias: Annotated[str, typer.Argument(help="The new alias.")],
) -> None:
    """Give an actor another name.

    Example: natoclaims actor alias "Donald Trump" "POTUS"
    """
    from natoclaims import core

    canonical = core.add_alias(environment(ctx).store(), name, alias)
    message(f"{alias.strip()} now means {canonical}")
