"""Finding claims: `search`, `timeline`, `contradictions`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from natoclaims.cli import options
from natoclaims.cli.env import environment
from natoclaims.cli.output import message
from natoclaims.errors import ExitStatus
from natoclaims.model.vocabulary import ContradictionKind, SortKey
from natoclaims.render import counted

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
    from natoclaims.render import timeline_view

    contradicted = core.contradicted_ids(store)
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
    within: Annotated[Optional[int], typer.Option("--within", metavar="DAYS", min=0,
                                                  help="Only pairs of claims said at most DAYS apart.")] = None,
    fmt: options.FormatOption = None,
) -> None:
    """List every pair of claims that cannot both be true, each pair once with every kind it has.

    Example: natoclaims contradictions --actor Trump --kind stance --within 90 --format json
    """
    from natoclaims import core

    filters = options.search_filters(actor=actor, topic=topic, since=since, until=until)
    kinds: list[str] = list(kind) if kind else core.contradiction_kinds(leads=show_all)
    env = environment(ctx)
    store = env.store()
    pairs = core.contradicting_pairs(store, filters, kinds, within)
    if not pairs:
        options.say_unknown_filters(store, filters)
    env.output.pairs(pairs, fmt)
    if fail_on_any and pairs:
        message(f"{counted(len(pairs), 'contradiction')} found")
        raise typer.Exit(ExitStatus.ERROR)


REPEAT_COLUMNS = ["count", "actor", "first", "last", "statuses", "text", "claims"]


@app.command()
def repeats(
    ctx: typer.Context,
    actor: options.ActorFilter = None, topic: options.TopicFilter = None,
    status: Annotated[Optional[list[str]], typer.Option("--status", help="Keep clusters in which some claim has this status.",
                                                                          autocompletion=options.complete_statuses)] = None,
    min_count: Annotated[int, typer.Option("--min", help="Keep clusters of at least this many claims.")] = 2,
    since: options.SinceFilter = None, until: options.UntilFilter = None,
    fmt: options.FormatOption = None,
) -> None:
    """The same claim said again by the same actor: clusters, counted, largest first.

    Example: natoclaims repeats --status false --min 20   (the Bottomless Pinocchio list)
    """
    from dataclasses import replace

    from natoclaims import core
    from natoclaims.model.vocabulary import OutputFormat

    filters = options.search_filters(actor=actor, topic=topic, status=status, since=since, until=until)
    wanted_statuses = filters.statuses
    env = environment(ctx)
    found = core.repeats(env.store(), replace(filters, statuses=()), wanted_statuses, min_count)
    chosen = env.output.format(fmt)
    if chosen is OutputFormat.ids:
        env.output.lines(claim_id for cluster in found for claim_id in cluster["claims"])
    elif chosen in (OutputFormat.json, OutputFormat.jsonl):
        env.output.rows(found, REPEAT_COLUMNS, fmt)
    elif chosen is OutputFormat.table and not found:
        message("no repeated claims found")
    else:
        flat = [{**c, "statuses": ", ".join(f"{s} {n}" for s, n in c["statuses"].items())} for c in found]
        if chosen is OutputFormat.table:  # the ids are for machines: --format ids
            env.output.rows(flat, REPEAT_COLUMNS[:-1], fmt, title="Repeated claims")
        else:
            env.output.rows(flat, REPEAT_COLUMNS, fmt)
