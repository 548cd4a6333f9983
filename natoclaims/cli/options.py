"""Options and arguments that several commands share, declared once, and the filters they build.

A vocabulary option (`--format`, `--sort`) takes its choices from `natoclaims.model.vocabulary`, which
imports nothing else, so `--version` and `--help` load none of the library.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from natoclaims.model.vocabulary import OutputFormat, SortKey

if TYPE_CHECKING:
    from natoclaims.core import Filters, Store


def _completes(name: str) -> Callable[[typer.Context, str], list[tuple[str, str]]]:
    """A completion callback that loads `natoclaims.cli.completion` only when a shell asks."""
    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from natoclaims.cli import completion

        return getattr(completion, name)(ctx, incomplete)  # type: ignore[no-any-return]
    return complete


(complete_claim_ids, complete_source_ids, complete_actor_names, complete_topics, complete_statuses, complete_verdicts,
 complete_ids_then_verdicts) = map(_completes, ("claim_ids", "source_ids", "actor_names", "topics", "statuses", "verdicts",
                                                "ids_then_verdicts"))

ClaimIdArg = Annotated[str, typer.Argument(help="Claim id or unique prefix.", metavar="ID", autocompletion=complete_claim_ids)]

FormatOption = Annotated[Optional[OutputFormat], typer.Option(
    "--format", "-f", help="Output: table (default on a terminal), json, jsonl, csv, tsv (default in a pipe), ids.",
    case_sensitive=False)]

# The filters of `search`, shared by `export`, `timeline` and `log` (SPEC 3).
ActorFilter = Annotated[Optional[list[str]], typer.Option("--actor", "-a", help="Actor name, alias or a whole word of one.",
                                                                   autocompletion=complete_actor_names)]
TopicFilter = Annotated[Optional[list[str]], typer.Option("--topic", "-t", help="Topic slug.", autocompletion=complete_topics)]
StatusFilter = Annotated[Optional[list[str]], typer.Option("--status", help="Verification status.",
                                                           autocompletion=complete_statuses)]
KindFilter = Annotated[Optional[list[str]], typer.Option("--kind", help="quote, paraphrase or report.")]
SinceFilter = Annotated[Optional[str], typer.Option("--since", help="Said on or after this date.")]
UntilFilter = Annotated[Optional[str], typer.Option("--until", help="Said on or before this date.")]
DomainFilter = Annotated[Optional[list[str]], typer.Option("--source-domain", help="Appeared on this host or a subdomain of it.")]
EvidenceFilter = Annotated[Optional[list[str]], typer.Option("--evidence-domain", help="Reviewed with evidence from this host or a subdomain of it.")]
# Every form `--quantity` takes (quantities.parse_quantities), for the help of `add` and `edit`.
QUANTITY_FORMS = (
    "'35000 troops', '5 %GDP', '€800 billion'; approximate: '~750 troops' or 'about 750 troops'; "
    "bounds: '>700', '>=700', 'at least 700', '<800', '<=800', 'up to 800'; a range, stored as "
    "two bounds: '700-800 troops', '700 to 800 troops', 'between 700 and 800 troops'"
)
MeasureFilter = Annotated[Optional[list[str]], typer.Option("--measure", help="States a figure of this measure.")]
ContradictedFilter = Annotated[bool, typer.Option("--has-contradictions", help="Only claims in a contradicting pair.")]
SortOption = Annotated[SortKey, typer.Option("--sort", help="date, actor, status or created.")]
ReverseOption = Annotated[bool, typer.Option("--reverse", help="Reverse the order.")]
LimitOption = Annotated[Optional[int], typer.Option("--limit", "-n", min=0, help="At most N claims.")]


def search_filters(
    query: Sequence[str] | None = None, *, actor: Sequence[str] | None = None, topic: Sequence[str] | None = None,
    status: Sequence[str] | None = None, kind: Sequence[str] | None = None, since: str | None = None,
    until: str | None = None, source_domain: Sequence[str] | None = None, measure: Sequence[str] | None = None,
    evidence_domain: Sequence[str] | None = None,
) -> Filters:
    """The filters the options ask for, in any case ('Quote', 'FALSE'); a bad status, kind or date is
    refused before the store is read."""
    from natoclaims import core

    return core.search_filters(
        " ".join(query or ()) or None, actors=actor or (), topics=topic or (), statuses=status or (),
        kinds=kind or (), since=since, until=until, source_domains=source_domain or (), measures=measure or (),
        evidence_domains=evidence_domain or (),
    )


def say_unknown_filters(store: Store, filters: Filters) -> None:
    """When nothing was found, say on stderr which filter named something the store does not have,
    and what it has nearby: the result stays empty and the exit status 0."""
    from natoclaims import core
    from natoclaims.cli.output import message

    for line in core.unknown_filter_values(store, filters):
        message(line)
