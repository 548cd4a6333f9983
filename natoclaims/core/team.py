"""Teams sharing a store in git (SPEC section 11): the merge driver, its conflicts, `resolve`
(`git_setup` is in `core.git`).

`merge_files` is what git runs for the store file (`merge-file %O %A %B %P`): it writes the merged
store over OURS, as the store writes itself, and records the conflicts in a file beside the store
(`claims.json.conflicts`), which exists only while a conflict is open: `resolve` settles one and
removes the file with the last, so `git add claims.json` after resolving completes the merge.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from natoclaims.core.git import run_git
from natoclaims.errors import InvalidInput, NotFound, StoreError, UsageError
from natoclaims.model import VERDICTS, check_actor, check_claim, check_source_record, history_entry, resolve_id, utc_now
from natoclaims.model.text import counted, fold_name
from natoclaims.paths import conflicts_file
from natoclaims.store import Store, encode, write_atomically
from natoclaims.store.files import SCHEMA, check_shape, decode, empty_data, parse, read_owned, reading, schema
from natoclaims.store.merge import MERGED_TABLES, RECORD, merge_encoded, merge_stores
from natoclaims.store.merge_repair import COPIED, consistent
from natoclaims.store.upgrade import upgrade

TABLE_NAMES = {"claims": "claim", "actors": "actor", "sources": "source"}
CONFLICT_COLUMNS = ["key", "record", "field", "base", "ours", "theirs"]
CONFLICTS_LIMIT = 1 << 28  # bytes: a branch may commit the conflicts file, so it is read bounded


def read_side(path: Path) -> bytes:
    """One side of a merge, as bytes; a file that cannot be read is a usage error (exit 2), since
    git passed it, or the user named the wrong file."""
    try:
        with reading(path) as handle:
            return handle.read()
    except StoreError as exc:
        raise UsageError(str(exc)) from None


SIDES = ("BASE", "OURS", "THEIRS")  # named as git's driver arguments are


def parse_side(raw: bytes, path: Path, side: str) -> dict[str, Any]:
    """One side parsed and checked: anything but a store this version reads is a usage error (exit 2).
    An empty BASE is an empty store: git passes one when both branches created the store."""
    import orjson

    if side == "BASE" and not raw.strip():
        return empty_data()
    try:
        try:
            data = check_shape(orjson.loads(raw), path)
        except orjson.JSONDecodeError:
            data = parse(decode(raw, path), path)  # the stdlib's message, or the conflict markers named
    except StoreError as exc:
        raise UsageError(f"{side} {exc}") from None
    return upgrade(data) if schema(data) < SCHEMA else data


def _validate(paths: tuple[Path, ...]) -> Callable[[int, dict[str, Any]], None]:
    """A check of one side's records as `check` makes it: a side that fails is refused, by name."""
    from natoclaims.core.reports import side_problems

    def validate(side: int, tables: dict[str, Any]) -> None:
        problems = side_problems(tables)
        if problems:
            more = f" (and {counted(len(problems) - 1, 'more problem')})" if len(problems) > 1 else ""
            raise InvalidInput(f"{SIDES[side]} {paths[side]}: {problems[0]}{more}; nothing merged, OURS left as it was")
    return validate


