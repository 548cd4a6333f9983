"""The change log: undo (walking back) and redo change sets, list them, compact the journal."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from natoclaims.core.sources import cited
from natoclaims.errors import InvalidInput, NotFound
from natoclaims.model import check_actor, check_claim, check_source_record, history_entry, utc_now
from natoclaims.store import Store
from natoclaims.store.files import SCHEMA
from natoclaims.store.upgrade import source_key


@dataclass
class Reversal:
    """A change set reverted (or, with dry_run, that would be)."""

    change: dict[str, Any]
    restored: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    redo: bool = False  # the change set reverted was itself an undo: reverting it re-applies what it undid
    effects: list[str] = field(default_factory=list)  # what reverting it does, in words ("remove alias 'POTUS' of ...")


def _journal_entries(store: Store) -> list[dict[str, Any]]:
    """The change sets in effect order, seen as the next write will settle them (so a change set
    a crash left uncommitted counts when the store holds it)."""
    entries, problems = store.journal.entries(store.tables.data())
    store.warnings.extend(problems)
    return entries


def _unrecorded(what: dict[str, Any]) -> str:
    return (f"a change at {what.get('at') or 'an unknown time'} ({what.get('command') or 'no command'}) "
            f"could not be recorded in the journal ({what.get('gap') or what.get('reason')})")


def _actor(record: dict[str, Any] | None) -> str | None:
    return record.get("actor") if record else None


def _links(record: dict[str, Any] | None) -> set[str]:
    return {link["to"] for link in record.get("links", [])} if record else set()


def _gives_actor(name: str, change: dict[str, Any]) -> bool:
    """Whether a change made its claim one by `name`."""
    return _actor(change["after"]) == name != _actor(change["before"])


def _adds_link(to: str, change: dict[str, Any]) -> bool:
    """Whether a change gave its claim a link to claim `to`."""
    return to in _links(change["after"]) - _links(change["before"])


def _adds_citation(source_id: str, change: dict[str, Any]) -> bool:
    """Whether a change made its claim cite source `source_id`."""
    return source_id in cited(change["after"]) - cited(change["before"])


def _dependants(store: Store, target: dict[str, Any], entries: list[dict[str, Any]]) -> None:
    """Refuse an undo that would leave a claim pointing at a claim or actor it removes, or restore
    a claim pointing at one that is gone, naming the later change set that made the dependence."""
    removed = {(c["table"], c["key"]) for c in target["changes"] if c["before"] is None}
    restored = [c["before"] for c in target["changes"] if c["table"] == "claims" and c["before"] is not None]
    gone_claims = {key for table, key in removed if table == "claims"}
    gone_actors = {key for table, key in removed if table == "actors"}
    gone_sources = {key for table, key in removed if table == "sources"}
    touched = {c["key"] for c in target["changes"] if c["table"] == "claims"}
    # Each problem: the record whose later change made the dependence, a test of that change, why.
    problems: list[tuple[str, Callable[[dict[str, Any]], bool], str]] = []
    for claim in store.claims.values():
        if claim["id"] in touched:
            continue
        if claim["actor"] in gone_actors:
            problems.append((claim["id"], partial(_gives_actor, claim["actor"]),
                             f"claim {claim['id']} is by {claim['actor']!r}, whom it would remove"))
        for link in claim["links"]:
            if link["to"] in gone_claims:
                problems.append((claim["id"], partial(_adds_link, link["to"]),
                                 f"claim {claim['id']} links to {link['to']}, which it would remove"))
        for source_id in cited(claim) & gone_sources:
            problems.append((claim["id"], partial(_adds_citation, source_id),
                             f"claim {claim['id']} cites source {source_id}, which it would remove"))
    sources_after = (set(store.sources) - gone_sources) | {c["key"] for c in target["changes"]
                                                           if c["table"] == "sources" and c["before"] is not None}
    held = {source_key(record): source_id for source_id, record in store.sources.items() if source_id not in gone_sources}
    for change in target["changes"]:
        if change["table"] == "sources" and change["before"] is not None:
            other = held.get(source_key(change["before"]))
            if other not in (None, change["key"]):
                problems.append((other, lambda c: c["before"] is None,
                                 f"it would restore source {change['key']}, but {other} is that source now"))
    actors_after = (set(store.actors) - gone_actors) | {c["key"] for c in target["changes"]
                                                        if c["table"] == "actors" and c["before"] is not None}
    claims_after = (set(store.claims) - gone_claims) | {c["id"] for c in restored}
    for claim in restored:
        if claim["actor"] not in actors_after:
            problems.append((claim["actor"], lambda c: c["after"] is None,
                             f"it would restore claim {claim['id']} by {claim['actor']!r}, who is gone"))
        for link in claim["links"]:
            if link["to"] not in claims_after:
                problems.append((link["to"], lambda c: c["after"] is None,
                                 f"it would restore a link from {claim['id']} to {link['to']}, which is gone"))
        for source_id in cited(claim) - sources_after:
            problems.append((source_id, lambda c: c["after"] is None,
                             f"it would restore claim {claim['id']} citing source {source_id}, which is gone"))
    if not problems:
        return
    key, made_it, reason = problems[0]
    later = [e for e in entries[entries.index(target) + 1:]
             if any(c["key"] == key and _well_formed(c) and made_it(c) for c in e["changes"])]
    by = f" (since change set {later[-1]['id']}: {later[-1]['command'] or 'no command'}; undo that first)" if later else ""
    raise InvalidInput(f"cannot undo {target['id']}: {reason}{by}")


def _well_formed(change: dict[str, Any]) -> bool:
    """Whether a journaled change holds records `add` would take (a crafted one is never named as a
    cause, nor looked into)."""
    check, _ = RESTORABLE[change["table"]]
    try:
        for record in (change["before"], change["after"]):
            if record is not None:
                check(record)
    except InvalidInput:
        return False
    return True


def _check_meta(record: dict[str, Any]) -> dict[str, Any]:
    """The store's one meta record (key "1"), of a schema this version writes."""
    schema = record.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or not 1 <= schema <= SCHEMA:
        raise InvalidInput(f"schema {schema!r} is not one this natoclaims writes")
    return {**record, "key": "1"}


