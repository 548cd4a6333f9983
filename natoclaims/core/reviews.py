"""Verdicts: a review gives a claim its status, with the rationale, the evidence and who judged it.

Evidence is registered like any source but never becomes one of the claim's appearances.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from natoclaims.core.claims import change_field
from natoclaims.core.sources import resolve
from natoclaims.errors import InvalidInput, UsageError
from natoclaims.model import VERDICTS, choice, text_field, utc_now
from natoclaims.model.shapes import Claim, Source
from natoclaims.model.vocabulary import Status
from natoclaims.store import Store


def review(store: Store, ids: Sequence[str], verdict: str, *, note: str | None = None,
           evidence: Sequence[str | dict[str, Any]] = (), reviewer: str | None = None) -> list[str]:
    """Append a review to each claim (all or none), which sets its status; returns the ids whose
    status changed. `evidence`: URLs (registered if new), source ids or prefixes, or source objects."""
    if verdict == Status.unverified:
        raise InvalidInput("'unverified' is no verdict: a claim is unverified until it is reviewed")
    if verdict not in VERDICTS:
        choice(verdict, VERDICTS, "status")  # a verdict is any status but unverified
    note = text_field(note, "note") or None
    reviewer = text_field(reviewer, "reviewer") or store.user
    now = utc_now()
    with store.writing():
        cited = resolve(store, evidence)
        claims = {c["id"]: c for c in (copy.deepcopy(store.get(i)) for i in ids)}
        changed = []
        for claim in claims.values():
            _check_evidence(claim, cited)
            claim["reviews"].append({"verdict": str(verdict), "note": note, "evidence": cited,
                                     "reviewer": reviewer, "at": now})
            claim["updated_at"] = now
            if change_field(claim, "status", str(verdict), by=reviewer, at=now, note=note):
                changed.append(claim["id"])
        store.replace_claims(list(claims.values()))
    return changed


def _check_evidence(claim: Claim, cited: Sequence[Source]) -> None:
    """Refuse evidence that is one of the claim's own appearances: where it was said shows nothing."""
    own = {source["id"] for source in claim["sources"]}
    for source in cited:
        if source["id"] in own:
            raise UsageError(f"evidence {source['id']} ({source['url'] or source['title']}) is a source of claim "
                             f"{claim['id']}, where it was said: evidence is what shows the verdict")


def set_status(store: Store, ids: Sequence[str], status: str, *, note: str | None = None,
               source: str | None = None) -> list[str]:
    """The shorthand for `review`: `source` is evidence, never an appearance."""
    return review(store, ids, status, note=note, evidence=[source] if source else [])
