"""Validating whole records (claims, sources, reviews, actors, figures): the one gate into the store. Pure."""

import re
from datetime import date
from typing import Any, cast

from natoclaims.errors import InvalidInput
from natoclaims.model.dates import check_date
from natoclaims.model.fields import (
    DIGEST_RE,
    ID_RE,
    MAX_VALUE,
    SLUG_RE,
    check_timestamp,
    check_url,
    choice,
    slug,
    text_field,
)
from natoclaims.model.shapes import (
    _KNOWN,
    ACTOR_FIELDS,
    ACTOR_TYPES,
    ARCHIVE_FIELDS,
    FIELDS,
    HISTORY_FIELDS,
    KINDS,
    LINK_FIELDS,
    POSITIONS,
    QUALIFIERS,
    QUANTITY_FIELDS,
    RELATIONS,
    REQUIRED_FIELDS,
    REVIEW_FIELDS,
    SELECTOR_FIELDS,
    SOURCE_FIELDS,
    SOURCE_RECORD_FIELDS,
    SOURCE_TYPES,
    STANCE_FIELDS,
    STATUSES,
    UNITS,
    VERDICTS,
    Actor,
    Claim,
    HistoryEntry,
    Quantity,
    Review,
    SourceRecord,
    Stance,
)
from natoclaims.model.vocabulary import ActorType, SourceType, Status

# Each check takes a value already in its stored form (the usual case: `check` runs them on
# every record of a store) without calling out; anything else goes the long way.
_SOURCE_TYPE_SET = frozenset(SOURCE_TYPES)
_VERDICT_SET = frozenset(VERDICTS)
_UNIT_SET = frozenset(UNITS)
_QUALIFIER_SET = frozenset(QUALIFIERS)
_REQUIRED = frozenset(REQUIRED_FIELDS)
_KIND_SET = frozenset(KINDS)
_STATUS_SET = frozenset(STATUSES)
_is_slug = SLUG_RE.fullmatch
_are_slug_lines = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:\n[a-z0-9]+(?:-[a-z0-9]+)*)*").fullmatch
_INFINITIES = (float("inf"), float("-inf"))


def _record(value: Any, fields: tuple[str, ...], what: str) -> dict[str, Any]:
    """A dict whose keys are all among `fields`; missing ones default to None."""
    if not isinstance(value, dict):
        raise InvalidInput(f"{what} must be an object, not {type(value).__name__}")
    if not value.keys() <= _KNOWN[fields]:
        unknown = sorted(set(value) - set(fields))
        raise InvalidInput(f"unknown field {unknown[0]!r} in {what}")
    record = dict.fromkeys(fields)  # in the order of `fields`, which update() keeps
    record.update(value)
    return record


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(f"{what} must be a list, not {type(value).__name__}")
    return value


def check_selector(value: Any) -> dict[str, Any]:
    """An anchored quote's place in its source's archived text: the W3C TextQuoteSelector
    (`exact`, `prefix`, `suffix`) and TextPositionSelector (`start`, `end`)."""
    selector = _record(value, SELECTOR_FIELDS, "selector")
    for field in ("exact", "prefix", "suffix"):
        if not isinstance(selector[field], str):
            raise InvalidInput(f"selector {field} must be text, not {type(selector[field]).__name__}")
    start, end = selector["start"], selector["end"]
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in (start, end)):
        raise InvalidInput("selector start and end must be whole numbers >= 0")
    if not selector["exact"] or end - start != len(selector["exact"]):
        raise InvalidInput("selector end - start must be the length of its exact text (not empty)")
    return selector


