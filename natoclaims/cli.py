"""The `natoclaims` command: parse, call the core, pick a format, map errors to exit codes.

Heavy modules (Rich, TinyDB, dateutil) are imported inside commands, so `--version`
and `--help` start fast.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer
from typer.core import TyperGroup

from natoclaims import __version__
from natoclaims.errors import InvalidInput, NatoclaimsError, UsageError

if TYPE_CHECKING:
    from natoclaims.store import Store


# -- errors: the one place where exceptions become exit codes ------------------------------------

def fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"natoclaims: error: {message}\n")
    sys.exit(code)


class NatoclaimsGroup(TyperGroup):
    """Runs the app and turns every error into one line on stderr and an exit code."""

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        debug = os.environ.get("NATOCLAIMS_DEBUG") == "1"
        import shlex

        self.command_line = shlex.join(["natoclaims", *(args if args is not None else sys.argv[1:])])
        try:
            result = super().main(args=args, prog_name=prog_name or "natoclaims", complete_var=complete_var,
                                  standalone_mode=False, **extra)
        except NatoclaimsError as exc:
            if debug:
                raise
            fail(str(exc), exc.exit_status)
        except typer.TyperException as exc:  # Click's usage errors: bad option, missing argument
            if debug:
                raise
            context = getattr(exc, "ctx", None)
            hint = f" (see '{context.command_path} --help')" if context else ""
            fail(exc.format_message() + hint, getattr(exc, "exit_code", 2))  # type: ignore[attr-defined]
        except typer.Abort:
            fail("aborted", 1)
        except BrokenPipeError:
            # The reader went away (`| head`): not an error; keep Python quiet about the closed pipe.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except Exception as exc:
            if debug:
                raise
            fail(f"unexpected {type(exc).__name__}: {exc} (NATOCLAIMS_DEBUG=1 shows the traceback)", 1)
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(
    cls=NatoclaimsGroup, rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False,
    no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]},
    help="Track who said what about NATO: claims, sources, verdicts and contradictions.",
)
actor_app = typer.Typer(cls=NatoclaimsGroup, rich_markup_mode=None, no_args_is_help=True,
                        help="Manage actors: canonical names, aliases and roles.")
app.add_typer(actor_app, name="actor")


# -- the environment: which store, which streams are terminals -----------------------------------

@dataclass
class Env:
    """What a command needs to know about where it runs."""

    db: Path | None
    command_line: str = ""
    opened: list[Any] = field(default_factory=list)

    @property
    def stdout_is_terminal(self) -> bool:
        return sys.stdout.isatty()

    @property
    def stdin_is_terminal(self) -> bool:
        return sys.stdin.isatty()

    def store_path(self) -> Path:
        from natoclaims.paths import default_store as default_path

        if self.db is not None:
            return self.db
        if os.environ.get("NATOCLAIMS_DB"):
            return Path(os.environ["NATOCLAIMS_DB"])
        return default_path()

    def store(self) -> Store:
        """The store; the user's data file starts as a copy of the bundled dataset."""
        from natoclaims.store import Store, initialise

        path = self.store_path()
        if self.db is None and not os.environ.get("NATOCLAIMS_DB") and not path.exists():
            try:
                made = initialise(path, empty=False, force=False)
                message(f"created {path} with the bundled NATO dataset ({made.claims} claims)")
            except NatoclaimsError:
                if not path.exists():
                    raise
        store = Store(path, user=who(), command=self.command_line)
        self.opened.append(store)
        return store

    def close(self) -> None:
        """Say what the journal could not do (it never stops a command)."""
        for store in self.opened:
            for warning in dict.fromkeys(store.warnings):
                message(f"warning: {warning}")


def env(ctx: typer.Context) -> Env:
    return ctx.find_root().obj  # type: ignore[no-any-return]


def message(text: str) -> None:
    """Words for the user go to stderr, never mixed with results."""
    sys.stderr.write(text + "\n")


