"""Finding claims: `search`, `timeline`, `contradictions`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from natoclaims.cli import options
from natoclaims.cli.env import environment
from natoclaims.cli.output import message
from natoclaims.errors import ExitStatus
from natoclaims.vocabulary import ContradictionKind, SortKey

app = typer.Typer()


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[Optional[list[str]], typer.Argument(help='Words that must all occur; \'"a phrase"\' in a row.', metavar="[QUERY]...")] = None,
    actor: options.ActorFilter = None, topic: options.TopicFilter = None, status: options.StatusFilter = None, kind: options.KindFilter = None,
    since: options.SinceFilter = None, until: options.UntilFilter = None, source_domain: options.DomainFilter = None,
    evidence_domain: options.EvidenceFilter = None,
    measure: options.MeasureFilter = None, has_contradictions: options.ContradictedFilter = False,
    sort: options.SortOption = SortKey.date, reverse: options.ReverseOption = False, limit: options.LimitOption = None,
    fmt: options.FormatOption = None,
) -> None:
    """Find claims. Filters repeat for OR and combine for AND; no filters lists all.

    Example: natoclaims search troops germany --actor Trump --since 2025-01 --format jsonl | jq .text
    """
    from natoclaims import core

    filters = options.search_filters(query, actor=actor, topic=topic, status=status, kind=kind, since=since,
                                     until=until, source_domain=source_domain, measure=measure,
                                     evidence_domain=evidence_domain)
    env = environment(ctx)
    store = env.store()
    claims = core.find(store, filters, sort=sort, reverse=reverse, limit=limit, has_contradictions=has_contradictions)
    if not claims:
        options.say_unknown_filters(store, filters)
    env.output.claims(claims, fmt)


@app.command()
def timeline(
    ctx: typer.Context,
    actor: options.ActorFilter = None, topic: options.TopicFilter = None, since: options.SinceFilter = None, until: options.UntilFilter = None,
    fmt: options.FormatOption = None,
) -> None:
    """Claims in date order, grouped by month, coloured by status, contradictions marked.

    Example: natoclaims timeline --actor Trump --topic article-5
    """
    from natoclaims import core

    filters = options.search_filters(actor=actor, topic=topic, since=since, until=until)
    env = environment(ctx)
    store = env.store()
    claims = core.find(store, filters, sort="date")
    if not claims:
        options.say_unknown_filters(store, filters)
    if not env.output.wants_table(fmt):
        env.output.claims(claims, fmt)
        return
    from natoclaims.contradictions import find_contradictions
    from natoclaims.render import timeline_view

    contradicted = {p[side]["id"] for p in find_contradictions(store.claims) for side in "ab"}
    if claims:
        env.output.rich(timeline_view(claims, contradicted))
    else:
        message("no claims found")


@app.command()
def contradictions(
    ctx: typer.Context,
    actor: Annotated[Optional[list[str]], typer.Option("--actor", "-a", help="Either claim is by this actor.")] = None,
    topic: Annotated[Optional[list[str]], typer.Option("--topic", "-t", help="Either claim has this topic.")] = None,
    kind: Annotated[Optional[list[ContradictionKind]], typer.Option("--kind", help="linked, numeric, stance or possible.", case_sensitive=False)] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Either claim said on or after this date.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Either claim said on or before this date.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Add the 'possible' leads.")] = False,
    fail_on_any: Annotated[bool, typer.Option("--fail", help="Exit 1 when any contradiction is found.")] = False,
    fmt: options.FormatOption = None,
) -> None:
    """List every pair of claims that cannot both be true.

    Example: natoclaims contradictions --actor Trump --kind stance --format json
    """
    from natoclaims import core
    from natoclaims.contradictions import CONFIRMED_KINDS, PAIR_KINDS

    filters = options.search_filters(actor=actor, topic=topic, since=since, until=until)
    kinds = list(kind) if kind else list(PAIR_KINDS if show_all else CONFIRMED_KINDS)
    env = environment(ctx)
    store = env.store()
    pairs = core.contradicting_pairs(store, filters, kinds)
    if not pairs:
        options.say_unknown_filters(store, filters)
    env.output.pairs(pairs, fmt)
    if fail_on_any and pairs:
        message(f"{len(pairs)} contradiction(s) found")
        raise typer.Exit(ExitStatus.ERROR)