def check_archive(value: Any) -> list[dict[str, Any]] | None:
    """A registered source's archived copies, oldest first (the last is current), or None."""
    if value is None:
        return None
    entries = _list(value, "source archive")
    if not entries:
        return None
    checked = []
    for entry in entries:
        entry = _record(entry, ARCHIVE_FIELDS, "archived copy")
        if not isinstance(entry["digest"], str) or not DIGEST_RE.fullmatch(entry["digest"]):
            raise InvalidInput(f"archived copy digest must be a SHA-256 in hex, not {entry['digest']!r}")
        entry["media_type"] = text_field(entry["media_type"], "archived copy media type", required=True)
        entry["archived_at"] = text_field(entry["archived_at"], "archived copy time", required=True)
        if entry["url"] is not None:
            entry["url"] = check_url(entry["url"])
        for field in ("title", "author", "site", "published"):
            entry[field] = text_field(entry[field], f"archived copy {field}") or None
        checked.append(entry)
    return checked


def check_source(value: Any, today: date | None = None) -> dict[str, Any]:
    """A source: at least a URL or a title; URL http(s) only; a quote's `selector` if anchored."""
    selector = value.get("selector") if isinstance(value, dict) else None
    if selector is not None:
        value = {k: v for k, v in value.items() if k != "selector"}
    source = _check_source_fields(_record(value, SOURCE_FIELDS, "source"), today)
    if selector is not None:
        source["selector"] = check_selector(selector)
    return source


def _check_source_fields(source: dict[str, Any], today: date | None) -> dict[str, Any]:
    """A source's own fields checked and normalised in place (the dict is a fresh one)."""
    if source["url"] is not None:
        source["url"] = check_url(source["url"])
    for field in ("title", "outlet"):
        if source[field] is not None:
            source[field] = text_field(source[field], f"source {field}")
            if not source[field].strip():
                source[field] = None
    if source["url"] is None and source["title"] is None:
        raise InvalidInput("a source needs a URL or a title")
    if source["published"] is not None:
        source["published"] = check_date(source["published"], "source published date", today)
    if source["id"] is not None and (not isinstance(source["id"], str) or not ID_RE.match(source["id"])):
        raise InvalidInput(f"invalid source id {source['id']!r}")
    return source


def check_source_record(value: Any, today: date | None = None) -> SourceRecord:
    """A registered source: a source with its id, type and archived copy."""
    record = _check_source_fields(_record(value, SOURCE_RECORD_FIELDS, "source record"), today)
    if record["id"] is None:
        raise InvalidInput("a registered source needs an id")
    if record["type"].__class__ is not str or record["type"] not in _SOURCE_TYPE_SET:
        record["type"] = choice(record["type"] or SourceType.other, SOURCE_TYPES, "source type")
    if record["archive"] is not None:
        record["archive"] = check_archive(record["archive"])
    return cast(SourceRecord, record)


def check_review(value: Any, today: date | None = None) -> Review:
    """A verdict: a status other than unverified, who gave it and when, why, on what evidence."""
    review = _record(value, REVIEW_FIELDS, "review")
    if review["verdict"].__class__ is not str or review["verdict"] not in _VERDICT_SET:
        review["verdict"] = choice(review["verdict"], VERDICTS, "verdict")
    if review["note"] is not None:
        review["note"] = text_field(review["note"], "review note") or None
    review["evidence"] = _each(check_source, review["evidence"], "review evidence", today)
    review["reviewer"] = text_field(review["reviewer"], "reviewer", required=True)
    review["at"] = text_field(review["at"], "review time", required=True)
    return cast(Review, review)


def check_actor(value: Any) -> Actor:
    """An actor record: a canonical name, aliases, a role and a type (default person)."""
    actor = _record(value, ACTOR_FIELDS, "actor")
    actor["name"] = (text_field(actor["name"], "actor name", required=True) or "").strip()
    actor["aliases"] = sorted({(text_field(a, "alias", required=True) or "").strip()
                               for a in _list(actor["aliases"], "aliases")})
    actor["role"] = text_field(actor["role"], "role") or None
    actor["type"] = choice(actor["type"] or ActorType.person, ACTOR_TYPES, "actor type")
    return cast(Actor, actor)


