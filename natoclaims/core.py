"""What the commands do, as functions over a `Store`: everything here is testable without the CLI."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from natoclaims.errors import InvalidInput, NotFound
from natoclaims.model import (
    KINDS,
    RELATIONS,
    STATUSES,
    check_claim,
    check_source,
    choice,
    history_entry,
    new_id,
    parse_date,
    parse_stance,
    slug,
    text_field,
    utc_now,
)
from natoclaims.search import Filters, fold, select, sort_claims
from natoclaims.store import Store

SIMILARITY_THRESHOLD = 90


@dataclass
class Written:
    """A claim after a write, with what the user should be told about it."""

    claim: dict[str, Any]
    new_actor: bool = False
    similar: list[dict[str, Any]] = field(default_factory=list)
    changed: int = 0


def figures(quantities: list[str], measures: list[str], text: str) -> list[dict[str, Any]]:
    """Figures from `--quantity` options (paired with `--measure` in order), else from the text."""
    from natoclaims.quantities import extract_quantities, parse_quantity

    if len(measures) > max(len(quantities), 1):
        raise InvalidInput(f"{len(measures)} --measure options for {len(quantities)} --quantity options")
    if quantities:
        return [parse_quantity(q, measures[i] if i < len(measures) else None) for i, q in enumerate(quantities)]
    found = extract_quantities(text)
    if measures:
        if len(found) != 1:
            raise InvalidInput(f"--measure needs --quantity: the text states {len(found)} figures, not one")
        found[0]["measure"] = slug(measures[0], "measure")
    return found


def canonical_actor(store: Store, name: str) -> tuple[str, bool]:
    """The canonical name for `name`, and whether it is a new actor (added to the actors table)."""
    name = (text_field(name, "actor", required=True) or "").strip()
    canonical = store.resolve_actor(name)
    if canonical:
        return canonical, False
    store.put_actor({"name": name, "aliases": [], "role": None})
    return name, True


def similar_claims(store: Store, claim: dict[str, Any]) -> list[dict[str, Any]]:
    """Claims by the same actor whose text is near-identical to this one."""
    from rapidfuzz import fuzz

    text = fold(claim["text"])
    return [
        other for other in store.claims.values()
        if other["actor"] == claim["actor"] and other["id"] != claim["id"]
        and fuzz.ratio(text, fold(other["text"]), score_cutoff=SIMILARITY_THRESHOLD)
    ]


def add_claim(
    store: Store, text: str, *, actor: str, kind: str = "paraphrase", said_on: str | None = None,
    context: str | None = None, sources: Sequence[str | dict[str, Any]] = (), topics: Sequence[str] = (),
    status: str = "unverified", quantities: Sequence[str] = (), measures: Sequence[str] = (),
    stances: Sequence[str] = (), notes: str | None = None,
) -> Written:
    """Validate and store one new claim; `sources` are URLs or source objects, `quantities`
    are 'VALUE UNIT' texts (else figures are taken from the text), `stances` 'PROPOSITION:for'."""
    if not sources:
        raise InvalidInput("a claim needs a source: --source URL or --source-title TITLE")
    record = {
        "text": text, "actor": actor, "kind": choice(kind, KINDS, "kind"), "context": context,
        "said_on": parse_date(said_on, what="date") if said_on is not None else None,
        "sources": [{"url": s} if isinstance(s, str) else s for s in sources], "topics": list(topics),
        "status": status, "quantities": figures(list(quantities), list(measures), text or ""),
        "stances": [parse_stance(s) for s in stances], "notes": notes,
    }
    claim = check_claim(record, now=utc_now())
    with store.writing():
        claim["actor"], new_actor = canonical_actor(store, claim["actor"])
        claim["id"] = new_id(store.claims)
        similar = similar_claims(store, claim)
        store.insert_claims([claim])
    return Written(claim, new_actor=new_actor, similar=similar)


def _change(claim: dict[str, Any], name: str, new: Any, *, by: str, at: str, note: str | None) -> int:
    """Set one field, recording it in the history; 1 if it changed, else 0."""
    old = claim[name]
    if old == new:
        return 0
    claim["history"].append(history_entry(name, copy.deepcopy(old), copy.deepcopy(new), by=by, at=at, note=note))
    claim[name] = new
    claim["updated_at"] = at
    return 1


def edit_claim(
    store: Store, claim_id: str, *, text: str | None = None, actor: str | None = None,
    said_on: str | None = None, kind: str | None = None, context: str | None = None,
    add_sources: Sequence[str] = (), add_topics: Sequence[str] = (), remove_topics: Sequence[str] = (),
    quantities: Sequence[str] | None = None, measures: Sequence[str] = (), stances: Sequence[str] = (),
    notes: str | None = None, why: str | None = None,
) -> Written:
    """Change fields of one claim (None leaves a field as it is; an empty date, context or notes
    clears it); each changed field goes into its history with `why`."""
    now = utc_now()
    with store.writing():
        claim = copy.deepcopy(store.get(claim_id))
        wanted: dict[str, Any] = {}
        if text is not None:
            wanted["text"] = text_field(text, "claim text", required=True)
        if kind is not None:
            wanted["kind"] = choice(kind, KINDS, "kind")
        if said_on is not None:
            wanted["said_on"] = parse_date(said_on) if said_on.strip() else None
        if context is not None:
            wanted["context"] = context or None
        if notes is not None:
            wanted["notes"] = notes or None
        if add_sources:
            wanted["sources"] = claim["sources"] + [
                check_source({"url": url}) for url in add_sources
                if url not in {s["url"] for s in claim["sources"]}
            ]
        if add_topics or remove_topics:
            removed = {slug(t) for t in remove_topics}
            missing = removed - set(claim["topics"])
            if missing:
                raise InvalidInput(f"claim {claim['id']} has no topic {sorted(missing)[0]!r}")
            kept = [t for t in claim["topics"] if t not in removed]
            kept += [t for t in map(slug, add_topics) if t not in kept]
            wanted["topics"] = kept
        if quantities is not None or measures:
            wanted["quantities"] = figures(list(quantities or []), list(measures), wanted.get("text", claim["text"]))
        if stances:
            changed_stances = list(claim["stances"])
            for stance in map(parse_stance, stances):
                changed_stances = [s for s in changed_stances if s["proposition"] != stance["proposition"]] + [stance]
            wanted["stances"] = changed_stances
        new_actor = False
        if actor is not None:
            wanted["actor"], new_actor = canonical_actor(store, actor)
        changed = sum(_change(claim, name, value, by=store.user, at=now, note=why) for name, value in wanted.items())
        if changed:
            store.replace_claims([claim])
    return Written(claim, new_actor=new_actor, changed=changed)


def set_status(store: Store, ids: Sequence[str], status: str, *, note: str | None = None,
               source: str | None = None) -> list[str]:
    """Set the status of claims (all or none); returns the ids whose status changed."""
    status = choice(status, STATUSES, "status")
    evidence = check_source({"url": source}) if source else None
    now = utc_now()
    with store.writing():
        claims = {c["id"]: c for c in (copy.deepcopy(store.get(i)) for i in ids)}
        changed = []
        for claim in claims.values():
            if evidence and evidence["url"] not in {s["url"] for s in claim["sources"]}:
                _change(claim, "sources", claim["sources"] + [evidence], by=store.user, at=now, note=note)
            if _change(claim, "status", status, by=store.user, at=now, note=note):
                changed.append(claim["id"])
        store.replace_claims(list(claims.values()))
    return changed


def remove_claims(store: Store, ids: Sequence[str]) -> tuple[int, int]:
    """Delete claims and every link pointing at them; returns (deleted, claims unlinked)."""
    now = utc_now()
    with store.writing():
        doomed = {store.get(i)["id"] for i in ids}
        touched = []
        for claim in store.claims.values():
            if claim["id"] not in doomed and any(link["to"] in doomed for link in claim["links"]):
                claim = copy.deepcopy(claim)
                kept = [link for link in claim["links"] if link["to"] not in doomed]
                _change(claim, "links", kept, by=store.user, at=now, note="linked claim deleted")
                touched.append(claim)
        store.replace_claims(touched)
        store.remove_claims(sorted(doomed))
    return len(doomed), len(touched)


def find(store: Store, filters: Filters, *, sort: str = "date", reverse: bool = False,
         limit: int | None = None, has_contradictions: bool = False) -> list[dict[str, Any]]:
    """The claims `search` shows."""
    if has_contradictions:
        from natoclaims.contradictions import find_contradictions

        involved = frozenset(c[side]["id"] for c in find_contradictions(store.claims) for side in "ab")
        filters = replace(filters, only_ids=involved if filters.only_ids is None else filters.only_ids & involved)
    aliases = {name: actor.get("aliases", []) for name, actor in store.actors.items()}
    claims = sort_claims(select(store.claims.values(), filters, aliases), sort, reverse)
    return claims if limit is None else claims[:limit]


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
        _change(source, "links", links, by=store.user, at=utc_now(), note=note)
        store.replace_claims([source])
    return source["id"], target["id"]


def unlink(store: Store, a: str, b: str) -> int:
    """Remove every link between A and B, in either direction; returns how many."""
    now = utc_now()
    with store.writing():
        first, second = copy.deepcopy(store.get(a)), copy.deepcopy(store.get(b))
        removed = 0
        for claim, other in ((first, second), (second, first)):
            kept = [x for x in claim["links"] if x["to"] != other["id"]]
            removed += len(claim["links"]) - len(kept)
            if _change(claim, "links", kept, by=store.user, at=now, note="unlinked"):
                store.replace_claims([claim])
        if not removed:
            raise NotFound(f"no link between {first['id']} and {second['id']}")
    return removed


def contradicting_pairs(store: Store, filters: Filters, kinds: list[str]) -> list[dict[str, Any]]:
    """Contradicting pairs where either claim passes the filters."""
    from natoclaims.contradictions import find_contradictions

    pairs = find_contradictions(store.claims, kinds)
    filtering = filters.actors or filters.topics or filters.since or filters.until
    if filtering and pairs:
        aliases = {name: actor.get("aliases", []) for name, actor in store.actors.items()}
        involved = {store.claims[p[side]["id"]]["id"]: store.claims[p[side]["id"]] for p in pairs for side in "ab"}
        kept = {c["id"] for c in select(involved.values(), filters, aliases)}
        pairs = [p for p in pairs if p["a"]["id"] in kept or p["b"]["id"] in kept]
    return pairs


def check_store(store: Store) -> list[str]:
    """Every problem in the store, one line each: invalid records, duplicate ids, dangling links, unknown actors."""
    import json

    problems = []
    duplicates: list[str] = []

    def note_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        duplicates.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(pairs)

    if store.path.exists():
        json.loads(store.path.read_bytes(), object_pairs_hook=note_duplicates)
    problems += [f"duplicate key {key!r} in the store file" for key in sorted(set(duplicates))]
    known_actors = set(store.actors)
    for claim_id, claim in sorted(store.claims.items()):
        try:
            check_claim(claim, now=claim.get("created_at") or utc_now())
        except InvalidInput as exc:
            problems.append(f"{claim_id}: {exc}")
            continue
        for link_ in claim["links"]:
            if link_["to"] not in store.claims:
                problems.append(f"{claim_id}: dangling link: {link_['relation']} {link_['to']} (no such claim)")
        if claim["actor"] not in known_actors:
            problems.append(f"{claim_id}: actor {claim['actor']!r} is not in the actors table")
    for name, actor in sorted(store.actors.items()):
        if not isinstance(actor, dict) or actor.get("name") != name or not isinstance(actor.get("aliases", []), list):
            problems.append(f"actor {name!r}: damaged actor record")
    return problems


# -- import ----------------------------------------------------------------------------------------

DUPLICATE_POLICIES = ("skip", "update", "error")
IMPORT_UPDATABLE = ("text", "kind", "actor", "said_on", "context", "topics", "status", "sources",
                    "quantities", "stances", "links", "notes")


@dataclass
class ImportReport:
    """What an import did (or, with --dry-run, would do)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    new_actors: list[str] = field(default_factory=list)


