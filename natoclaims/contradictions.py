"""Contradicting pairs of claims (SPEC section 4). Pure; groups by measure, proposition or
unit and topic, and sweeps each group in time order, so it never compares every pair."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

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


# Finders yield (kind, a, b, detail, extra); find_contradictions makes the pair objects.
Found = tuple[str, Claim, Claim, str, dict[str, Any]]


def _pair(kind: str, a: Claim, b: Claim, detail: str, **extra: Any) -> Found:
    return kind, a, b, detail, extra


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


def _scope(claim: Claim, quantity: dict[str, Any]) -> tuple[int, int, int] | None:
    """(year, month, day) of a figure's time scope, 0 where the precision stops; None when undated."""
    when = quantity["as_of"] or claim["said_on"]
    if not when:
        return None
    parts = [int(p) for p in when.split("-")]
    return (parts + [0, 0])[0], (parts + [0, 0])[1], (parts + [0, 0, 0])[2]


Figure = tuple[float, float, Claim, dict[str, Any]]  # (low, high, claim, quantity)


def _above(lower: list[Figure], upper: list[Figure]) -> Iterator[tuple[Figure, Figure]]:
    """Pairs (a, b) where b's values lie above a's by more than the tolerance allows.

    `upper` is searched in order of its low bounds, so everything within 5 % of `a` is
    skipped by bisection: the work is the conflicts found, not every pair.
    """
    if not lower or not upper or (lower is upper and len(lower) < 2):
        return
    ordered = sorted(upper, key=lambda f: f[0])
    lows = [f[0] for f in ordered]
    for a in lower:
        high = a[1]
        if high == math.inf:
            continue
        # b.low - high <= 5 % of b.low means no conflict; for high > 0 that is b.low <= high / 0.95.
        threshold = high / (1 - TOLERANCE) * (1 - 1e-9) if high > 0 else high
        for b in ordered[bisect_right(lows, threshold):]:
            if a[2]["id"] != b[2]["id"] and cannot_both_hold(a[3], b[3]):
                yield a, b


def _between(first: list[Figure], second: list[Figure]) -> Iterator[tuple[Figure, Figure]]:
    yield from _above(first, second)
    yield from _above(second, first)


def conflicting_figures(figures: Iterable[tuple[tuple[int, int, int], Claim, dict[str, Any]]]) -> Iterator[tuple[Figure, Figure]]:
    """Pairs of figures in overlapping time whose values cannot both hold.

    A scope is a year, a month or a day, so two overlap only within one year: a year
    overlaps all of it, a month its days, a day itself.
    """
    years: dict[int, dict[tuple[int, int], list[Figure]]] = defaultdict(lambda: defaultdict(list))
    for (year, month, day), claim, quantity in figures:
        low, high = _bounds(quantity)
        years[year][(month, day)].append((low, high, claim, quantity))
    for buckets in years.values():
        whole_year = buckets.pop((0, 0), [])
        yield from _above(whole_year, whole_year)
        yield from _between(whole_year, [f for bucket in buckets.values() for f in bucket])
        for month in {m for m, _ in buckets}:
            whole_month = buckets.get((month, 0), [])
            days = [f for (m, d), bucket in buckets.items() if m == month and d for f in bucket]
            yield from _above(whole_month, whole_month)
            yield from _between(whole_month, days)
        for (_, day), bucket in buckets.items():
            if day:
                yield from _above(bucket, bucket)


def _ordered(first: Figure, second: Figure) -> tuple[Claim, dict[str, Any], Claim, dict[str, Any]]:
    a, b = _chronological(first[2], second[2])
    if a is first[2]:
        return a, first[3], b, second[3]
    return a, second[3], b, first[3]


def numeric_pairs(claims: Iterable[Claim]) -> Iterator[Found]:
    """Claims stating figures of one measure, in overlapping time, that cannot both hold."""
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for claim in claims:
        if not claim["quantities"]:
            continue
        for quantity in claim["quantities"]:
            if quantity["measure"] and (quantity["as_of"] or claim["said_on"]):
                groups[(quantity["measure"], quantity["unit"])].append((_scope(claim, quantity), claim, quantity))
    described: dict[int, str] = {}
    for (measure, _), figures in groups.items():
        for first, second in conflicting_figures(figures):
            a, qa, b, qb = _ordered(first, second)
            for q in (qa, qb):
                if id(q) not in described:
                    described[id(q)] = describe(q)
            yield _pair("numeric", a, b, f"{described[id(qa)]} vs {described[id(qb)]} ({measure})", measure=measure)


# -- stances and links --------------------------------------------------------------------------

def stance_pairs(claims: Iterable[Claim]) -> Iterator[Found]:
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


def linked_pairs(claims: dict[str, Claim]) -> Iterator[Found]:
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


def possible_pairs(claims: Iterable[Claim]) -> Iterator[Found]:
    """Leads: figures in one unit, at least one without a measure, overlapping time, a shared
    topic, similar wording, and values that cannot both hold."""
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for claim in claims:
        for quantity in claim["quantities"]:
            scope = _scope(claim, quantity)
            if scope:
                for topic in claim["topics"]:
                    groups[(quantity["unit"], topic)].append((scope, claim, quantity))
    for (_, topic), figures in groups.items():
        for first, second in conflicting_figures(figures):
            a, qa, b, qb = _ordered(first, second)
            if (qa["measure"] is None or qb["measure"] is None) and similar_wording(a, b):
                yield _pair("possible", a, b, f"{describe(qa)} vs {describe(qb)} (topic {topic}, no shared measure)")


# -- all of them -----------------------------------------------------------------------------------

def find_contradictions(claims: dict[str, Claim] | Iterable[Claim], kinds: Iterable[str] = CONFIRMED_KINDS) -> list[Pair]:
    """Every contradicting pair of the given kinds, each pair of claims once per kind.

    `claims` is the store's id -> claim mapping (or any claims). A lead (`possible`) is never
    offered for a pair already confirmed as `numeric`.
    """
    by_id = claims if isinstance(claims, dict) else {c["id"]: c for c in claims}
    kinds = set(kinds)
    finders = {
        "linked": lambda: linked_pairs(by_id),
        "numeric": lambda: numeric_pairs(by_id.values()),
        "stance": lambda: stance_pairs(by_id.values()),
        "possible": lambda: possible_pairs(by_id.values()),
    }
    seen: set[tuple[str, frozenset[str]]] = set()
    summaries: dict[str, dict[str, Any]] = {}
    pairs = []
    for kind in KINDS:
        wanted = kind in kinds
        if not wanted and not (kind == "numeric" and "possible" in kinds):
            continue
        for _, a, b, detail, extra in finders[kind]():
            ids = frozenset((a["id"], b["id"]))
            if (kind, ids) in seen or (kind == "possible" and ("numeric", ids) in seen):
                continue
            seen.add((kind, ids))
            if wanted:
                # One summary per claim, shared: an outlying figure can be in many pairs.
                for claim in (a, b):
                    if claim["id"] not in summaries:
                        summaries[claim["id"]] = summary(claim)
                pairs.append({"kind": kind, **extra, "detail": detail,
                              "a": summaries[a["id"]], "b": summaries[b["id"]]})
    return pairs
