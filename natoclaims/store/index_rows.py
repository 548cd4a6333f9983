"""What a record makes in the index (SPEC section 15): its tables, and the rows each record gives them.

`claims` has one row per claim: the fields filters compare, a projection of what contradictions
and repeats read (`facts`), and the record as JSON. `records` has the actors, sources and meta.
`labels` has what a claim is found by besides its fields: its topics, figures, stances and links,
one row per occurrence. `words` is an FTS5 table of the folded words a query can match; FTS5's
tokenizers split text otherwise than the search matcher (`_`, apostrophes, ß, "35,000"), so each
word is indexed as the hex of its UTF-8 bytes: one ASCII token whose prefixes are the prefixes
of the word. A query finds its candidates there, and the matcher decides.
"""

from __future__ import annotations

import functools
import sqlite3
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import orjson

from natoclaims.model import STATUSES
from natoclaims.model.dates import date_range
from natoclaims.model.text import haystack, word_tokens
from natoclaims.store.pieces import make_piece
from natoclaims.store.upgrade import source_key

TABLES_SQL = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE records(tab TEXT NOT NULL, key TEXT NOT NULL, crc INTEGER NOT NULL, json BLOB NOT NULL,
                     PRIMARY KEY (tab, key)) WITHOUT ROWID;
CREATE TABLE claims(n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, actor TEXT NOT NULL, status TEXT NOT NULL,
                    kind TEXT NOT NULL, said_on TEXT NOT NULL, said_from TEXT NOT NULL, said_to TEXT NOT NULL,
                    crc INTEGER NOT NULL);
