"""Contradicting pairs of claims (SPEC section 4). Pure; groups by measure, proposition or
unit and topic, and sweeps each group in time order, so it never compares every pair."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from natoclaims.model import date_range

CONFIRMED_KINDS = ("linked", "numeric", "stance")
KINDS = (*CONFIRMED_KINDS, "possible")
TOLERANCE = 0.05
APPROX_TOLERANCE = 0.15
STOPWORDS = {
    "that", "this", "with", "from", "have", "will", "would", "their", "they", "them", "there", "which",
    "were", "been", "said", "says", "about", "more", "than", "some", "into", "over", "also", "what",
}

Claim = dict[str, Any]
Pair = dict[str, Any]


def summary(claim: Claim) -> dict[str, Any]:
    """The part of a claim a pair shows."""
    return {"id": claim["id"], "actor": claim["actor"], "said_on": claim["said_on"], "text": claim["text"]}


def _chronological(a: Claim, b: Claim) -> tuple[Claim, Claim]:
    def key(c: Claim) -> tuple[str, str]:
        return (c["said_on"] or "9999", c["id"])

    return (a, b) if key(a) <= key(b) else (b, a)


def _pair(kind: str, a: Claim, b: Claim, detail: str, **extra: Any) -> Pair:
    return {"kind": kind, **extra, "detail": detail, "a": summary(a), "b": summary(b)}


# -- figures ---------------------------------------------------------------------------------

def describe(quantity: dict[str, Any]) -> str:
    """'35,000 troops', 'at least 80,000 troops', '5 %GDP'."""
    value = quantity["value"]
    number = f"{int(value):,}" if float(value).is_integer() else f"{value:,.6g}"
    unit = quantity["unit"]
    prefix = {"at-least": "at least ", "at-most": "at most "}.get(quantity["qualifier"], "")
    if unit in ("%", "%GDP"):
        return f"{prefix}{number}%" + (" of GDP" if unit == "%GDP" else "")
    return f"{prefix}{number} {unit}"


def _bounds(quantity: dict[str, Any]) -> tuple[float, float]:
    value = float(quantity["value"])
    if quantity["qualifier"] == "at-least":
        return value, math.inf
    if quantity["qualifier"] == "at-most":
        return -math.inf, value
    return value, value


def cannot_both_hold(q1: dict[str, Any], q2: dict[str, Any]) -> bool:
    """True when two figures differ by more than the tolerance of the larger (5 %, 15 % if approx),
    or a bound excludes the other value by more than that."""
    tolerance = APPROX_TOLERANCE if "approx" in (q1["qualifier"], q2["qualifier"]) else TOLERANCE
    low1, high1 = _bounds(q1)
    low2, high2 = _bounds(q2)
    low, high = max(low1, low2), min(high1, high2)
    if low <= high:
        return False
    return low - high > tolerance * max(abs(low), abs(high))


def _scope(claim: Claim, quantity: dict[str, Any]) -> tuple[date, date] | None:
    when = quantity["as_of"] or claim["said_on"]
    return date_range(when) if when else None


def _overlapping(items: list[tuple[tuple[date, date], Any]]) -> Iterator[tuple[Any, Any]]:
    """Pairs of items whose (start, end) ranges overlap, by a sweep over start dates."""
    items = sorted(items, key=lambda item: item[0][0])
    active: list[tuple[tuple[date, date], Any]] = []
    for scope, value in items:
        active = [a for a in active if a[0][1] >= scope[0]]
        for _, other in active:
            yield other, value
        active.append((scope, value))


def numeric_pairs(claims: Iterable[Claim]) -> Iterator[Pair]:
    """Claims stating figures of one measure, in overlapping time, that cannot both hold."""
    groups: dict[tuple[str, str], list[tuple[tuple[date, date], tuple[Claim, dict[str, Any]]]]] = defaultdict(list)
    for claim in claims:
        for quantity in claim["quantities"]:
            scope = _scope(claim, quantity)
            if quantity["measure"] and scope:
                groups[(quantity["measure"], quantity["unit"])].append((scope, (claim, quantity)))
    for (measure, _), items in groups.items():
        for (c1, q1), (c2, q2) in _overlapping(items):
            if c1["id"] != c2["id"] and cannot_both_hold(q1, q2):
                a, b = _chronological(c1, c2)
                qa, qb = (q1, q2) if a is c1 else (q2, q1)
                yield _pair("numeric", a, b, f"{describe(qa)} vs {describe(qb)} ({measure})", measure=measure)


# -- stances and links --------------------------------------------------------------------------

def stance_pairs(claims: Iterable[Claim]) -> Iterator[Pair]:
    """Claims taking opposite positions on one proposition: a reversal (same actor) or a dispute."""
    groups: dict[str, dict[str, list[Claim]]] = defaultdict(lambda: {"for": [], "against": []})
    for claim in claims:
        for stance in claim["stances"]:
            groups[stance["proposition"]][stance["position"]].append(claim)
    for proposition, sides in groups.items():
        for pro in sides["for"]:
            for con in sides["against"]:
                if pro["id"] == con["id"]:
                    continue
                a, b = _chronological(pro, con)
                pos = {pro["id"]: "for", con["id"]: "against"}
                if pro["actor"] == con["actor"]:
                    detail = (f"reversal by {pro['actor']} on {proposition}: {pos[a['id']]} ({a['said_on'] or 'undated'})"
                              f" → {pos[b['id']]} ({b['said_on'] or 'undated'})")
                    yield _pair("stance", a, b, detail, subkind="reversal", proposition=proposition)
                else:
                    detail = f"dispute on {proposition}: {a['actor']} {pos[a['id']]} vs {b['actor']} {pos[b['id']]}"
                    yield _pair("stance", a, b, detail, subkind="dispute", proposition=proposition)


def linked_pairs(claims: dict[str, Claim]) -> Iterator[Pair]:
    """Claims explicitly linked with `contradicts`."""
    for claim in claims.values():
        for link in claim["links"]:
            other = claims.get(link["to"])
            if link["relation"] == "contradicts" and other is not None:
                a, b = _chronological(claim, other)
                yield _pair("linked", a, b, link["note"] or f"{claim['id']} is linked as contradicting {other['id']}")


# -- leads ---------------------------------------------------------------------------------------

def _words(text: str) -> set[str]:
    from natoclaims.search import fold

    return {w for w in re.findall(r"[a-z]{4,}", fold(text)) if w not in STOPWORDS}


def similar_wording(a: Claim, b: Claim) -> bool:
    """At least two shared content words and a fifth of all of them."""
    wa, wb = _words(a["text"]), _words(b["text"])
    shared = len(wa & wb)
    return shared >= 2 and shared / max(len(wa | wb), 1) >= 0.2


def possible_pairs(claims: Iterable[Claim]) -> Iterator[Pair]:
    """Leads: figures in one unit, at least one without a measure, overlapping time, a shared
    topic, similar wording, and values that cannot both hold."""
    groups: dict[tuple[str, str], list[tuple[tuple[date, date], tuple[Claim, dict[str, Any]]]]] = defaultdict(list)
    for claim in claims:
        for quantity in claim["quantities"]:
            scope = _scope(claim, quantity)
            if scope:
                for topic in claim["topics"]:
                    groups[(quantity["unit"], topic)].append((scope, (claim, quantity)))
    for (_, topic), items in groups.items():
        for (c1, q1), (c2, q2) in _overlapping(items):
            if (c1["id"] != c2["id"] and (q1["measure"] is None or q2["measure"] is None)
                    and cannot_both_hold(q1, q2) and similar_wording(c1, c2)):
                a, b = _chronological(c1, c2)
                qa, qb = (q1, q2) if a is c1 else (q2, q1)
                yield _pair("possible", a, b, f"{describe(qa)} vs {describe(qb)} (topic {topic}, no shared measure)")


# -- all of them -----------------------------------------------------------------------------------

def find_contradictions(claims: Iterable[Claim], kinds: Iterable[str] = CONFIRMED_KINDS) -> list[Pair]:
    """Every contradicting pair of the given kinds, each pair of claims once per kind.

    A lead (`possible`) is never offered for a pair already confirmed as `numeric`.
    """
    by_id = {c["id"]: c for c in claims}
    kinds = set(kinds)
    finders = {
        "linked": lambda: linked_pairs(by_id),
        "numeric": lambda: numeric_pairs(by_id.values()),
        "stance": lambda: stance_pairs(by_id.values()),
        "possible": lambda: possible_pairs(by_id.values()),
    }
    seen: set[tuple[str, frozenset[str]]] = set()
    pairs = []
    for kind in KINDS:
        wanted = kind in kinds
        if not wanted and not (kind == "numeric" and "possible" in kinds):
            continue
        for pair in finders[kind]():
            ids = frozenset((pair["a"]["id"], pair["b"]["id"]))
            if (kind, ids) in seen or (kind == "possible" and ("numeric", ids) in seen):
                continue
            seen.add((kind, ids))
            if wanted:
                pairs.append(pair)
    return pairs
