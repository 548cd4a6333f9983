"""The last pass of a merge (`store.merge`): what the two sides did together made consistent. Pure.

A source both sides registered under two ids is one source, each claim's copy of a source matches
the registry, a claim never cites a source or actor that the other side removed, a link to a claim
the other side removed goes with it. `resolve` runs the same pass over what a resolution changed.
"""

from __future__ import annotations

from typing import Any

import orjson

from natoclaims.store.upgrade import source_key

COPIED = ("id", "url", "title", "outlet", "published")  # what a claim copies of a registered source


def item_key(item: Any) -> bytes:
    """What makes two list items the same item."""
    return orjson.dumps(item, option=orjson.OPT_SORT_KEYS)


def _changed(merged: dict[str, Any], sides: list[dict[str, Any]]) -> set[str]:
    """Keys whose merged record differs from, or is missing against, a side's."""
    changed = set()
    for side in sides:
        for key, record in side.items():
            now = merged.get(key)
            if now is not record and now != record:
                changed.add(key)
    return changed


def stale(merged: dict[str, Any], edges: list[dict[str, Any]]) -> tuple[dict[str, str], set[str], set[str], set[str]]:
    """What the rest of the store may disagree with after a merge: sources one side registered twice
    (their other ids), sources changed or removed, actors removed, claims removed."""
    claims, actors, sources = merged["claims"], merged["actors"], merged["sources"]
    renamed = _one_source_per_key(sources, edges)
    stale_sources = _changed(sources, [s["sources"] for s in edges]) | set(renamed)
    stale_actors = {a for a in _changed(actors, [s["actors"] for s in edges]) if a not in actors}
    removed_claims = {c for c in _changed(claims, [s["claims"] for s in edges]) if c not in claims}
    return renamed, stale_sources, stale_actors, removed_claims


def consistent(merged: dict[str, Any], sides: list[dict[str, Any]]) -> None:
    """Make what the two sides did together consistent, in place (see the module's docstring).
    `sides`: ours, theirs, base: where a record one side removed is found again."""
    claims = merged["claims"]
    edges = sides[:2]
    renamed, stale_sources, stale_actors, removed_claims = stale(merged, edges)
    mixed = {key for key, claim in claims.items()
             if not any(side["claims"].get(key) is claim for side in edges)}
    if not (stale_sources or stale_actors or removed_claims or mixed):
        return
    for key, claim in list(claims.items()):
        cited = [*claim.get("sources", []), *(e for r in claim.get("reviews", []) for e in r.get("evidence", []))]
        if key not in mixed and not (
                any(s.get("id") in stale_sources for s in cited) or claim.get("actor") in stale_actors
                or any(link.get("to") in removed_claims for link in claim.get("links", []))):
            continue
        claims[key] = _repaired(claim, merged, sides, renamed)


def _one_source_per_key(sources: dict[str, Any], sides: list[dict[str, Any]]) -> dict[str, str]:
    """A source both sides registered (one URL, two ids) kept once, under the smaller id; the
    other ids and the id each now stands for."""
    added = [key for key in sources if not all(key in side["sources"] for side in sides)]
    if len(added) < 2:
        return {}
    holder: dict[str, str] = {}
    for key in sorted(added):
        holder.setdefault(source_key(sources[key]), key)
    renamed = {}
    for key in added:
        kept = holder[source_key(sources[key])]
        if kept != key:
            renamed[key] = kept
            del sources[key]
    return renamed


def _find(table: str, key: str, sides: list[dict[str, Any]]) -> Any:
    for side in sides:
        if key in side[table]:
            return side[table][key]
    return None


def _repaired(claim: dict[str, Any], merged: dict[str, Any], sides: list[dict[str, Any]],
              renamed: dict[str, str]) -> dict[str, Any]:
    """A claim whose sources carry the registry's details, whose actor and sources exist, and whose
    links point at claims that exist (a new dict; the sides' records are never changed)."""
    sources, actors = merged["sources"], merged["actors"]

    def entry(source: dict[str, Any]) -> dict[str, Any]:
        source_id = renamed.get(source.get("id") or "", source.get("id"))
        if source_id is None:
            return source
        if source_id not in sources:  # the other side removed a source this claim cites: it stays
            found = _find("sources", source_id, sides)
            if found is None:
                return source
            sources[source_id] = found
        record = sources[source_id]
        return {**source, **{f: record.get(f) for f in COPIED}}

    def entries(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return list({e.get("id") or item_key(e): e for e in map(entry, items)}.values())

    claim = {**claim, "sources": entries(claim.get("sources", [])),
             "reviews": [{**r, "evidence": entries(r.get("evidence", []))} for r in claim.get("reviews", [])],
             "links": [link for link in claim.get("links", []) if link.get("to") in merged["claims"]]}
    actor = claim.get("actor")
    if isinstance(actor, str) and actor not in actors:
        known_as = [name for name, record in sorted(actors.items()) if actor in record.get("aliases", [])]
        if known_as:  # renamed on the other side, the old name kept as an alias
            claim["actor"] = known_as[0]
        elif _find("actors", actor, sides) is not None:
            actors[actor] = _find("actors", actor, sides)
    return claim
