"""Claims: add, edit, set a status, link, delete and find them."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

from natoclaims.engines.search import Filters, argument_date, select, sort_claims
from natoclaims.errors import InvalidInput, NotFound
from natoclaims.model import (
    KINDS,
    RELATIONS,
    STATUSES,
    check_claim,
    choice,
    history_entry,
    new_id,
    parse_stance,
    slug,
    text_field,
    utc_now,
)
from natoclaims.model.dates import parse_date
from natoclaims.model.shapes import Claim, Quantity
from natoclaims.model.text import counted, tidy_pasted
from natoclaims.model.vocabulary import Kind, Status
from natoclaims.store import Store


@dataclass
class ClaimChange:
    """A claim after a write, with what the user should be told about it."""

    claim: Claim
    new_actor: bool = False
    similar: list[Claim] = field(default_factory=list)
    changed: int = 0
    # (figure, measure, the claim it is taken from): what `--measure` would probably name.
    measures: list[tuple[Quantity, str, Claim]] = field(default_factory=list)
    tidied: list[str] = field(default_factory=list)  # what was repaired or trimmed in the text given


def figures(quantities: list[str], measures: list[str], text: str, as_of: str | None = None) -> list[Quantity]:
    """Figures from `--quantity` options (paired with `--measure` in order; a range gives two
    bounds with one measure), else from the text; `as_of` dates them all."""
    from natoclaims.engines.quantities import extract_quantities, parse_quantities

    if len(measures) > max(len(quantities), 1):
        raise InvalidInput(f"{len(measures)} measures for {len(quantities)} quantities", about="measures-count",
                           measures=len(measures), quantities=len(quantities))
    if quantities:
        found = [f for i, q in enumerate(quantities) for f in parse_quantities(q, measures[i] if i < len(measures) else None)]
    else:
        found = extract_quantities(text)
        if measures:
            if len(found) != 1:
                raise InvalidInput(f"measures need quantities: the text states {len(found)} figures, not one",
                                   about="measures-without-quantities", figures=len(found))
            found[0]["measure"] = slug(measures[0], "measure")
    return dated(found, as_of)


def dated(quantities: list[Quantity], as_of: str | None) -> list[Quantity]:
    """The figures with `as_of` set from a date text (an empty one clears it; None leaves them)."""
    if as_of is None:
        return quantities
    when = argument_date(as_of, "as_of") if as_of.strip() else None
    return [{**q, "as_of": when} for q in quantities]


def remeasured(claim: Mapping[str, Any], measures: list[str], as_of: str | None) -> list[Quantity]:
    """A claim's own figures with a new measure (one for all, or one per figure in order) and date."""
    dated([], as_of)  # a bad date is the first thing to hear about
    found = claim["quantities"]
    if not found:
        raise InvalidInput(f"claim {claim['id']} states no figures: give them as quantities", about="no-figures",
                           claim=claim["id"])
    if measures:
        if len(measures) not in (1, len(found)):
            raise InvalidInput(f"{len(measures)} measures for the {counted(len(found), 'figure')} of claim {claim['id']}: "
                               "give one for all or one per figure", about="measures-per-figure",
                               measures=len(measures), figures=len(found), claim=claim["id"])
        keys = [slug(m, "measure") for m in measures] * (len(found) if len(measures) == 1 else 1)
        found = [{**q, "measure": key} for q, key in zip(found, keys, strict=True)]
    return dated(found, as_of)


def similar_claims(store: Store, claim: Claim) -> list[Claim]:
    """Claims by the same actor that say the same thing as this one (`natoclaims.engines.repeats`), earliest first."""
    from natoclaims.engines.contradictions import said_order
    from natoclaims.engines.repeats import says_the_same

    return sorted((other for other in _by_actor(store, claim["actor"]) if other["actor"] == claim["actor"]
                   and says_the_same(claim, other)), key=said_order)


def identical_claim(store: Store, claim: Mapping[str, Any]) -> Claim | None:
    """The claim with the same actor, text and date, if there is one."""
    key = (claim["actor"], claim["text"], claim["said_on"])
    return next((other for other in _by_actor(store, claim["actor"])
                 if (other["actor"], other["text"], other["said_on"]) == key), None)