CREATE TABLE bodies(n INTEGER PRIMARY KEY, facts BLOB NOT NULL, json BLOB NOT NULL);
CREATE TABLE labels(what TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL);
CREATE TABLE source_keys(key TEXT NOT NULL, id TEXT NOT NULL);
CREATE TABLE tallies(what TEXT NOT NULL, value TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (what, value)) WITHOUT ROWID;
CREATE TABLE results(name TEXT PRIMARY KEY, crc INTEGER NOT NULL, json BLOB NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE words USING fts5(tokens, tokenize='ascii', detail='none', prefix='2 4 6');
"""
INDEXES_SQL = """
CREATE INDEX claims_actor ON claims(actor);
CREATE INDEX claims_status ON claims(status);
CREATE INDEX labels_value ON labels(what, value);
CREATE INDEX labels_n ON labels(n);
CREATE INDEX source_keys_key ON source_keys(key);
CREATE INDEX source_keys_id ON source_keys(id);
"""
UNDATED_FROM, UNDATED_TO = "~", ""  # after and before every ISO date: an undated claim is in no date range
# What contradictions read of a claim (`facts`): far less to parse than the whole record.
FACTS = ("id", "actor", "said_on", "text", "topics", "status", "quantities", "stances", "links")  # and all `claim_tallies` reads


def claim_row(record: dict[str, Any]) -> tuple[Any, ...]:
    """(actor, status, kind, said_on, said_from, said_to) of a claim, as the filters compare them."""
    said_on = record.get("said_on")
    said_from, said_to = UNDATED_FROM, UNDATED_TO
    if said_on and isinstance(said_on, str):
        try:
            start, end = date_range(said_on)
            said_from, said_to = start.isoformat(), end.isoformat()
        except (ValueError, TypeError):
            pass
    return (str(record.get("actor")), str(record.get("status")), str(record.get("kind")),
            said_on if isinstance(said_on, str) else "", said_from, said_to)


def claim_problem(record: dict[str, Any]) -> str | None:
    """What makes a claim's fields unfit to be filed and matched (a hand edit, a bad merge), or None."""
    for name in ("text", "actor", "status", "kind"):
        if not isinstance(record.get(name), str):
            return f"has {name} {record.get(name)!r}, not text"
    if record["status"] not in STATUSES:
        return f"has an unknown status {record['status']!r}"
    for name in ("context", "notes", "said_on"):
        if record.get(name) is not None and not isinstance(record[name], str):
            return f"has {name} {record[name]!r}, not text"
    try:
        if record.get("said_on"):
            date_range(record["said_on"])
    except (ValueError, TypeError):
        return f"has a date that is none: {record['said_on']!r}"
    shapes: dict[str, Callable[[Any], bool]] = {
              "topics": lambda t: isinstance(t, str),
              "quantities": lambda q: isinstance(q, dict) and isinstance(q.get("unit"), str)
              and isinstance(q.get("value"), int | float) and not isinstance(q.get("value"), bool)
              and isinstance(q.get("measure"), str | None),
              "stances": lambda s: isinstance(s, dict) and isinstance(s.get("proposition"), str)
              and isinstance(s.get("position"), str),
              "links": lambda link: isinstance(link, dict) and isinstance(link.get("to"), str)}
    for name, fits in shapes.items():
        value = record.get(name)
        if not isinstance(value, list) or not all(fits(each) for each in value):
            return f"has {name} {value!r} that are not as a claim's are"
    return None


def claim_labels(record: dict[str, Any]) -> list[tuple[str, str]]:
    """The (what, value) pairs a claim is found by besides its fields and words, one per occurrence:
    topic, figure (its measure, or ''), unit, stance (proposition and position, tab-separated), link."""
    def each(name: str) -> list[Any]:
        value = record.get(name)
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    topics = record.get("topics")
    labels = [("topic", t) for t in topics if isinstance(t, str)] if isinstance(topics, list) else []
    for quantity in each("quantities"):
        labels += [("figure", str(quantity.get("measure") or "")), ("unit", str(quantity.get("unit") or ""))]
    labels += [("stance", f"{s.get('proposition')}\t{s.get('position')}") for s in each("stances")]
    labels += [("link", str(link.get("to"))) for link in each("links")]
    return labels


def claim_tallies(record: dict[str, Any]) -> list[tuple[str, str]]:
    """What `stats`, `topics`, `measures` and `propositions` count of a claim, an entry per count:
    its actor, status and month; each topic it names (and, once, each topic it has); each measure
    its figures have; each stance (proposition and position)."""
    said_on = record.get("said_on")
    labels = claim_labels(record)
    topics = [value for what, value in labels if what == "topic"]
    return [("actor", str(record.get("actor"))), ("status", str(record.get("status"))),
            ("month", said_on[:7] if isinstance(said_on, str) and said_on else "undated"),
            *(("topic", t) for t in topics), *(("topic-claims", t) for t in set(topics)),
            *(("figure-claims", m) for m in {value for what, value in labels if what == "figure"}),
            *((what, value) for what, value in labels if what == "stance")]


def tally(db: sqlite3.Connection, records: Iterable[dict[str, Any]], sign: int) -> None:
    """Count these claims in (`sign` 1) or out (-1) of the tallies."""
    counts = Counter(entry for record in records for entry in claim_tallies(record))
    db.executemany("INSERT INTO tallies VALUES (?, ?, ?) ON CONFLICT (what, value) DO UPDATE SET count = count + excluded.count",
                   [(what, value, sign * n) for (what, value), n in counts.items()])
    if sign < 0:
        db.execute("DELETE FROM tallies WHERE count <= 0")


@functools.lru_cache(maxsize=1 << 16)
def hex_word(word: str) -> str:
    """A word as FTS5 sees it: the hex of its UTF-8 bytes (a prefix of the word is a prefix of this)."""
    return word.encode("utf-8", "surrogatepass").hex()


def claim_words(record: dict[str, Any]) -> str:
    """The FTS5 document of a claim: its distinct words, each as `hex_word` gives it."""
    try:
        return " ".join(map(hex_word, set(word_tokens(haystack(record)))))
    except (TypeError, AttributeError, KeyError):
        return ""


def canonical_crc(key: str, record: Any) -> int:
    """The CRC of a record's bytes as natoclaims writes them (for a record just written, or a file
    not laid out so), so that the next walk of the file finds it unchanged."""
    return zlib.crc32(make_piece(key, record))


def _json(record: Any) -> bytes:
    """A record as the index keeps it: its keys sorted at every depth, as parsing the file gives them."""
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


def put(db: sqlite3.Connection, rows: list[tuple[str, str, int, Any]]) -> None:
    """Index records: (table, key, CRC of their bytes, the record)."""
    db.executemany("INSERT INTO records VALUES (?, ?, ?, ?)",
                   [(table, key, crc, _json(record)) for table, key, crc, record in rows if table != "claims"])
    db.executemany("INSERT INTO source_keys VALUES (?, ?)",
                   [(source_key(record), key) for table, key, _, record in rows if table == "sources" and isinstance(record, dict)])
    claims = [(key, crc, record if isinstance(record, dict) else {}) for table, key, crc, record in rows if table == "claims"]
    if not claims:
        return
    start = db.execute("SELECT coalesce(max(n), 0) FROM claims").fetchone()[0] + 1
    numbered = [(start + i, key, crc, record) for i, (key, crc, record) in enumerate(claims)]
    rows_of = [(n, key, *claim_row(record), crc) for n, key, crc, record in numbered]
    db.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows_of)
    tally(db, (record for _, _, _, record in numbered), 1)
    db.executemany("INSERT INTO bodies VALUES (?, ?, ?)",
                   [(n, _json({f: record.get(f) for f in FACTS}), _json(record)) for n, _, _, record in numbered])
    db.executemany("INSERT INTO labels VALUES (?, ?, ?)",
                   [(what, value, n) for n, _, _, record in numbered for what, value in claim_labels(record)])
    db.executemany("INSERT INTO words(rowid, tokens) VALUES (?, ?)", [(n, claim_words(record)) for n, _, _, record in numbered])


def drop(db: sqlite3.Connection, keys: Iterable[tuple[str, str]]) -> None:
    """Remove records from the index by (table, key), and every result computed from the store before."""
    db.execute("DELETE FROM results")
    by_table: dict[str, list[str]] = {}
    for table, key in keys:
        by_table.setdefault(table, []).append(key)
    for table, names in by_table.items():
        for at in range(0, len(names), 500):
            chunk = names[at:at + 500]
            marks = ",".join("?" * len(chunk))
            if table != "claims":
                found = [k for (k,) in db.execute(f"SELECT key FROM records WHERE tab = ? AND key IN ({marks})", [table, *chunk])]
                db.executemany("DELETE FROM records WHERE tab = ? AND key = ?", [(table, k) for k in found])
                db.executemany("DELETE FROM source_keys WHERE id = ?", [(k,) for k in found] if table == "sources" else [])
                continue
            found = db.execute(f"SELECT n, facts FROM claims JOIN bodies USING (n) WHERE id IN ({marks})", chunk).fetchall()
            numbers = [n for n, _ in found]
            tally(db, (orjson.loads(facts) for _, facts in found), -1)
            if numbers:
                places = ",".join("?" * len(numbers))
                for name, column in (("labels", "n"), ("words", "rowid"), ("bodies", "n"), ("claims", "n")):
                    db.execute(f"DELETE FROM {name} WHERE {column} IN ({places})", numbers)