def check_quantity(value: Any, today: date | None = None) -> Quantity:
    """A figure: a finite number, a known unit and qualifier."""
    quantity = _record(value, QUANTITY_FIELDS, "quantity")
    number = quantity["value"]
    if not ((number.__class__ is float or number.__class__ is int) and -MAX_VALUE <= number <= MAX_VALUE):
        if isinstance(number, bool) or not isinstance(number, (int, float)) or number != number or number in _INFINITIES:
            raise InvalidInput(f"quantity value must be a number, not {number!r}")
        if abs(number) > MAX_VALUE:
            raise InvalidInput(f"quantity value {number!r} is too large")
    if quantity["unit"].__class__ is not str or quantity["unit"] not in _UNIT_SET:
        quantity["unit"] = choice(quantity["unit"], UNITS, "unit")
    if quantity["qualifier"].__class__ is not str or quantity["qualifier"] not in _QUALIFIER_SET:
        quantity["qualifier"] = choice(quantity["qualifier"] or "exact", QUALIFIERS, "qualifier")
    if quantity["measure"] is not None and not (quantity["measure"].__class__ is str and _is_slug(quantity["measure"])):
        quantity["measure"] = slug(quantity["measure"], "measure")
    if quantity["as_of"] is not None:
        quantity["as_of"] = check_date(quantity["as_of"], "quantity as_of date", today)
    return cast(Quantity, quantity)


def check_stance(value: Any) -> Stance:
    """A stance: a proposition slug and for/against."""
    stance = _record(value, STANCE_FIELDS, "stance")
    if not (stance["proposition"].__class__ is str and _is_slug(stance["proposition"])):
        stance["proposition"] = slug(stance["proposition"], "proposition")
    if stance["position"].__class__ is not str or stance["position"] not in POSITIONS:
        stance["position"] = choice(stance["position"], POSITIONS, "stance position")
    return cast(Stance, stance)


def parse_stance(text: str) -> Stance:
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


def _each(check: Any, value: Any, what: str, *today: date | None) -> list[Any]:
    """Each item of a list field checked (an absent or empty list, the usual case, at once)."""
    if not value:
        return _list(value, what)
    return [check(item, *today) for item in _list(value, what)]


def _distinct_slugs(values: list[Any]) -> bool:
    """Whether a list holds distinct slugs only (a claim's topics as stored), seen in one match."""
    if not values:
        return True
    try:
        joined = "\n".join(values)
    except TypeError:  # not all text
        return False
    return (_are_slug_lines(joined) is not None and joined.count("\n") == len(values) - 1  # no line break inside one
            and len(set(values)) == len(values))