def version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"natoclaims {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[Optional[Path], typer.Option("--db", help="Store file (else $NATOCLAIMS_DB, else the user's data file).",
                                               dir_okay=True, metavar="PATH")] = None,
    version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Track who said what about NATO: claims, sources, verdicts and contradictions.

    Example: natoclaims search --actor Trump --topic troops
    """
    ctx.obj = Env(db=db, command_line=getattr(ctx.command, "command_line", ""))
    ctx.call_on_close(ctx.obj.close)


# -- shared options ----------------------------------------------------------------------------------

class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    ids = "ids"


FormatOption = Annotated[Optional[Format], typer.Option(
    "--format", "-f", help="Output: table (default on a terminal), json, jsonl, csv, tsv (default in a pipe), ids.",
    case_sensitive=False)]


def output_format(ctx: typer.Context, chosen: Format | None) -> str:
    if chosen is not None:
        return chosen.value
    return "table" if env(ctx).stdout_is_terminal else "tsv"


def print_rich(renderable: Any) -> None:
    from natoclaims.render import print_to

    print_to(sys.stdout, renderable, terminal=sys.stdout.isatty())


def emit_claims(ctx: typer.Context, claims: list[dict[str, Any]], chosen: Format | None, title: str | None = None) -> None:
    """Claims to stdout in the chosen format."""
    fmt = output_format(ctx, chosen)
    if fmt == "table":
        from natoclaims.render import claims_table

        if claims:
            print_rich(claims_table(claims, title))
        else:
            message("no claims found")
        return
    from natoclaims.formats import write_claims

    write_claims(claims, fmt, sys.stdout)


def emit_rows(ctx: typer.Context, records: list[dict[str, Any]], columns: list[str], chosen: Format | None,
              title: str | None = None) -> None:
    """Other listings to stdout in the chosen format."""
    fmt = output_format(ctx, chosen)
    if fmt == "table":
        from natoclaims.render import rows_table

        print_rich(rows_table(records, columns, title))
        return
    from natoclaims.formats import write_rows

    write_rows(records, columns, fmt, sys.stdout)


def who() -> str:
    """Who is making a change: $NATOCLAIMS_USER, else the login name."""
    import getpass

    try:
        return os.environ.get("NATOCLAIMS_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def read_stdin_text() -> str:
    """Standard input exactly (binary, so a CR stays a CR), less one final newline."""
    try:
        text = sys.stdin.buffer.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"standard input is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return text[:-1] if text.endswith("\n") else text


def read_stdin_ids() -> list[str]:
    ids = [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
    if not ids:
        raise InvalidInput("no ids on standard input")
    return ids


# -- init ------------------------------------------------------------------------------------------

@app.command()
def init(
    ctx: typer.Context,
    empty: Annotated[bool, typer.Option("--empty", help="Start with no claims instead of the bundled dataset.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing store.")] = False,
) -> None:
    """Create the store: a copy of the bundled NATO dataset, or empty.

    Example: natoclaims --db team.json init --empty
    """
    from natoclaims.store import initialise

    path = env(ctx).store_path()
    made = initialise(path, empty=empty, force=force, user=who(), command=env(ctx).command_line)
    if made.backup:
        message(f"kept the file that was not a store as {made.backup}")
    message(f"created {path} ({made.claims} claims)")


# -- add -------------------------------------------------------------------------------------------

@app.command()
def add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The claim; '-' reads it from stdin.")],
    actor: Annotated[str, typer.Option("--actor", "-a", help="Who said it (a name or alias).")],
    kind: Annotated[str, typer.Option("--kind", help="quote, paraphrase or report.")] = "paraphrase",
    said_on: Annotated[Optional[str], typer.Option("--date", "-d", help="When it was said: '2025-03-06', 'early March 2025'.")] = None,
    context: Annotated[Optional[str], typer.Option("--context", help="Where and how it was said.")] = None,
    source: Annotated[Optional[list[str]], typer.Option("--source", "-s", help="Source URL (repeatable).")] = None,
    source_title: Annotated[Optional[str], typer.Option("--source-title", help="Title of the first source.")] = None,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="Outlet of the first source.")] = None,
    topic: Annotated[Optional[list[str]], typer.Option("--topic", "-t", help="Topic slug (repeatable).")] = None,
    status: Annotated[str, typer.Option("--status", help="Verification status.")] = "unverified",
    quantity: Annotated[Optional[list[str]], typer.Option("--quantity", "-q", help="'VALUE UNIT', e.g. '35000 troops' (repeatable).")] = None,
    measure: Annotated[Optional[list[str]], typer.Option("--measure", "-m", help="Measure key for each --quantity, in order.")] = None,
    stance: Annotated[Optional[list[str]], typer.Option("--stance", help="PROPOSITION:for|against (repeatable).")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="Free-text notes.")] = None,
) -> None:
    """Add a claim and print its new id.

    Example: natoclaims add "We will move some 35,000 troops out of Germany" --actor Trump
    --kind quote --date "early March 2025" --source https://example.org/story --topic troops
    """
    from natoclaims import core

    if text == "-":
        text = read_stdin_text()
    sources = [{"url": url} for url in source or []]
    if source_title or outlet:
        if not sources:
            sources.append({"url": None})
        sources[0].update(title=source_title, outlet=outlet)
    store = env(ctx).store()
    result = core.add_claim(
        store, text=text, actor=actor, kind=kind, said_on=said_on, context=context, sources=sources,
        topics=topic or [], status=status, quantities=quantity or [], measures=measure or [],
        stances=stance or [], notes=note,
    )
    if result.new_actor:
        message(f"new actor: {result.claim['actor']}")
    for other in result.similar:
        message(f"warning: a near-identical claim by {other['actor']} exists: {other['id']} {other['text'][:60]!r}")
    sys.stdout.write(result.claim["id"] + "\n")


# -- show / history ----------------------------------------------------------------------------------

@app.command()
def show(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(help="Claim ids or unique prefixes (>= 4 chars); '-' reads stdin.", metavar="ID...")],
    fmt: FormatOption = None,
) -> None:
    """Show claims in full.

    Example: natoclaims show k3x9 --format json
    """
    store = env(ctx).store()
    if ids == ["-"]:
        ids = read_stdin_ids()
    claims = [store.get(i) for i in ids]
    if output_format(ctx, fmt) == "table":
        from natoclaims.render import claim_panel

        for claim in claims:
            print_rich(claim_panel(claim))
    else:
        emit_claims(ctx, claims, fmt)


@app.command()
def history(
    ctx: typer.Context,
    claim_id: Annotated[str, typer.Argument(help="Claim id or unique prefix.", metavar="ID")],
    fmt: FormatOption = None,
) -> None:
    """Show the change log of a claim.

    Example: natoclaims history k3x9
    """
    claim = env(ctx).store().get(claim_id)
    emit_rows(ctx, claim["history"], ["at", "by", "field", "old", "new", "note"], fmt,
              title=f"History of {claim['id']}")


# -- edit / status / rm ------------------------------------------------------------------------------

@app.command()
def edit(
    ctx: typer.Context,
    claim_id: Annotated[str, typer.Argument(help="Claim id or unique prefix.", metavar="ID")],
    text: Annotated[Optional[str], typer.Option("--text", help="New text ('-' reads stdin).")] = None,
    actor: Annotated[Optional[str], typer.Option("--actor", help="New actor.")] = None,
    said_on: Annotated[Optional[str], typer.Option("--date", help="New date.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="quote, paraphrase or report.")] = None,
    context: Annotated[Optional[str], typer.Option("--context", help="New context.")] = None,
    add_source: Annotated[Optional[list[str]], typer.Option("--add-source", help="Add a source URL (repeatable).")] = None,
    add_topic: Annotated[Optional[list[str]], typer.Option("--add-topic", help="Add a topic (repeatable).")] = None,
    remove_topic: Annotated[Optional[list[str]], typer.Option("--remove-topic", help="Remove a topic (repeatable).")] = None,
    quantity: Annotated[Optional[list[str]], typer.Option("--quantity", help="Replace the figures: 'VALUE UNIT' (repeatable).")] = None,
    measure: Annotated[Optional[list[str]], typer.Option("--measure", help="Measure key for each --quantity.")] = None,
    stance: Annotated[Optional[list[str]], typer.Option("--stance", help="Set a stance: PROPOSITION:for|against.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="Replace the notes.")] = None,
    reason: Annotated[Optional[str], typer.Option("--why", help="Why, recorded in the history.")] = None,
) -> None:
    """Change fields of a claim; every change is recorded in its history.

    Example: natoclaims edit k3x9 --date 2025-03-06 --add-topic troops --why "date from transcript"
    """
    from natoclaims import core

    if text == "-":
        text = read_stdin_text()
    changes = {
        "text": text, "actor": actor, "said_on": said_on, "kind": kind, "context": context,
        "add_sources": add_source, "add_topics": add_topic, "remove_topics": remove_topic,
        "quantities": quantity, "measures": measure, "stances": stance, "notes": note,
    }
    if all(v is None for v in changes.values()):
        raise UsageError("nothing to change: give at least one option (see 'natoclaims edit --help')")
    given = {name: value for name, value in changes.items() if value is not None}
    result = core.edit_claim(env(ctx).store(), claim_id, why=reason, **given)
    if result.new_actor:
        message(f"new actor: {result.claim['actor']}")
    message(f"{result.claim['id']}: {result.changed} field(s) changed" if result.changed else
            f"{result.claim['id']}: nothing changed")


@app.command()
def status(
    ctx: typer.Context,
    claim_id: Annotated[str, typer.Argument(help="Claim id or prefix; '-' reads ids from stdin, one a line.", metavar="ID")],
    new_status: Annotated[str, typer.Argument(help="unverified, verified, misleading, false, disputed, inconclusive or retracted.", metavar="STATUS")],
    note: Annotated[Optional[str], typer.Option("--note", help="Why, recorded in the history.")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="URL of the evidence, added to the sources.")] = None,
) -> None:
    """Set the verification status of claims.

    Example: natoclaims search --actor Trump --format ids | natoclaims status - disputed --note "see fact-check"
    """
    from natoclaims import core

    ids = read_stdin_ids() if claim_id == "-" else [claim_id]
    changed = core.set_status(env(ctx).store(), ids, new_status, note=note, source=source)
    message(f"{len(changed)} claim(s) set to {new_status}" + (f", {len(ids) - len(changed)} already were" if len(changed) < len(ids) else ""))


@app.command()
def rm(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(help="Claim ids or unique prefixes.", metavar="ID...")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete claims; links pointing at them are removed too.

    Example: natoclaims rm k3x9 --yes
    """
    from natoclaims import core

    store = env(ctx).store()
    if ids == ["-"]:
        ids = read_stdin_ids()
    claims = [store.get(i) for i in ids]
    if not yes and env(ctx).stdin_is_terminal:
        for claim in claims:
            message(f"  {claim['id']}  {claim['actor']}: {claim['text'][:70]}")
        if not typer.confirm(f"Delete {len(claims)} claim(s)?", err=True):
            raise typer.Abort()
    removed, unlinked = core.remove_claims(store, [c["id"] for c in claims])
    message(f"deleted {removed} claim(s)" + (f", removed links from {unlinked} other claim(s)" if unlinked else ""))


