"""Reports over the whole store: counts, contradicting pairs and the store's own check."""

from __future__ import annotations

from typing import Any

from natoclaims.errors import InvalidInput
from natoclaims.model import STATUSES, check_claim, utc_now
from natoclaims.search import Filters, select
from natoclaims.store import Store


def contradicting_pairs(store: Store, filters: Filters, kinds: list[str]) -> list[dict[str, Any]]:
    """Contradicting pairs where either claim passes the filters."""
    from natoclaims.contradictions import find_contradictions

    pairs = find_contradictions(store.claims, kinds)
    filtering = filters.actors or filters.topics or filters.since or filters.until
    if filtering and pairs:
        aliases = {name: actor.get("aliases", []) for name, actor in store.actors.items()}
        involved = {store.claims[p[side]["id"]]["id"]: store.claims[p[side]["id"]] for p in pairs for side in "ab"}
        kept = {c["id"] for c in select(involved.values(), filters, aliases)}
        pairs = [p for p in pairs if p["a"]["id"] in kept or p["b"]["id"] in kept]
    return pairs


def check_store(store: Store) -> list[str]:
    """Every problem in the store, one line each: invalid records, duplicate ids, dangling links, unknown actors."""
    import json

    problems = []
    duplicates: list[str] = []

    def note_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        record = dict(pairs)
        if len(record) < len(pairs):  # linear: only an object that lost keys is looked at again
            seen: set[str] = set()
            duplicates.extend(k for k, _ in pairs if k in seen or seen.add(k))
        return record

    if store.path is not None and store.path.exists():
        json.loads(store.path.read_bytes(), object_pairs_hook=note_duplicates)
    problems += [f"duplicate key {key!r} in the store file" for key in sorted(set(duplicates))]
    known_actors = set(store.actors)
    for claim_id, claim in sorted(store.claims.items()):
        try:
            check_claim(claim, now=claim.get("created_at") or utc_now())
        except InvalidInput as exc:
            problems.append(f"{claim_id}: {exc}")
            continue
        for link_ in claim["links"]:
            if link_["to"] not in store.claims:
                problems.append(f"{claim_id}: dangling link: {link_['relation']} {link_['to']} (no such claim)")
        if claim["actor"] not in known_actors:
            problems.append(f"{claim_id}: actor {claim['actor']!r} is not in the actors table")
    for name, actor in sorted(store.actors.items()):
        if not isinstance(actor, dict) or actor.get("name") != name or not isinstance(actor.get("aliases", []), list):
            problems.append(f"actor {name!r}: damaged actor record")
    return problems


def stats(store: Store) -> list[dict[str, Any]]:
    """Claim counts by status, actor, topic and month (undated claims under 'undated')."""
    groups: dict[str, dict[str, int]] = {"status": {s: 0 for s in STATUSES}, "actor": {}, "topic": {}, "month": {}}
    for claim in store.claims.values():
        groups["status"][claim["status"]] += 1
        groups["actor"][claim["actor"]] = groups["actor"].get(claim["actor"], 0) + 1
        for topic in claim["topics"]:
            groups["topic"][topic] = groups["topic"].get(topic, 0) + 1
        month = (claim["said_on"] or "undated")[:7]
        groups["month"][month] = groups["month"].get(month, 0) + 1
    rows = []
    for group, counts in groups.items():
        ordered = sorted(counts.items()) if group == "month" else sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if group == "status":
            ordered = [(s, counts[s]) for s in STATUSES]
        rows += [{"group": group, "key": key, "count": count} for key, count in ordered]
    return rows
