"""Verdicts: `review` and its shorthand `status`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from natoclaims.cli.env import Environment, environment
from natoclaims.cli.options import complete_ids_then_verdicts, complete_verdicts
from natoclaims.cli.output import message
from natoclaims.errors import UsageError
from natoclaims.model.vocabulary import Status
from natoclaims.render import counted

app = typer.Typer()

IdsArg = Annotated[list[str], typer.Argument(help="Claim ids or prefixes; '-' reads ids from stdin, one a line.",
                                             metavar="ID...", autocompletion=complete_ids_then_verdicts)]
VERDICTS = {status.value for status in Status} - {Status.unverified.value}
VERDICT_HELP = "verified, misleading, false, disputed, inconclusive or retracted."


def ask_rationale(env: Environment, verdict: str, note: str | None) -> str | None:
    """On a terminal, ask why a verdict is given without a rationale; elsewhere it stays optional."""
    if note is not None or verdict not in VERDICTS or not (env.stdin_is_terminal and env.stderr_is_terminal):
        return note
    answer = typer.prompt(f"Why is it {verdict}? Rationale (blank: none)", default="", show_default=False, err=True)
    return answer.strip() or None


def _reviewed(ctx: typer.Context, ids: list[str], verdict: str, note: str | None, evidence: list[str],
              reviewer: str | None) -> None:
    from natoclaims import core

    env = environment(ctx)
    ids = env.stdin_ids() if ids == ["-"] else ids
    verdict = verdict.strip().lower()  # in any case, as the status filters take it ('False', 'VERIFIED')
    if note is not None and not note.strip():  # ClaimReview would publish it as the reason
        raise UsageError("--note is blank: give the rationale, or leave --note out")
    note = ask_rationale(env, verdict, note)
    store = env.store()
    changed = core.review(store, ids, verdict, note=note, evidence=evidence, reviewer=reviewer)
    reviewed = len({store.get(i)["id"] for i in ids})  # a claim named twice (by id and prefix) is reviewed once
    message(f"{counted(reviewed, 'claim')} reviewed as {verdict}"
            + (f" ({already} already {'was' if already == 1 else 'were'})" if (already := reviewed - len(changed)) else ""))


@app.command()
def review(
    ctx: typer.Context,
    ids: IdsArg,
    verdict: Annotated[str, typer.Argument(help=VERDICT_HELP, metavar="VERDICT", autocompletion=complete_verdicts)],
    note: Annotated[Optional[str], typer.Option("--note", help="The rationale: why this verdict.")] = None,
    evidence: Annotated[Optional[list[str]], typer.Option("--evidence", help="What shows it: a URL or a registered source id (repeatable); never one of the claim's sources.")] = None,
    reviewer: Annotated[Optional[str], typer.Option("--reviewer", help="Who judged it (default: $NATOCLAIMS_USER, else your login name).")] = None,
) -> None:
    """Record a verdict on claims, with its rationale and evidence; it sets their status.

    Example: natoclaims review k3x9 false --note "NATO's own figures show 2.1%" --evidence https://www.nato.int/figures
    """
    _reviewed(ctx, ids, verdict, note, evidence or [], reviewer)


@app.command()
def status(
    ctx: typer.Context,
    ids: IdsArg,
    new_status: Annotated[str, typer.Argument(help=VERDICT_HELP, metavar="STATUS", autocompletion=complete_verdicts)],
    note: Annotated[Optional[str], typer.Option("--note", help="Why: the review's rationale.")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="The evidence: a URL or a registered source id (never one of the claim's sources).")] = None,
) -> None:
    """Set the status of claims: a review in short.

    Example: natoclaims search --actor Trump --format ids | natoclaims status - disputed --note "see fact-check"
    """
    _reviewed(ctx, ids, new_status, note, [source] if source else [], None)