def _by_actor(store: Store, actor: str) -> Iterable[Claim]:
    """The claims attributed to this actor (a few more where the store has no index to narrow them)."""
    found = store.candidates(actors=[actor])
    return store.claims.values() if found is None else found


def add_claim(
    store: Store, text: str, *, actor: str, kind: str = "paraphrase", said_on: str | None = None,
    context: str | None = None, sources: Sequence[str | dict[str, Any]] = (), topics: Sequence[str] = (),
    status: str = "unverified", quantities: Sequence[str] = (), measures: Sequence[str] = (),
    stances: Sequence[str] = (), notes: str | None = None, as_of: str | None = None, new_actor: bool = False,
    rationale: str | None = None,
) -> ClaimChange:
    """Validate and store one new claim; `sources` are URLs, registered source ids or source
    objects (a new URL is registered), `quantities` 'VALUE UNIT' texts (else figures are taken
    from the text; `as_of` dates them), `stances` 'PROPOSITION:for'; a `status` other than unverified is a review.
    `actor` is resolved like `search --actor` unless `new_actor` asks for a new actor by that name;
    `rationale` says why the `status` was given."""
    if not sources:
        raise InvalidInput("a claim needs a source: give sources (URLs, registered source ids or source records)",
                           about="no-source")
    text, tidied = tidy_pasted(text) if isinstance(text, str) else (text, [])
    record: dict[str, Any] = {
        "text": text, "actor": actor, "kind": choice(kind, KINDS, "kind"), "context": context,
        "said_on": parse_date(said_on, what="date") if said_on is not None else None,
        "topics": list(topics), "status": status, "quantities": figures(list(quantities), list(measures), text or "", as_of),
        "stances": [parse_stance(s) for s in stances], "notes": notes,
    }
    now = utc_now()
    if rationale and status != Status.unverified:
        record["reviews"] = [{"verdict": status, "note": rationale, "evidence": [], "reviewer": store.user, "at": now}]
    from natoclaims.core.actors import canonical_actor  # here: `search` loads none of the writing side
    from natoclaims.core.sources import resolve

    with store.writing():
        record["sources"] = resolve(store, sources)
        claim = check_claim(record, now=now, reviewer=store.user)
        claim["actor"], new_actor = canonical_actor(store, claim["actor"], new=new_actor)
        same = identical_claim(store, claim)
        if same is not None:
            # The key `import` deduplicates on: such a store would fail its own export | import.
            raise InvalidInput(f"claim {same['id']} by {same['actor']} already says this on the same date; "
                               f"to record another appearance, add a source to it: edit_claim(store, {same['id']!r}, "
                               "add_sources=[URL])", about="same-claim", claim=same["id"], actor=same["actor"])
        claim["id"] = new_id(store.claims)
        _anchor(store, claim)
        similar = similar_claims(store, claim)
        from natoclaims.engines.contradictions import suggest_measures

        units = sorted({q["unit"] for q in claim["quantities"] if q["measure"] is None})
        topics = sorted(set(claim["topics"])) if units else []  # else there is nothing to suggest
        alike = store.candidates(topics=topics, units=units) if topics else []
        suggested = suggest_measures(claim, store.claims.values() if alike is None else alike)
        store.insert_claims([claim])
    return ClaimChange(claim, new_actor=new_actor, similar=similar, measures=suggested, tidied=tidied)


def _anchor(store: Store, claim: Claim) -> None:
    """Anchor a quote in its archived sources (SPEC 8); a claim of another kind loses any selectors."""
    if claim["kind"] == Kind.quote or any("selector" in s for s in claim["sources"]):
        from natoclaims.core.archive import anchor_claim

        anchor_claim(store, claim)


def change_field(claim: Claim, name: str, new: Any, *, by: str, at: str, note: str | None) -> int:
    """Set one field, recording it in the history; 1 if it changed, else 0."""
    fields = cast("dict[str, Any]", claim)  # a field named at run time
    old = fields[name]
    if old == new:
        return 0
    claim["history"].append(history_entry(name, copy.deepcopy(old), copy.deepcopy(new), by=by, at=at, note=note))
    fields[name] = new
    claim["updated_at"] = at
    return 1