# -- search ----------------------------------------------------------------------------------------

class SortKey(StrEnum):
    date = "date"
    actor = "actor"
    status = "status"
    created = "created"


# The filters of `search`, shared by `export` and `timeline` (SPEC 3): declared once.
ActorFilter = Annotated[Optional[list[str]], typer.Option("--actor", "-a", help="Actor name, alias or a whole word of one.")]
TopicFilter = Annotated[Optional[list[str]], typer.Option("--topic", "-t", help="Topic slug.")]
StatusFilter = Annotated[Optional[list[str]], typer.Option("--status", help="Verification status.")]
KindFilter = Annotated[Optional[list[str]], typer.Option("--kind", help="quote, paraphrase or report.")]
SinceFilter = Annotated[Optional[str], typer.Option("--since", help="Said on or after this date.")]
UntilFilter = Annotated[Optional[str], typer.Option("--until", help="Said on or before this date.")]
DomainFilter = Annotated[Optional[list[str]], typer.Option("--source-domain", help="A source URL's host or a parent domain.")]
MeasureFilter = Annotated[Optional[list[str]], typer.Option("--measure", help="States a figure of this measure.")]
ContradictedFilter = Annotated[bool, typer.Option("--has-contradictions", help="Only claims in a contradicting pair.")]
SortOption = Annotated[SortKey, typer.Option("--sort", help="date, actor, status or created.")]
ReverseOption = Annotated[bool, typer.Option("--reverse", help="Reverse the order.")]
LimitOption = Annotated[Optional[int], typer.Option("--limit", "-n", min=0, help="At most N claims.")]


