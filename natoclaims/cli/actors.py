"""Who says things: `actor list` (also `actors`), `show`, `add`, `alias`, `rename`, `merge`, `edit`, `rm`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from natoclaims.cli.env import environment
from natoclaims.cli.options import FormatOption, complete_actor_names
from natoclaims.cli.output import message
from natoclaims.errors import UsageError
from natoclaims.model.vocabulary import ActorType
from natoclaims.render import counted

if TYPE_CHECKING:
    from natoclaims.core import Store

app = typer.Typer()
actor_app = typer.Typer(no_args_is_help=True, help="Manage actors: canonical names, aliases, roles and types.")
app.add_typer(actor_app, name="actor")

ActorArg = Annotated[str, typer.Argument(help="The actor's name or an alias.", metavar="NAME",
                                         autocompletion=complete_actor_names)]
TypeOption = Annotated[Optional[ActorType], typer.Option(
    "--type", help="person, organization, government, media or group.", case_sensitive=False)]


def announce_new_actor(store: Store, name: str) -> None:
    """Say on stderr that `name` is a new actor, and which known actors it is close to."""
    from natoclaims import core

    near = core.near_actors(store, name)
    message(f"new actor: {name}" + (f" (did you mean {' or '.join(near)}?)" if near else ""))


COLUMNS = ["name", "aliases", "role", "type", "claims"]


@app.command()
def actors(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """List actors with their aliases, roles, types and claim counts (also: natoclaims actor list).

    Example: natoclaims actors --format csv
    """
    _list_actors(ctx, fmt)


@actor_app.command("list")
def actor_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """List actors with their aliases, roles, types and claim counts (also: natoclaims actors).

    Example: natoclaims actor list --format csv
    """
    _list_actors(ctx, fmt)


def _list_actors(ctx: typer.Context, fmt: str | None) -> None:
    from natoclaims import core

    env = environment(ctx)
    env.output.rows(core.actor_rows(env.store()), COLUMNS, fmt, title="Actors")


@actor_app.command("show")
def actor_show(ctx: typer.Context, name: ActorArg, fmt: FormatOption = None) -> None:
    """Show an actor: its names, role, type and claim count.

    Example: natoclaims actor show Trump --format json
    """
    from natoclaims import core
    from natoclaims.errors import NotFound

    env = environment(ctx)
    store = env.store()
    canonical = core.resolve_actor(store, name)
    rows = [row for row in core.actor_rows(store) if row["name"] == canonical]
    if not rows:
        raise NotFound(f"no actor named {name!r}")
    env.output.rows(rows, COLUMNS, fmt, title=f"Actor {canonical}")


@actor_app.command("add")
def actor_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Canonical name, e.g. 'Mark Rutte'.")],
    alias: Annotated[Optional[list[str]], typer.Option("--alias", help="Another name for the actor (repeatable).")] = None,
    role: Annotated[Optional[str], typer.Option("--role", help="e.g. 'NATO Secretary General'.")] = None,
    actor_type: TypeOption = None,
) -> None:
    """Add an actor (a person unless --type says otherwise).

    Example: natoclaims actor add "Mark Rutte" --alias Rutte --role "NATO Secretary General" --type person
    """
    from natoclaims import core

    core.add_actor(environment(ctx).store(), name, alias or [], role, (actor_type or ActorType.person).value)
    message(f"added actor {name.strip()}")


@actor_app.command("alias")
def actor_alias(
    ctx: typer.Context,
    name: ActorArg,
    alias: Annotated[str, typer.Argument(help="The new alias.")],
) -> None:
    """Give an actor another name.

    Example: natoclaims actor alias "Donald Trump" "POTUS"
    """
    from natoclaims import core

    canonical = core.add_alias(environment(ctx).store(), name, alias)
    message(f"{alias.strip()} now means {canonical}")


@actor_app.command("rename")
def actor_rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The actor's name or an alias.", metavar="OLD",
                                           autocompletion=complete_actor_names)],
    new: Annotated[str, typer.Argument(help="Its new canonical name (not another actor's name or alias).", metavar="NEW")],
) -> None:
    """Give an actor a new canonical name; its claims follow, and the old name stays an alias.

    Example: natoclaims actor rename "J.D. Vance" "JD Vance"
    """
    from natoclaims import core

    done = core.rename_actor(environment(ctx).store(), old, new)
    message(f"renamed {done.old} to {done.new}: {counted(len(done.claims), 'claim')} re-pointed, {done.old} kept as an alias")


@actor_app.command("merge")
def actor_merge(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="The actor to fold in and remove (name or alias).", metavar="FROM",
                                               autocompletion=complete_actor_names)],
    target: Annotated[str, typer.Argument(help="The actor that stays (name or alias).", metavar="INTO",
                                               autocompletion=complete_actor_names)],
) -> None:
    """Merge one actor into another: its claims are re-pointed, its names become aliases, and it is removed.

    Example: natoclaims actor merge "European official (unnamed)" "European officials (unnamed)"
    """
    from natoclaims import core

    done = core.merge_actors(environment(ctx).store(), source, target)
    message(f"merged {done.old} into {done.new}: {counted(len(done.claims), 'claim')} re-pointed")


@actor_app.command("edit")
def actor_edit(
    ctx: typer.Context,
    name: ActorArg,
    role: Annotated[Optional[str], typer.Option("--role", help="New role; '' clears it.")] = None,
    actor_type: TypeOption = None,
) -> None:
    """Change an actor's role or type.

    Example: natoclaims actor edit "White House" --type government --role "Office of the US President"
    """
    from natoclaims import core

    if role is None and actor_type is None:
        raise UsageError("nothing to change: give --role or --type (see 'natoclaims actor edit --help')")
    store = environment(ctx).store()
    changed = core.edit_actor(store, name, role=role, actor_type=actor_type.value if actor_type else None)
    canonical = core.get_actor(store, name)["name"]
    message(f"changed actor {canonical}" if changed else f"{canonical}: nothing changed")


@actor_app.command("rm")
def actor_rm(ctx: typer.Context, name: ActorArg) -> None:
    """Delete an actor that no claim names (merge an actor with claims into another instead).

    Example: natoclaims actor rm "Jens Stoltenberg"
    """
    from natoclaims import core

    message(f"deleted actor {core.remove_actor(environment(ctx).store(), name)}")