def edit_claim(
    store: Store, claim_id: str, *, text: str | None = None, actor: str | None = None,
    said_on: str | None = None, kind: str | None = None, context: str | None = None,
    add_sources: Sequence[str] = (), add_topics: Sequence[str] = (), remove_topics: Sequence[str] = (),
    quantities: Sequence[str] | None = None, measures: Sequence[str] = (), stances: Sequence[str] = (),
    notes: str | None = None, why: str | None = None, as_of: str | None = None, new_actor: bool = False,
) -> ClaimChange:
    """Change fields of one claim (None leaves a field as it is; an empty date, context or notes
    clears it); each changed field goes into its history with `why`. Without `quantities`,
    `measures` and `as_of` apply to the figures the claim already states."""
    from natoclaims.core.actors import canonical_actor
    from natoclaims.core.sources import resolve

    now = utc_now()
    with store.writing():
        claim = copy.deepcopy(store.get(claim_id))
        wanted: dict[str, Any] = {}
        tidied: list[str] = []
        if text is not None:
            wanted["text"], tidied = tidy_pasted(text_field(text, "claim text", required=True) or "")
        if kind is not None:
            wanted["kind"] = choice(kind, KINDS, "kind")
        if said_on is not None:
            wanted["said_on"] = parse_date(said_on) if said_on.strip() else None
        if context is not None:
            wanted["context"] = context or None
        if notes is not None:
            wanted["notes"] = notes or None
        if add_sources:
            added = resolve(store, add_sources)
            wanted["sources"] = claim["sources"] + [
                s for s in dict((a["id"], a) for a in added).values() if s["id"] not in {c["id"] for c in claim["sources"]}
            ]
        if add_topics or remove_topics:
            removed = {slug(t) for t in remove_topics}
            missing = removed - set(claim["topics"])
            if missing:
                raise InvalidInput(f"claim {claim['id']} has no topic {sorted(missing)[0]!r}")
            kept = [t for t in claim["topics"] if t not in removed]
            kept += [t for t in map(slug, add_topics) if t not in kept]
            wanted["topics"] = kept
        if quantities is not None:
            wanted["quantities"] = figures(list(quantities), list(measures), wanted.get("text", claim["text"]), as_of)
        elif measures or as_of is not None:
            wanted["quantities"] = remeasured(claim, list(measures), as_of)
        if stances:
            changed_stances = list(claim["stances"])
            for stance in map(parse_stance, stances):
                changed_stances = [s for s in changed_stances if s["proposition"] != stance["proposition"]] + [stance]
            wanted["stances"] = changed_stances
        made_actor = False
        if actor is not None:
            wanted["actor"], made_actor = canonical_actor(store, actor, new=new_actor)
        changed = sum(change_field(claim, name, value, by=store.user, at=now, note=why) for name, value in wanted.items())
        if changed and wanted.keys() & {"text", "kind", "sources"}:
            _anchor(store, claim)
        if changed:
            store.replace_claims([claim])
    return ClaimChange(claim, new_actor=made_actor, changed=changed, tidied=tidied)


def remove_claims(store: Store, ids: Sequence[str]) -> tuple[int, int]:
    """Delete claims and every link pointing at them; returns (deleted, claims unlinked)."""
    now = utc_now()
    with store.writing():
        doomed = {store.get(i)["id"] for i in ids}
        touched = []
        found = [store.candidates(links_to=claim_id) for claim_id in sorted(doomed)]  # narrowed by the index
        linking = {c["id"]: c for claims in found for c in claims or ()}
        for claim in store.claims.values() if None in found else [linking[i] for i in sorted(linking)]:
            if claim["id"] not in doomed and any(link["to"] in doomed for link in claim["links"]):
                claim = copy.deepcopy(claim)
                kept = [link for link in claim["links"] if link["to"] not in doomed]
                change_field(claim, "links", kept, by=store.user, at=now, note="linked claim deleted")
                touched.append(claim)
        store.replace_claims(touched)
        store.remove_claims(sorted(doomed))
    return len(doomed), len(touched)


def find(store: Store, filters: Filters, *, sort: str = "date", reverse: bool = False,
         limit: int | None = None, has_contradictions: bool = False) -> list[Claim]:
    """The claims `search` shows."""
    if has_contradictions:
        from natoclaims.core.reports import contradicted_ids

        involved = frozenset(contradicted_ids(store))
        filters = replace(filters, only_ids=involved if filters.only_ids is None else filters.only_ids & involved)
    aliases = {name: actor.get("aliases", []) for name, actor in store.actors.items()}
    claims = sort_claims(select(_candidates(store, filters, aliases), filters, aliases), sort, reverse)
    return claims if limit is None else claims[:limit]


