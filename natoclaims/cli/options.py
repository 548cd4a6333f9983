"""Options and arguments that several commands share, declared once, and the filters they build.

A vocabulary option (`--format`, `--sort`, `--kind` of contradictions, `--on-duplicate`) offers
the values of the library's own StrEnum, named by module so that the module is imported only
when a command parses such a value or prints its help: Typer builds every command's options on
each start, and `--version` and `--help` must not pay for `natoclaims.formats` (orjson) or
`natoclaims.search`. The command receives the member's value, a plain `str`.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer._types import TyperChoice  # Typer 0.26+ carries its own Click: its choice type lives here

if TYPE_CHECKING:
    from natoclaims.search import Filters


class Vocabulary(TyperChoice[str]):
    """A choice among the values of a StrEnum given as 'module:Name', imported on first use."""

    def __init__(self, where: str, *, case_sensitive: bool = True) -> None:
        self.where = where
        self.case_sensitive = case_sensitive

    @cached_property
    def choices(self) -> tuple[StrEnum, ...]:  # type: ignore[override]
        module, _, name = self.where.partition(":")
        return tuple(getattr(importlib.import_module(module), name))

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        return str(super().convert(value, param, ctx))  # the member's value, a plain str


ClaimIdArg = Annotated[str, typer.Argument(help="Claim id or unique prefix.", metavar="ID")]

FormatOption = Annotated[Optional[str], typer.Option(
    "--format", "-f", help="Output: table (default on a terminal), json, jsonl, csv, tsv (default in a pipe), ids.",
    click_type=Vocabulary("natoclaims.formats:OutputFormat", case_sensitive=False))]

# The filters of `search`, shared by `export`, `timeline` and `log` (SPEC 3).
ActorFilter = Annotated[Optional[list[str]], typer.Option("--actor", "-a", help="Actor name, alias or a whole word of one.")]
TopicFilter = Annotated[Optional[list[str]], typer.Option("--topic", "-t", help="Topic slug.")]
StatusFilter = Annotated[Optional[list[str]], typer.Option("--status", help="Verification status.")]
KindFilter = Annotated[Optional[list[str]], typer.Option("--kind", help="quote, paraphrase or report.")]
SinceFilter = Annotated[Optional[str], typer.Option("--since", help="Said on or after this date.")]
UntilFilter = Annotated[Optional[str], typer.Option("--until", help="Said on or before this date.")]
DomainFilter = Annotated[Optional[list[str]], typer.Option("--source-domain", help="A source URL's host or a parent domain.")]
MeasureFilter = Annotated[Optional[list[str]], typer.Option("--measure", help="States a figure of this measure.")]
ContradictedFilter = Annotated[bool, typer.Option("--has-contradictions", help="Only claims in a contradicting pair.")]
SortOption = Annotated[str, typer.Option("--sort", help="date, actor, status or created.",
                                         click_type=Vocabulary("natoclaims.search:SortKey"))]
ReverseOption = Annotated[bool, typer.Option("--reverse", help="Reverse the order.")]
LimitOption = Annotated[Optional[int], typer.Option("--limit", "-n", min=0, help="At most N claims.")]


def search_filters(
    query: Sequence[str] | None = None, *, actor: Sequence[str] | None = None, topic: Sequence[str] | None = None,
    status: Sequence[str] | None = None, kind: Sequence[str] | None = None, since: str | None = None,
    until: str | None = None, source_domain: Sequence[str] | None = None, measure: Sequence[str] | None = None,
) -> Filters:
    """The filters the options ask for; a bad status, kind or date is refused before the store is read."""
    from natoclaims.model import KINDS, STATUSES, choice
    from natoclaims.search import Filters

    filters = Filters(
        query=" ".join(query or ()) or None, actors=tuple(actor or ()), topics=tuple(topic or ()),
        statuses=tuple(choice(s, STATUSES, "status") for s in status or ()),
        kinds=tuple(choice(k, KINDS, "kind") for k in kind or ()),
        since=since, until=until, source_domains=tuple(source_domain or ()), measures=tuple(measure or ()),
    )
    filters.date_bounds()
    return filters
