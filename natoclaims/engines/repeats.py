"""Repeats (SPEC section 4): claims by one actor that say the same thing, clustered. Pure.

Two claims say the same thing when one is linked to the other as `duplicates`, or when they
state the same figures and their wording is near-identical (a rapidfuzz ratio of 90 or more;
with the same figures stated, a ratio of 85 on the words in sorted order is enough: "We pay 90% of NATO" and "the
US pays 90% of the cost of NATO" say one thing). It never compares every pair: claims are
blocked by actor and figures, exact wordings meet in a dictionary, and the rest are compared
with their few neighbours among the wordings that begin alike, in sorted order, and among those
that end alike (sorted-neighbourhood blocking on cheap keys); a cluster is what those matches join, transitively.
"""

from __future__ import annotations

import string
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from natoclaims.engines.contradictions import said_order
from natoclaims.model.text import fold

if TYPE_CHECKING:
    from natoclaims.model.shapes import Claim

WORDING_RATIO = 90
SAME_FIGURES_RATIO = 85
WINDOW = 4  # neighbours each claim is compared with, in each sorted order
KEY = 12  # characters at the start (or end) that near-identical wordings share

Cluster = dict[str, Any]
Key = tuple[str, tuple[tuple[float, str], ...]]


_PUNCTUATION_TO_SPACE = str.maketrans(string.punctuation, " " * len(string.punctuation))
# Two strings are at least this alike only when the shorter is this share of the longer.
_LENGTHS_WITHIN = {False: WORDING_RATIO / (200 - WORDING_RATIO), True: SAME_FIGURES_RATIO / (200 - SAME_FIGURES_RATIO)}


def wording(text: str) -> str:
    """The words of a text, folded, without punctuation: what near-identical is judged on."""
    return " ".join(fold(text).translate(_PUNCTUATION_TO_SPACE).split())


def figures_key(claim: Claim) -> tuple[tuple[float, str], ...]:
    """The figures a claim states, as (value, unit), in order of value: equal when the numbers are."""
    quantities = claim["quantities"]
    if not quantities:
        return ()
    return tuple(sorted((float(q["value"]), q["unit"]) for q in quantities))


def alike(words_a: str, words_b: str, has_figures: bool) -> bool:
    """Near-identical wording (the claims' figures already equal): a ratio of 90, or with figures
    stated, 85 on the words in sorted order."""
    short, long = sorted((len(words_a), len(words_b)))
    if short < long * _LENGTHS_WITHIN[has_figures]:  # cheap: most neighbours stop here
        return False
    from rapidfuzz.fuzz import ratio, token_sort_ratio  # ~10 ms to load: `add` often needs none

    if ratio(words_a, words_b, score_cutoff=WORDING_RATIO):
        return True
    return has_figures and bool(token_sort_ratio(words_a, words_b, score_cutoff=SAME_FIGURES_RATIO))


def says_the_same(a: Claim, b: Claim) -> bool:
    """True when two claims by one actor say the same thing (a duplicates link, or the same
    figures in near-identical wording)."""
    if a["actor"] != b["actor"] or a["id"] == b["id"]:
        return False
    if any(link["relation"] == "duplicates" and link["to"] == other["id"]
           for one, other in ((a, b), (b, a)) for link in one["links"] or ()):
        return True
    figures = figures_key(a)
    return figures == figures_key(b) and alike(wording(a["text"]), wording(b["text"]), bool(figures))