def _import_plan(store: Store, records: list[tuple[str, Any]], on_duplicate: str, skip_invalid: bool,
                 now: str, tick: Any = None) -> tuple[ImportReport, list[dict[str, Any]], dict[str, tuple[dict[str, Any], set[str]]]]:
    """Validate every record against the store as it is: new claims, updates, and the report."""
    from natoclaims.quantities import extract_quantities

    report = ImportReport()
    new: dict[str, dict[str, Any]] = {}
    updates: dict[str, tuple[dict[str, Any], set[str]]] = {}
    origin: dict[str, str] = {}
    by_key = {(c["actor"], c["text"], c["said_on"]): c["id"] for c in store.claims.values()}
    resolved: dict[str, str | None] = {}
    file_ids: set[str] = set()
    taken = set(store.claims)

    def refuse(where: str, reason: str) -> None:
        if not skip_invalid:
            raise InvalidInput(f"{where}: {reason}")
        report.invalid.append(f"{where}: {reason}")

    for where, raw in records:
        if tick:
            tick()
        try:
            claim = check_claim(raw, now=now)
            if "quantities" not in raw:
                claim["quantities"] = extract_quantities(claim["text"])
        except InvalidInput as exc:
            refuse(where, str(exc))
            continue
        name = claim["actor"]
        if name not in resolved:
            resolved[name] = store.resolve_actor(name)
        claim["actor"] = resolved[name] or name
        if claim["id"] is not None:
            if claim["id"] in file_ids:
                refuse(where, f"duplicate id {claim['id']!r} in the file")
                continue
            file_ids.add(claim["id"])
        key = (claim["actor"], claim["text"], claim["said_on"])
        existing = claim["id"] if claim["id"] in store.claims else by_key.get(key)
        if existing is not None:
            if on_duplicate == "error":
                refuse(where, f"duplicate of claim {existing} (same id, or same actor, text and date); "
                              "use --on-duplicate skip or update")
            elif on_duplicate == "skip":
                report.skipped.append(existing)
            elif existing in new:  # the same claim twice in the file: the later one wins
                new[existing] = {**claim, "id": existing}
            else:
                updates[existing] = (claim, set(raw) & set(IMPORT_UPDATABLE))
            continue
        if claim["id"] is None:
            claim["id"] = new_id(taken)
        taken.add(claim["id"])
        by_key[key] = claim["id"]
        origin[claim["id"]] = where
        new[claim["id"]] = claim

    # Links must point at a claim in the store or in this import; refuse (or drop) until none dangle.
    while True:
        known = set(store.claims) | set(new)
        dangling = {i: c for i, c in [*new.items(), *((k, u[0]) for k, u in updates.items())]
                    if any(link["to"] not in known for link in c["links"])}
        if not dangling:
            break
        for claim_id, claim in dangling.items():
            target = next(link["to"] for link in claim["links"] if link["to"] not in known)
            refuse(origin.get(claim_id, f"the update of {claim_id}"), f"link to unknown claim {target!r}")
            new.pop(claim_id, None)
            updates.pop(claim_id, None)
    report.added = list(new)
    report.updated = sorted(updates)
    actors = {c["actor"] for c in new.values()} | {u[0]["actor"] for u in updates.values()}
    report.new_actors = sorted(a for a in actors if a not in store.actors)
    return report, list(new.values()), updates


