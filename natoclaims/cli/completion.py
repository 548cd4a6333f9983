"""Shell completion of values: claim and source ids, actor names, topics from the store; statuses and verdicts.

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
    """(value, help) pairs from the store that start with `incomplete`; [] on any failure."""
    try:
        from natoclaims.core import Store, store_file

        path = store_file(ctx.find_root().params.get("db"))
        if not path.is_file():
            return []
        return _starting(pick(Store(path)), incomplete)
    except Exception:  # noqa: BLE001 - completion offers nothing rather than break the shell
        return []


def _starting(pairs: Iterable[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    """The pairs whose value starts with `incomplete` ignoring case and accents ('tru' -> Trump).

    Typer keeps only values that start with `incomplete` as typed, so each is offered as what was typed
    and the rest of the value ('tru' -> 'trump'): names, ids and statuses are read ignoring case and accents."""
    from natoclaims.render import fold

    wanted = fold(incomplete)
    return sorted((incomplete + value[len(incomplete):], about) for value, about in pairs
                  if fold(value).startswith(wanted))[:LIMIT]


def claim_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Claim ids, each with the start of its text."""
    return _values(ctx, incomplete, lambda store: ((c["id"], f"{c['actor']}: {c['text'][:50]}") for c in store.claims.values()))


def source_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Registered source ids, each with its title or URL."""
    return _values(ctx, incomplete, lambda store: ((s["id"], (s.get("title") or s.get("url") or "")[:60])
                                                   for s in store.sources.values()))


def statuses(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """The verification statuses."""
    from natoclaims.model.vocabulary import Status

    return _starting(((status.value, "status") for status in Status), incomplete)


def verdicts(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """The statuses a review can give (all but unverified)."""
    from natoclaims.model.vocabulary import Status

    return _starting(((verdict.value, "verdict") for verdict in Status if verdict is not Status.unverified), incomplete)


def ids_then_verdicts(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """`review ID... VERDICT`: claim ids, and once an id is given the verdicts too. Click completes the
    ids for every word, and holds the last word given so far as the verdict."""
    given = any(ctx.params.get(name) for name in ("ids", "verdict", "new_status"))
    return claim_ids(ctx, incomplete) + (verdicts(ctx, incomplete) if given else [])


def actor_names(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Canonical actor names and their aliases."""
    def names(store: Any) -> Iterable[tuple[str, str]]:
        for name, actor in store.actors.items():
            yield name, actor.get("role") or actor.get("type") or "actor"
            yield from ((alias, f"alias of {name}") for alias in actor.get("aliases", []))
    return _values(ctx, incomplete, names)


def topics(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Topics in use, with how many claims have each."""
    def in_use(store: Any) -> Iterable[tuple[str, str]]:
        from collections import Counter

        from natoclaims.render import counted

        counts = Counter(topic for claim in store.claims.values() for topic in claim["topics"])
        return ((topic, counted(n, "claim")) for topic, n in counts.items())
    return _values(ctx, incomplete, in_use)