# What a record restored must pass (as `add`, `import` and `source add` check it), and the field that is its key.
RESTORABLE: dict[str, tuple[Callable[[dict[str, Any]], Mapping[str, Any]], str]] = {
    "claims": (lambda record: check_claim(record, now=utc_now()), "id"),
    "actors": (check_actor, "name"),
    "sources": (check_source_record, "id"),
    "meta": (_check_meta, "key"),
}


def _check_restorable(store: Store, target: dict[str, Any]) -> None:
    """Refuse a change set whose revert would write a record `add` or `import` would refuse: the
    journal is a file a pulled branch may have replaced, so its records are input, not our own."""
    for change in target["changes"]:
        table, key, record = change["table"], change["key"], change["before"]
        if record is None:
            continue
        check, field = RESTORABLE[table]
        try:
            if check(record)[field] != key:
                raise InvalidInput(f"its {field} is not {key!r}")
        except InvalidInput as exc:
            raise InvalidInput(f"cannot undo {target['id']}: {store.journal.path} holds an invalid "
                               f"{table[:-1] if table != 'meta' else 'meta'} record {key!r} for it ({exc})") from None


@dataclass
class _Replay:
    """The journal replayed as an editor's undo stack: the change sets in effect by journal
    position, and the undos a redo can take back, most recent last."""

    in_effect: dict[str, int]
    redoable: list[dict[str, Any]]


def _replay(entries: list[dict[str, Any]]) -> _Replay:
    """A change set and its undo cancel out (undoing an undo is a change of its own, a redo). An
    undo goes on the redo chain; a redo takes its undo off; any other change ends the chain."""
    position: dict[str, int] = {}
    chain: list[dict[str, Any]] = []
    for index, entry in enumerate(entries):
        undone = entry.get("undoes")
        if undone in position:
            del position[undone]
            chain.append(entry)
            continue
        position[entry["id"]] = index
        if undone is not None and any(e["id"] == undone for e in chain):
            chain = [e for e in chain if e["id"] != undone]
        else:
            chain = []
    return _Replay(position, chain)


def _said(record: dict[str, Any] | None, table: str, key: str) -> str:
    if table == "claims":
        return f"claim {key}"
    if table == "actors":
        return f"actor {key!r}"
    url = (record or {}).get("url")
    return f"source {key}" + (f" ({url})" if url else "")


