"""Actors: canonical names, aliases, roles and types; resolving the names claims give, and
renaming, merging, editing and removing actors with every claim re-pointed."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from natoclaims.errors import InvalidInput, NotFound
from natoclaims.model import check_actor, text_field, utc_now
from natoclaims.model.shapes import Actor
from natoclaims.model.text import counted, fold, fold_name, folded_words
from natoclaims.model.vocabulary import ActorType
from natoclaims.store import Store

# token_sort_ratio of two folded names at or above which they are near: "Marc Rutte" ~ "Mark Rutte"
# (90), "Mark Rute" ~ "Mark Rutte" (95), but not "Donald Tusk" ~ "Donald Trump" (78) nor
# "Australia" ~ "Austria" (87.5).
NEAR_NAME_SCORE = 88
NEAR_NAMES_SHOWN = 3
INITIALS_RE = re.compile(r"\b\w(?: \w\b)+")  # 'j d' in 'j d vance', written 'jd' too
CLAIM_IDS_SHOWN = 3
TITLES = (
    "president", "vice president", "prime minister", "chancellor", "secretary", "minister",
    "general", "senator", "mr", "mrs", "ms", "dr", "sir", "secretary-general",
)


@dataclass
class Repointing:
    """What a rename or merge did: the actor's old and new canonical names and the claims moved."""

    old: str
    new: str
    claims: list[str] = field(default_factory=list)


def resolve_actor(store: Store, name: str, *, by_word: bool = False) -> str | None:
    """The canonical name for a name or alias ('Trump' -> 'Donald Trump'), or None. With `by_word`,
    also the one actor having every word of `name` in its name or an alias ('Rutte' -> 'Mark Rutte',
    as `search --actor` finds him); words that several actors have are refused with their names."""
    wanted = fold_name(name)
    if not wanted:
        return None
    for canonical, actor in store.actors.items():
        if wanted == fold_name(canonical) or wanted in {fold_name(a) for a in actor.get("aliases", [])}:
            return canonical
    words = wanted.split()
    for size in (2, 1):
        if len(words) > size and " ".join(words[:size]) in TITLES:
            return resolve_actor(store, " ".join(words[size:]), by_word=by_word)
    return _actor_by_word(store, name) if by_word else None


def _actor_by_word(store: Store, name: str) -> str | None:
    wanted = set(folded_words(name))
    having = sorted((canonical for canonical, actor in store.actors.items()
                     if any(wanted <= set(folded_words(each))
                            for each in (canonical, *actor.get("aliases", [])))), key=lambda n: (fold(n), n))
    if len(having) > 1:
        raise InvalidInput(f"actor {name!r} could be {' or '.join(having)}: give the full name "
                           "(or make a new actor on purpose)")
    return having[0] if having else None


def get_actor(store: Store, name: str) -> Actor:
    """The actor record a name or alias names."""
    canonical = resolve_actor(store, name)
    if canonical is None or canonical not in store.actors:
        raise NotFound(f"no actor named {name!r}")
    return store.actors[canonical]


def canonical_actor(store: Store, name: str, *, new: bool = False) -> tuple[str, bool]:
    """The canonical name for `name` (a name, an alias or a word of one actor's), and whether it is
    a new actor (added to the actors table). With `new`, only the very name or alias is the known
    actor: 'Rutte' becomes an actor of its own beside 'Mark Rutte'."""
    name = (text_field(name, "actor", required=True) or "").strip()
    canonical = resolve_actor(store, name, by_word=not new)
    if canonical:
        return canonical, False
    store.put_actor(check_actor({"name": name}))  # no aliases or role yet, a person
    return name, True


def actor_rows(store: Store) -> list[dict[str, Any]]:
    """Every actor, from the table and from claims, with its claim count: most claims first, then
    by name (ignoring case and accents, then as written)."""
    counts: dict[str, int] = {}
    for claim in store.claims.values():
        counts[claim["actor"]] = counts.get(claim["actor"], 0) + 1
    rows = [
        {"name": name, "aliases": actor.get("aliases", []), "role": actor.get("role"), "type": actor.get("type"),
         "claims": counts.get(name, 0)}
        for name, actor in store.actors.items()
    ]
    rows += [{"name": n, "aliases": [], "role": None, "type": None, "claims": c}
             for n, c in counts.items() if n not in store.actors]
    return sorted(rows, key=lambda r: (-r["claims"], fold(r["name"]), r["name"]))


def _check_free_name(store: Store, name: str, owner: str | None = None) -> None:
    holder = resolve_actor(store, name)
    if holder is not None and holder != owner:
        raise InvalidInput(f"{name!r} already names the actor {holder!r}")


def add_actor(store: Store, name: str, aliases: list[str], role: str | None,
              actor_type: str = ActorType.person.value) -> None:
    """Add an actor with its aliases, role and type (person, organization, government, media, group)."""
    actor = check_actor({"name": name, "aliases": aliases, "role": role, "type": actor_type})
    with store.writing():
        for each in [actor["name"], *actor["aliases"]]:
            _check_free_name(store, each)
        store.put_actor(actor)


def add_alias(store: Store, name: str, alias: str) -> str:
    """Give an existing actor another name; returns its canonical name."""
    alias = (text_field(alias, "alias", required=True) or "").strip()
    with store.writing():
        actor = copy.deepcopy(get_actor(store, name))
        _check_free_name(store, alias, owner=actor["name"])
        if alias not in actor["aliases"] and alias != actor["name"]:
            actor["aliases"] = sorted({*actor["aliases"], alias})
            store.put_actor(actor)
    return str(actor["name"])