class _Partition:
    """Union-find over claim ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent
        root = item
        while parent.get(root, root) != root:
            root = parent[root]
        while item != root:
            parent[item], item = root, parent[item]
        return root

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _join_neighbours(texts: dict[str, list[str]], has_figures: bool, partition: _Partition) -> None:
    """Join near-identical wordings: those that begin alike (their first KEY characters) are
    compared with their WINDOW next neighbours in sorted order, and so are those that end alike,
    in the order of their reversed text (a change late in a claim keeps its beginning, a change
    early its end)."""
    from rapidfuzz.fuzz import ratio, token_sort_ratio

    least = _LENGTHS_WITHIN[has_figures]
    starts: dict[str, list[str]] = defaultdict(list)
    ends: dict[str, list[str]] = defaultdict(list)
    for words in texts:
        starts[words[:KEY]].append(words)
        ends[words[-KEY:]].append(words)
    for groups, order_key in ((starts, None), (ends, _reversed)):
        for group in groups.values():
            if len(group) < 2:
                continue
            order = sorted(group, key=order_key)
            count = len(order)
            for i in range(count - 1):
                a = order[i]
                length = len(a)
                for b in order[i + 1:i + 1 + WINDOW]:
                    other = len(b)
                    # `alike`, inlined: most neighbours stop at its length test, before rapidfuzz.
                    if length < other * least or other < length * least:
                        continue
                    if ratio(a, b, score_cutoff=WORDING_RATIO) or (
                            has_figures and token_sort_ratio(a, b, score_cutoff=SAME_FIGURES_RATIO)):
                        partition.join(texts[a][0], texts[b][0])


def _reversed(text: str) -> str:
    return text[::-1]


def clusters(claims: Iterable[Claim], min_count: int = 2) -> list[Cluster]:
    """Clusters of claims saying the same thing, each of one actor, with at least `min_count`
    claims; largest first, then the most recently said (latest `last`, undated clusters after
    dated ones), then the later id of their earliest claim. Which clusters there are and their
    order depend only on which claims these are, not on their order. With `min_count` 1 they
    partition the claims."""
    by_id: dict[str, Claim] = {}
    blocks: dict[Key, list[Claim]] = defaultdict(list)
    partition = _Partition()
    for claim in claims:
        by_id[claim["id"]] = claim
        blocks[(claim["actor"], figures_key(claim))].append(claim)
    for (_, figures), block in blocks.items():
        if len(block) < 2:  # most claims with figures: nothing of theirs to compare
            continue
        texts: dict[str, list[str]] = defaultdict(list)
        for claim in block:
            texts[wording(claim["text"])].append(claim["id"])
        for ids in texts.values():  # the same words: one thing said again
            for again in ids[1:]:
                partition.join(ids[0], again)
        if len(texts) > 1:
            _join_neighbours(texts, bool(figures), partition)
    for claim in by_id.values():
        for link in claim["links"] or ():
            other = by_id.get(link["to"])
            if link["relation"] == "duplicates" and other is not None and other["actor"] == claim["actor"]:
                partition.join(claim["id"], other["id"])
    members: dict[str, list[Claim]] = defaultdict(list)
    # Only joined claims are in the partition's table; the rest are clusters of one.
    for claim_id in partition.parent:
        members[partition.find(claim_id)].append(by_id[claim_id])
    for root in list(members):
        if root not in partition.parent:  # a root that was never a child
            members[root].append(by_id[root])
    if min_count <= 1:
        members.update((claim_id, [by_id[claim_id]]) for claim_id in by_id
                       if claim_id not in partition.parent and claim_id not in members)
    found = [cluster(group) for group in members.values() if len(group) >= min_count]
    # Two stable sorts, the least significant first: count down, then last date and earliest id down.
    found.sort(key=lambda c: (c["last"] or "", c["claims"][0]), reverse=True)
    found.sort(key=lambda c: c["count"], reverse=True)
    return found


def cluster(group: list[Claim]) -> Cluster:
    """One cluster's summary: its actor, count, first and last date, statuses (with counts, most
    common first), member ids in time order and the earliest wording."""
    group = sorted(group, key=said_order)
    dates = [c["said_on"] for c in group if c["said_on"]]
    statuses = Counter(c["status"] for c in group)
    return {
        "actor": group[0]["actor"], "count": len(group), "first": min(dates) if dates else None,
        "last": max(dates) if dates else None,
        "statuses": dict(sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0]))),
        "claims": [c["id"] for c in group], "text": group[0]["text"],
    }


def repeats_of(claims: Iterable[Claim]) -> dict[str, list[Claim]]:
    """Each claim id in a cluster of two or more -> the claims of its cluster, earliest first."""
    listed = list(claims)
    by_id = {c["id"]: c for c in listed}
    found: dict[str, list[Claim]] = {}
    for group in clusters(listed):
        members = [by_id[i] for i in group["claims"]]
        for claim_id in group["claims"]:
            found[claim_id] = members
    return found