def effects(target: dict[str, Any]) -> list[str]:
    """What reverting a change set does, in words: each record it restores or removes, and for an
    actor or source changed in place, which alias or field comes back."""
    whole: dict[tuple[str, str], list[str]] = {}  # (verb, table) -> records
    fields_of: dict[tuple[str, str], list[str]] = {}  # (fields, table) -> records changed in place
    words: list[str] = []
    for change in target["changes"]:
        table, key, before, after = change["table"], change["key"], change["before"], change["after"]
        if table == "meta":
            continue
        if before is None or after is None:
            whole.setdefault(("remove" if before is None else "restore", table), []).append(_said(before or after, table, key))
            continue
        fields = sorted(k for k in before.keys() | after.keys()
                        if k not in ("history", "updated_at", "aliases") and before.get(k) != after.get(k))
        if table == "actors":
            old, new = before.get("aliases", []), after.get("aliases", [])
            words += [f"restore alias {a!r} of {key}" for a in old if a not in new]
            words += [f"remove alias {a!r} of {key}" for a in new if a not in old]
        if fields:
            fields_of.setdefault((", ".join(fields), table), []).append(_said(before, table, key))
    for (verb, table), names in whole.items():
        words.append(f"{verb} {', '.join(names)}" if len(names) <= 3 else f"{verb} {len(names)} {table}")
    for (changed, table), names in fields_of.items():
        words.append(f"restore the {changed} of {', '.join(names) if len(names) <= 3 else f'{len(names)} {table}'}")
    if len(words) > 6:
        words = [*words[:5], f"and {len(words) - 5} more changes"]
    return words or ["change nothing in the records"]


def _comparable(record: dict[str, Any] | None) -> Any:
    """A record as undo compares it: its own history and update time are an audit trail, not state."""
    if record is None or "history" not in record:
        return record
    return {k: v for k, v in record.items() if k not in ("history", "updated_at")}


def redo(store: Store, *, dry_run: bool = False) -> Reversal:
    """Re-apply the change set the latest undo reverted (if no other change came after the undos)."""
    return undo(store, dry_run=dry_run, redoing=True)


