"""A three-way merge of two stores, record by record and field by field (SPEC section 11). Pure.

`merge_stores(base, ours, theirs)` takes three parsed stores (any schema this version reads) and
returns the merged store and its conflicts. A record added on one side is kept, a field changed on
one side takes that change, list fields merge as sets (what either side removed is gone, what
either side added is there, base order first, then additions in a stable order; `history` and
`reviews` oldest first), `updated_at` is the later one and a claim's `status` is the verdict of its
latest review. What both sides changed differently is a conflict; the merged store holds our value
and the conflict carries the base, ours and theirs. Unknown fields (a source's `archive`, a quote's
`selector`) are merged like any other.

The result always passes `check`: a last pass keeps what the two sides did together consistent (a
source both registered under two ids is one source, each claim's copy of a source matches the
registry, a claim never cites a source or actor that the other side removed, a link to a claim the
other side removed goes with it): that pass is `store.merge_repair`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any, cast

import orjson

from natoclaims.model.text import fold_name
from natoclaims.store.files import SCHEMA, schema
from natoclaims.store.merge_repair import COPIED, consistent, item_key, stale
from natoclaims.store.pieces import piece_key
from natoclaims.store.upgrade import upgrade

MERGED_TABLES = ("claims", "actors", "sources")
LIST_FIELDS = frozenset({"topics", "sources", "links", "stances", "quantities", "reviews", "history", "aliases"})
OLDEST_FIRST = frozenset({"reviews", "history"})
RECORD = "record"  # the field of a conflict over a whole record: deleted on one side, changed on the other
MISSING: Any = object()
MAX_NAMED_CHANGES = 10  # records removed or renamed that the fast way looks for in the file (40 ms each at 100k claims)


def _value(value: Any) -> Any:
    return None if value is MISSING else value


def merge_list(base: Any, ours: list[Any], theirs: list[Any], *, oldest_first: bool = False) -> list[Any]:
    """A list merged as a set: base items both sides kept, in base order, then the items either side
    added, in a stable order (the same whichever side is ours); by `at` for reviews and history."""
    base = base if isinstance(base, list) else []
    base_keys = [item_key(item) for item in base]
    ours_keys, theirs_keys = {item_key(item) for item in ours}, {item_key(item) for item in theirs}
    merged: dict[bytes, Any] = {}
    for key, item in zip(base_keys, base, strict=True):
        if key in ours_keys and key in theirs_keys:
            merged.setdefault(key, item)
    known = set(base_keys)
    added = {key: item for key, item in ((item_key(i), i) for i in [*ours, *theirs]) if key not in known}
    merged.update(sorted(added.items()))
    items = list(merged.values())
    if oldest_first:
        items.sort(key=lambda item: str(item.get("at") or "") if isinstance(item, dict) else "")
    return items


class Merge:
    """One merge under way: the tables merged so far and the conflicts found."""

    def __init__(self, base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> None:
        self.base, self.ours, self.theirs = base, ours, theirs
        self.conflicts: list[dict[str, Any]] = []
        self.merged: dict[str, Any] = {"meta": ours["meta"]}

    def conflict(self, table: str, key: str, field: str, base: Any, ours: Any, theirs: Any) -> None:
        self.conflicts.append({"table": table, "key": key, "field": field, "base": _value(base),
                               "ours": _value(ours), "theirs": _value(theirs)})

    def table(self, name: str) -> dict[str, Any]:
        """One table merged record by record."""
        base, ours, theirs = self.base.get(name, {}), self.ours.get(name, {}), self.theirs.get(name, {})
        merged = {}
        for key in ours.keys() | theirs.keys():
            o, t = ours.get(key, MISSING), theirs.get(key, MISSING)
            if o is t or o == t:
                if o is not MISSING:
                    merged[key] = o
                continue
            b = base.get(key, MISSING)
            if o == b:
                if t is not MISSING:
                    merged[key] = t
            elif t == b:
                if o is not MISSING:
                    merged[key] = o
            elif o is MISSING or t is MISSING:  # deleted on one side, changed on the other: ours stands
                self.conflict(name, key, RECORD, b, o, t)
                if o is not MISSING:
                    merged[key] = o
            else:
                merged[key] = self.record(name, key, {} if b is MISSING else b, o, t)
        return merged

    def record(self, table: str, key: str, base: dict[str, Any], ours: dict[str, Any],
               theirs: dict[str, Any]) -> dict[str, Any]:
        """One record both sides changed (or both added), merged field by field."""
        merged = {}
        for field in sorted(ours.keys() | theirs.keys()):
            if table == "claims" and field == "status":
                continue  # the verdict of the latest review, below
            o, t, b = ours.get(field, MISSING), theirs.get(field, MISSING), base.get(field, MISSING)
            if o == t or t == b:
                value = o
            elif o == b:
                value = t
            elif b is MISSING and (o is None or t is None):  # given on one side only: the same new actor, a role on one side
                value = t if o is None else o
            elif field == "updated_at" and isinstance(o, str) and isinstance(t, str):
                value = max(o, t)
            elif field in LIST_FIELDS and isinstance(o, list) and isinstance(t, list):
                value = merge_list(b, o, t, oldest_first=field in OLDEST_FIRST)
            else:
                self.conflict(table, key, field, b, o, t)
                value = o
            if value is not MISSING:
                merged[field] = value
        if table == "claims" and "status" in ours:
            merged["status"] = self.verdict(key, base, ours, theirs, merged.get("reviews", []))
        return merged

    def verdict(self, key: str, base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any],
                reviews: list[dict[str, Any]]) -> str:
        """A claim's merged status: its latest review's verdict. Reviews added on both sides that end
        in different verdicts are a conflict over it (both reviews are kept)."""
        known = {item_key(r) for r in base.get("reviews", [])}
        added_ours = [r for r in ours.get("reviews", []) if item_key(r) not in known]
        added_theirs = [r for r in theirs.get("reviews", []) if item_key(r) not in known]
        if added_ours and added_theirs and ours["status"] != theirs["status"]:
            self.conflict("claims", key, "status", base.get("status", MISSING), ours["status"], theirs["status"])
        return reviews[-1]["verdict"] if reviews else "unverified"

    def one_claim_per_wording(self) -> None:
        """A claim both sides added apart (same actor, text and date, two ids) kept once, under the
        smaller id, the two merged like one record both added; links to the other id follow it.
        (Each is new on its side, so the fast way parsed both.)"""
        claims = self.merged["claims"]
        base, ours, theirs = (side.get("claims", {}) for side in (self.base, self.ours, self.theirs))

        def added(side: dict[str, Any], other: dict[str, Any]) -> dict[tuple[Any, ...], str]:
            return {(c.get("actor"), c.get("text"), c.get("said_on")): key for key, c in side.items()
                    if key not in base and key not in other and key in claims}

        theirs_added = added(theirs, ours)
        twins = [(key, theirs_added[wording]) for wording, key in added(ours, theirs).items() if wording in theirs_added]
        renamed = {}
        for ours_key, theirs_key in sorted(twins):
            kept, gone = sorted((ours_key, theirs_key))
            created = min(claims[kept]["created_at"], claims[gone]["created_at"])
            claims[kept] = self.record("claims", kept, {}, {**claims[ours_key], "id": kept, "created_at": created},
                                       {**claims[theirs_key], "id": kept, "created_at": created})
            del claims[gone]
            renamed[gone] = kept
        for key, claim in list(claims.items()) if renamed else []:
            if any(link.get("to") in renamed for link in claim.get("links", [])):
                links = [{**link, "to": renamed.get(link["to"], link["to"])} for link in claim["links"]]
                claims[key] = {**claim, "links": [link for link in links if link["to"] != key]}

    def one_actor_per_alias(self) -> None:
        """A name one side gave an actor as an alias while the other's store gives it to another
        actor: left off the first and a conflict over its aliases, so no name is two actors'."""
        actors = self.merged["actors"]
        every, ours = dict(actors), self.ours.get("actors", {})
        if isinstance(actors, _Unparsed):  # the fast way: the actors both sides hold alike, ours too
            alike = {key: actors[key] for key in map(piece_key, actors.pieces) if key not in every and key in actors}
            every, ours = {**every, **alike}, {**ours, **alike}
        holder = {fold_name(name): name for name in every}
        for name, actor in sorted(every.items()):
            holder.update({fold_name(a): name for a in actor.get("aliases", []) if a in ours.get(name, {}).get("aliases", [])})
        for name, actor in sorted(actors.items()):  # (an actor both hold alike keeps its aliases)
            taken = [a for a in actor.get("aliases", []) if holder.setdefault(fold_name(a), name) != name]
            if taken:
                kept = [a for a in actor["aliases"] if a not in taken]
                base = self.base.get("actors", {}).get(name, MISSING)
                self.conflict("actors", name, "aliases", base if base is MISSING else base.get("aliases"),
                              kept, actor["aliases"])
                actors[name] = {**actor, "aliases": kept}

    def run(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        for name in MERGED_TABLES:
            self.merged[name] = self.table(name)
        self.one_claim_per_wording()
        self.one_actor_per_alias()
        consistent(self.merged, [self.ours, self.theirs, self.base])
        return self.merged, self.sorted_conflicts()

    def sorted_conflicts(self) -> list[dict[str, Any]]:
        return sorted(self.conflicts, key=lambda c: (c["table"], c["key"], c["field"]))



def merge_stores(base: dict[str, Any], ours: dict[str, Any],
                 theirs: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The merged store and its conflicts (each: table, key, field, base, ours, theirs), sorted.
    A store of an older schema is upgraded first; the inputs are not changed."""
    sides = [upgrade(data) if schema(data) < SCHEMA else data for data in (base, ours, theirs)]
    return Merge(*sides).run()


def _copy_changed(key: str, sources: dict[str, Any], sides: list[dict[str, Any]]) -> bool:
    """Whether what claims copy of this source (or the source itself) differs between the merge and a side."""
    merged = sources.get(key)
    return any(key in side["sources"] and (merged is None or any(
        side["sources"][key].get(f) != merged.get(f) for f in COPIED)) for side in sides)


class _Unparsed(dict):  # type: ignore[type-arg]
    """A table the fast way merged: the records it parsed, and any other key (a record the two
    sides hold alike, not parsed) read from ours' pieces when asked for. Iterating it gives the
    parsed records only."""

    def __init__(self, parsed: dict[str, Any], touched: set[str], pieces: list[bytes]) -> None:
        super().__init__(parsed)
        self.touched, self.pieces = touched, pieces

    def _unparsed(self, key: Any) -> Any:
        from natoclaims.store.pieces import piece_key, piece_value

        if not isinstance(key, str) or key in self.touched:
            return MISSING
        at = bisect.bisect_left(self.pieces, key, key=piece_key)  # type: ignore[arg-type]
        if at < len(self.pieces) and piece_key(self.pieces[at]) == key:
            return piece_value(self.pieces[at])
        return MISSING

    def __contains__(self, key: Any) -> bool:
        return dict.__contains__(self, key) or self._unparsed(key) is not MISSING

    def __getitem__(self, key: Any) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        found = self._unparsed(key)
        if found is MISSING:
            raise KeyError(key)
        return found

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def with_value(self, field: str, values: set[Any] | None = None) -> dict[str, Any]:
        """The parsed records, and those not parsed whose `field` holds one of `values` (any, when
        None), found by their line in the piece as `make_piece` writes it (one find per record)."""
        from natoclaims.store.pieces import piece_key, piece_value

        found = dict(self)
        line = b'\n      "' + field.encode() + b'": '
        wanted = None if values is None else {orjson.dumps(value) for value in values}
        for piece in self.pieces:
            start = piece.find(line)
            if start < 0 or (key := piece_key(piece)) in found or key in self.touched:
                continue
            end = piece.find(b"\n", start + len(line))
            if wanted is None or piece[start + len(line):end].rstrip(b",") in wanted:
                try:
                    found[key] = piece_value(piece)
                except orjson.JSONDecodeError:
                    continue  # the same on both sides, never parsed: not what this merge changed
        return found


def merge_encoded(base: bytes, ours: bytes, theirs: bytes, validate: Callable[[int, dict[str, Any]], None] | None = None,
                  ) -> tuple[list[bytes], list[dict[str, Any]]] | None:
    """`merge_stores` over three store files as `encode` wrote them (the usual case in git), parsing
    only the records that differ between ours and theirs: the merged file (its bytes in parts, to
    write one after the other) and the conflicts. `validate(side, tables)` is called for ours (1)
    and theirs (2) first, with the records parsed and a view of the rest of that side's tables.
    None when the fast way does not apply (another layout or schema, a record that is not JSON, or
    a merge that touches records beyond the ones it parsed): then parse the files and call `merge_stores`."""
    from natoclaims.store.files import TABLES
    from natoclaims.store.pieces import join_store, make_piece, piece_key, piece_value, split_store

    found = [split_store(raw) for raw in (base, ours, theirs)]
    split = [tables for tables in found
             if tables is not None and sorted(tables) == sorted(TABLES) and len(tables["meta"]) == 1]
    if len(split) < len(found):
        return None
    small: list[dict[str, Any]] = []
    for tables in split:
        meta = piece_value(tables["meta"][0])
        if piece_key(tables["meta"][0]) != "1" or not isinstance(meta, dict) or meta.get("schema") != SCHEMA:
            return None
        small.append({"meta": {"1": meta}})
    pieces: dict[str, list[dict[str, bytes]]] = {}
    for name in MERGED_TABLES:
        b, o, t = (tables[name] for tables in split)
        o_set, t_set = set(o), set(t)
        keyed: list[dict[str, bytes]] = []
        for differing in (set(b) - (o_set & t_set), o_set - t_set, t_set - o_set):
            by_key = {piece_key(piece): piece for piece in differing}
            if None in by_key or len(by_key) < len(differing):
                return None
            keyed.append(cast(dict[str, bytes], by_key))  # no None key: checked just above
        touched = keyed[1].keys() | keyed[2].keys()
        keyed[0] = {key: piece for key, piece in keyed[0].items() if key in touched}
        pieces[name] = keyed
        for side, side_pieces in zip(small, keyed, strict=True):
            try:
                side[name] = {key: piece_value(piece) for key, piece in side_pieces.items()}
            except orjson.JSONDecodeError:
                return None  # parsed whole, the file's error is named with its line
    if validate is not None:
        for index in (1, 2):
            validate(index, {name: _Unparsed(small[index][name], set(), split[index][name]) if name in MERGED_TABLES
                             else small[index][name] for name in small[index]})
    merge = Merge(*small)
    for name in MERGED_TABLES:
        touched = set().union(*(side[name] for side in small))
        merge.merged[name] = _Unparsed(merge.table(name), touched, split[1][name])
    merge.one_claim_per_wording()
    merge.one_actor_per_alias()
    # A record not parsed is the same on both sides. As natoclaims writes a side (each passing
    # `check`), it cites what changed only through what it copies; look for its id otherwise.
    renamed, stale_sources, stale_actors, removed_claims = stale(merge.merged, small[1:])
    named = [*removed_claims, *stale_actors,
             *(key for key in stale_sources if _copy_changed(key, merge.merged["sources"], small[1:]))]
    if renamed or len(named) > MAX_NAMED_CHANGES or any(
            ours.count(needle) > sum(piece.count(needle) + piece.startswith(needle[1:])  # (a piece's key has no opening quote)
                                     for keyed in pieces.values() for piece in keyed[1].values())
            for needle in map(orjson.dumps, named)):
        return None  # records not parsed may cite what changed: parse them all
    consistent(merge.merged, [small[1], small[2], small[0]])
    out = {"meta": split[1]["meta"]}
    for name in MERGED_TABLES:
        _, o_pieces, t_pieces = pieces[name]
        replaced = set(o_pieces.values())
        table = [piece for piece in split[1][name] if piece not in replaced]
        for key, record in sorted(merge.merged[name].items()):
            piece = (o_pieces[key] if record is small[1][name].get(key) else
                     t_pieces[key] if record is small[2][name].get(key) else make_piece(key, record))
            table.insert(bisect.bisect_left(table, key, key=piece_key), piece)
        out[name] = table
    return join_store(out), merge.sorted_conflicts()
