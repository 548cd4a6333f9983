"""The vocabularies in use: `topics`, `measures`, `propositions`."""

from __future__ import annotations

import typer

from natoclaims.cli.env import environment
from natoclaims.cli.options import FormatOption

app = typer.Typer()


@app.command()
def topics(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """List the topics in use, with how many claims have each ('--format ids' gives the slugs).

    Example: natoclaims topics --format ids
    """
    from natoclaims import core

    env = environment(ctx)
    env.output.rows(core.topic_rows(env.store()), ["topic", "claims"], fmt, title="Topics")


@app.command()
def measures(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """List the measures the claims' figures use, with how many claims state one.

    Example: natoclaims measures --format json
    """
    from natoclaims import core

    env = environment(ctx)
    env.output.rows(core.measure_rows(env.store()), ["measure", "claims"], fmt, title="Measures")


@app.command()
def propositions(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """List the propositions claims take a stance on, with how many are for and against each.

    Example: natoclaims propositions --format csv
    """
    from natoclaims import core

    env = environment(ctx)
    env.output.rows(core.proposition_rows(env.store()), ["proposition", "claims", "for", "against"], fmt,
                    title="Propositions")
