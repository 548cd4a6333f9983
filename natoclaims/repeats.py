"""Repeats (SPEC section 4): claims by one actor that say the same thing, clustered. Pure.

Two claims say the same thing when one is linked to the other as `duplicates`, or when they
state the same figures and their wording is near-identical (a rapidfuzz ratio of 90 or more;
with the same figures stated, a token-set ratio of 85 is enough: "We pay 90% of NATO" and "the
US pays 90% of the cost of NATO" say one thing). It never compares every pair: claims are
blocked by actor and figures, exact wordings meet in a dictionary, and the rest are compared
with their few neighbours in the sorted order of their wording, forwards and backwards
(sorted-neighbourhood blocking); a cluster is what those matches join, transitively.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from natoclaims.text import fold

WORDING_RATIO = 90
SAME_FIGURES_RATIO = 85
WINDOW = 4  # neighbours each claim is compared with, in each sorted order

Claim = dict[str, Any]
Cluster = dict[str, Any]
Key = tuple[str, tuple[tuple[float, str], ...]]


def wording(text: str) -> str:
    """The words of a text, folded, without punctuation: what near-identical is judged on."""
    return " ".join(re.findall(r"\w+", fold(text)))


def figures_key(claim: Claim) -> tuple[tuple[float, str], ...]:
    """The figures a claim states, as (value, unit), in order of value: equal when the numbers are."""
    return tuple(sorted((float(q["value"]), q["unit"]) for q in claim["quantities"] or ()))


def alike(words_a: str, words_b: str, has_figures: bool) -> bool:
    """Near-identical wording (the claims' figures already equal)."""
    from rapidfuzz import fuzz

    if fuzz.ratio(words_a, words_b, score_cutoff=WORDING_RATIO):
        return True
    return has_figures and bool(fuzz.token_set_ratio(words_a, words_b, score_cutoff=SAME_FIGURES_RATIO))


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


def _chronological_key(claim: Claim) -> tuple[str, str]:
    return (claim["said_on"] or "9999", claim["id"])


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


def clusters(claims: Iterable[Claim], min_count: int = 2) -> list[Cluster]:
    """Clusters of claims saying the same thing, each of one actor, with at least `min_count`
    claims; largest first, then by most recent. With `min_count` 1 they partition the claims."""
    by_id: dict[str, Claim] = {}
    blocks: dict[Key, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    partition = _Partition()
    for claim in claims:
        by_id[claim["id"]] = claim
        blocks[(claim["actor"], figures_key(claim))][wording(claim["text"])].append(claim["id"])
    for (_, figures), texts in blocks.items():
        for ids in texts.values():  # the same words: one thing said again
            for other in ids[1:]:
                partition.join(ids[0], other)
        if len(texts) < 2:
            continue
        for order in (sorted(texts), sorted(texts, key=lambda t: t[::-1])):
            for i, words in enumerate(order):
                for near in order[i + 1:i + 1 + WINDOW]:
                    if alike(words, near, bool(figures)):
                        partition.join(texts[words][0], texts[near][0])
    for claim in by_id.values():
        for link in claim["links"] or ():
            other = by_id.get(link["to"])
            if link["relation"] == "duplicates" and other is not None and other["actor"] == claim["actor"]:
                partition.join(claim["id"], other["id"])
    members: dict[str, list[Claim]] = defaultdict(list)
    for claim_id, claim in by_id.items():
        members[partition.find(claim_id)].append(claim)
    found = [cluster(group) for group in members.values() if len(group) >= min_count]
    found.sort(key=lambda c: (c["last"] or "", c["claims"][0]), reverse=True)
    found.sort(key=lambda c: c["count"], reverse=True)
    return found


def cluster(group: list[Claim]) -> Cluster:
    """One cluster's summary: its actor, count, first and last date, statuses (with counts, most
    common first), member ids in time order and the earliest wording."""
    group = sorted(group, key=_chronological_key)
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