def filters_from_options(
    query: str | None, actor: list[str] | None, topic: list[str] | None, status_: list[str] | None,
    kind: list[str] | None, since: str | None, until: str | None, source_domain: list[str] | None,
    measure: list[str] | None,
) -> Any:
    from natoclaims.model import KINDS, STATUSES, choice
    from natoclaims.search import Filters

    filters = Filters(
        query=query, actors=tuple(actor or ()), topics=tuple(topic or ()),
        statuses=tuple(choice(s, STATUSES, "status") for s in status_ or ()),
        kinds=tuple(choice(k, KINDS, "kind") for k in kind or ()),
        since=since, until=until, source_domains=tuple(source_domain or ()), measures=tuple(measure or ()),
    )
    filters.date_bounds()  # refuse a bad date before reading the store
    return filters


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[Optional[list[str]], typer.Argument(help='Words that must all occur; \'"a phrase"\' in a row.', metavar="[QUERY]...")] = None,
    actor: ActorFilter = None, topic: TopicFilter = None, status_: StatusFilter = None, kind: KindFilter = None,
    since: SinceFilter = None, until: UntilFilter = None, source_domain: DomainFilter = None,
    measure: MeasureFilter = None, has_contradictions: ContradictedFilter = False,
    sort: SortOption = SortKey.date, reverse: ReverseOption = False, limit: LimitOption = None,
    fmt: FormatOption = None,
) -> None:
    """Find claims. Filters repeat for OR and combine for AND; no filters lists all.

    Example: natoclaims search troops germany --actor Trump --since 2025-01 --format jsonl | jq .text
    """
    from natoclaims import core

    filters = filters_from_options(" ".join(query or []), actor, topic, status_, kind, since, until, source_domain, measure)
    claims = core.find(env(ctx).store(), filters, sort=sort.value, reverse=reverse, limit=limit,
                       has_contradictions=has_contradictions)
    emit_claims(ctx, claims, fmt)


class ExportFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    claimreview = "claimreview"


@app.command()
def export(
    ctx: typer.Context,
    query: Annotated[Optional[list[str]], typer.Argument(help="Words that must all occur (as in search).", metavar="[QUERY]...")] = None,
    actor: ActorFilter = None, topic: TopicFilter = None, status_: StatusFilter = None, kind: KindFilter = None,
    since: SinceFilter = None, until: UntilFilter = None, source_domain: DomainFilter = None,
    measure: MeasureFilter = None, has_contradictions: ContradictedFilter = False,
    sort: SortOption = SortKey.created, reverse: ReverseOption = False, limit: LimitOption = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="jsonl (default), json, csv or claimreview.")] = ExportFormat.jsonl,
    publisher: Annotated[str, typer.Option("--publisher", help="ClaimReview author: who publishes the fact checks.")] = "natoclaims",
    publisher_url: Annotated[Optional[str], typer.Option("--publisher-url", help="ClaimReview: the fact-check page; each review's url is URL#claim-ID.")] = None,
) -> None:
    """Write the whole store, or the claims the search filters select, for other tools.

    Example: natoclaims export --format jsonl | natoclaims --db copy.json import -
    """
    from natoclaims import core, formats
    from natoclaims.model import check_url

    if publisher_url is not None:
        check_url(publisher_url)
    filters = filters_from_options(" ".join(query or []), actor, topic, status_, kind, since, until, source_domain, measure)
    claims = core.find(env(ctx).store(), filters, sort=sort.value, reverse=reverse, limit=limit,
                       has_contradictions=has_contradictions)
    if fmt == ExportFormat.claimreview:
        if publisher_url is None:
            message("warning: ClaimReview needs a url for each review: give --publisher-url")
        from natoclaims.claimreview import claim_reviews, json_ld

        sys.stdout.write(json_ld(claim_reviews(claims, publisher, publisher_url)))
    else:
        formats.write_claims(claims, fmt.value, sys.stdout)


