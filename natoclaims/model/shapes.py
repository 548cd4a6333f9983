"""The shapes of the records (SPEC section 1) as TypedDicts, and the vocabularies' values. Pure."""

from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TypedDict

from natoclaims.model.vocabulary import (
    ActorType,
    DuplicatePolicy,
    Kind,
    Position,
    Qualifier,
    Relation,
    SourceType,
    Status,
    Unit,
)


def _values(vocabulary: Iterable[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in vocabulary)


STATUSES = _values(Status)
KINDS = _values(Kind)
RELATIONS = _values(Relation)
QUALIFIERS = _values(Qualifier)
UNITS = _values(Unit)
POSITIONS = _values(Position)
DUPLICATE_POLICIES = _values(DuplicatePolicy)
SOURCE_TYPES = _values(SourceType)
ACTOR_TYPES = _values(ActorType)
VERDICTS = tuple(status for status in STATUSES if status != Status.unverified)


class Selector(TypedDict):
    """Where a quote sits in its source's archived text: the W3C Web Annotation TextQuoteSelector
    (`exact`, `prefix`, `suffix`) and TextPositionSelector (`start`, `end`)."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


class ArchivedCopy(TypedDict):
    """One archived copy of a source: the SHA-256 of its bytes (its WARC file's name) and what it is."""

    digest: str
    media_type: str
    archived_at: str
    url: str | None
    title: str | None
    author: str | None
    site: str | None
    published: str | None


class Source(TypedDict):
    """Where a claim was made or reported (an appearance), or evidence for a verdict: a registered
    source's id with its details inline (at least a URL or a title); an anchored quote's source
    also carries its `selector` (a key of its own, present only when anchored)."""

    id: str | None
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None


class SourceRecord(TypedDict):
    """A source as the registry keeps it: typed once, referred to by its id."""

    id: str
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None
    type: str
    archive: list[ArchivedCopy] | None


class Review(TypedDict):
    """A verdict on a claim, with its rationale and evidence."""

    verdict: str
    note: str | None
    evidence: list[Source]
    reviewer: str
    at: str


class Quantity(TypedDict):
    """A figure a claim states: "some 35,000 troops" is 35000 troops, approx."""

    value: int | float
    unit: str
    measure: str | None
    qualifier: str
    as_of: str | None


class Stance(TypedDict):
    """A position a claim takes on a proposition."""

    proposition: str
    position: str


class Link(TypedDict):
    """An explicit relation from one claim to another."""

    relation: str
    to: str
    note: str | None


class HistoryEntry(TypedDict):
    """One change to one field of a claim."""

    at: str
    by: str
    field: str
    old: Any
    new: Any
    note: str | None


class Claim(TypedDict):
    """One claim, exactly as stored, exported and imported."""

    id: str
    text: str
    kind: str
    actor: str
    said_on: str | None
    context: str | None
    topics: list[str]
    status: str
    sources: list[Source]
    quantities: list[Quantity]
    stances: list[Stance]
    links: list[Link]
    notes: str | None
    reviews: list[Review]
    history: list[HistoryEntry]
    created_at: str
    updated_at: str


class Actor(TypedDict):
    """Who says things: a canonical name, other names for it, a role and a type."""

    name: str
    aliases: list[str]
    role: str | None
    type: str


FIELDS = tuple(Claim.__annotations__)
SOURCE_FIELDS = tuple(Source.__annotations__)
QUANTITY_FIELDS = tuple(Quantity.__annotations__)
STANCE_FIELDS = tuple(Stance.__annotations__)
LINK_FIELDS = tuple(Link.__annotations__)
HISTORY_FIELDS = tuple(HistoryEntry.__annotations__)
REVIEW_FIELDS = tuple(Review.__annotations__)
ACTOR_FIELDS = tuple(Actor.__annotations__)
SOURCE_RECORD_FIELDS = tuple(SourceRecord.__annotations__)
SELECTOR_FIELDS = tuple(Selector.__annotations__)
ARCHIVE_FIELDS = tuple(ArchivedCopy.__annotations__)
REQUIRED_FIELDS = ("text", "actor", "sources")
_KNOWN = {fields: frozenset(fields) for fields in (FIELDS, SOURCE_FIELDS, QUANTITY_FIELDS, STANCE_FIELDS, LINK_FIELDS,
                                                   HISTORY_FIELDS, REVIEW_FIELDS, SOURCE_RECORD_FIELDS, ACTOR_FIELDS,
                                                   SELECTOR_FIELDS, ARCHIVE_FIELDS)}
