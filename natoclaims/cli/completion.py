"""Shell completion of values from the store: claim ids, actor names, topics.

Typer's own mechanism (`--install-completion`, `--show-completion`, `_NATOCLAIMS_COMPLETE`)
completes commands and options; these callbacks add what only the store knows. They read the
store the way `search` does (through its cache), never create or change it, and never fail
loudly: a shell must not print a traceback because a store is missing or broken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import typer

LIMIT = 200  # candidates offered at most: a shell lists them all


def _values(ctx: typer.Context, incomplete: str, pick: Callable[[Any], Iterable[tuple[str, str]]]) -> list[tuple[str, str]]:
    """(value, help) pairs from the store that start with `incomplete` (as Typer then filters them:
    case counts); [] on any failure."""
    try:
        from natoclaims.paths import store_file
        from natoclaims.store import Store

        path = store_file(ctx.find_root().params.get("db"))
        if not path.is_file():
            return []
        found = sorted((value, about) for value, about in pick(Store(path)) if value.startswith(incomplete))
        return found[:LIMIT]
    except Exception:  # noqa: BLE001 - completion offers nothing rather than break the shell
        return []


def claim_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Claim ids, each with the start of its text."""
    return _values(ctx, incomplete, lambda store: ((c["id"], f"{c['actor']}: {c['text'][:50]}") for c in store.claims.values()))


def actor_names(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Canonical actor names and their aliases."""
    def names(store: Any) -> Iterable[tuple[str, str]]:
        for name, actor in store.actors.items():
            yield name, actor.get("role") or actor.get("type") or "actor"
            yield from ((alias, f"alias of {name}") for alias in actor.get("aliases", []))
    return _values(ctx, incomplete, names)


def topics(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Topics in use, with how many claims have each."""
    def counted(store: Any) -> Iterable[tuple[str, str]]:
        from collections import Counter

        counts = Counter(topic for claim in store.claims.values() for topic in claim["topics"])
        from natoclaims.text import counted

        return ((topic, counted(n, "claim")) for topic, n in counts.items())
    return _values(ctx, incomplete, counted)