def undo(store: Store, change_id: str | None = None, *, dry_run: bool = False, redoing: bool = False) -> Reversal:
    """Revert the newest change set still in effect (run again, the one before it; or a given one
    no later change set in effect touched) as a whole. `redoing` reverts the latest undo instead."""
    now = utc_now()

    def plan() -> tuple[dict[str, Any], bool]:
        """The change set to revert, and whether reverting it is a redo (it is an undo)."""
        entries = _journal_entries(store)
        if store.unrecorded and change_id is None:
            unrecorded = _unrecorded(store.unrecorded)
            raise InvalidInput(f"cannot undo: {unrecorded}, so undo would skip it; make the journal writable again, "
                               "or give the change_id of an older change set", about="undo-unrecorded",
                               unrecorded=unrecorded)
        if not entries:
            raise NotFound(f"nothing to undo: no change sets in {store.journal.path}")
        replay = _replay(entries)
        if redoing:
            if not replay.redoable:
                raise NotFound("nothing to redo: no undo since the last change"
                               if any(e.get("undoes") for e in entries) else "nothing to redo: nothing was undone")
            target = replay.redoable[-1]
        elif change_id is None:
            if not replay.in_effect:
                raise NotFound(f"nothing to undo: every change set in {store.journal.path} is undone")
            target = entries[max(replay.in_effect.values())]
        else:
            matches = [e for e in entries if e["id"].startswith(change_id.strip().lower())]
            if len(matches) != 1:
                raise NotFound(f"no change set {change_id!r}" if not matches else f"change set prefix {change_id!r} is ambiguous")
            target = matches[0]
        if "gap" in target:
            unrecorded = _unrecorded(target)
            raise InvalidInput(f"cannot undo: {unrecorded}, so undo cannot revert it"
                               + ("" if change_id else "; give the change_id of an older change set"),
                               about="undo-gap", unrecorded=unrecorded, given=change_id is not None)
        in_effect = replay.in_effect
        redo = target["id"] not in in_effect and target.get("undoes") is not None
        if target["id"] not in in_effect and not redo and target is not entries[-1]:
            undone_by = next((e["id"] for e in entries if e.get("undoes") == target["id"]), None)
            raise InvalidInput(f"change set {target['id']} is already undone"
                               + (f" (by {undone_by}; undoing {undone_by} re-applies it)" if undone_by else ""),
                               about="already-undone", change=target["id"], undone_by=undone_by)
        position = entries.index(target)
        touched = {(c["table"], c["key"]) for c in target["changes"]}
        # The latest undo on the redo chain is re-applied over the redos after it: they only put
        # back what the undos after it took away (check_unmoved still compares the records).
        chained = bool(replay.redoable) and target is replay.redoable[-1]
        later = [] if chained else [e for e in entries[position + 1:] if e["id"] in in_effect
                                    and touched & {(c["table"], c["key"]) for c in e["changes"]}]
        if later:
            raise InvalidInput(f"cannot undo {target['id']}: later change sets touched the same records: "
                               + ", ".join(f"{e['id']} ({e['command'] or 'no command'})" for e in later[-5:])
                               + "; undo those first")
        _check_restorable(store, target)
        _dependants(store, target, entries)
        return target, redo

    def check_unmoved(target: dict[str, Any], tables: dict[str, dict[str, Any]]) -> None:
        moved = [c["key"] for c in target["changes"]
                 if _comparable(tables.get(c["table"], {}).get(c["key"])) != _comparable(c["after"])]
        if moved:
            raise InvalidInput(f"cannot undo {target['id']}: {moved[0]} was changed outside natoclaims since")

    def summary(target: dict[str, Any], redo: bool) -> Reversal:
        claims = [c for c in target["changes"] if c["table"] == "claims"]
        return Reversal(target, [c["key"] for c in claims if c["before"]], [c["key"] for c in claims if not c["before"]],
                      redo=redo, effects=effects(target))

    if dry_run:
        target, redo = plan()
        check_unmoved(target, store.tables.data())
        return summary(target, redo)
    with store.writing() as locked:
        target, redo = plan()
        tables = store.tables.data()
        check_unmoved(target, tables)
        exact = "upgrade" in target  # a change of format, not of content: restored as it was
        restored: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        present: dict[str, list[str]] = {}
        for change in target["changes"]:
            table, key, before = change["table"], change["key"], change["before"]
            current = tables.get(table, {}).get(key)
            if current is not None:
                present.setdefault(table, []).append(key)
            if before is None:
                continue
            record = copy.deepcopy(before)
            if table == "claims" and not exact:
                # The claim's history keeps every change, the one undone included, and says it was undone.
                record["history"] = copy.deepcopy((current or before)["history"]) + [history_entry(
                    "undo", None, None, by=store.user, at=now,
                    note=f"undid change set {target['id']} ({target['command'] or 'no command'})")]
                record["updated_at"] = now
            restored.setdefault(table, []).append((key, record))
        for table, keys in present.items():
            store.remove_records(table, keys)  # one call per table: each rewrites the table
        for table, records in restored.items():
            if table == "claims":
                store.insert_claims([record for _, record in records])
            else:
                for key, record in records:
                    store.put_record(table, key, record)
        locked.undoes = target["id"]
        # Reverting a `resolve` opens its conflict again (and reverting that settles it again).
        reopened, settled = target.get("settles", []), target.get("reopens", [])
        if reopened:
            locked.marks["reopens"] = reopened
        if settled:
            locked.marks["settles"] = settled
    if store.path is not None:
        from natoclaims.core.team import settle_again

        settle_again(store.path, settled, reopened)
    return summary(target, redo)


def change_log(store: Store, *, claim: str | None = None, user: str | None = None,
               since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
    """Change sets, newest first, as summaries: id, time, user, command and the claims touched."""
    from natoclaims.engines.search import argument_date
    from natoclaims.model.dates import date_range

    low = date_range(argument_date(since, "since"))[0].isoformat() if since else None
    high = date_range(argument_date(until, "until"))[1].isoformat() if until else None
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
        raise InvalidInput("keep must be 0 or more", about="keep", keep=keep)
    with store.writing():
        entries = _journal_entries(store)
        dropped = max(0, len(entries) - keep)
        if dropped:
            store.journal.rewrite(entries[len(entries) - keep:] if keep else [])
    return dropped
