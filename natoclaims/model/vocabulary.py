"""Every closed vocabulary of natoclaims, defined once as a StrEnum.

The library validates against these and the command line offers them as choices. The module
imports nothing else, so the command line can declare its options without loading the library.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A claim's verification status; new claims are unverified."""

    unverified = "unverified"
    verified = "verified"
    misleading = "misleading"
    false = "false"
    disputed = "disputed"
    inconclusive = "inconclusive"
    retracted = "retracted"


class Kind(StrEnum):
    """What sort of claim: the speaker's exact words, attributed but not verbatim, or reported."""

    quote = "quote"
    paraphrase = "paraphrase"
    report = "report"


class Relation(StrEnum):
    """An explicit link from one claim to another."""

    contradicts = "contradicts"
    supports = "supports"
    updates = "updates"
    duplicates = "duplicates"


class Qualifier(StrEnum):
    """How exact a figure is."""

    exact = "exact"
    approx = "approx"
    at_least = "at-least"
    at_most = "at-most"


class Unit(StrEnum):
    """The normalised units of figures."""

    troops = "troops"
    percent_gdp = "%GDP"
    percent = "%"
    eur = "EUR"
    usd = "USD"
    gbp = "GBP"
    people = "people"
    count = "count"  # type: ignore[assignment]  # a member, not an override of str.count as mypy reads it


class Position(StrEnum):
    """A stance's side on a proposition."""

    for_ = "for"
    against = "against"


class DuplicatePolicy(StrEnum):
    """What `import` does with a claim the store already has."""

    skip = "skip"
    update = "update"
    error = "error"


class ContradictionKind(StrEnum):
    """Why two claims cannot both hold; `possible` is a lead, never mixed into the others."""

    linked = "linked"
    numeric = "numeric"
    stance = "stance"
    possible = "possible"


class SortKey(StrEnum):
    """The orders `search` and `export` can sort by."""

    date = "date"
    actor = "actor"
    status = "status"
    created = "created"


class OutputFormat(StrEnum):
    """What a listing command writes: a table on a terminal, TSV in a pipe, or as asked."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    ids = "ids"


class ExportFormat(StrEnum):
    """What `export` writes."""

    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    claimreview = "claimreview"
    store = "store"


class ImportFormat(StrEnum):
    """What `import` reads."""

    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class SourceType(StrEnum):
    """What a registered source is."""

    article = "article"
    transcript = "transcript"
    video = "video"
    social = "social"
    official = "official"
    dataset = "dataset"
    other = "other"


class ActorType(StrEnum):
    """Who an actor is; ClaimReview's author @type comes from it."""

    person = "person"
    organization = "organization"
    government = "government"
    media = "media"
    group = "group"


class Match(StrEnum):
    """How faithfully an archived copy holds a quote (`check --quotes`)."""

    exact = "exact"
    normalised = "normalised"
    altered = "altered"
    missing = "missing"
    unarchived = "unarchived"
