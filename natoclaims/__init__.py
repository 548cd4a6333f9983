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

from typing import Any

__version__ = "0.1.0"

# The library loads on first use, so `natoclaims --version` imports none of it.
_EXPORTS = {
    "open_store": "natoclaims.store", "Store": "natoclaims.store",
    "Filters": "natoclaims.engines.search",
    "NatoclaimsError": "natoclaims.errors", "InvalidInput": "natoclaims.errors", "NotFound": "natoclaims.errors",
    "StoreError": "natoclaims.errors", "UsageError": "natoclaims.errors", "ExitStatus": "natoclaims.errors",
    **{name: "natoclaims.core" for name in (
        "add_claim", "edit_claim", "review", "set_status", "add_source", "remove_claims", "link", "unlink", "find",
        "add_actor", "add_alias", "rename_actor", "merge_actors", "edit_actor", "remove_actor", "import_claims", "undo", "redo",
        "change_log", "contradicting_pairs", "check_store", "stats",
    )},
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'natoclaims' has no attribute {name!r}")
