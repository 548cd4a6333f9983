"""The library a Python user calls: every command's work as a function over a `Store`.

Each function that changes the store opens one `store.writing()`; called inside an open
`with store.writing():` it joins that change set instead, so several calls are one change set
(one write, one entry for `undo`). Each part loads on first use, so a command pays only for its own.
"""

from __future__ import annotations

import importlib
from typing import Any

_PARTS = {
    "actors": ("Repointed", "actor_rows", "add_actor", "add_alias", "canonical_actor", "edit_actor", "merge_actors",
               "near_actors", "remove_actor", "rename_actor"),
    "claims": ("Written", "add_claim", "edit_claim", "figures", "find", "link", "linked_from", "remove_claims",
               "similar_claims", "unlink"),
    "reviews": ("review", "set_status"),
    "sources": ("Registration", "add_source", "edit_source", "find_source", "remove_source", "source_rows",
                "sources_in_use"),
    "journal": ("Undone", "change_log", "compact", "redo", "undo"),
    "interchange": ("ImportFile", "ImportReport", "export_store", "import_claims", "import_file", "import_store", "read_import_file"),
    "exporting": ("MissingRationale", "claim_review_document", "export_claims"),
    "archive": ("ArchivedCopy", "CurrentCopy", "HttpResponse", "anchor_claim", "archive_source", "check_quotes",
                "current_copy", "damaged_copies"),
    "reports": ("check_store", "contradicting_pairs", "repeats", "stats"),
    "team": ("conflict_rows", "merge_files", "open_conflicts", "resolve"),
    "git": ("git_setup",),
    "extraction": ("archived_article", "article_from", "article_from_bytes", "candidate_date", "candidate_kind", "claim_record", "extract_candidates", "import_candidates", "read_article_file", "write_candidates"),
    "labels": ("measure_rows", "nearby", "proposition_rows", "topic_rows", "unknown_filter_values"),
}
_WHERE = {name: part for part, names in _PARTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"natoclaims.core.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'natoclaims.core' has no attribute {name!r}")
