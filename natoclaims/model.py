"""The records of SPEC section 1: vocabularies, record shapes, validation, ids.

Pure: no I/O, no TinyDB, no Rich. A claim is a plain dict with exactly `FIELDS`.
"""

import re
import secrets
import string
import unicodedata
from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypedDict
from urllib.parse import urlsplit, urlunsplit

from natoclaims.dates import check_date
from natoclaims.errors import InvalidInput, NotFound
from natoclaims.vocabulary import (
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

class Source(TypedDict):
    """Where a claim was made or reported (an appearance), or evidence for a verdict: a registered
    source's id with its details inline (at least a URL or a title)."""

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
    archive: Any


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
REQUIRED_FIELDS = ("text", "actor", "sources")
_KNOWN = {fields: frozenset(fields) for fields in (FIELDS, SOURCE_FIELDS, QUANTITY_FIELDS, STANCE_FIELDS, LINK_FIELDS,
                                                   HISTORY_FIELDS, REVIEW_FIELDS, SOURCE_RECORD_FIELDS, ACTOR_FIELDS)}

ID_RE = re.compile(r"^[a-z][a-z0-9]{5,}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_ALPHABET = string.ascii_lowercase + string.digits
PLAIN_URL_RE = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][!-~]*)?")  # printable ASCII, no space
URL_FORBIDDEN_RE = re.compile(r"[\s\x00-\x1f\x7f]")
MIN_PREFIX = 4
MAX_VALUE = 10**15  # larger than any budget a claim states; keeps values exact in JSON



def utc_now() -> str:
    """The current UTC time as an ISO 8601 string with a `Z`."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_id(taken: set[str] | dict[str, Any] = frozenset()) -> str:  # type: ignore[assignment]
    """A random id: a letter then 7 letters or digits, not in `taken` (random, so branches never clash)."""
    while True:
        number = secrets.randbits(64)
        number, first = divmod(number, 26)
        digits = []
        for _ in range(7):
            number, digit = divmod(number, 36)
            digits.append(ID_ALPHABET[digit])
        candidate = string.ascii_lowercase[first] + "".join(digits)
        if candidate not in taken:
            return candidate


def resolve_id(prefix: str, ids: Any) -> str:
    """The one id in `ids` equal to `prefix` or starting with it (a prefix needs >= 4 chars)."""
    prefix = prefix.strip().lower()
    if prefix in ids:
        return prefix
    if len(prefix) < MIN_PREFIX:
        raise NotFound(f"no claim with id {prefix!r} (a prefix needs at least {MIN_PREFIX} characters)")
    matches = [i for i in ids if i.startswith(prefix)]
    if not matches:
        raise NotFound(f"no claim with id {prefix!r}")
    if len(matches) > 1:
        shown = ", ".join(sorted(matches)[:5])
        raise NotFound(f"id prefix {prefix!r} is ambiguous: it matches {len(matches)} claims ({shown})")
    return matches[0]


def choice(value: Any, allowed: tuple[str, ...], what: str) -> str:
    """`value` if it is one of `allowed`, else an error naming the choices."""
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInput(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")
    return value


def slug(value: Any, what: str = "topic") -> str:
    """A lowercase slug: 'Article 5' -> 'article-5'."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a string, not {type(value).__name__}")
    if SLUG_RE.fullmatch(value):
        return value
    result = re.sub(r"[\s_]+", "-", value.strip().lower())
    if not SLUG_RE.match(result):
        raise InvalidInput(f"invalid {what} {value!r}: use lowercase letters, digits and hyphens")
    return result


# -- fields --------------------------------------------------------------------------------

def check_url(url: Any) -> str:
    """An http(s) URL with a host; anything else (javascript:, file:, bare words) is refused."""
    if isinstance(url, str) and PLAIN_URL_RE.fullmatch(url):
        return url  # the usual case, without parsing
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput("empty source URL")
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InvalidInput(f"invalid source URL {url!r}: only http and https URLs are accepted")
    if URL_FORBIDDEN_RE.search(url):
        raise InvalidInput(f"invalid source URL {url!r}: it contains spaces or control characters")
    return url


def normalise_url(url: str) -> str:
    """The form that says whether two URLs name one source: scheme and host in lower case, no
    default port, no fragment, no utm_* parameters, no trailing slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith("utm_"))
    return urlunsplit((scheme, host, parts.path.rstrip("/"), query, ""))


def text_field(value: Any, what: str, *, required: bool = False) -> str | None:
    """A free-text field: a string (non-empty when required), or None."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a string, not {type(value).__name__}")
    if required and not value.strip():
        raise InvalidInput(f"empty {what}")
    if "\x00" in value:
        raise InvalidInput(f"{what} contains a NUL character")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput(f"{what} is not valid text (it holds bytes that are not UTF-8)") from None
        # One spelling per text: "é" typed as one character or as e + accent is the same claim.
        value = unicodedata.normalize("NFC", value)
    return value


