"""The store as a whole: `stats`, `check`."""

from __future__ import annotations

import typer

from natoclaims.cli.env import environment
from natoclaims.cli.options import FormatOption
from natoclaims.cli.output import message
from natoclaims.errors import ExitStatus

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


@app.command()
def check(ctx: typer.Context) -> None:
    """Validate the store: schema, unique ids, links, sources, dates, units, actors.

    Example: natoclaims --db data/claims.json check
    """
    from natoclaims import core

    env = environment(ctx)
    store = env.store()
    problems = core.check_store(store)
    env.output.lines(problems)
    if problems:
        message(f"{store.path}: {len(problems)} problem(s)")
        raise typer.Exit(ExitStatus.ERROR)
    message(f"{store.path}: {len(store.claims)} claims, no problems")