def check_claim(record: Any, *, now: str, today: date | None = None, reviewer: str = "unknown",
                known_sources: dict[str, Any] | None = None) -> Claim:
    """Validate a whole record and fill defaults (SPEC 1): the one gate into the store.

    `status` is the latest review's verdict; a record that gives a verdict as its status but no
    reviews (an older export, a spreadsheet) gets one review saying so, by `reviewer`, at `now`.
    A source equal to one of `known_sources` (by id, already checked) is taken as it is.

    `check` runs this on every claim of a store, so a value already in its stored form (the
    usual case) is taken without a call where that is cheap to see.
    """
    if not isinstance(record, dict):
        raise InvalidInput(f"a claim must be an object, not {type(record).__name__}")
    keys = record.keys()
    if not keys <= _KNOWN[FIELDS]:
        unknown = sorted(set(record) - set(FIELDS))
        raise InvalidInput(f"unknown field {unknown[0]!r}")
    if not keys >= _REQUIRED:
        missing = next(field for field in REQUIRED_FIELDS if field not in record)
        raise InvalidInput(f"missing required field {missing!r}")
    get = record.get
    claim_id = get("id")
    if claim_id is not None and (not isinstance(claim_id, str) or not ID_RE.match(claim_id)):
        raise InvalidInput(
            f"invalid id {claim_id!r}: lowercase letters and digits, starting with a letter, at least 6"
        )
    sources = _list(get("sources"), "sources")
    if not sources:
        raise InvalidInput("a claim needs at least one source")
    topics = _list(get("topics"), "topics")
    topics = list(topics) if _distinct_slugs(topics) else list(dict.fromkeys(slug(t) for t in topics))
    reviews = get("reviews")
    reviews = [] if reviews == [] else _each(check_review, reviews, "reviews", today)
    latest = reviews[-1]["verdict"] if reviews else Status.unverified.value
    status = get("status") or latest
    if not (status.__class__ is str and status in _STATUS_SET):
        status = choice(status, STATUSES, "status")
    if reviews and status != latest:
        raise InvalidInput(f"status {status!r} is not the verdict of the latest review ({latest!r})")
    if not reviews and status != Status.unverified:
        reviews = [{"verdict": status, "note": None, "evidence": [], "reviewer": reviewer, "at": now}]
    kind = get("kind") or "paraphrase"
    if not (kind.__class__ is str and kind in _KIND_SET):
        kind = choice(kind, KINDS, "kind")
    context, notes = get("context"), get("notes")
    quantities, stances, links, history = get("quantities"), get("stances"), get("links"), get("history")
    claim: dict[str, Any] = {
        "id": claim_id,
        "text": text_field(get("text"), "claim text", required=True),
        "kind": kind,
        "actor": (text_field(get("actor"), "actor", required=True) or "").strip(),
        "said_on": check_date(get("said_on"), "said_on date", today),
        "context": None if context is None else text_field(context, "context"),
        "topics": topics,
        "status": status,
        "sources": [s if known_sources and isinstance(s, dict) and s == known_sources.get(cast(str, s.get("id")))
                    else check_source(s, today) for s in sources],
        "quantities": [] if quantities == [] else _each(check_quantity, quantities, "quantities", today),
        "stances": [] if stances == [] else _each(check_stance, stances, "stances"),
        "links": [] if links == [] else _each(check_link, links, "links"),
        "notes": None if notes is None else text_field(notes, "notes"),
        "reviews": reviews,
        "history": [] if history == [] else _each(check_history, history, "history"),
        "created_at": text_field(get("created_at"), "created_at") or now,
        "updated_at": text_field(get("updated_at"), "updated_at") or now,
    }
    if claim_id is not None and claim["links"] and any(link["to"] == claim_id for link in claim["links"]):
        raise InvalidInput("a claim cannot link to itself")
    if claim["history"]:
        _storable(claim["history"], "history")
    return cast(Claim, claim)  # the one gate: what passes it is a Claim


def check_stored_claim(claim: dict[str, Any]) -> None:
    """What a claim in the store holds beyond what `check_claim` fills in for input: UTC timestamps,
    and a status that is its latest review's verdict (`unverified` when none; an upgraded schema-1
    claim has a review for each verdict)."""
    for field in ("created_at", "updated_at"):
        check_timestamp(claim[field], field)
    reviews, status = claim["reviews"], claim["status"]
    if not reviews and status != Status.unverified:
        raise InvalidInput(f"status {status!r} without a review giving that verdict (unverified when none)")


def _storable(value: Any, what: str) -> None:
    """Refuse a free-form value the store could not write: too deeply nested, not UTF-8, not finite."""
    import orjson

    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError as exc:
        reason = "nested too deeply" if "recursion" in str(exc).lower() else "not storable as JSON text"
        raise InvalidInput(f"a {what} value is {reason}") from None


def history_entry(field: str, old: Any, new: Any, *, by: str, at: str, note: str | None = None) -> HistoryEntry:
    """One change to one field, for a claim's `history`."""
    return {"at": at, "by": by, "field": field, "old": old, "new": new, "note": note}
