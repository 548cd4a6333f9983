"""The library a Python user calls: every command's work as a function over a `Store`.

Each function that changes the store opens one `store.writing()`; called inside an open
`with store.writing():` it joins that change set instead, so several calls are one change set
(one write, one entry for `undo`).
"""

from natoclaims.core.actors import actor_rows, add_actor, add_alias, canonical_actor
from natoclaims.core.claims import (
    Written,
    add_claim,
    edit_claim,
    figures,
    find,
    link,
    remove_claims,
    set_status,
    similar_claims,
    unlink,
)
from natoclaims.core.history import Undone, change_log, compact, undo
from natoclaims.core.interchange import ImportReport, import_claims
from natoclaims.core.reports import check_store, contradicting_pairs, stats

__all__ = [
    "ImportReport", "Undone", "Written", "actor_rows", "add_actor", "add_alias", "add_claim", "canonical_actor",
    "change_log", "check_store", "compact", "contradicting_pairs", "edit_claim", "figures", "find",
    "import_claims", "link", "remove_claims", "set_status", "similar_claims", "stats", "undo", "unlink",
]