def import_claims(store: Store, records: list[tuple[str, Any]], *, on_duplicate: str = "error",
                  skip_invalid: bool = False, dry_run: bool = False, tick: Any = None) -> ImportReport:
    """Add claims from parsed records, all or nothing (unless skip_invalid), in one store write."""
    choice(on_duplicate, DUPLICATE_POLICIES, "--on-duplicate policy")
    now = utc_now()
    if dry_run:
        return _import_plan(store, records, on_duplicate, skip_invalid, now, tick)[0]
    with store.writing():
        report, new, updates = _import_plan(store, records, on_duplicate, skip_invalid, now, tick)
        for name in report.new_actors:
            store.put_actor({"name": name, "aliases": [], "role": None})
        store.insert_claims(new)
        changed = []
        for claim_id, (imported, given) in updates.items():
            claim = copy.deepcopy(store.claims[claim_id])
            if sum(_change(claim, name, imported[name], by=store.user, at=now, note="import") for name in sorted(given)):
                changed.append(claim)
        store.replace_claims(changed)
    return report


def stats(store: Store) -> list[dict[str, Any]]:
    """Claim counts by status, actor, topic and month (undated claims under 'undated')."""
    groups: dict[str, dict[str, int]] = {"status": {s: 0 for s in STATUSES}, "actor": {}, "topic": {}, "month": {}}
    for claim in store.claims.values():
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


