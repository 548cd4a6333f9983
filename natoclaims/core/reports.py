"""Reports over the whole store: counts, contradicting pairs and the store's own check."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from natoclaims.engines.search import Filters, select
from natoclaims.errors import InvalidInput
from natoclaims.model import (
    SOURCE_FIELDS,
    STATUSES,
    check_actor,
    check_claim,
    check_source_record,
    check_stored_claim,
    utc_now,
)
from natoclaims.model.text import fold_name
from natoclaims.store import Store, encode
from natoclaims.store.upgrade import source_key


def contradicting_pairs(store: Store, filters: Filters, kinds: list[str],
                        within: int | None = None) -> list[dict[str, Any]]:
    """Contradicting pairs where either claim passes the filters (with `within`, said at most
    that many days apart), in the order `find_contradictions` gives: by kind, then in time order."""

    if within is not None and within < 0:
        raise InvalidInput(f"within takes a number of days, 0 or more, not {within}", about="within", within=within)
    pairs = _pairs_of(store, kinds, within)
    filtering = filters.actors or filters.topics or filters.since or filters.until
    if filtering and pairs:
        aliases = {name: actor.get("aliases", []) for name, actor in store.actors.items()}
        involved = {store.claims[p[side]["id"]]["id"]: store.claims[p[side]["id"]] for p in pairs for side in "ab"}
        kept = {c["id"] for c in select(involved.values(), filters, aliases)}
        pairs = [p for p in pairs if p["a"]["id"] in kept or p["b"]["id"] in kept]
    return pairs


def _pairs_of(store: Store, kinds: Iterable[str] | None = None, within: int | None = None) -> list[dict[str, Any]]:
    """Every contradicting pair of these kinds (the confirmed ones if None), from the index's memory
    of the last time they were found while the store is unchanged."""
    from natoclaims.engines.contradictions import CONFIRMED_KINDS, find_contradictions

    wanted = list(CONFIRMED_KINDS if kinds is None else kinds)
    return cast("list[dict[str, Any]]", store.remembered(f"contradictions {sorted(wanted)} {within}",
                                                          lambda: find_contradictions(store.in_pairs(), wanted, within)))


def contradiction_kinds(leads: bool = False) -> list[str]:
    """The kinds of contradiction looked for unless others are asked for: linked, numeric and stance;
    with `leads`, the possible ones too."""
    from natoclaims.engines.contradictions import CONFIRMED_KINDS, PAIR_KINDS

    return list(PAIR_KINDS if leads else CONFIRMED_KINDS)


def contradicted_ids(store: Store) -> set[str]:
    """The ids of the claims in a contradicting pair of the confirmed kinds (the timeline marks them)."""
    return {pair[side]["id"] for pair in _pairs_of(store) for side in "ab"}


def repeats(store: Store, filters: Filters | None = None, statuses: tuple[str, ...] = (),
            min_count: int = 2) -> list[dict[str, Any]]:
    """Clusters of claims by one actor saying the same thing (`natoclaims.engines.repeats`) in the
    order `clusters` gives (largest first, then the most recent): of the claims passing `filters`
    (actors, topics, dates), with at least `min_count` claims, and when `statuses` are given, only
    those in which some claim has one of them."""
    from natoclaims.engines.repeats import clusters

    if min_count < 1:
        raise InvalidInput(f"min_count must be 1 or more, not {min_count}", about="min-count", min_count=min_count)
    if filters is None or filters == Filters():
        found = cast("list[dict[str, Any]]", store.remembered(f"repeats {min_count}",
                                                              lambda: clusters(store.facts(), min_count)))
    else:
        aliases = {name: actor.get("aliases", []) for name, actor in store.actors.items()}
        found = clusters(select(store.claims.values(), filters, aliases), min_count)
    if statuses:
        found = [c for c in found if any(s in c["statuses"] for s in statuses)]
    return found


RECORD_CHECKS: dict[str, tuple[Callable[[Any], Mapping[str, Any]], str]] = {
    "sources": (check_source_record, "id"), "actors": (check_actor, "name")}


def _check_records(tables: dict[str, Any]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """A problem line for each damaged source or actor record, and each valid source as claims cite it."""
    problems = []
    cited: dict[str, dict[str, Any]] = {}
    for table, (check, field) in sorted(RECORD_CHECKS.items()):  # actors, then sources
        damaged = []
        for key, record in tables[table].items():
            try:
                if check(record)[field] != key:
                    raise InvalidInput(f"its {field} is not its key")
            except InvalidInput as exc:
                damaged.append((key, str(exc)))
            else:
                if table == "sources":
                    cited[key] = {f: record.get(f) for f in SOURCE_FIELDS}
        problems += [f"{table[:-1]} {key!r}: damaged {table[:-1]} record ({why})" for key, why in sorted(damaged)]
    return problems, cited


def _check_claims(tables: dict[str, Any], cited: dict[str, dict[str, Any]]) -> list[str]:
    """A problem line for each invalid claim, dangling link, unknown actor and unregistered or
    differing copy of a source, in id order. A claim's copy of a source in `cited` (the usual
    case) is compared with it rather than checked again."""
    claims, actors, sources = tables["claims"], tables["actors"], tables["sources"]
    problems = []
    for claim_id, claim in sorted(claims.items()):
        try:
            if not isinstance(claim, dict):
                raise InvalidInput(f"not a claim record (a {type(claim).__name__}, not an object)")
            checked = check_claim(claim, now=claim.get("created_at") or utc_now(), known_sources=cited)
            if claim.get("id") != claim_id:
                raise InvalidInput(f"its id {claim.get('id')!r} is not its key")
            if len(claim) < len(checked):  # defaults are for input; a stored claim has every field
                raise InvalidInput(f"missing field {sorted(checked.keys() - claim.keys())[0]!r}")
        except InvalidInput as exc:
            problems.append(f"{claim_id}: {exc}")
            continue
        try:  # a well-formed claim with a wrong timestamp or status: its links and sources are checked too
            check_stored_claim(claim)
        except InvalidInput as exc:
            problems.append(f"{claim_id}: {exc}")
        for link_ in claim["links"]:
            if link_["to"] not in claims:
                problems.append(f"{claim_id}: dangling link: {link_['relation']} {link_['to']} (no such claim)")
        if claim["actor"] not in actors:
            problems.append(f"{claim_id}: actor {claim['actor']!r} is not in the actors table")
        cites = claim["sources"]
        if claim["reviews"]:
            cites = [*cites, *(e for r in claim["reviews"] for e in r["evidence"])]
        for source in cites:
            if source == cited.get(source["id"]):
                continue
            registered = sources.get(source["id"] or "")
            if registered is None:
                problems.append(f"{claim_id}: source {source['id']!r} is not in the sources table")
            elif not isinstance(registered, dict):
                continue  # named as damaged already
            elif any(source[f] != registered[f] for f in SOURCE_FIELDS):
                problems.append(f"{claim_id}: its copy of source {source['id']} differs from the sources table")
    return problems


def _twins(tables: dict[str, Any]) -> list[str]:
    """A problem line for each claim identical to another (same actor, text and date: what `add`
    refuses) and each name or alias that belongs to two actors (a claim naming it matches both)."""
    problems = []
    first: dict[tuple[Any, ...], str] = {}
    for claim_id, claim in sorted(tables["claims"].items()):
        if not isinstance(claim, dict):
            continue  # named as damaged already
        key = tuple(str(claim.get(field)) for field in ("actor", "text", "said_on"))
        if key in first:
            problems.append(f"{claim_id}: the same claim as {first[key]} (same actor, text and date)")
        first.setdefault(key, claim_id)
    holder = {fold_name(name): name for name in tables["actors"]}
    for name, actor in sorted(tables["actors"].items()):
        aliases = actor.get("aliases") if isinstance(actor, dict) else None
        for alias in aliases if isinstance(aliases, list) else []:
            if not isinstance(alias, str):
                continue
            owner = holder.setdefault(fold_name(alias), name)
            if owner != name:
                problems.append(f"actor {name!r}: its alias {alias!r} also names the actor {owner!r}")
    return problems


def side_problems(tables: dict[str, Any]) -> list[str]:
    """What `check` finds wrong in the records of one side of a merge, and in what they cite: the
    tables may be lazy views holding only the records to check (the others found when cited)."""
    record_problems, cited = _check_records(tables)
    return _check_claims(tables, cited) + record_problems + _twins(_near(tables))


def _near(tables: dict[str, Any]) -> dict[str, Any]:
    """What `_twins` must see of a side: whole tables as they are; of lazy views, the records
    parsed, the claims saying a parsed claim's text and every actor."""
    claims, actors = tables["claims"], tables["actors"]
    if not hasattr(claims, "with_value"):
        return tables
    texts = {claim["text"] for claim in claims.values() if isinstance(claim, dict) and isinstance(claim.get("text"), str)}
    return {"claims": claims.with_value("text", texts), "actors": actors.with_value("name")}


