"""The library a Python user calls: every command's work as a function over a `Store`.

Each function that changes the store opens one `store.writing()`; called inside an open
`with store.writing():` it joins that change set instead, so several calls are one change set
(one write, one entry for `undo`). Each part loads on first use, so a command pays only for its own.
The few things of the lower layers a caller needs (the `Store` and where it is, `Filters`) are
re-exported here, so the command line reaches the library through this package alone.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what editors and type checkers see; at run time each part loads on first use
    from natoclaims.core.actors import (
        Repointing,
        actor_rows,
        add_actor,
        add_alias,
        canonical_actor,
        edit_actor,
        get_actor,
        merge_actors,
        near_actors,
        remove_actor,
        rename_actor,
        resolve_actor,
    )
    from natoclaims.core.archive import (
        ArchiveReport,
        CurrentCopy,
        HttpResponse,
        anchor_claim,
        archive_source,
        check_quotes,
        current_copy,
        damaged_copies,
    )
    from natoclaims.core.claims import (
        ClaimChange,
        add_claim,
        change_field,
        dated,
        edit_claim,
        figures,
        find,
        identical_claim,
        link,
        linked_from,
        remeasured,
        remove_claims,
        search_filters,
        similar_claims,
        unlink,
    )
    from natoclaims.core.exporting import (
        MissingRationale,
        claim_review_document,
        export_claims,
    )
    from natoclaims.core.extract import (
        archived_article,
        article_from,
        article_from_bytes,
        candidate_date,
        candidate_kind,
        claim_record,
        extract_candidates,
        import_candidates,
        read_article_file,
        write_candidates,
    )
    from natoclaims.core.git import (
        git_setup,
    )
    from natoclaims.core.interchange import (
        ImportFile,
        ImportReport,
        export_store,
        import_claims,
        import_file,
        import_store,
        read_import_file,
    )
    from natoclaims.core.journal import (
        Reversal,
        change_log,
        compact,
        effects,
        redo,
        undo,
    )
    from natoclaims.core.labels import (
        measure_rows,
        nearby,
        proposition_rows,
        topic_rows,
        unknown_filter_values,
    )
    from natoclaims.core.reports import (
        check_store,
        contradicted_ids,
        contradicting_pairs,
        contradiction_kinds,
        repeats,
        side_problems,
        stats,
    )
    from natoclaims.core.reviews import (
        review,
        set_status,
    )
    from natoclaims.core.sources import (
        Registration,
        add_source,
        edit_source,
        find_source,
        remove_source,
        source_rows,
        sources_in_use,
    )
    from natoclaims.core.team import (
        conflict_rows,
        merge_files,
        open_conflicts,
        resolve,
    )
    from natoclaims.engines.search import Filters
    from natoclaims.formats.articles import MAX_BYTES as MAX_ARTICLE_BYTES
    from natoclaims.store import (
        Store,
        current_user,
        initialise,
        open_store,
    )
    from natoclaims.store.location import (
        StoreOrigin,
        find_store,
        store_file,
    )

_PARTS = {
    "actors": ("Repointing", "actor_rows", "add_actor", "add_alias", "canonical_actor", "edit_actor", "get_actor", "merge_actors", "near_actors", "remove_actor", "rename_actor", "resolve_actor"),
    "claims": ("ClaimChange", "add_claim", "change_field", "dated", "edit_claim", "figures", "find", "identical_claim", "link", "linked_from", "remeasured", "remove_claims", "search_filters", "similar_claims", "unlink"),
    "reviews": ("review", "set_status"),
    "sources": ("Registration", "add_source", "edit_source", "find_source", "remove_source", "source_rows", "sources_in_use"),
    "journal": ("Reversal", "change_log", "compact", "effects", "redo", "undo"),
    "interchange": ("ImportFile", "ImportReport", "export_store", "import_claims", "import_file", "import_store", "read_import_file"),
    "exporting": ("MissingRationale", "claim_review_document", "export_claims"),
    "archive": ("ArchiveReport", "CurrentCopy", "HttpResponse", "anchor_claim", "archive_source", "check_quotes", "current_copy", "damaged_copies"),
    "reports": ("check_store", "contradicted_ids", "contradicting_pairs", "contradiction_kinds", "repeats", "side_problems", "stats"),
    "team": ("conflict_rows", "merge_files", "open_conflicts", "resolve"),
    "git": ("git_setup",),
    "extract": ("archived_article", "article_from", "article_from_bytes", "candidate_date", "candidate_kind", "claim_record", "extract_candidates", "import_candidates", "read_article_file", "write_candidates"),
    "labels": ("measure_rows", "nearby", "proposition_rows", "topic_rows", "unknown_filter_values"),
}
# Re-exported from the layers below: the store, where it is, what `find` selects by, the largest article read.
_ELSEWHERE = {
    "natoclaims.store": ("Store", "current_user", "initialise", "open_store"),
    "natoclaims.store.location": ("StoreOrigin", "find_store", "store_file"),
    "natoclaims.engines.search": ("Filters",),
}
_RENAMED = {"MAX_ARTICLE_BYTES": ("natoclaims.formats.articles", "MAX_BYTES")}
_WHERE = {
    **{name: (f"natoclaims.core.{part}", name) for part, names in _PARTS.items() for name in names},
    **{name: (module, name) for module, names in _ELSEWHERE.items() for name in names},
    **_RENAMED,
}
__all__ = [
    "ArchiveReport", "ClaimChange", "CurrentCopy", "Filters", "HttpResponse", "ImportFile", "ImportReport",
    "MAX_ARTICLE_BYTES", "MissingRationale", "Registration", "Repointing", "Reversal", "Store", "StoreOrigin",
    "actor_rows", "add_actor", "add_alias", "add_claim", "add_source", "anchor_claim", "archive_source",
    "archived_article", "article_from", "article_from_bytes", "candidate_date", "candidate_kind", "canonical_actor",
    "change_field", "change_log", "check_quotes", "check_store", "claim_record", "claim_review_document", "compact",
    "conflict_rows", "contradicted_ids", "contradicting_pairs", "contradiction_kinds", "current_copy",
    "current_user", "damaged_copies", "dated", "edit_actor", "edit_claim", "edit_source", "effects",
    "export_claims", "export_store", "extract_candidates", "figures", "find", "find_source", "find_store",
    "get_actor", "git_setup", "identical_claim", "import_candidates", "import_claims", "import_file",
    "import_store", "initialise", "link", "linked_from", "measure_rows", "merge_actors", "merge_files",
    "near_actors", "nearby", "open_conflicts", "open_store", "proposition_rows", "read_article_file",
    "read_import_file", "redo", "remeasured", "remove_actor", "remove_claims", "remove_source", "rename_actor",
    "repeats", "resolve", "resolve_actor", "review", "search_filters", "set_status", "side_problems",
    "similar_claims", "source_rows", "sources_in_use", "stats", "store_file", "topic_rows", "undo",
    "unknown_filter_values", "unlink", "write_candidates",
]



def __getattr__(name: str) -> Any:
    if name in _WHERE:
        module, attribute = _WHERE[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'natoclaims.core' has no attribute {name!r}")