def _record(value: Any, fields: tuple[str, ...], what: str) -> dict[str, Any]:
    """A dict whose keys are all among `fields`; missing ones default to None."""
    if not isinstance(value, dict):
        raise InvalidInput(f"{what} must be an object, not {type(value).__name__}")
    if not value.keys() <= _KNOWN[fields]:
        unknown = sorted(set(value) - set(fields))
        raise InvalidInput(f"unknown field {unknown[0]!r} in {what}")
    return {f: value.get(f) for f in fields}


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(f"{what} must be a list, not {type(value).__name__}")
    return value


def check_source(value: Any, today: date | None = None) -> dict[str, Any]:
    """A source: at least a URL or a title; URL http(s) only."""
    source = _record(value, SOURCE_FIELDS, "source")
    if source["url"] is not None:
        source["url"] = check_url(source["url"])
    for field in ("title", "outlet"):
        source[field] = text_field(source[field], f"source {field}")
        if source[field] is not None and not source[field].strip():
            source[field] = None
    if source["url"] is None and source["title"] is None:
        raise InvalidInput("a source needs a URL or a title")
    source["published"] = check_date(source["published"], "source published date", today)
    if source["id"] is not None and (not isinstance(source["id"], str) or not ID_RE.match(source["id"])):
        raise InvalidInput(f"invalid source id {source['id']!r}")
    return source


def check_source_record(value: Any, today: date | None = None) -> dict[str, Any]:
    """A registered source: a source with its id, type and archived copy."""
    record = _record(value, SOURCE_RECORD_FIELDS, "source record")
    source = check_source({k: record[k] for k in SOURCE_FIELDS}, today)
    if source["id"] is None:
        raise InvalidInput("a registered source needs an id")
    return {**source, "type": choice(record["type"] or SourceType.other, SOURCE_TYPES, "source type"),
            "archive": record["archive"]}


def check_review(value: Any, today: date | None = None) -> dict[str, Any]:
    """A verdict: a status other than unverified, who gave it and when, why, on what evidence."""
    review = _record(value, REVIEW_FIELDS, "review")
    review["verdict"] = choice(review["verdict"], VERDICTS, "verdict")
    review["note"] = text_field(review["note"], "review note") or None
    review["evidence"] = [check_source(e, today) for e in _list(review["evidence"], "review evidence")]
    review["reviewer"] = text_field(review["reviewer"], "reviewer", required=True)
    review["at"] = text_field(review["at"], "review time", required=True)
    return review


def check_actor(value: Any) -> dict[str, Any]:
    """An actor record: a canonical name, aliases, a role and a type (default person)."""
    actor = _record(value, ACTOR_FIELDS, "actor")
    actor["name"] = (text_field(actor["name"], "actor name", required=True) or "").strip()
    actor["aliases"] = sorted({(text_field(a, "alias", required=True) or "").strip()
                               for a in _list(actor["aliases"], "aliases")})
    actor["role"] = text_field(actor["role"], "role") or None
    actor["type"] = choice(actor["type"] or ActorType.person, ACTOR_TYPES, "actor type")
    return actor


def check_quantity(value: Any, today: date | None = None) -> dict[str, Any]:
    """A figure: a finite number, a known unit and qualifier."""
    quantity = _record(value, QUANTITY_FIELDS, "quantity")
    number = quantity["value"]
    if isinstance(number, bool) or not isinstance(number, (int, float)) or number != number or number in (
        float("inf"), float("-inf")
    ):
        raise InvalidInput(f"quantity value must be a number, not {number!r}")
    if abs(number) > MAX_VALUE:
        raise InvalidInput(f"quantity value {number!r} is too large")
    quantity["unit"] = choice(quantity["unit"], UNITS, "unit")
    quantity["qualifier"] = choice(quantity["qualifier"] or "exact", QUALIFIERS, "qualifier")
    if quantity["measure"] is not None:
        quantity["measure"] = slug(quantity["measure"], "measure")
    quantity["as_of"] = check_date(quantity["as_of"], "quantity as_of date", today)
    return quantity


def check_stance(value: Any) -> dict[str, Any]:
    """A stance: a proposition slug and for/against."""
    stance = _record(value, STANCE_FIELDS, "stance")
    stance["proposition"] = slug(stance["proposition"], "proposition")
    stance["position"] = choice(stance["position"], POSITIONS, "stance position")
    return stance