def _claims_by(store: Store, name: str) -> list[str]:
    return sorted(claim["id"] for claim in store.claims.values() if claim["actor"] == name)


def _repoint(store: Store, old: str, new: str, note: str) -> Repointing:
    """Every claim by `old` said to be by `new`, each change recorded in the claim's history."""
    from natoclaims.core.claims import change_field

    now = utc_now()
    claims = [copy.deepcopy(store.claims[claim_id]) for claim_id in _claims_by(store, old)]
    for claim in claims:
        change_field(claim, "actor", new, by=store.user, at=now, note=note)
    store.replace_claims(claims)
    return Repointing(old, new, [claim["id"] for claim in claims])


def _aliases(names: set[str], name: str) -> list[str]:
    """`names` as aliases of the actor called `name`: none that is only another spelling of the name."""
    return sorted(alias for alias in names if fold_name(alias) != fold_name(name))


def rename_actor(store: Store, old: str, new: str) -> Repointing:
    """Give an actor a new canonical name: its claims are re-pointed and the old name kept as an alias."""
    new = (text_field(new, "new actor name", required=True) or "").strip()
    with store.writing():
        actor = copy.deepcopy(get_actor(store, old))
        previous = actor["name"]
        _check_free_name(store, new, owner=previous)
        if new == previous:
            raise InvalidInput(f"{new!r} is already the name of that actor")
        actor["name"] = new
        actor["aliases"] = _aliases({*actor["aliases"], previous}, new)
        store.remove_records("actors", [previous])  # the table is keyed by the canonical name
        store.put_actor(check_actor(actor))
        return _repoint(store, previous, new, note=f"actor renamed from {previous!r}")


def merge_actors(store: Store, source: str, target: str) -> Repointing:
    """Fold the actor `source` into `target`: its claims re-pointed, its name and aliases become
    aliases of `target` (which keeps its role and type, or takes the role if it had none), and it
    is removed."""
    with store.writing():
        doomed, kept = get_actor(store, source), copy.deepcopy(get_actor(store, target))
        if doomed["name"] == kept["name"]:
            raise InvalidInput(f"{source!r} and {target!r} are the same actor, {kept['name']!r}: nothing to merge")
        kept["aliases"] = _aliases({*kept["aliases"], doomed["name"], *doomed.get("aliases", [])}, kept["name"])
        kept["role"] = kept.get("role") or doomed.get("role")
        store.put_actor(check_actor(kept))
        store.remove_records("actors", [doomed["name"]])
        return _repoint(store, doomed["name"], kept["name"], note=f"actor {doomed['name']!r} merged into this one")


def edit_actor(store: Store, name: str, *, role: str | None = None, actor_type: str | None = None) -> bool:
    """Change an actor's role (an empty one clears it) or type; None leaves it. True if anything changed."""
    with store.writing():
        actor = get_actor(store, name)
        changed = check_actor({
            **actor,
            "role": actor.get("role") if role is None else role,
            "type": actor.get("type") if actor_type is None else actor_type,
        })
        if changed == actor:
            return False
        store.put_actor(changed)
    return True


def remove_actor(store: Store, name: str) -> str:
    """Delete an actor that no claim names; returns its canonical name."""
    with store.writing():
        canonical = get_actor(store, name)["name"]
        claims = _claims_by(store, canonical)
        if claims:
            shown = ", ".join(claims[:CLAIM_IDS_SHOWN]) + (", ..." if len(claims) > CLAIM_IDS_SHOWN else "")
            raise InvalidInput(f"{canonical!r} is the actor of {counted(len(claims), 'claim')} ({shown}); to move them to "
                               f"another actor and remove it: merge_actors(store, {canonical!r}, OTHER)",
                               about="actor-has-claims", actor=canonical, claims=len(claims), shown=shown)
        store.remove_records("actors", [canonical])
    return str(canonical)


def _name_words(name: str) -> list[str]:
    """A name's words for comparing, folded, without punctuation or a leading title, initials
    together: 'President J. D. Vance' -> ['jd', 'vance']."""
    words = re.sub(r"[^\w\s-]", "", fold_name(name)).split()  # 'mr.' -> 'mr', 'secretary-general' stays
    for size in (2, 1):
        if len(words) > size and " ".join(words[:size]) in TITLES:
            words = words[size:]
            break
    return INITIALS_RE.sub(lambda m: m.group().replace(" ", ""), " ".join(words).replace("-", " ")).split()


def near_actors(store: Store, name: str) -> list[str]:
    """Other actors that `name` may have meant, closest first: one of whose names or aliases has
    every word of `name` (or the other way round: 'Rutte' and 'Mark Rutte'), or is spelt nearly the
    same ('Marc Rutte'). The actor `name` itself names is not one of them."""
    from rapidfuzz import fuzz

    words = _name_words(name)
    if not words:
        return []
    wanted, wanted_words = " ".join(words), set(words)
    own = resolve_actor(store, name)
    scores: dict[str, float] = {}
    for canonical, actor in store.actors.items():
        if canonical == own:
            continue
        for each in [canonical, *actor.get("aliases", [])]:
            other = _name_words(each)
            if not other:
                continue
            if wanted_words <= set(other) or set(other) <= wanted_words:
                score = 100.0
            else:
                score = fuzz.token_sort_ratio(wanted, " ".join(other), score_cutoff=NEAR_NAME_SCORE)
            if score:
                scores[canonical] = max(scores.get(canonical, 0.0), score)
    return sorted(scores, key=lambda n: (-scores[n], fold(n), n))[:NEAR_NAMES_SHOWN]