# -- undo and the change log -------------------------------------------------------------------------

@dataclass
class Undone:
    """A change set reverted (or, with dry_run, that would be)."""

    change: dict[str, Any]
    restored: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _journal_entries(store: Store) -> list[dict[str, Any]]:
    entries, problems = store.journal.entries()
    store.warnings.extend(problems)
    return entries


def _in_effect(entries: list[dict[str, Any]]) -> dict[str, int]:
    """Change sets whose effect is in the store, by journal position: a change set and its undo
    cancel out (undoing an undo is a change of its own, a redo)."""
    position: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry.get("undoes") in position:
            del position[entry["undoes"]]
        else:
            position[entry["id"]] = index
    return position


def _comparable(record: dict[str, Any] | None) -> Any:
    """A record as undo compares it: its own history and update time are an audit trail, not state."""
    if record is None or "history" not in record:
        return record
    return {k: v for k, v in record.items() if k not in ("history", "updated_at")}


def undo(store: Store, change_id: str | None = None, *, dry_run: bool = False) -> Undone:
    """Revert the latest change set (or a given one no later change set in effect touched) as a whole."""
    now = utc_now()

    def plan() -> dict[str, Any]:
        entries = _journal_entries(store)
        if not entries:
            raise NotFound(f"nothing to undo: no change sets in {store.journal.path}")
        if change_id is None:
            return entries[-1]
        matches = [e for e in entries if e["id"].startswith(change_id.strip().lower())]
        if len(matches) != 1:
            raise NotFound(f"no change set {change_id!r}" if not matches else f"change set prefix {change_id!r} is ambiguous")
        target = matches[0]
        in_effect = _in_effect(entries)
        if target["id"] not in in_effect and target is not entries[-1]:
            raise InvalidInput(f"change set {target['id']} is already undone")
        touched = {(c["table"], c["key"]) for c in target["changes"]}
        later = [e for e in entries if in_effect.get(e["id"], -1) > in_effect.get(target["id"], len(entries))
                 and touched & {(c["table"], c["key"]) for c in e["changes"]}]
        if later:
            raise InvalidInput(f"cannot undo {target['id']}: later change sets touched the same records: "
                               + ", ".join(f"{e['id']} ({e['command'] or 'no command'})" for e in later[-5:])
                               + "; undo those first")
        return target

    def check_unmoved(target: dict[str, Any], tables: dict[str, dict[str, Any]]) -> None:
        moved = [c["key"] for c in target["changes"]
                 if _comparable(tables[c["table"]].get(c["key"])) != _comparable(c["after"])]
        if moved:
            raise InvalidInput(f"cannot undo {target['id']}: {moved[0]} was changed outside natoclaims since")

    def summary(target: dict[str, Any]) -> Undone:
        claims = [c for c in target["changes"] if c["table"] == "claims"]
        return Undone(target, [c["key"] for c in claims if c["before"]], [c["key"] for c in claims if not c["before"]])

    if dry_run:
        target = plan()
        check_unmoved(target, {"claims": store.claims, "actors": store.actors})
        return summary(target)
    with store.writing() as locked:
        target = plan()
        check_unmoved(target, {"claims": store.claims, "actors": store.actors})
        restored_claims, restored_actors = [], []
        present: dict[str, list[str]] = {"claims": [], "actors": []}
        for change in target["changes"]:
            table, key, before = change["table"], change["key"], change["before"]
            current = (store.claims if table == "claims" else store.actors).get(key)
            if current is not None:
                present[table].append(key)
            if before is None:
                continue
            record = copy.deepcopy(before)
            if table == "claims":
                # The claim's history keeps every change, the one undone included, and says it was undone.
                record["history"] = copy.deepcopy((current or before)["history"]) + [history_entry(
                    "undo", None, None, by=store.user, at=now,
                    note=f"undid change set {target['id']} ({target['command'] or 'no command'})")]
                record["updated_at"] = now
                restored_claims.append(record)
            else:
                restored_actors.append(record)
        for table, keys in present.items():
            if keys:
                store.table(table).remove(doc_ids=keys)  # one call per table: each rewrites the table
        store.insert_claims(restored_claims)
        store.put_actors(restored_actors)
        locked.undoes = target["id"]
    return summary(target)


