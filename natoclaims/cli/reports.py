"""The store as a whole: `stats`, `check`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from natoclaims.cli.env import environment
from natoclaims.cli.options import FormatOption
from natoclaims.cli.output import message
from natoclaims.errors import ExitStatus
from natoclaims.render import counted

app = typer.Typer()


@app.command()
def stats(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Count claims by status, actor, topic and month.

    Example: natoclaims stats --format csv > counts.csv
    """
    from natoclaims import core

    env = environment(ctx)
    env.output.refuse_ids(fmt, "stats (counts)")
    rows = core.stats(env.store())
    if env.output.wants_table(fmt):
        from natoclaims.render import stats_tables

        env.output.rich(stats_tables(rows))
    else:
        env.output.rows(rows, ["group", "key", "count"], fmt)


QUOTE_COLUMNS = ["id", "source", "match", "text", "found", "start", "end", "archive"]
FAILING = ("altered", "missing", "damaged")


@app.command()
def check(ctx: typer.Context,
          quotes: Annotated[bool, typer.Option("--quotes", help="Check every quote against the archived copy of its sources.")] = False,
          fmt: FormatOption = None) -> None:
    """Validate the store: schema, unique ids, links, sources, dates, units, actors, archived copies.

    With --quotes, classify every quote exact, normalised, altered or missing in its archived
    source (quotes without one are counted as unarchived); exit 1 on altered or missing.

    Example: natoclaims --db data/claims.json check --quotes --format json
    """
    from natoclaims import core

    env = environment(ctx)
    store = env.store()
    if quotes:
        check_quotes(env, store, fmt)
        return
    if fmt is not None:
        from natoclaims.errors import UsageError

        raise UsageError("--format goes with --quotes (plain check prints one problem a line)")
    from natoclaims.cli.wording import advice_in_commands

    problems = [advice_in_commands(line) for line in core.check_store(store)]
    env.output.lines(problems)
    if problems:
        message(f"{store.path}: {counted(len(problems), 'problem')}")
        raise typer.Exit(ExitStatus.ERROR)
    message(f"{store.path}: {counted(len(store.claims), 'claim')}, no problems")


def check_quotes(env: Any, store: Any, fmt: Any) -> None:
    """`check --quotes`: one row per quote and archived source, a summary on stderr, exit 1 on a failure."""
    from natoclaims import core

    rows = core.check_quotes(store)
    if env.output.wants_table(fmt):
        from natoclaims.render import quote_checks_table

        if rows:
            env.output.rich(quote_checks_table(rows))
    elif env.output.format(fmt) in ("json", "jsonl"):
        # The objects of SPEC 8: id, source, match, selector, and found only when altered.
        env.output.rows([{k: v for k, v in row.items() if v is not None or k == "selector"} for row in rows],
                        QUOTE_COLUMNS, fmt)
    else:
        env.output.rows([{**row, **{k: (row["selector"] or {}).get(k) for k in ("start", "end")}} for row in rows],
                        QUOTE_COLUMNS, fmt)
    counts = {match: sum(r["match"] == match for r in rows)
              for match in ("exact", "normalised", "altered", "missing", "damaged", "unarchived")}
    for problem in dict.fromkeys(row["problem"] for row in rows if row["match"] == "damaged"):
        message(problem)
    unarchived = counts.pop("unarchived")
    # The parts add up to the count checked; quotes with no archived copy are not among them.
    summary = ", ".join(f"{n} {match}" for match, n in counts.items() if n)
    failed = sum(counts[m] for m in FAILING)
    message(f"{store.path}: {counted(len(rows) - unarchived, 'quote')} checked" + (f": {summary}" if summary else "")
            + (f"; {failed} failing" if failed else "")
            + (f"; {counted(unarchived, 'quote')} not checked, with no archived source" if unarchived else ""))
    if failed:
        raise typer.Exit(ExitStatus.ERROR)