class DuplicatePolicy(StrEnum):
    skip = "skip"
    update = "update"
    error = "error"


class ImportFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


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
    from natoclaims import core, readers

    chosen = fmt.value if fmt else readers.guess_format(source if source != "-" else "")
    text = read_stdin_text() if source == "-" else read_import_file(source)
    records = readers.read_records(text, chosen)
    store = env(ctx).store()
    with import_progress(len(records)) as tick:
        report = core.import_claims(store, records, on_duplicate=on_duplicate.value, skip_invalid=skip_invalid,
                                    dry_run=dry_run, tick=tick)
    for problem in report.invalid:
        message(f"skipped invalid record: {problem}")
    verb = "would import" if dry_run else "imported"
    message(f"{verb} {len(report.added)} claim(s), updated {len(report.updated)}, skipped "
            f"{len(report.skipped)} duplicate(s), {len(report.invalid)} invalid"
            + (f"; {len(report.new_actors)} new actor(s): {', '.join(report.new_actors[:5])}"
               + (", ..." if len(report.new_actors) > 5 else "") if report.new_actors else ""))


def read_import_file(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path}: is a directory") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason}), so not JSON or CSV") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.strerror}") from None


def import_progress(total: int) -> Any:
    """A progress bar on stderr when it is a terminal; otherwise nothing."""
    from contextlib import nullcontext

    if not sys.stderr.isatty() or os.environ.get("NO_COLOR") or total < 1000:
        return nullcontext(None)
    from natoclaims.render import progress

    return progress(total, "importing")


# -- overviews ---------------------------------------------------------------------------------

