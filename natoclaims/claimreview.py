"""schema.org ClaimReview JSON-LD for reviewed claims (Google's required and recommended fields). Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# The 1-5 scale of `reviewRating.ratingValue` (5 = true), and the verdict shown as `alternateName`.
RATINGS = {
    "verified": (5, "True"), "inconclusive": (3, "Unproven"), "disputed": (3, "Disputed"),
    "misleading": (2, "Misleading"), "retracted": (2, "Retracted by its author"), "false": (1, "False"),
}
ORGANISATION_WORDS = {
    "government", "house", "commission", "officials", "ministers", "leaders", "allies", "states", "politics",
    "critics", "supporters", "representatives", "nato", "union", "council", "ministry", "department",
    "pentagon", "administration", "parliament", "congress", "kremlin",
}


def _party(name: str, url: str | None = None) -> dict[str, Any]:
    """A Person, or an Organization when the name is one word or names a body ('White House')."""
    words = re.findall(r"[a-z]+", name.lower())
    kind = "Organization" if len(words) < 2 or ORGANISATION_WORDS & set(words) else "Person"
    party: dict[str, Any] = {"@type": kind, "name": name}
    if url:
        party["url"] = url
    return party


def _reviewed_on(claim: dict[str, Any]) -> str:
    """The day the verdict was given: the last status change, else the last update."""
    changes = [h["at"] for h in claim["history"] if h["field"] == "status"]
    return (changes[-1] if changes else claim["updated_at"])[:10]


def claim_reviews(claims: Iterable[dict[str, Any]], publisher: str, publisher_url: str | None) -> list[dict[str, Any]]:
    """schema.org ClaimReview objects (Google's required and recommended fields) for reviewed claims."""
    reviews = []
    for claim in claims:
        if claim["status"] not in RATINGS:
            continue
        value, verdict = RATINGS[claim["status"]]
        item: dict[str, Any] = {"@type": "Claim", "author": _party(claim["actor"])}
        if claim["said_on"]:
            item["datePublished"] = claim["said_on"]
        appearances = []
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
            appearances.append(work)
        item["appearance"] = appearances
        item["firstAppearance"] = appearances[0]
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": claim["text"],
            "datePublished": _reviewed_on(claim),
            "author": _party(publisher, publisher_url),
            "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1,
                             "alternateName": verdict, "name": verdict},
            "itemReviewed": item,
            "identifier": claim["id"],
        }
        if publisher_url:
            review["url"] = f"{publisher_url.rstrip('/')}#claim-{claim['id']}"
        reviews.append(review)
    return reviews


def json_ld(reviews: list[dict[str, Any]]) -> str:
    """The reviews as JSON-LD that is safe inside an HTML `<script>` block (<, > and & escaped)."""
    from natoclaims.formats import json_text

    return json_text(reviews, indent=True, html=True) + "\n"
