"""Schema 1 to schema 2: sources become records of their own, verdicts become reviews. Pure.

A schema-1 claim kept its sources inline and its verdicts only as `status` and `history`
entries; `status --source URL` added the evidence to its sources. The upgrade registers each
source once (by its URL after normalisation, else by its title and outlet), moves evidence out
of the appearances into the review it belongs to, turns each past status change into a review
with its note, who made it and when, and types each actor (an organisation by its name, as the
old ClaimReview export guessed). Nothing is dropped: each claim's history keeps every change.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Mapping
from typing import Any

from natoclaims.model import ID_ALPHABET, SOURCE_FIELDS, normalise_url

ORGANISATION_WORDS = {
    "government", "house", "commission", "officials", "ministers", "leaders", "allies", "states", "politics",
    "critics", "supporters", "representatives", "nato", "union", "council", "ministry", "department",
    "pentagon", "administration", "parliament", "congress", "kremlin",
}


def actor_type(name: str) -> str:
    """A person, or an organization when the name is one word or names a body ('White House')."""
    words = re.findall(r"[a-z]+", name.lower())
    return "organization" if len(words) < 2 or ORGANISATION_WORDS & set(words) else "person"


def source_key(source: Mapping[str, Any]) -> str:
    """What makes two source entries one source: the normalised URL, else the title and outlet."""
    if source.get("url"):
        return normalise_url(source["url"])
    return f"title:{source.get('title') or ''}\n{source.get('outlet') or ''}"


def _source_id(key: str, taken: set[str]) -> str:
    """An id drawn from the source's key, not at random: every read of a schema-1 store (upgraded
    in memory) shows the same ids, and the upgrade written for good keeps them, so an id a reader
    listed can be used in the command that upgrades the store (and two branches agree on it)."""
    attempt = 0
    while True:
        digest = hashlib.sha256(f"{attempt}:{key}".encode()).digest()
        candidate = string.ascii_lowercase[digest[0] % 26] + "".join(ID_ALPHABET[b % 36] for b in digest[1:8])
        if candidate not in taken:
            return candidate
        attempt += 1


class Registry:
    """The sources table being built: one record per source key."""

    def __init__(self, taken: set[str]) -> None:
        self.records: dict[str, dict[str, Any]] = {}
        self.ids: dict[str, str] = {}
        self.taken = taken

    def entry(self, source: dict[str, Any]) -> dict[str, Any]:
        """The registered source for an inline one, as a claim carries it (its id, details inline)."""
        key = source_key(source)
        if key not in self.ids:
            source_id = _source_id(key, self.taken)
            self.taken.add(source_id)
            self.ids[key] = source_id
            self.records[source_id] = {**{f: source.get(f) for f in SOURCE_FIELDS}, "id": source_id,
                                       "type": "article", "archive": None}
        record = self.records[self.ids[key]]
        for field in ("title", "outlet", "published"):  # a detail one copy gave and another left out
            if record[field] is None and source.get(field) is not None:
                record[field] = source[field]
        return record

    def inline(self, record: dict[str, Any]) -> dict[str, Any]:
        return {f: record[f] for f in SOURCE_FIELDS}


def _evidence(history: list[dict[str, Any]], index: int) -> list[dict[str, Any]]:
    """The evidence `status --source URL` gave with the status change `history[index]`: that command
    appended one source, a URL alone, in the entry just before, with the same time, user and note.
    (`import --on-duplicate update` changed sources and status at one time too, noted 'import':
    what it added is an appearance.)"""
    change, before = history[index], history[index - 1] if index else None
    if before is None or before["field"] != "sources" or change["note"] == "import" or any(
            before[k] != change[k] for k in ("at", "by", "note")):
        return []
    old, new = before["old"], before["new"]
    if not isinstance(old, list) or not isinstance(new, list) or new[:-1] != old or len(new) != len(old) + 1:
        return []
    added = new[-1]
    plain = isinstance(added, dict) and added.get("url") and not any(added.get(f) for f in ("title", "outlet", "published"))
    return [added] if plain else []


def _reviews(claim: dict[str, Any], registry: Registry) -> tuple[list[dict[str, Any]], set[str]]:
    """The reviews a claim's status history stands for, and the keys of sources that were evidence."""
    reviews, evidence_keys = [], set()
    for index, entry in enumerate(claim["history"]):
        if entry["field"] != "status" or entry["new"] == "unverified":
            continue
        evidence = _evidence(claim["history"], index)
        evidence_keys |= {source_key(s) for s in evidence}
        reviews.append({"verdict": entry["new"], "note": entry["note"], "reviewer": entry["by"], "at": entry["at"],
                        "evidence": [registry.entry(s) for s in evidence]})
    if claim["status"] == "unverified":
        return [], evidence_keys
    if not reviews or reviews[-1]["verdict"] != claim["status"]:  # set on creation or by hand
        reviews.append({"verdict": claim["status"], "note": None, "reviewer": "unknown",
                        "at": claim["updated_at"], "evidence": []})
    return reviews, evidence_keys


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """The tables of a schema-1 store as schema 2 (a new dict; `data` is not changed)."""
    registry = Registry(set(data["claims"]))
    found = {}
    for claim_id, claim in data["claims"].items():  # register every source first: copies complete each other
        reviews, evidence_keys = _reviews(claim, registry)
        appearances = [s for s in claim["sources"] if source_key(s) not in evidence_keys] or claim["sources"]
        found[claim_id] = ([registry.entry(s) for s in appearances], reviews)
    claims = {
        claim_id: {**claim, "sources": [registry.inline(s) for s in found[claim_id][0]],
                   "reviews": [{**r, "evidence": [registry.inline(e) for e in r["evidence"]]} for r in found[claim_id][1]]}
        for claim_id, claim in data["claims"].items()
    }
    actors = {name: {**actor, "type": actor.get("type") or actor_type(name)} for name, actor in data["actors"].items()}
    return {"actors": actors, "claims": claims, "meta": {"1": {**data["meta"].get("1", {}), "schema": 2}},
            "sources": registry.records}
