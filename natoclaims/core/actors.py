"""Actors: canonical names, aliases and roles, and resolving the names claims give."""

from __future__ import annotations

import copy
from typing import Any

from natoclaims.errors import InvalidInput
from natoclaims.model import text_field
from natoclaims.store import Store
from natoclaims.text import fold


def canonical_actor(store: Store, name: str) -> tuple[str, bool]:
    """The canonical name for `name`, and whether it is a new actor (added to the actors table)."""
    name = (text_field(name, "actor", required=True) or "").strip()
    canonical = store.resolve_actor(name)
    if canonical:
        return canonical, False
    store.put_actor({"name": name, "aliases": [], "role": None, "type": "person"})
    return name, True


def actor_rows(store: Store) -> list[dict[str, Any]]:
    """Every actor, from the table and from claims, with its claim count."""
    counts: dict[str, int] = {}
    for claim in store.claims.values():
        counts[claim["actor"]] = counts.get(claim["actor"], 0) + 1
    rows = [
        {"name": name, "aliases": actor.get("aliases", []), "role": actor.get("role"), "claims": counts.get(name, 0)}
        for name, actor in store.actors.items()
    ]
    rows += [{"name": n, "aliases": [], "role": None, "claims": c} for n, c in counts.items() if n not in store.actors]
    return sorted(rows, key=lambda r: (-r["claims"], fold(r["name"])))


def _check_free_name(store: Store, name: str, owner: str | None = None) -> None:
    holder = store.resolve_actor(name)
    if holder is not None and holder != owner:
        raise InvalidInput(f"{name!r} already names the actor {holder!r}")


def add_actor(store: Store, name: str, aliases: list[str], role: str | None) -> None:
    """Add an actor with its aliases and role."""
    name = (text_field(name, "actor name", required=True) or "").strip()
    aliases = [(text_field(a, "alias", required=True) or "").strip() for a in aliases]
    with store.writing():
        for each in [name, *aliases]:
            _check_free_name(store, each)
        store.put_actor({"name": name, "aliases": sorted(set(aliases)), "role": text_field(role, "role")})


def add_alias(store: Store, name: str, alias: str) -> str:
    """Give an existing actor another name; returns its canonical name."""
    alias = (text_field(alias, "alias", required=True) or "").strip()
    with store.writing():
        actor = copy.deepcopy(store.actor(name))
        _check_free_name(store, alias, owner=actor["name"])
        if alias not in actor["aliases"] and alias != actor["name"]:
            actor["aliases"] = sorted({*actor["aliases"], alias})
            store.put_actor(actor)
    return str(actor["name"])
