"""Claims in and out for other tools: `export`, `import`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from natoclaims.cli import options
from natoclaims.cli.env import environment
from natoclaims.cli.output import message
from natoclaims.errors import InvalidInput, UsageError
from natoclaims.model.vocabulary import DuplicatePolicy, ExportFormat, ImportFormat, SortKey

app = typer.Typer()


@app.command()
def export(
    ctx: typer.Context,
    query: Annotated[Optional[list[str]], typer.Argument(help="Words that must all occur (as in search).", metavar="[QUERY]...")] = None,
    actor: options.ActorFilter = None, topic: options.TopicFilter = None, status: options.StatusFilter = None, kind: options.KindFilter = None,
    since: options.SinceFilter = None, until: options.UntilFilter = None, source_domain: options.DomainFilter = None,
    evidence_domain: options.EvidenceFilter = None,
    measure: options.MeasureFilter = None, has_contradictions: options.ContradictedFilter = False,
    sort: options.SortOption = SortKey.created, reverse: options.ReverseOption = False, limit: options.LimitOption = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="jsonl (default), json, csv, claimreview, or store: the whole store file with its actors, sources and archived copies.")] = ExportFormat.jsonl,
    publisher: Annotated[str, typer.Option("--publisher", help="ClaimReview author: who publishes the fact checks.")] = "natoclaims",
    publisher_url: Annotated[Optional[str], typer.Option("--publisher-url", help="ClaimReview: the fact-check page; each review's url is URL#claim-ID.")] = None,
    allow_missing_rationale: Annotated[bool, typer.Option("--allow-missing-rationale", help="ClaimReview: export a verdict whose latest review has no note (no reviewBody).")] = False,
) -> None:
    """Write the whole store, or the claims the search filters select, for other tools.

    Example: natoclaims export --format store | natoclaims --db copy.json import -
    """
    import sys

    from natoclaims import core
    from natoclaims.core.exporting import WHOLE_STORE, MissingRationale

    filters = options.search_filters(query, actor=actor, topic=topic, status=status, kind=kind, since=since,
                                     until=until, source_domain=source_domain, measure=measure,
                                     evidence_domain=evidence_domain)
    env = environment(ctx)
    store = env.store()
    try:
        claims = core.export_claims(store, sys.stdout, str(fmt), filters, sort=sort, reverse=reverse, limit=limit,
                                    has_contradictions=has_contradictions, publisher=publisher,
                                    publisher_url=publisher_url, allow_missing_rationale=allow_missing_rationale)
    except MissingRationale as exc:
        raise MissingRationale(exc.ids, "give --allow-missing-rationale") from None
    except UsageError as exc:
        if str(exc) != WHOLE_STORE:
            raise
        raise UsageError("--format store writes the whole store: it takes no filters or --limit") from None
    if fmt == ExportFormat.store:
        return
    if not claims:
        options.say_unknown_filters(store, filters)
    from natoclaims.core.exporting import NO_REVIEW_URL

    if NO_REVIEW_URL in store.warnings:  # said here, after the export: a refusal is the one line on stderr
        store.warnings[:] = [w for w in store.warnings if w != NO_REVIEW_URL]
        message("warning: ClaimReview needs a url for each review: give --publisher-url")


@app.command("import")
def import_(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="A file, or '-' for standard input.", metavar="FILE|-")],
    fmt: Annotated[Optional[ImportFormat], typer.Option("--format", "-f", help="json (an array), jsonl or csv; else guessed from the file name, else jsonl.")] = None,
    on_duplicate: Annotated[DuplicatePolicy, typer.Option("--on-duplicate", help="Same id, or same actor + text + date: skip, update or error.")] = DuplicatePolicy.error,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Import the valid records and list the others on stderr.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would happen; write nothing.")] = False,
) -> None:
    """Add claims from JSON, JSON Lines or CSV: all or nothing, in one write.

    Example: cat new.jsonl | natoclaims import - --on-duplicate skip
    """
    import io

    from natoclaims import core
    from natoclaims.render import counted

    env = environment(ctx)
    read = core.read_import_file(io.StringIO(env.stdin_text()) if source == "-" else source, fmt)
    store = env.store()
    with env.output.progress(len(read), "importing") as tick:
        try:
            report = core.import_file(store, read, on_duplicate=on_duplicate, skip_invalid=skip_invalid,
                                      dry_run=dry_run, tick=tick)
        except InvalidInput as exc:
            if in_flags(str(exc)) == str(exc):
                raise
            raise InvalidInput(in_flags(str(exc))) from None
    report.invalid = [in_flags(problem) for problem in report.invalid]
    for problem in report.invalid:
        message(f"skipped invalid record: {problem}")
    if report.tidied:
        message(f"note: repaired mis-decoded characters or trimmed quote marks and commas in the text of "
                f"{counted(len(report.tidied), 'record')}: {', '.join(report.tidied[:5])}" + (", ..." if len(report.tidied) > 5 else ""))
    imported, updated, skipped = ("would import", "would update", "would skip") if dry_run else ("imported", "updated", "skipped")
    unchanged = f" ({len(report.unchanged)} already as given)" if report.unchanged else ""
    message(f"{imported} {counted(len(report.added), 'claim')}, {updated} {len(report.updated)}{unchanged}, {skipped} "
            f"{counted(len(report.skipped), 'duplicate')}, {len(report.invalid)} invalid"
            + (f"; {counted(len(report.new_actors), 'new actor')}: {', '.join(report.new_actors[:5])}"
               + (", ..." if len(report.new_actors) > 5 else "") if report.new_actors else ""))


def in_flags(text: str) -> str:
    """A message of the import as the command says it: its option where the library names its argument."""
    from natoclaims.core.interchange import DUPLICATE_REMEDY

    return text.replace(f"use {DUPLICATE_REMEDY}", "use --on-duplicate skip or update")
