"""Reading the index (`store.index`): records by key, the claims a filter may select, and counts,
each at the cost of its answer."""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import orjson

from natoclaims.store import index_rows

if TYPE_CHECKING:
    from natoclaims.store.index import Index


class Queries:
    """What reads ask of an index that matches its file."""

    db: sqlite3.Connection | None

    def mend(self, error: sqlite3.Error) -> None:
        """Replace a database a query found damaged (by a new one made from the file), or raise."""
        raise NotImplementedError

    def _run(self, sql: str, values: Iterable[Any] = ()) -> list[Any]:
        """The rows of a query; a database found damaged on the way is made anew and asked again."""
        values = tuple(values)
        try:
            assert self.db is not None, "sync() first"
            return self.db.execute(sql, values).fetchall()
        except sqlite3.DatabaseError as exc:
            self.mend(exc)
            assert self.db is not None
            return self.db.execute(sql, values).fetchall()

    def _write(self, sql: str, values: Iterable[Any] = ()) -> None:
        assert self.db is not None, "sync() first"
        self.db.execute(sql, tuple(values))

    def record(self, table: str, key: str) -> Any:
        """One record, or None."""
        if table == "claims":
            rows = self._run("SELECT json FROM bodies WHERE n = (SELECT n FROM claims WHERE id = ?)", (key,))
        else:
            rows = self._run("SELECT json FROM records WHERE tab = ? AND key = ?", (table, key))
        return orjson.loads(rows[0][0]) if rows else None

    def records(self, table: str, keys: list[str]) -> dict[str, Any]:
        """The records of these keys that there are, by key."""
        found: dict[str, Any] = {}
        for at in range(0, len(keys), 500):
            chunk = keys[at:at + 500]
            marks = ",".join("?" * len(chunk))
            if table == "claims":
                rows = self._run(f"SELECT id, json FROM claims JOIN bodies USING (n) WHERE id IN ({marks})", chunk)
            else:
                rows = self._run(f"SELECT key, json FROM records WHERE tab = ? AND key IN ({marks})", [table, *chunk])
            found.update((key, orjson.loads(raw)) for key, raw in rows)
        return found

    def keys(self, table: str) -> list[str]:
        if table == "claims":
            return [key for (key,) in self._run("SELECT id FROM claims ORDER BY id")]
        return [key for (key,) in self._run("SELECT key FROM records WHERE tab = ? ORDER BY key", (table,))]

    def count(self, table: str) -> int:
        if table == "claims":
            return int(self._run("SELECT count(*) FROM claims")[0][0])
        return int(self._run("SELECT count(*) FROM records WHERE tab = ?", (table,))[0][0])

    def items(self, table: str, column: str = "json") -> Iterator[tuple[str, Any]]:
        """Every record of a table in key order, parsed one at a time (claims' `facts` if asked), read a
        page of keys at a time (so that a damaged database is made anew before any is given)."""
        if table == "claims":
            sql = (f"SELECT id, {'facts' if column == 'facts' else 'json'} FROM claims JOIN bodies USING (n) "
                   "WHERE ? = 'claims' AND id > ? ORDER BY id LIMIT 2000")
        else:
            sql = "SELECT key, json FROM records WHERE tab = ? AND key > ? ORDER BY key LIMIT 2000"
        after = ""
        while rows := self._run(sql, (table, after)):
            for key, raw in rows:
                yield key, orjson.loads(raw)
            after = rows[-1][0]

    def with_prefix(self, prefix: str) -> list[str]:
        """Claim ids starting with `prefix`."""
        rows = self._run("SELECT id FROM claims WHERE id >= ? AND id < ? ORDER BY id", (prefix, prefix + "\U0010ffff"))
        return [key for (key,) in rows]

    def actor_names(self) -> list[str]:
        """Every name claims are attributed to."""
        return [name for (name,) in self._run("SELECT value FROM tallies WHERE what = 'actor'")]

    def candidates(self, *, ids: Iterable[str] | None = None, actors: Iterable[str] | None = None,
                   statuses: Iterable[str] | None = None, kinds: Iterable[str] | None = None,
                   topics: Iterable[str] | None = None, measures: Iterable[str] | None = None,
                   since: str | None = None, until: str | None = None, prefixes: Iterable[str] = (),
                   links_to: str | None = None, units: Iterable[str] | None = None,
                   column: str = "json") -> list[dict[str, Any]] | None:
        """The claims that may pass filters given as plain values (each None: not filtered on), in id
        order; None when nothing narrows them. Word `prefixes` are the folded starts of words a
        claim's text must have. Every value OR, every filter AND: the caller's matcher decides."""
        parts: list[str] = []
        values: list[Any] = []

        def where(sql: str, given: Iterable[Any] | None) -> None:
            if given is not None:
                given = list(given)
                parts.append(sql.replace("?*", ",".join("?" * len(given))))
                values.extend(given)

        where("SELECT n FROM claims WHERE id IN (?*)", ids)
        where("SELECT n FROM claims WHERE actor IN (?*)", actors)
        where("SELECT n FROM claims WHERE status IN (?*)", statuses)
        where("SELECT n FROM claims WHERE kind IN (?*)", kinds)
        where("SELECT n FROM labels WHERE what = 'topic' AND value IN (?*)", topics)
        where("SELECT n FROM labels WHERE what = 'figure' AND value IN (?*)", measures)
        where("SELECT n FROM claims WHERE said_to >= ?*", [since] if since else None)
        where("SELECT n FROM claims WHERE said_from <= ?*", [until] if until else None)
        where("SELECT n FROM labels WHERE what = 'link' AND value = ?*", [links_to] if links_to else None)
        where("SELECT n FROM labels WHERE what = 'unit' AND value IN (?*)", units)
        words = " AND ".join(f'"{index_rows.hex_word(p)}"*' for p in prefixes)
        where("SELECT rowid FROM words WHERE words MATCH ?*", [words] if words else None)
        if not parts or len(values) > 30000:
            return None
        return self.claims_where(" INTERSECT ".join(parts), values, column)

    def claims_where(self, sql: str, values: Iterable[Any] = (), column: str = "json") -> list[dict[str, Any]]:
        """The claims whose number is in the result of `sql`, in id order (their `facts` if asked)."""
        rows = self._run(f"SELECT {'facts' if column == 'facts' else 'json'} FROM claims JOIN bodies USING (n) "
                         f"WHERE n IN ({sql}) ORDER BY id", values)
        return [orjson.loads(raw) for (raw,) in rows]

    def in_pairs(self) -> list[dict[str, Any]]:
        """The facts of every claim that states a figure, takes a stance, links or is linked to: all
        a contradiction can involve."""
        return self.claims_where("SELECT n FROM labels WHERE what IN ('figure', 'stance', 'link') UNION "
                                 "SELECT n FROM claims WHERE id IN (SELECT value FROM labels WHERE what = 'link')",
                                 column="facts")

    def remembered(self, name: str) -> Any:
        """A result computed from the store as the index holds it now (None if there is none)."""
        rows = self._run("SELECT json FROM results WHERE name = ? AND crc = (SELECT value FROM meta WHERE key = 'crc')",
                         (name,))
        return orjson.loads(zlib.decompress(rows[0][0])) if rows else None

    def remember(self, name: str, value: Any) -> None:
        """Keep a result computed from the store as the index holds it now, until the store changes."""
        self._write("INSERT OR REPLACE INTO results VALUES (?, (SELECT value FROM meta WHERE key = 'crc'), ?)",
                    (name, zlib.compress(orjson.dumps(value), 1)))  # a million pairs pass SQLite's 1 GB limit

    def sources_by_key(self, key: str) -> list[str]:
        """The ids of the registered sources with this key (`upgrade.source_key`)."""
        return [i for (i,) in self._run("SELECT id FROM source_keys WHERE key = ?", (key,))]

    def counts(self, what: str) -> dict[str, int]:
        """Claims by status, actor or month ('undated' for none), or occurrences of a label by value
        (topic, stance), from the tallies the index keeps (`index_rows.claim_tallies`)."""
        return dict(self._run("SELECT value, count FROM tallies WHERE what = ?", (what,)))

    def claims_with(self, what: str) -> dict[str, int]:
        """How many claims have each value of a label (topic, figure)."""
        return dict(self._run("SELECT value, count FROM tallies WHERE what = ?", (f"{what}-claims",)))


class IndexedTable(Mapping[str, Any]):
    """One table of the store as a read-only mapping over the index: a record is parsed when asked for."""

    def __init__(self, index: Index, table: str) -> None:
        self.index, self.table = index, table

    def __getitem__(self, key: str) -> Any:
        record = self.index.record(self.table, key) if isinstance(key, str) else None
        if record is None:
            raise KeyError(key)
        return record

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.index.record(self.table, key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.index.keys(self.table))

    def __len__(self) -> int:
        return self.index.count(self.table)

    def items(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]  # one pass, not a view
        return self.index.items(self.table)

    def values(self) -> Iterator[Any]:  # type: ignore[override]  # one pass, not a view
        return (record for _, record in self.index.items(self.table))

    def with_prefix(self, prefix: str) -> list[str]:
        return self.index.with_prefix(prefix) if self.table == "claims" else []
