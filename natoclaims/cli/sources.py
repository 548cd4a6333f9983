"""The sources registry: `source add`, `list`, `show`, `edit`, `rm`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Optional

import typer

from natoclaims.cli.env import environment
from natoclaims.cli.options import FormatOption, complete_source_ids
from natoclaims.cli.output import message
from natoclaims.model.vocabulary import SourceType

app = typer.Typer()
source_app = typer.Typer(no_args_is_help=True, help="Manage sources: typed once, then used by id or URL.")
app.add_typer(source_app, name="source")

COLUMNS = ["id", "type", "title", "outlet", "published", "url", "claims", "evidence_for", "archived"]
SourceArg = Annotated[str, typer.Argument(help="A source id, a unique prefix of one, or its URL.", metavar="SOURCE",
                                          autocompletion=complete_source_ids)]
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
    registered = core.add_source(env.store(), url, title=title, outlet=outlet, published=published, kind=kind)
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
    with command_words():
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
    with command_words():
        record = core.edit_source(env.store(), source, url=url, title=title, outlet=outlet, published=published,
                                  kind=kind)
    message(f"source {record['id']} changed")


@source_app.command("rm")
def source_rm(ctx: typer.Context, source: SourceArg) -> None:
    """Remove a registered source that no claim uses.

    Example: natoclaims source rm s7k2
    """
    from natoclaims import core

    env = environment(ctx)
    with command_words():
        record = core.remove_source(env.store(), source)
    message(f"removed source {record['id']}")


@source_app.command("archive")
def source_archive(ctx: typer.Context, source: SourceArg,
                   file: Annotated[Optional[str], typer.Argument(help="An HTML or text file, or '-' for standard input.",
                                                                 metavar="[FILE|-]")] = None,
                   fetch: Annotated[bool, typer.Option("--fetch", help="Fetch the source's URL (http/https, 20 s timeout per read and 60 s in all, 50 MB limit).")] = False,
                   media_type: Annotated[Optional[str], typer.Option("--media-type", help="What FILE is (text/html, text/plain), if its bytes do not tell.")] = None) -> None:
    """Keep a copy of what a source said (a WARC file beside the store) and anchor its quotes in it.

    Example: natoclaims source archive s7k2 saved-page.html
    """
    from natoclaims import core
    from natoclaims.errors import UsageError

    if fetch == (file is not None):
        raise UsageError("give a FILE (or '-' for standard input), or --fetch to fetch the source's URL")
    env = environment(ctx)
    store = env.store()
    with command_words():
        if fetch:
            if core.find_source(store, source)["url"] is None:
                raise UsageError(f"source {source} has no URL to fetch; give a FILE")
            done = core.archive_source(store, source, fetch=True)
        else:
            page = env.stdin_bytes() if file == "-" else file or ""
            done = core.archive_source(store, source, page, media_type=media_type)
    counts: dict[str, int] = {}
    for match in done.anchored.values():
        counts[match] = counts.get(match, 0) + 1
    anchored = ", ".join(f"{n} {match}" for match, n in sorted(counts.items()))
    message(f"archived source {done.source['id']} as {done.digest[:12]}"
            + ("" if done.new_file else " (these bytes were already archived)")
            + (f"; quotes: {anchored}" if anchored else ""))
    if done.filled:
        given = ", ".join(f"{name} {value!r}" for name, value in done.filled.items())
        message(f"source {done.source['id']} had no {' or '.join(done.filled)}: took {given} from the copy")
    env.output.lines([done.digest])


@contextmanager
def command_words() -> Iterator[None]:
    """The library's errors as the commands say them: a command where the library names its function."""
    from natoclaims.errors import NotFound

    try:
        yield
    except NotFound as exc:
        worded = str(exc).replace("(register it with add_source)", "(register it with 'natoclaims source add URL')")
        if worded == str(exc):
            raise
        raise NotFound(worded) from None
