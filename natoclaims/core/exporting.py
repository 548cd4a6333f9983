"""Claims out for other tools (`export`): JSON, JSON Lines, CSV, TSV, ClaimReview JSON-LD, or the whole store.

    with open("reviews.jsonld", "w") as out:
        export_claims(store, out, "claimreview", Filters(actors=("Trump",)), publisher_url="https://example.org/checks")
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from natoclaims.errors import UsageError
from natoclaims.formats.claimreview import MissingRationale
from natoclaims.model import check_url, choice
from natoclaims.model.shapes import Claim
from natoclaims.store import Store

if TYPE_CHECKING:
    from natoclaims.engines.search import Filters

EXPORT_FORMATS = ("jsonl", "json", "csv", "tsv", "claimreview", "store")
NO_REVIEW_URL = "ClaimReview needs a url for each review: give publisher_url"
WHOLE_STORE = "the store format writes the whole store: it takes no filters, has_contradictions or limit"
__all__ = ["EXPORT_FORMATS", "MissingRationale", "claim_review_document", "export_claims"]


def export_claims(store: Store, out: TextIO | str | os.PathLike[str], fmt: str = "jsonl", filters: Filters | None = None,
                  *, sort: str = "created", reverse: bool = False, limit: int | None = None,
                  has_contradictions: bool = False, publisher: str = "natoclaims", publisher_url: str | None = None,
                  allow_missing_rationale: bool = False) -> list[Claim]:
    """Write the claims `filters` select (every claim when None) to `out` (a text stream, or a file's path,
    which is written whole) as `fmt`: jsonl, json, csv, tsv, claimreview (schema.org ClaimReview JSON-LD
    of the reviewed claims, `publisher` the fact checker, each review's url `publisher_url`#claim-ID), or
    store (the whole store file with its archived copies, which `import_file` takes back). Returns the
    claims written (for `store`, none: it writes every record). A ClaimReview of a verdict without a
    rationale (its latest review has no note) is refused unless `allow_missing_rationale`."""
    from natoclaims.core.claims import find
    from natoclaims.engines.search import Filters

    fmt = choice(str(fmt), EXPORT_FORMATS, "export format")
    if publisher_url is not None:
        check_url(publisher_url)
    claims: list[Claim] = []
    document: str | None
    if fmt == "store":
        if (filters is not None and filters != Filters()) or has_contradictions or limit is not None:
            raise UsageError(WHOLE_STORE)
        from natoclaims.core.interchange import export_store
        from natoclaims.store import encode

        document = encode(export_store(store)).decode()
    else:
        claims = find(store, filters or Filters(), sort=sort, reverse=reverse, limit=limit,
                      has_contradictions=has_contradictions)
        document = (claim_review_document(store, claims, publisher=publisher, publisher_url=publisher_url,
                                          allow_missing_rationale=allow_missing_rationale)
                    if fmt == "claimreview" else None)
    if fmt == "claimreview" and publisher_url is None:
        store.warnings.append(NO_REVIEW_URL)
    if isinstance(out, str | os.PathLike):
        with Path(out).open("w", encoding="utf-8", newline="") as handle:
            _write(handle, claims, fmt, document)
    else:
        _write(out, claims, fmt, document)
    return claims


def _write(out: TextIO, claims: Sequence[Mapping[str, Any]], fmt: str, document: str | None) -> None:
    if document is not None:
        out.write(document)
        return
    from natoclaims.formats.writers import write_claims

    write_claims(claims, fmt, out)


def claim_review_document(store: Store, claims: Sequence[Mapping[str, Any]], *, publisher: str = "natoclaims",
                          publisher_url: str | None = None, allow_missing_rationale: bool = False) -> str:
    """The ClaimReview JSON-LD (safe inside an HTML `<script>` block) of these claims' latest verdicts,
    each with the appearances of its repeats; MissingRationale for a verdict without a note, unless allowed."""
    from natoclaims.engines.repeats import repeats_of
    from natoclaims.formats.claimreview import claim_reviews, json_ld

    types = {name: actor.get("type", "person") for name, actor in store.actors.items()}
    try:
        reviews = claim_reviews(claims, publisher, publisher_url, types, repeats_of(store.claims.values()),
                                require_rationale=not allow_missing_rationale)
    except MissingRationale as exc:
        raise MissingRationale(exc.ids, "pass allow_missing_rationale=True") from None
    return json_ld(reviews)