def _candidates(store: Store, filters: Filters, aliases: dict[str, list[str]]) -> Iterable[Claim]:
    """The claims `select` need look at for these filters: those the store's index finds may pass
    (every claim where there is none)."""
    from natoclaims.engines.search import actor_test, as_slug, required_prefixes

    since, until = filters.date_bounds()
    actor_ok = actor_test(filters.actors, aliases) if filters.actors else None
    found = store.candidates(
        ids=sorted(filters.only_ids) if filters.only_ids is not None else None,
        actors=sorted(n for n in store.actor_names() if actor_ok(n)) if actor_ok else None,
        statuses=[s.strip().lower() for s in filters.statuses] or None,
        kinds=[k.strip().lower() for k in filters.kinds] or None,
        topics=[as_slug(t) for t in filters.topics] or None, measures=[as_slug(m) for m in filters.measures] or None,
        since=since.isoformat() if since else None, until=until.isoformat() if until else None,
        prefixes=required_prefixes(filters.query),
    ) if store.narrows else None
    return store.claims.values() if found is None else found


def search_filters(
    query: str | None = None, *, actors: Sequence[str] = (), topics: Sequence[str] = (), statuses: Sequence[str] = (),
    kinds: Sequence[str] = (), since: str | None = None, until: str | None = None, source_domains: Sequence[str] = (),
    measures: Sequence[str] = (), evidence_domains: Sequence[str] = (),
) -> Filters:
    """Filters from a person's words: statuses and kinds in any case ('Quote', 'FALSE'); an unknown
    status or kind, or a date that is not one, is refused here, before the store is read."""
    filters = Filters(
        query=query or None, actors=tuple(actors), topics=tuple(topics),
        statuses=tuple(choice(s.strip().lower(), STATUSES, "status") for s in statuses),
        kinds=tuple(choice(k.strip().lower(), KINDS, "kind") for k in kinds),
        since=since, until=until, source_domains=tuple(source_domains), measures=tuple(measures),
        evidence_domains=tuple(evidence_domains),
    )
    filters.date_bounds()
    return filters


def link(store: Store, a: str, relation: str, b: str, note: str | None = None) -> tuple[str, str]:
    """Record `A RELATION B` on claim A; returns both ids."""
    relation = choice(relation, RELATIONS, "relation")
    note = text_field(note, "note")
    with store.writing():
        source, target = copy.deepcopy(store.get(a)), store.get(b)
        if source["id"] == target["id"]:
            raise InvalidInput("a claim cannot link to itself")
        if any(x["to"] == target["id"] and x["relation"] == relation for x in source["links"]):
            raise InvalidInput(f"{source['id']} already {relation} {target['id']}")
        links = source["links"] + [{"relation": relation, "to": target["id"], "note": note}]
        change_field(source, "links", links, by=store.user, at=utc_now(), note=note)
        store.replace_claims([source])
    return source["id"], target["id"]


def linked_from(store: Store, claim_id: str) -> list[dict[str, Any]]:
    """The links other claims make to this one, as `{"from", "relation", "note"}`, by claim id."""
    linking = store.candidates(links_to=claim_id)
    return sorted(
        ({"from": other["id"], "relation": link["relation"], "note": link["note"]}
         for other in (store.claims.values() if linking is None else linking)
         for link in other["links"] if link["to"] == claim_id),
        key=lambda incoming: (incoming["from"], incoming["relation"]),
    )


def unlink(store: Store, a: str, b: str) -> int:
    """Remove every link between A and B, in either direction; returns how many."""
    now = utc_now()
    with store.writing():
        first, second = copy.deepcopy(store.get(a)), copy.deepcopy(store.get(b))
        removed = 0
        for claim, other in ((first, second), (second, first)):
            kept = [x for x in claim["links"] if x["to"] != other["id"]]
            removed += len(claim["links"]) - len(kept)
            if change_field(claim, "links", kept, by=store.user, at=now, note="unlinked"):
                store.replace_claims([claim])
        if not removed:
            raise NotFound(f"no link between {first['id']} and {second['id']}")
    return removed
