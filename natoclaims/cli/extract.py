"""`extract`: propose claims from an article, show them, write them for `import`, or review them at a terminal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from natoclaims.cli import options
from natoclaims.cli.env import Environment, environment
from natoclaims.cli.output import message
from natoclaims.errors import InvalidInput, NotFound, UsageError
from natoclaims.model.text import counted
from natoclaims.model.vocabulary import OutputFormat

if TYPE_CHECKING:
    from natoclaims.engines.extract import Candidate
    from natoclaims.formats.articles import Article

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
    from natoclaims.core import extraction

    env = environment(ctx)
    if review and not env.stdin_is_terminal:
        raise UsageError("--review asks questions at a terminal; standard input is not one "
                         "(use --format jsonl and 'natoclaims import -' in a pipe)")
    if fmt is OutputFormat.ids:
        raise UsageError("extract proposes claims that have no ids yet: use --format table, json, jsonl, csv or tsv")
    store = env.store()
    if article == "-":
        text = extraction.article_from_bytes(sys.stdin.buffer.read(), url=url, published=published)
    elif Path(article).exists() or Path(article).is_symlink():
        text = extraction.article_from_bytes(read_article_file(article), url=url, published=published)
    else:
        from natoclaims.core.sources import find_source

        try:
            source = find_source(store, article)
        except (NotFound, InvalidInput):
            raise NotFound(f"{article}: no such file, and no registered source by that id or URL") from None
        if url is not None or published is not None:
            raise UsageError("--url and --published describe a file; a registered source has its own")
        text = extraction.archived_article(store, source["id"])
    candidates = extraction.extract_candidates(store, text, min_confidence=min_confidence)
    if review:
        accepted = review_candidates(env, candidates)
        if accepted is None or not accepted:
            message("nothing imported")
            return
        report = extraction.import_candidates(store, accepted, text)
        message(f"imported {counted(len(report.added), 'claim')}, skipped {len(report.skipped)} already in the store")
        env.output.lines(report.added)
        return
    show(env, candidates, text, fmt)


def read_article_file(path: str) -> bytes:
    """A file's bytes; each way of failing to read it is one clear InvalidInput."""
    from natoclaims.formats.articles import MAX_BYTES
    from natoclaims.store.files import reading

    with reading(Path(path), InvalidInput, "article file") as handle:
        data: bytes = handle.read(MAX_BYTES + 1)
    return data


def candidate_row(candidate: Candidate) -> dict[str, Any]:
    """One candidate as a listing row (table, csv, tsv)."""
    return {"confidence": f"{candidate.confidence:.2f}", "kind": candidate.kind, "actor": candidate.actor,
            "said_on": candidate.said_on, "text": candidate.text, "cue": candidate.cue, "context": candidate.context}


def show(env: Environment, candidates: list[Candidate], article: Article, fmt: str | None) -> None:
    """The candidates: import-ready records (jsonl), records with their confidence (json), or rows."""
    from natoclaims.core.extraction import claim_record
    from natoclaims.formats.writers import write_json, write_jsonl

    chosen = env.output.format(fmt)
    if not candidates:
        message("no candidate claims found")
    if chosen is OutputFormat.jsonl:
        write_jsonl([claim_record(c, article) for c in candidates], sys.stdout)
    elif chosen is OutputFormat.json:
        write_json([{"confidence": c.confidence, "cue": c.cue, **claim_record(c, article, selectors=True)}
                    for c in candidates], sys.stdout)
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

    from natoclaims.model import KINDS, choice
    from natoclaims.model.dates import check_date

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
                        kind = choice(typer.prompt("kind", default=candidate.kind, err=True).strip(), KINDS, "kind")
                        said = typer.prompt("said on (blank: unknown)", default=candidate.said_on or "", err=True)
                        said_on = check_date(said.strip(), "date") if said.strip() else None
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
