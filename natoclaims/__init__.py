"""natoclaims: a command-line tracker for who said what about NATO, and the library under it.

    from natoclaims import open_store, add_claim, find, Filters

    store = open_store("claims.json")
    with store.writing():  # several changes, one change set
        first = add_claim(store, "Some 35,000 troops will leave Germany", actor="Trump",
                          sources=["https://example.org/a"]).claim
        add_claim(store, "We are not leaving", actor="Hegseth", sources=["https://example.org/b"])
    print([c["id"] for c in find(store, Filters(actors=("Trump",)))])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what editors and type checkers see; at run time the library loads on first use
    from natoclaims.core import (
        MAX_ARTICLE_BYTES,
        ArchiveReport,
        ClaimChange,
        CurrentCopy,
        Filters,
        HttpResponse,
        ImportFile,
        ImportReport,
        MissingRationale,
        Registration,
        Repointing,
        Reversal,
        Store,
        StoreOrigin,
        actor_rows,
        add_actor,
        add_alias,
        add_claim,
        add_source,
        anchor_claim,
        archive_source,
        archived_article,
        article_from,
        article_from_bytes,
        candidate_date,
        candidate_kind,
        canonical_actor,
        change_field,
        change_log,
        check_quotes,
        check_store,
        claim_record,
        claim_review_document,
        compact,
        conflict_rows,
        contradicted_ids,
        contradicting_pairs,
        contradiction_kinds,
        current_copy,
        current_user,
        damaged_copies,
        dated,
        edit_actor,
        edit_claim,
        edit_source,
        effects,
        export_claims,
        export_store,
        extract_candidates,
        figures,
        find,
        find_source,
        find_store,
        get_actor,
        git_setup,
        identical_claim,
        import_candidates,
        import_claims,
        import_file,
        import_store,
        initialise,
        link,
        linked_from,
        measure_rows,
        merge_actors,
        merge_files,
        near_actors,
        nearby,
        open_conflicts,
        open_store,
        proposition_rows,
        read_article_file,
        read_import_file,
        redo,
        remeasured,
        remove_actor,
        remove_claims,
        remove_source,
        rename_actor,
        repeats,
        resolve,
        resolve_actor,
        review,
        search_filters,
        set_status,
        side_problems,
        similar_claims,
        source_rows,
        sources_in_use,
        stats,
        store_file,
        topic_rows,
        undo,
        unknown_filter_values,
        unlink,
        write_candidates,
    )
    from natoclaims.errors import (
        DamagedArchive,
        ExitStatus,
        FetchError,
        InvalidInput,
        NatoclaimsError,
        NotFound,
        StoreError,
        UsageError,
    )

__version__ = "0.1.0"

# The library loads on first use, so `natoclaims --version` imports none of it: the errors from
# `natoclaims.errors`, everything else from `natoclaims.core` (which re-exports `Store`, `open_store`, `Filters`).
_ERRORS = ("DamagedArchive", "ExitStatus", "FetchError", "InvalidInput", "NatoclaimsError", "NotFound", "StoreError",
           "UsageError")
__all__ = [
    "__version__", "ArchiveReport", "ClaimChange", "CurrentCopy", "DamagedArchive", "ExitStatus", "FetchError",
    "Filters", "HttpResponse", "ImportFile", "ImportReport", "InvalidInput", "MAX_ARTICLE_BYTES",
    "MissingRationale", "NatoclaimsError", "NotFound", "Registration", "Repointing", "Reversal", "Store",
    "StoreError", "StoreOrigin", "UsageError", "actor_rows", "add_actor", "add_alias", "add_claim", "add_source",
    "anchor_claim", "archive_source", "archived_article", "article_from", "article_from_bytes", "candidate_date",
    "candidate_kind", "canonical_actor", "change_field", "change_log", "check_quotes", "check_store",
    "claim_record", "claim_review_document", "compact", "conflict_rows", "contradicted_ids", "contradicting_pairs",
    "contradiction_kinds", "current_copy", "current_user", "damaged_copies", "dated", "edit_actor", "edit_claim",
    "edit_source", "effects", "export_claims", "export_store", "extract_candidates", "figures", "find",
    "find_source", "find_store", "get_actor", "git_setup", "identical_claim", "import_candidates", "import_claims",
    "import_file", "import_store", "initialise", "link", "linked_from", "measure_rows", "merge_actors",
    "merge_files", "near_actors", "nearby", "open_conflicts", "open_store", "proposition_rows", "read_article_file",
    "read_import_file", "redo", "remeasured", "remove_actor", "remove_claims", "remove_source", "rename_actor",
    "repeats", "resolve", "resolve_actor", "review", "search_filters", "set_status", "side_problems",
    "similar_claims", "source_rows", "sources_in_use", "stats", "store_file", "topic_rows", "undo",
    "unknown_filter_values", "unlink", "write_candidates",
]


def __getattr__(name: str) -> Any:
    if name in __all__ and name != "__version__":
        import importlib

        return getattr(importlib.import_module("natoclaims.errors" if name in _ERRORS else "natoclaims.core"), name)
    raise AttributeError(f"module 'natoclaims' has no attribute {name!r}")
