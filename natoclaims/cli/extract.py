"""`extract`: propose claims from an article, show them, write them for `import`, or review them at a terminal."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from natoclaims.cli import options
from natoclaims.cli.env import Environment, environment
from natoclaims.cli.output import message
from natoclaims.errors import InvalidInput, NotFound, UsageError
from natoclaims.model.vocabulary import OutputFormat

if TYPE_CHECKING:
    from natoclaims.core.extract import Article, Candidate

app = typer.Typer()
COLUMNS = ["confidence", "kind", "actor", "said_on", "text", "cue", "context"]
TABLE_COLUMNS = COLUMNS[:-1]  # the sentence is in the machine formats; a terminal is too narrow for it


@app.command()
def extract(
    ctx: typer.Context,
    article: Annotated[str, typer.Argument(help="An HTML, text or WordPress-JSON file, '-' for standard input, or a "
                                                "registered source (id, prefix or URL) with an archived copy.",
                                           metavar="FILE|-|SOURCE")],
    url: Annotated[Optional[str], typer.Option("--url", help="The article's URL, when the file does not say.")] = None,
    published: Annotated[Optional[str], typer.Option("--published", help="The article's date, when the file does not say.")] = None,
    min_confidence: Annotated[float, typer.Option("--min-confidence", min=0.0, max=1.0,
                                                  help="Leave out candidates less sure than this (0 to 1).")] = 0.0,
    review: Annotated[bool, typer.Option("--review", help="At a terminal: accept, edit or skip each candidate; "
                                                          "import the accepted ones as one change set.")] = False,
    fmt: options.FormatOption = None,
) -> None:
    """Propose claims from an article: quotations with their speakers, and reported figures.

    Example: natoclaims extract page.html --url https://example.org/story --format jsonl | natoclaims import -
    """
    import natoclaims.core.extract as extraction

    env = environment(ctx)
    if review and not env.stdin_is_terminal:
        raise UsageError("--review asks questions at a terminal; standard input is not one "
                         "(use --format jsonl and 'natoclaims import -' in a pipe)")
    if fmt is OutputFormat.ids:
        raise UsageError("extract proposes claims that have no ids yet: use --format table, json, jsonl, csv or tsv")
    store = env.store()
    try:
        text = extraction.article_from(store, sys.stdin.buffer.read() if article == "-" else article,
                                       url=url, published=published)
    except UsageError as exc:
        if str(exc) != extraction.SOURCE_HAS_ITS_OWN:
            raise
        raise UsageError("--url and --published describe a file; a registered source has its own") from None
    except (InvalidInput, NotFound) as exc:
        worded = in_flags(str(exc))
        if worded == str(exc):
            raise
        raise type(exc)(worded) from None
    candidates = extraction.extract_candidates(store, text, min_confidence=min_confidence)
    if review:
        from natoclaims.render import counted

        accepted = review_candidates(env, candidates)
        if accepted is None or not accepted:
            message("nothing imported")
            return
        report = extraction.import_candidates(store, accepted, text)
        message(f"imported {counted(len(report.added), 'claim')}, skipped {len(report.skipped)} already in the store")
        env.output.lines(report.added)
        return
    show(env, candidates, text, fmt)


def in_flags(text: str) -> str:
    """A message of the library as `extract` says it: its options and commands where the library names its arguments."""
    import re

    import natoclaims.core.extract as extraction

    text = re.sub(r"^source (\S+) has no archived copy \(archive_source keeps one\)",
                  r"source \1 has no archived copy (run 'natoclaims source archive \1 FILE')", text)
    return text.replace(extraction.PUBLISHED, "--published")


def candidate_row(candidate: Candidate) -> dict[str, Any]:
    """One candidate as a listing row (table, csv, tsv)."""
    return {"confidence": f"{candidate.confidence:.2f}", "kind": candidate.kind, "actor": candidate.actor,
            "said_on": candidate.said_on, "text": candidate.text, "cue": candidate.cue, "context": candidate.context}


def show(env: Environment, candidates: list[Candidate], article: Article, fmt: str | None) -> None:
    """The candidates: import-ready records (jsonl), records with their confidence (json), or rows."""
    from natoclaims.core.extract import write_candidates
    from natoclaims.render import counted

    chosen = env.output.format(fmt)
    if not candidates:
        message("no candidate claims found")
    if chosen in (OutputFormat.jsonl, OutputFormat.json):
        write_candidates(candidates, article, sys.stdout, str(chosen))
    elif candidates:
        env.output.rows([candidate_row(c) for c in candidates], TABLE_COLUMNS if chosen is OutputFormat.table else COLUMNS, fmt,
                        title=f"{counted(len(candidates), 'candidate claim')}")


def show_candidate(env: Environment, candidate: Candidate, title: str) -> None:
    """One candidate under review, on stderr beside its question: never held by a pager (the answer
    would come before the candidate is seen, and Enter accepts), never lost in redirected output."""
    from natoclaims.render import print_to, rows_table

    print_to(sys.stderr, rows_table([candidate_row(candidate)], COLUMNS, title), terminal=env.stderr_is_terminal,
             color=(env.stderr_is_terminal or env.force_color) and not env.no_color)
    sys.stderr.flush()


def review_candidates(env: Environment, candidates: list[Candidate]) -> list[Candidate] | None:
    """Ask about each candidate at the terminal: the accepted ones (edited as asked), or None if the user quit
    without importing anything."""
    from dataclasses import replace

    from natoclaims.core.extract import candidate_date, candidate_kind

    accepted: list[Candidate] = []
    for number, candidate in enumerate(candidates, start=1):
        show_candidate(env, candidate, f"candidate {number} of {len(candidates)}")
        while True:
            answer = typer.prompt("[a]ccept, [e]dit, [s]kip, [q]uit (import what was accepted)", default="a",
                                  err=True).strip().lower()
            if answer in ("a", "accept"):
                accepted.append(candidate)
                break
            if answer in ("s", "skip"):
                break
            if answer in ("q", "quit"):
                return accepted
            if answer in ("e", "edit"):
                while True:
                    try:
                        actor = typer.prompt("actor", default=candidate.actor, err=True).strip()
                        kind = candidate_kind(typer.prompt("kind", default=candidate.kind, err=True).strip())
                        said_on = candidate_date(typer.prompt("said on (blank: unknown)", default=candidate.said_on or "",
                                                              err=True))
                    except InvalidInput as exc:
                        message(f"not taken: {exc}")
                        continue
                    if actor:
                        break
                    message("not taken: the actor cannot be empty")
                accepted.append(replace(candidate, actor=actor, kind=str(kind), said_on=said_on))
                break
            message("answer a, e, s or q")
    return accepted