def parse_stance(text: str) -> dict[str, Any]:
    """'us-defends-all-allies:against' -> a stance."""
    proposition, sep, position = text.rpartition(":")
    if not sep:
        raise InvalidInput(f"invalid stance {text!r}: write PROPOSITION:for or PROPOSITION:against")
    return check_stance({"proposition": proposition, "position": position.strip().lower()})


def check_link(value: Any) -> dict[str, Any]:
    """A link: a relation and the id of the other claim."""
    link = _record(value, LINK_FIELDS, "link")
    link["relation"] = choice(link["relation"], RELATIONS, "relation")
    if not isinstance(link["to"], str) or not ID_RE.match(link["to"]):
        raise InvalidInput(f"invalid link target {link['to']!r}")
    link["note"] = text_field(link["note"], "link note")
    return link


def check_history(value: Any) -> dict[str, Any]:
    """A history entry as stored."""
    entry = _record(value, HISTORY_FIELDS, "history entry")
    for field in ("at", "by", "field"):
        text_field(entry[field], f"history {field}", required=True)
    entry["note"] = text_field(entry["note"], "history note")
    return entry


def check_claim(record: Any, *, now: str, today: date | None = None, reviewer: str = "unknown") -> dict[str, Any]:
    """Validate a whole record and fill defaults (SPEC 1): the one gate into the store.

    `status` is the latest review's verdict; a record that gives a verdict as its status but no
    reviews (an older export, a spreadsheet) gets one review saying so, by `reviewer`, at `now`.
    """
    if not isinstance(record, dict):
        raise InvalidInput(f"a claim must be an object, not {type(record).__name__}")
    if not record.keys() <= _KNOWN[FIELDS]:
        unknown = sorted(set(record) - set(FIELDS))
        raise InvalidInput(f"unknown field {unknown[0]!r}")
    for field in REQUIRED_FIELDS:
        if field not in record:
            raise InvalidInput(f"missing required field {field!r}")
    claim_id = record.get("id")
    if claim_id is not None and (not isinstance(claim_id, str) or not ID_RE.match(claim_id)):
        raise InvalidInput(
            f"invalid id {claim_id!r}: lowercase letters and digits, starting with a letter, at least 6"
        )
    sources = _list(record.get("sources"), "sources")
    if not sources:
        raise InvalidInput("a claim needs at least one source")
    topics = [slug(t) for t in _list(record.get("topics"), "topics")]
    reviews = [check_review(r, today) for r in _list(record.get("reviews"), "reviews")]
    latest = reviews[-1]["verdict"] if reviews else Status.unverified.value
    status = choice(record.get("status") or latest, STATUSES, "status")
    if reviews and status != latest:
        raise InvalidInput(f"status {status!r} is not the verdict of the latest review ({latest!r})")
    if not reviews and status != Status.unverified:
        reviews = [{"verdict": status, "note": None, "evidence": [], "reviewer": reviewer, "at": now}]
    claim = {
        "id": claim_id,
        "text": text_field(record.get("text"), "claim text", required=True),
        "kind": choice(record.get("kind") or "paraphrase", KINDS, "kind"),
        "actor": (text_field(record.get("actor"), "actor", required=True) or "").strip(),
        "said_on": check_date(record.get("said_on"), "said_on date", today),
        "context": text_field(record.get("context"), "context"),
        "topics": list(dict.fromkeys(topics)),
        "status": status,
        "sources": [check_source(s, today) for s in sources],
        "quantities": [check_quantity(q, today) for q in _list(record.get("quantities"), "quantities")],
        "stances": [check_stance(s) for s in _list(record.get("stances"), "stances")],
        "links": [check_link(link) for link in _list(record.get("links"), "links")],
        "notes": text_field(record.get("notes"), "notes"),
        "reviews": reviews,
        "history": [check_history(h) for h in _list(record.get("history"), "history")],
        "created_at": text_field(record.get("created_at"), "created_at") or now,
        "updated_at": text_field(record.get("updated_at"), "updated_at") or now,
    }
    if claim_id is not None and any(link["to"] == claim_id for link in claim["links"]):
        raise InvalidInput("a claim cannot link to itself")
    if claim["history"]:
        _storable(claim["history"], "history")
    return claim


def _storable(value: Any, what: str) -> None:
    """Refuse a free-form value the store could not write: too deeply nested, not UTF-8, not finite."""
    import orjson

    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError as exc:
        reason = "nested too deeply" if "recursion" in str(exc).lower() else "not storable as JSON text"
        raise InvalidInput(f"a {what} value is {reason}") from None


def history_entry(field: str, old: Any, new: Any, *, by: str, at: str, note: str | None = None) -> dict[str, Any]:
    """One change to one field, for a claim's `history`."""
    return {"at": at, "by": by, "field": field, "old": old, "new": new, "note": note}