def merge_files(base: str | os.PathLike[str], ours: str | os.PathLike[str], theirs: str | os.PathLike[str],
                store: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Merge THEIRS into OURS against BASE, write the result over OURS and record its conflicts
    beside `store` (the store's path in the work tree, git's %P; else OURS). Nothing is written
    when a side cannot be read or holds a record `check` rejects."""
    base, ours, theirs = Path(base), Path(ours), Path(theirs)
    store = None if store is None else Path(store)
    paths = (base, ours, theirs)
    live = store is None or os.path.realpath(store) == os.path.realpath(ours)  # by hand, beside writers; not git's copy
    with Store(ours).locked() if live else nullcontext():
        raws = (read_side(base), read_side(ours), read_side(theirs))
        validate = _validate(paths)
        fast = merge_encoded(*raws, validate=validate)
        content: bytes | list[bytes]
        if fast is None:
            sides = [parse_side(raw, path, side) for raw, path, side in zip(raws, paths, SIDES, strict=True)]
            for index in (1, 2):
                validate(index, sides[index])
            merged, conflicts = merge_stores(*sides)
            content = encode(merged)
        else:
            content, conflicts = fast
        del raws
        write_atomically(ours, content)
        if conflicts:
            record_conflicts(store or ours, conflicts)
    return conflicts


def _conflict_key(conflict: dict[str, Any]) -> tuple[str, str, str]:
    return conflict["table"], conflict["key"], conflict["field"]


def _read_conflicts(store: Path) -> tuple[list[dict[str, Any]], list[str] | None]:
    """The conflicts recorded beside the store, and the git commits the merge that found them
    started from (the one checked out, and the branch a rebase was replaying)."""
    path = conflicts_file(store)
    raw = read_owned(path, "conflicts file", limit=CONFLICTS_LIMIT)
    if raw is None:
        return [], None
    try:
        recorded = json.loads(decode(raw, path))
        conflicts = recorded.get("conflicts") if isinstance(recorded, dict) else None
        if not isinstance(conflicts, list) or not all(isinstance(c, dict) for c in conflicts):
            raise ValueError("no list of conflicts")
        for conflict in conflicts:
            _check_conflict(conflict)
    except (ValueError, RecursionError) as exc:
        raise StoreError(f"{path}: not a natoclaims conflicts file ({exc})") from None
    heads = recorded.get("head")
    heads = [heads] if isinstance(heads, str) else heads  # one commit, as earlier versions wrote
    return conflicts, heads if isinstance(heads, list) and all(isinstance(h, str) for h in heads) else None


def _check_conflict(conflict: dict[str, Any]) -> None:
    """A recorded conflict names a claim, actor or source and one field of it (never the `meta` table)."""
    if conflict.get("table") not in TABLE_NAMES:
        raise ValueError(f"a conflict names the table {conflict.get('table')!r}, not claims, actors or sources")
    if not all(isinstance(conflict.get(k), str) for k in ("key", "field")):
        raise ValueError("a conflict without the key and field it is about")


def open_conflicts(store: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The conflicts recorded beside the store and not settled yet. Those of a merge that was given
    up (`git merge --abort`, `git rebase --abort`, `git reset --hard`: no merge under way, a commit
    it started from checked out again and the store as it holds it) are not open any more."""
    store = Path(store)
    conflicts, heads = _read_conflicts(store)
    if conflicts and heads and _given_up(store, heads):
        return []
    return conflicts


def _git_head(folder: Path, name: str = "HEAD") -> str | None:
    """The commit `name` (HEAD: the one checked out) in the git work tree holding `folder`, if any."""
    try:
        return run_git(folder, "rev-parse", "-q", "--verify", name) or None
    except StoreError:
        return None


def _rebase_origin(folder: Path) -> str | None:
    """The commit a rebase under way started from (where `git rebase --abort` goes back to), if any."""
    for backend in ("rebase-merge", "rebase-apply"):
        try:
            recorded = folder / run_git(folder, "rev-parse", "--git-path", f"{backend}/orig-head")
            return recorded.read_text(encoding="ascii").strip() or None
        except (StoreError, OSError, UnicodeDecodeError):
            continue
    return None


def _merge_heads(folder: Path) -> list[str]:
    """The commits a merge under way starts from: HEAD and, in a rebase, the branch being replayed."""
    return [head for head in (_git_head(folder), _rebase_origin(folder)) if head]


def _given_up(store: Path, heads: list[str]) -> bool:
    folder = store.absolute().parent
    if _git_head(folder) not in heads:
        return False
    if _rebase_origin(folder) or any(_git_head(folder, name) for name in ("MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD")):
        return False  # the merge is still under way
    try:
        run_git(folder, "diff", "--quiet", "HEAD", "--", store.name)
    except StoreError:
        return False
    return True


def record_conflicts(store: Path, conflicts: list[dict[str, Any]]) -> None:
    """Record new conflicts beside the store, joining any still open there."""
    kept = {_conflict_key(c): c for c in open_conflicts(store)}
    kept.update({_conflict_key(c): c for c in conflicts})
    _keep_open(store, list(kept.values()), _merge_heads(store.absolute().parent))


def _keep_open(store: Path, conflicts: list[dict[str, Any]], heads: list[str] | None) -> None:
    """The conflicts file holds exactly these; it goes with the last one, so a settled merge leaves nothing behind."""
    path = conflicts_file(store)
    if conflicts:
        write_atomically(path, encode({"conflicts": sorted(conflicts, key=_conflict_key), "head": heads or None}))
        return
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise StoreError(f"{path}: cannot remove: {exc.strerror or exc}") from None


def conflict_rows(conflicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The conflicts as rows: the record's key (claim id, actor name, source id), which kind of record, the field and the three values."""
    return [{"key": c["key"], "record": TABLE_NAMES.get(c["table"], c["table"]), "field": c["field"],
             "base": c.get("base"), "ours": c.get("ours"), "theirs": c.get("theirs")} for c in conflicts]


def _find_conflict(store: Store, conflicts: list[dict[str, Any]], key: str, field: str) -> dict[str, Any]:
    """The open conflict over this record (a claim id or prefix, an actor's name, a source id) and field."""
    if not conflicts:
        raise NotFound(f"no open merge conflicts in {store.path}")
    matches = [c for c in conflicts if c["key"] == key]
    if not matches:
        claims = [c for c in conflicts if c["table"] in ("claims", "sources")]
        keys = {c["key"] for c in claims}
        if not any(k.startswith(key.strip().lower()) for k in keys):
            raise NotFound(f"no open merge conflict over {key!r} (see open_conflicts)")
        full = resolve_id(key, keys)  # a prefix too short, or matching two records in conflict, is named as such
        matches = [c for c in claims if c["key"] == full]
    for conflict in matches:
        if conflict["field"] == field:
            return conflict
    fields = ", ".join(sorted({c["field"] for c in matches}))
    raise NotFound(f"no open merge conflict over field {field!r} of {matches[0]['key']!r} (open: {fields})")


def _parse_value(value: str, conflict: dict[str, Any]) -> Any:
    """A value typed for a field: JSON for a field whose values are not text, else the text itself."""
    textual = all(v is None or isinstance(v, str) for v in (conflict.get("ours"), conflict.get("theirs")))
    if textual:
        return value if value != "" else None
    try:
        return json.loads(value)
    except ValueError:
        raise InvalidInput(f"the value for field {conflict['field']!r} must be JSON, like the values in conflict "
                           f"({json.dumps(conflict.get('ours'))})") from None


def resolve(store: Store, key: str, field: str, *, side: str | None = None, value: str | None = None) -> dict[str, Any]:
    """Settle one open conflict: keep `side` ('ours' or 'theirs') or set `value`; returns the conflict.
    A verdict conflict is settled by a review with the chosen verdict; any other change is one
    change set like an edit (a claim's history records it)."""
    if (side is None) == (value is None):
        raise UsageError("give one of side='ours', side='theirs' or value")
    if store.path is None:
        raise UsageError("conflicts are kept beside a store file")
    with store.writing():
        before = {name: dict(store.tables.data().get(name, {})) for name in MERGED_TABLES}
        conflicts, head = _read_conflicts(store.path)
        if not open_conflicts(store.path):  # none, or those of a merge given up
            conflicts = []
        conflict = _find_conflict(store, conflicts, key, field)
        store.marks["settles"] = [conflict]  # undoing the change set opens it again
        table, record_key = conflict["table"], conflict["key"]
        if conflict["field"] == RECORD:
            if value is not None:
                raise UsageError("a record deleted on one side and changed on the other takes side='ours' or side='theirs', not a value")
            _settle_record(store, table, record_key, conflict[side or "ours"])
        elif table == "claims" and conflict["field"] == "status":
            verdict = conflict[side] if side else value
            if verdict not in VERDICTS:
                raise InvalidInput(f"unknown verdict {verdict!r}: one of {', '.join(VERDICTS)}")
            from natoclaims.core.reviews import review

            review(store, [record_key], str(verdict), note=f"merge conflict settled: {verdict}")
        else:
            chosen = conflict[side] if side else _parse_value(str(value), conflict)
            _settle_field(store, table, record_key, conflict["field"], chosen)
        _repair(store, before)
    _keep_open(store.path, [c for c in conflicts if c is not conflict], head)  # once the store holds the choice
    return conflict


def settle_again(store: Path, settled: list[dict[str, Any]], reopened: list[dict[str, Any]]) -> None:
    """After an undo or redo of a change set that settled conflicts (`resolve`): open those it
    reverted the settling of again, and close those it settled again."""
    if not settled and not reopened:
        return
    conflicts, head = _read_conflicts(store)
    kept = {_conflict_key(c): c for c in (conflicts if open_conflicts(store) else [])}
    for conflict in settled:
        kept.pop(_conflict_key(conflict), None)
    kept.update({_conflict_key(c): c for c in reopened})
    _keep_open(store, list(kept.values()), head or _merge_heads(store.absolute().parent))


def _settle_record(store: Store, table: str, key: str, record: dict[str, Any] | None) -> None:
    current = store.tables.data()[table].get(key)
    if record is None:
        if current is not None:
            if table == "claims":
                from natoclaims.core.claims import remove_claims

                remove_claims(store, [key])
            else:
                store.remove_records(table, [key])
    elif record != current:
        store.put_record(table, key, _checked(table, record, key))


def _checked(table: str, record: dict[str, Any], key: str) -> Mapping[str, Any]:
    """A record as the store keeps it under `key`; one naming another key is refused."""
    if table == "claims":
        checked: Mapping[str, Any] = check_claim(record, now=utc_now())
    else:
        checks: dict[str, Callable[[Any], Mapping[str, Any]]] = {"actors": check_actor, "sources": check_source_record}
        checked = checks[table](record)
    named = checked["name" if table == "actors" else "id"]
    if named != key:
        raise InvalidInput(f"the {TABLE_NAMES[table]} {key!r} in conflict is named {named!r} there: not settled")
    return checked


def _repair(store: Store, before: dict[str, Any]) -> None:
    """The merge's repair pass over what a resolution changed: each claim's copy of a source is the
    registry's, and an actor or source the chosen side removed stays while a claim cites it (one the
    store never held is made from what the claim says of it)."""
    data = store.tables.data()
    tables = {"meta": data["meta"], **{name: dict(data.get(name, {})) for name in MERGED_TABLES}}
    consistent(tables, [before, before, before])
    actors: dict[str, Any] = tables["actors"]
    sources: dict[str, Any] = tables["sources"]
    for claim in tables["claims"].values():
        if claim["actor"] not in actors:
            actors[claim["actor"]] = check_actor({"name": claim["actor"]})
        for entry in [*claim["sources"], *(e for r in claim["reviews"] for e in r["evidence"])]:
            if entry.get("id") and entry["id"] not in sources:
                sources[entry["id"]] = check_source_record({f: entry.get(f) for f in COPIED})
    for name in MERGED_TABLES:
        for key, record in tables[name].items():
            if data[name].get(key) != record:
                store.put_record(name, key, record)


def _settle_field(store: Store, table: str, key: str, field: str, value: Any) -> None:
    current = store.tables.data()[table].get(key)
    if current is None:
        raise NotFound(f"the {TABLE_NAMES[table]} {key!r} is no longer in the store")
    if current.get(field) == value:
        return
    if table == "actors" and field == "aliases" and isinstance(value, list):
        _check_free_aliases(store, key, value)
    record = {**current, field: value}
    if table == "claims":
        now = utc_now()
        record["history"] = [*current["history"], history_entry(field, current.get(field), value, by=store.user,
                                                                at=now, note="merge conflict settled")]
        record["updated_at"] = now
    try:
        store.put_record(table, key, _checked(table, record, key))
    except InvalidInput as exc:
        raise InvalidInput(f"{field}: {exc}") from None


def _check_free_aliases(store: Store, name: str, aliases: list[Any]) -> None:
    """Refuse an alias that names another actor (by its name or one of its aliases)."""
    taken = {fold_name(each): other for other, actor in store.actors.items() if other != name
             for each in [other, *actor.get("aliases", [])]}
    for alias in aliases:
        if isinstance(alias, str) and fold_name(alias) in taken:
            raise InvalidInput(f"{alias!r} already names the actor {taken[fold_name(alias)]!r}: not settled")