@app.command()
def stats(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Count claims by status, actor, topic and month.

    Example: natoclaims stats --format csv > counts.csv
    """
    from natoclaims import core

    rows = core.stats(env(ctx).store())
    if output_format(ctx, fmt) == "table":
        from natoclaims.render import stats_tables

        print_rich(stats_tables(rows))
    else:
        emit_rows(ctx, rows, ["group", "key", "count"], fmt)


@app.command()
def timeline(
    ctx: typer.Context,
    actor: ActorFilter = None, topic: TopicFilter = None, since: SinceFilter = None, until: UntilFilter = None,
    fmt: FormatOption = None,
) -> None:
    """Claims in date order, grouped by month, coloured by status, contradictions marked.

    Example: natoclaims timeline --actor Trump --topic article-5
    """
    from natoclaims import core

    filters = filters_from_options(None, actor, topic, None, None, since, until, None, None)
    store = env(ctx).store()
    claims = core.find(store, filters, sort="date")
    if output_format(ctx, fmt) != "table":
        emit_claims(ctx, claims, fmt)
        return
    from natoclaims.contradictions import find_contradictions
    from natoclaims.render import timeline_view

    contradicted = {p[side]["id"] for p in find_contradictions(store.claims) for side in "ab"}
    if claims:
        print_rich(timeline_view(claims, contradicted))
    else:
        message("no claims found")


# -- actors ----------------------------------------------------------------------------------------

@app.command()
def actors(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """List actors with their aliases, roles and claim counts.

    Example: natoclaims actors --format csv
    """
    from natoclaims import core

    rows = core.actor_rows(env(ctx).store())
    emit_rows(ctx, rows, ["name", "aliases", "role", "claims"], fmt, title="Actors")


@actor_app.command("add")
def actor_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Canonical name, e.g. 'Mark Rutte'.")],
    alias: Annotated[Optional[list[str]], typer.Option("--alias", help="Another name for the actor (repeatable).")] = None,
    role: Annotated[Optional[str], typer.Option("--role", help="e.g. 'NATO Secretary General'.")] = None,
) -> None:
    """Add an actor.

    Example: natoclaims actor add "Mark Rutte" --alias Rutte --role "NATO Secretary General"
    """
    from natoclaims import core

    core.add_actor(env(ctx).store(), name, alias or [], role)
    message(f"added actor {name.strip()}")


@actor_app.command("alias")
def actor_alias(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The actor's name or an alias.")],
    alias: Annotated[str, typer.Argument(help="The new alias.")],
) -> None:
    """Give an actor another name.

    Example: natoclaims actor alias "Donald Trump" "POTUS"
    """
    from natoclaims import core

    canonical = core.add_alias(env(ctx).store(), name, alias)
    message(f"{alias.strip()} now means {canonical}")


# -- links and contradictions -------------------------------------------------------------------

@app.command("link")
def link_claims(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="Claim id or prefix.", metavar="A")],
    relation: Annotated[str, typer.Argument(help="contradicts, supports, updates or duplicates.", metavar="RELATION")],
    b: Annotated[str, typer.Argument(help="Claim id or prefix.", metavar="B")],
    note: Annotated[Optional[str], typer.Option("--note", help="Why they are related.")] = None,
) -> None:
    """Relate two claims explicitly.

    Example: natoclaims link k3x9 contradicts p2m4 --note "February pledge vs March threat"
    """
    from natoclaims import core

    first, second = core.link(env(ctx).store(), a, relation, b, note)
    message(f"{first} {relation} {second}")


@app.command("unlink")
def unlink_claims(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="Claim id or prefix.", metavar="A")],
    b: Annotated[str, typer.Argument(help="Claim id or prefix.", metavar="B")],
) -> None:
    """Remove the links between two claims.

    Example: natoclaims unlink k3x9 p2m4
    """
    from natoclaims import core

    removed = core.unlink(env(ctx).store(), a, b)
    message(f"removed {removed} link(s)")


class ContradictionKind(StrEnum):
    linked = "linked"
    numeric = "numeric"
    stance = "stance"
    possible = "possible"


PAIR_COLUMNS = ["kind", "subkind", "detail", "a_id", "a_actor", "a_said_on", "a_text",
                "b_id", "b_actor", "b_said_on", "b_text"]


@app.command()
def contradictions(
    ctx: typer.Context,
    actor: Annotated[Optional[list[str]], typer.Option("--actor", "-a", help="Either claim is by this actor.")] = None,
    topic: Annotated[Optional[list[str]], typer.Option("--topic", "-t", help="Either claim has this topic.")] = None,
    kind: Annotated[Optional[list[ContradictionKind]], typer.Option("--kind", help="linked, numeric, stance or possible.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Either claim said on or after this date.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Either claim said on or before this date.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Add the 'possible' leads.")] = False,
    fail_on_any: Annotated[bool, typer.Option("--fail", help="Exit 1 when any contradiction is found.")] = False,
    fmt: FormatOption = None,
) -> None:
    """List every pair of claims that cannot both be true.

    Example: natoclaims contradictions --actor Trump --kind stance --format json
    """
    from natoclaims import core

    filters = filters_from_options(None, actor, topic, None, None, since, until, None, None)
    kinds = [k.value for k in kind] if kind else ["linked", "numeric", "stance"] + (["possible"] if show_all else [])
    pairs = core.contradicting_pairs(env(ctx).store(), filters, kinds)
    chosen = output_format(ctx, fmt)
    if chosen == "table":
        from natoclaims.render import contradiction_tables

        if pairs:
            print_rich(contradiction_tables(pairs))
        else:
            message("no contradictions found")
    elif chosen in ("json", "jsonl"):
        from natoclaims.formats import write_json, write_jsonl

        (write_json if chosen == "json" else write_jsonl)(pairs, sys.stdout)
    elif chosen == "ids":
        sys.stdout.write("".join(i + "\n" for i in dict.fromkeys(p[s]["id"] for p in pairs for s in "ab")))
    else:
        flat = [{"kind": p["kind"], "subkind": p.get("subkind"), "detail": p["detail"],
                 **{f"{s}_{k}": v for s in "ab" for k, v in p[s].items()}} for p in pairs]
        emit_rows(ctx, flat, PAIR_COLUMNS, fmt)
    if fail_on_any and pairs:
        message(f"{len(pairs)} contradiction(s) found")
        raise typer.Exit(1)


@app.command()
def check(ctx: typer.Context) -> None:
    """Validate the store: schema, unique ids, links, sources, dates, units, actors.

    Example: natoclaims --db data/claims.json check
    """
    from natoclaims import core

    store = env(ctx).store()
    problems = core.check_store(store)
    for problem in problems:
        sys.stdout.write(problem + "\n")
    if problems:
        message(f"{store.path}: {len(problems)} problem(s)")
        raise typer.Exit(1)
    message(f"{store.path}: {len(store.claims)} claims, no problems")


# -- undo and the change log ----------------------------------------------------------------------

@app.command("undo")
def undo_command(
    ctx: typer.Context,
    change: Annotated[Optional[str], typer.Option("--id", help="Revert this change set (if no later one touched its claims).")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only show what would be reverted.")] = False,
) -> None:
    """Revert the latest change set as a whole (an import, a bulk status, an rm...). Twice is a redo.

    Example: natoclaims undo --dry-run
    """
    from natoclaims import core

    store = env(ctx).store()
    preview = core.undo(store, change, dry_run=True)
    entry = preview.change
    message(f"change set {entry['id']} at {entry['at']} by {entry['user']}: {entry['command'] or '(no command)'}")
    message(f"  would restore {len(preview.restored)} claim(s) and remove {len(preview.removed)} claim(s)")
    if dry_run:
        return
    if not yes and env(ctx).stdin_is_terminal and not typer.confirm("Undo it?", err=True):
        raise typer.Abort()
    done = core.undo(store, entry["id"])
    message(f"undid {entry['id']}: restored {len(done.restored)}, removed {len(done.removed)}")


@app.command("log")
def log_command(
    ctx: typer.Context,
    claim: Annotated[Optional[str], typer.Option("--claim", help="Only change sets touching this claim (id or prefix).")] = None,
    user: Annotated[Optional[str], typer.Option("--user", help="Only change sets by this user.")] = None,
    since: SinceFilter = None, until: UntilFilter = None,
    limit: LimitOption = None,
    fmt: FormatOption = None,
) -> None:
    """List change sets, newest first: who changed what, when, with which command.

    Example: natoclaims log --claim k3x9 --format json
    """
    from natoclaims import core

    rows = core.change_log(env(ctx).store(), claim=claim, user=user, since=since, until=until)
    emit_rows(ctx, rows if limit is None else rows[:limit], ["id", "at", "user", "command", "claims"], fmt,
              title="Change sets")


@app.command()
def compact(
    ctx: typer.Context,
    keep: Annotated[int, typer.Option("--keep", help="How many of the newest change sets to keep.", min=0)],
) -> None:
    """Drop old change sets from the journal (they can no longer be undone).

    Example: natoclaims compact --keep 100
    """
    from natoclaims import core

    dropped = core.compact(env(ctx).store(), keep)
    message(f"dropped {dropped} change set(s), kept the newest {keep}" if dropped else "nothing to drop")


def main() -> None:
    """Console-script entry point."""
    import gc

    # One short-lived process reads a store of up to millions of objects and makes few cycles:
    # without this, collections triggered while parsing and scanning double the run time.
    gc.disable()
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    else:
        code = 0
    # Leave without freeing the store object by object: at 100k claims that takes longer
    # (~0.4 s) than loading it from the cache, and the OS takes the memory back at once.
    # Every file written was closed and synced by then; only the standard streams are open.
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # `| head` went away: nothing more to say
        pass
    sys.stderr.flush()
    os._exit(code)
