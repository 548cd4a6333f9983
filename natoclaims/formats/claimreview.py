"""schema.org ClaimReview JSON-LD for reviewed claims (Google's required and recommended fields). Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from natoclaims.errors import InvalidInput
from natoclaims.model.text import counted

# The 1-5 scale of `reviewRating.ratingValue` (5 = true), and the verdict shown as `alternateName`.
RATINGS = {
    "verified": (5, "True"), "inconclusive": (3, "Unproven"), "disputed": (3, "Disputed"),
    "misleading": (2, "Misleading"), "retracted": (2, "Retracted by its author"), "false": (1, "False"),
}
RATIONALE_IDS_SHOWN = 5


class MissingRationale(InvalidInput):
    """Verdicts without a rationale where one is required; `remedy` says how to export them anyway."""

    def __init__(self, ids: list[str], remedy: str) -> None:
        shown = ", ".join(ids[:RATIONALE_IDS_SHOWN]) + (", ..." if len(ids) > RATIONALE_IDS_SHOWN else "")
        super().__init__(f"{counted(len(ids), 'claim')} {'has' if len(ids) == 1 else 'have'} a verdict without a "
                         f"rationale ({shown}): review them again with a note saying why, or {remedy}")
        self.ids = ids
def _party(name: str, kind: str = "Organization", url: str | None = None) -> dict[str, Any]:
    party: dict[str, Any] = {"@type": kind, "name": name}
    if url:
        party["url"] = url
    return party


def _appearances(claims: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Where the claims appeared (their sources, never their evidence), earliest claim first, each once."""
    appearances: list[dict[str, Any]] = []
    for claim in claims:
        for source in claim["sources"]:
            work: dict[str, Any] = {"@type": "CreativeWork"}
            if source["url"]:
                work["url"] = source["url"]
            if source["title"]:
                work["headline"] = source["title"]
            if source["outlet"]:
                work["publisher"] = _party(source["outlet"])
            if source["published"]:
                work["datePublished"] = source["published"]
            if work not in appearances:
                appearances.append(work)
    return appearances


def claim_reviews(claims: Iterable[Mapping[str, Any]], publisher: str, publisher_url: str | None,
                  actor_types: dict[str, str] | None = None,
                  repeats: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
                  require_rationale: bool = False) -> list[dict[str, Any]]:
    """schema.org ClaimReview objects (Google's required and recommended fields) for reviewed claims:
    the latest review's verdict, rationale and date; the claim's appearances (never its evidence),
    with those of its repeats (`repeats`: claim id -> its cluster, earliest first), the earliest
    as `firstAppearance`; its author a Person or an Organization by the actor's type (`actor_types`,
    default person). With `require_rationale`, a claim whose latest review has no note is refused."""
    claims = list(claims)
    if require_rationale:
        _check_rationales(claims)
    reviews = []
    for claim in claims:
        if claim["status"] not in RATINGS:
            continue
        value, verdict = RATINGS[claim["status"]]
        person = (actor_types or {}).get(claim["actor"], "person") == "person"
        item: dict[str, Any] = {"@type": "Claim", "author": _party(claim["actor"], "Person" if person else "Organization")}
        if claim["said_on"]:
            item["datePublished"] = claim["said_on"]
        appearances = _appearances((repeats or {}).get(claim["id"], [claim]))
        item["appearance"] = appearances
        item["firstAppearance"] = appearances[0]
        latest = claim["reviews"][-1] if claim["reviews"] else {"at": claim["updated_at"], "note": None}
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": claim["text"],
            "datePublished": latest["at"][:10],
            "author": _party(publisher, url=publisher_url),
            "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1,
                             "alternateName": verdict, "name": verdict},
            "itemReviewed": item,
            "identifier": claim["id"],
        }
        if _rationale(latest):
            review["reviewBody"] = latest["note"]
        if publisher_url:
            review["url"] = f"{publisher_url.rstrip('/')}#claim-{claim['id']}"
        reviews.append(review)
    return reviews


def _rationale(review: dict[str, Any]) -> bool:
    """Whether a review says why: a blank note (stored before blank notes were refused) says nothing."""
    return bool(review["note"] and review["note"].strip())


def _check_rationales(claims: Sequence[Mapping[str, Any]]) -> None:
    """Refuse verdicts given without a rationale: a published fact check says why."""
    bare = [c["id"] for c in claims if c["status"] in RATINGS and not (c["reviews"] and _rationale(c["reviews"][-1]))]
    if bare:
        raise MissingRationale(bare, "pass require_rationale=False for a ClaimReview without reviewBody")


def json_ld(reviews: list[dict[str, Any]]) -> str:
    """The reviews as JSON-LD that is safe inside an HTML `<script>` block (<, > and & escaped)."""
    from natoclaims.formats.writers import json_text

    return json_text(reviews, indent=True, html=True) + "\n"