def change_log(store: Store, *, claim: str | None = None, user: str | None = None,
               since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
    """Change sets, newest first, as summaries: id, time, user, command and the claims touched."""
    from natoclaims.model import date_range

    low = date_range(parse_date(since, what="--since date"))[0].isoformat() if since else None
    high = date_range(parse_date(until, what="--until date"))[1].isoformat() if until else None
    rows = []
    for entry in reversed(_journal_entries(store)):
        claims = [c["key"] for c in entry["changes"] if c["table"] == "claims"]
        day = entry["at"][:10]
        if claim and not any(c.startswith(claim.lower()) for c in claims):
            continue
        if user and entry["user"] != user:
            continue
        if (low and day < low) or (high and day > high):
            continue
        rows.append({"id": entry["id"], "at": entry["at"], "user": entry["user"], "command": entry["command"],
                     "claims": claims})
    return rows


def compact(store: Store, keep: int) -> int:
    """Keep only the newest `keep` change sets; returns how many were dropped."""
    if keep < 0:
        raise InvalidInput("--keep must be 0 or more")
    with store.writing():
        entries = _journal_entries(store)
        dropped = max(0, len(entries) - keep)
        if dropped:
            store.journal.rewrite(entries[len(entries) - keep:] if keep else [])
    return dropped
