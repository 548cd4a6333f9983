"""The sources registry: `source add`, `list`, `show`, `edit`, `rm`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from natoclaims.cli.env import environment
from natoclaims.cli.options import FormatOption
from natoclaims.cli.output import message
from natoclaims.vocabulary import SourceType

app = typer.Typer()
source_app = typer.Typer(no_args_is_help=True, help="Manage sources: typed once, then used by id or URL.")
app.add_typer(source_app, name="source")

COLUMNS = ["id", "type", "title", "outlet", "published", "url", "claims", "evidence_for"]
SourceArg = Annotated[str, typer.Argument(help="A source id, a unique prefix of one, or its URL.", metavar="SOURCE")]
TitleOption = Annotated[Optional[str], typer.Option("--title", help="The headline or title.")]
OutletOption = Annotated[Optional[str], typer.Option("--outlet", help="Who published it.")]
PublishedOption = Annotated[Optional[str], typer.Option("--published", help="When it was published.")]
TypeOption = Annotated[Optional[SourceType], typer.Option("--type", help="article, transcript, video, social, official, dataset or other.")]


@source_app.command("add")
def source_add(ctx: typer.Context, url: Annotated[str, typer.Argument(help="The source's URL.")],
               title: TitleOption = None, outlet: OutletOption = None, published: PublishedOption = None,
               kind: TypeOption = None) -> None:
    """Register a source and print its id (a URL already registered prints that source's id).

    Example: natoclaims source add https://www.nato.int/cps/en/natohq/news.htm --title "Hague summit declaration" --outlet NATO --type official
    """
    from natoclaims import core

    env = environment(ctx)
    from natoclaims.model import check_url

    registered = core.add_source(env.store(), check_url(url), title=title, outlet=outlet, published=published, kind=kind)
    if registered.existed:
        message(f"already registered as {registered.source['id']}")
    env.output.lines([registered.source["id"]])


@source_app.command("list")
def source_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """List registered sources with how many claims show each and cite each as evidence.

    Example: natoclaims source list --format csv
    """
    from natoclaims import core

    env = environment(ctx)
    env.output.rows(core.source_rows(env.store()), COLUMNS, fmt, title="Sources")


@source_app.command("show")
def source_show(ctx: typer.Context, source: SourceArg, fmt: FormatOption = None) -> None:
    """Show a registered source and the claims that use it.

    Example: natoclaims source show s7k2 --format json
    """
    from natoclaims import core

    env = environment(ctx)
    store = env.store()
    record = core.find_source(store, source)
    row = core.source_rows(store, [record["id"]])[0]
    env.output.rows([{**row, "used_by": core.sources_in_use(store, record["id"])}], [*COLUMNS, "used_by"], fmt,
                    title=f"Source {record['id']}")


@source_app.command("edit")
def source_edit(ctx: typer.Context, source: SourceArg,
                url: Annotated[Optional[str], typer.Option("--url", help="A new URL.")] = None,
                title: TitleOption = None, outlet: OutletOption = None, published: PublishedOption = None,
                kind: TypeOption = None) -> None:
    """Change a registered source; every claim that shows it or cites it follows.

    Example: natoclaims source edit s7k2 --title "Hague Summit Declaration" --published 2025-06-25
    """
    from natoclaims import core

    if all(v is None for v in (url, title, outlet, published, kind)):
        from natoclaims.errors import UsageError

        raise UsageError("nothing to change: give --url, --title, --outlet, --published or --type")
    env = environment(ctx)
    record = core.edit_source(env.store(), source, url=url, title=title, outlet=outlet, published=published, kind=kind)
    message(f"source {record['id']} changed")


@source_app.command("rm")
def source_rm(ctx: typer.Context, source: SourceArg) -> None:
    """Remove a registered source that no claim uses.

    Example: natoclaims source rm s7k2
    """
    from natoclaims import core

    env = environment(ctx)
    record = core.remove_source(env.store(), source)
    message(f"removed source {record['id']}")