def check_store(store: Store) -> list[str]:
    """Every problem in the store, one line each: invalid records, duplicate ids, dangling links, unknown actors."""
    import json

    duplicates: list[str] = []

    def note_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        record = dict(pairs)
        if len(record) < len(pairs):  # linear: only an object that lost keys is looked at again
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    duplicates.append(key)
                seen.add(key)
        return record

    raw = store.reread_verified()
    tables = store.tables.data()
    # A file exactly as natoclaims writes it cannot repeat a key; only another one is parsed again.
    if raw is not None and raw != encode(tables):  # (encode sorts every key, table names included)
        json.loads(raw, object_pairs_hook=note_duplicates)
    record_problems, cited = _check_records(tables)  # first: the claims' copies are compared with these
    problems = [f"duplicate key {key!r} in the store file" for key in sorted(set(duplicates))]
    problems += _check_claims(tables, cited) + record_problems
    problems += _twins(tables)
    holder: dict[str, str] = {}
    for source_id in sorted(cited):
        key = source_key(cited[source_id])
        if key in holder:
            problems.append(f"source {source_id}: the same source as {holder[key]}")
        holder.setdefault(key, source_id)
    if any(record.get("archive") for record in store.sources.values() if isinstance(record, dict)):
        from natoclaims.core.archive import damaged_copies

        problems += damaged_copies(store)
    if store.path is not None:
        from natoclaims.core.team import open_conflicts

        problems += [f"{c['key']}: open merge conflict over {c['field']!r} of this {c['table'][:-1]} "
                     "(see open_conflicts; settle it with resolve)" for c in open_conflicts(store.path)]
    return problems


def stats(store: Store) -> list[dict[str, Any]]:
    """Claim counts by status (every status, in the order of STATUSES), actor and topic (most claims
    first, then by name) and month (in time order, 'undated' last)."""
    groups: dict[str, dict[str, int]] = {"status": {s: 0 for s in STATUSES}, "actor": {}, "topic": {}, "month": {}}
    counted = {group: store.counts(group) for group in groups}
    for group, counts in counted.items():
        for key, count in (counts or {}).items():
            groups[group][key] = groups[group].get(key, 0) + count
    for claim in store.claims.values() if None in counted.values() else ():
        groups["status"][claim["status"]] += 1
        groups["actor"][claim["actor"]] = groups["actor"].get(claim["actor"], 0) + 1
        for topic in claim["topics"]:
            groups["topic"][topic] = groups["topic"].get(topic, 0) + 1
        month = (claim["said_on"] or "undated")[:7]
        groups["month"][month] = groups["month"].get(month, 0) + 1
    rows = []
    for group, counts in groups.items():
        ordered = sorted(counts.items()) if group == "month" else sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if group == "status":
            ordered = [(s, counts[s]) for s in STATUSES]
        rows += [{"group": group, "key": key, "count": count} for key, count in ordered]
    return rows
