"""The vocabularies in use (topics, measures, propositions) and what a filter names that nothing has."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from natoclaims.engines.search import Filters, as_slug, select
from natoclaims.model.text import fold
from natoclaims.store import Store

NEAR_SCORE = 70  # rapidfuzz's 0-100 ratio: 'artcle-5' is 93 from 'article-5', 'iran' 0 from 'troops'


def _rows(counts: Counter[str], key: str) -> list[dict[str, Any]]:
    """One row per value, most claims first, then by name."""
    return [{key: value, "claims": count} for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def topic_rows(store: Store) -> list[dict[str, Any]]:
    """Every topic in use, with how many claims have it: most claims first, then by name."""
    counts = store.counts("topic", claims=True)
    return _rows(Counter(counts) if counts is not None else Counter(t for c in store.claims.values() for t in set(c["topics"])),
                 "topic")


def measure_rows(store: Store) -> list[dict[str, Any]]:
    """Every measure the claims' figures use, with how many claims state one: most first, then by name."""
    counts = store.counts("figure", claims=True)
    if counts is not None:
        return _rows(Counter({measure: n for measure, n in counts.items() if measure}), "measure")
    return _rows(Counter(m for c in store.claims.values() for m in {q["measure"] for q in c["quantities"]} if m),
                 "measure")


def proposition_rows(store: Store) -> list[dict[str, Any]]:
    """Every proposition the claims take a stance on, with how many claims are for and against it:
    most claims first, then by name."""
    positions: dict[str, Counter[str]] = {}
    counts = store.counts("stance")
    if counts is not None:
        for label, n in counts.items():
            proposition, position = label.rsplit("\t", 1)
            positions.setdefault(proposition, Counter())[position] += n
    for claim in store.claims.values() if counts is None else ():
        for stance in claim["stances"]:
            positions.setdefault(stance["proposition"], Counter())[stance["position"]] += 1
    rows = [{"proposition": p, "claims": sum(c.values()), "for": c["for"], "against": c["against"]}
            for p, c in positions.items()]
    return sorted(rows, key=lambda r: (-r["claims"], r["proposition"]))


def nearby(value: str, known: Iterable[str], *, limit: int = 3) -> list[str]:
    """The known values closest to a mistyped one, best first."""
    from rapidfuzz import fuzz, process

    choices = sorted(set(known))
    found = process.extract(fold(value), choices, scorer=fuzz.WRatio, processor=fold, score_cutoff=NEAR_SCORE,
                            limit=limit)
    return [match for match, _, _ in found]


def _said(what: str, value: str, near: list[str]) -> str:
    return f"no {what} {value!r}" + (f"; did you mean {' or '.join(near)}?" if near else " in this store")


def _hosts(sources: Iterable[Mapping[str, Any]]) -> set[str]:
    return {(urlsplit(s["url"]).hostname or "").lower() for s in sources if s.get("url")} - {""}


def _on(domain: str, hosts: set[str]) -> bool:
    return any(h == domain or h.endswith("." + domain) for h in hosts)


def unknown_filter_values(store: Store, filters: Filters) -> list[str]:
    """A line for each actor, topic, measure or source domain a filter names that no claim or actor
    has, with what exists nearby ("no topic 'artcle-5'; did you mean article-5?")."""
    said = []
    if filters.actors:
        names = set(store.actors) | {c["actor"] for c in store.claims.values()}
        aliases = {name: store.actors[name].get("aliases", []) if name in store.actors else [] for name in names}
        everyone = [{"actor": name} for name in names]
        for value in filters.actors:
            if not select(everyone, Filters(actors=(value,)), aliases):
                by_alias = {alias: name for name, known in aliases.items() for alias in known}
                near = [by_alias.get(n, n) for n in nearby(value, [*names, *by_alias])]
                said.append(_said("actor", value, [repr(n) for n in dict.fromkeys(near)]))
    def topics_in_use() -> set[str]:
        return {r["topic"] for r in topic_rows(store)}

    def measures_in_use() -> set[str]:
        return {r["measure"] for r in measure_rows(store)}

    for values, what, known in (
        (filters.topics, "topic", topics_in_use),
        (filters.measures, "measure", measures_in_use),
    ):
        in_use: set[str] | None = None
        for value in values:
            in_use = known() if in_use is None else in_use
            if as_slug(value) not in in_use:
                said.append(_said(what, value, nearby(as_slug(value), in_use)))
    if filters.source_domains:
        hosts = _hosts(s for c in store.claims.values() for s in c["sources"])
        evidence = _hosts(e for c in store.claims.values() for r in c["reviews"] for e in r["evidence"])
        for value in filters.source_domains:
            domain = value.strip().lower().strip(".")
            if "//" in domain:
                domain = urlsplit(domain).hostname or ""
            if _on(domain, hosts):
                continue
            said.append(f"no claim appeared on {value!r}: it is cited only as evidence of a verdict "
                        "(the evidence domain filter finds those claims)" if _on(domain, evidence)
                        else _said("source domain", value, nearby(domain, hosts)))
    return said
