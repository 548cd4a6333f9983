"""The store file as pieces of text, one per record: split the file `encode` writes, and join the
pieces back into the same bytes. A merge of two large stores compares the pieces as bytes and parses
only the records that differ (SPEC section 11: two 100k-claim branches in under 3x one parse).

The layout is what `files.encode` writes: 2-space indent, sorted keys, so a table starts a line with
2 spaces and a quote, a record with 4 (deeper lines have more), and strings never hold a raw newline.
A piece is `key": {...}` (the record's key without its opening quote, then its JSON as indented in
the file). A file laid out otherwise is not split (None), and the caller parses it whole.

The same layout lets a write splice the file instead of encoding it again (SPEC section 15): find a
record by binary search over its table's bytes, and keep every other byte as it is. These functions
take the file as `buf` (bytes, or an mmap of a file too large to read twice) and never copy more
than one record of it; a layout not as `encode` writes raises `NotAsWritten`.
"""

from __future__ import annotations

import bisect
import mmap
import re
from collections.abc import Iterator, Mapping
from itertools import accumulate
from json.decoder import scanstring  # type: ignore[attr-defined]  # there, though typeshed leaves it out
from typing import Any

import orjson

Pieces = dict[str, list[bytes]]  # table -> its records' pieces, in key order
TABLE_SEPARATOR, RECORD_SEPARATOR = b',\n  "', b',\n    "'
HEAD, TAIL, OPEN, CLOSE = b'{\n  "', b"\n}\n", b'{\n    "', b"\n  }"  # a file's ends, a table's (not `{}`)
Buffer = bytes | mmap.mmap  # the file, read or mapped
Changes = Mapping[tuple[str, str], Any]  # (table, key) -> the record as it becomes, None to delete it
_PLAIN_KEY = re.compile(rb'[\x00-\x1f"\\]')  # a key written with none of these is its bytes as they stand


class NotAsWritten(ValueError):
    """The file is not laid out as `encode` writes it (edited by hand, another tool, another indent):
    parse it whole, and write it whole."""


def _key_end(piece: bytes) -> tuple[str, int] | None:
    """The record key a piece starts with, and where its value starts."""
    end = piece.find(b'": ')
    if end < 0:
        return None
    if b"\\" not in piece[:end]:
        try:
            return piece[:end].decode("utf-8"), end + 3
        except UnicodeDecodeError:
            return None
    from json.decoder import scanstring  # type: ignore[attr-defined]  # there, though typeshed leaves it out; a key written with an escape (a quote in an actor's name)

    line = piece[:piece.find(b"\n")] if b"\n" in piece else piece
    try:
        text = line.decode("utf-8")
        key, after = scanstring(text, 0)
    except (UnicodeDecodeError, ValueError):
        return None
    if text[after:after + 2] != ": ":
        return None
    return key, len(text[:after + 2].encode("utf-8"))


def piece_key(piece: bytes) -> str | None:
    """The record key a piece starts with (None if it does not start with one)."""
    found = _key_end(piece)
    return found[0] if found else None


def piece_value(piece: bytes) -> Any:
    """The record a piece holds, parsed."""
    found = _key_end(piece)
    return orjson.loads(piece[found[1] if found else 0:])


def make_piece(key: str, record: Any) -> bytes:
    """A record's piece, indented for its place in a table."""
    value = orjson.dumps(record, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).replace(b"\n", b"\n    ")
    return orjson.dumps(key)[1:] + b": " + value


def split_store(raw: bytes) -> Pieces | None:
    """The file's records, table by table, as pieces; None if it is not laid out as `encode` writes.

    The whole file is split at once, never sliced (a 100k-claim store is 130 MB, and each copy
    counts); the few pieces that hold a table's end or start are then cut at the table boundaries."""
    if not raw.startswith(b'{\n  "') or not raw.endswith(b"\n}\n"):
        return None
    pieces = raw.split(RECORD_SEPARATOR)
    last = len(pieces) - 1
    boundaries = {0, last}
    at = raw.find(TABLE_SEPARATOR)
    if at >= 0 and last:
        ends = list(accumulate(map(len, pieces)))  # where each piece ends, less the separators before it
        while at >= 0:
            boundaries.add(bisect.bisect_right(range(len(pieces)), at, key=lambda i: ends[i] + i * len(RECORD_SEPARATOR)))
            at = raw.find(TABLE_SEPARATOR, at + 1)
    tables: Pieces = {}
    current: list[bytes] | None = None
    for index, piece in enumerate(pieces):
        if index not in boundaries:
            if current is None:
                return None
            current.append(piece)
            continue
        text = piece[5:] if index == 0 else piece
        if index == last:
            text = text[:-3]
        segments = text.split(TABLE_SEPARATOR)
        for number, segment in enumerate(segments):
            closes = number < len(segments) - 1 or index == last
            if number == 0 and index != 0:  # the end of the table the earlier pieces are in
                if current is None or (closes and not segment.endswith(b"\n  }")):
                    return None
                current.append(segment[:-4] if closes else segment)
                continue
            name = piece_key(segment)
            if name is None or name in tables:
                return None
            body = segment[len(name.encode()) + 3:]
            if body == b"{}" and closes:
                tables[name], current = [], None
            elif body.startswith(b'{\n    "') and (not closes or body.endswith(b"\n  }")):
                current = tables[name] = [body[7:-4] if closes else body[7:]]
            else:
                return None
    return tables


def join_store(tables: Pieces) -> list[bytes]:
    """The file these pieces make, in parts to write one after the other (never joined into one
    copy): tables in name order, each table's pieces already in key order."""
    parts = [b"{\n"]
    for index, name in enumerate(sorted(tables)):
        pieces = tables[name]
        parts.append(b'  "' + name.encode() + (b'": {\n    "' if pieces else b'": {}'))
        if pieces:
            parts += [RECORD_SEPARATOR.join(pieces), b"\n  }"]
        parts.append(b",\n" if index < len(tables) - 1 else b"\n}\n")
    return parts


def _key_at(buf: Buffer, start: int, limit: int) -> tuple[str, int]:
    """The key of the record (or table) whose piece starts at `start`, and where its value starts;
    only a key written as orjson writes it (escaped where it must be, nowhere else)."""
    colon = buf.find(b'": ', start, limit)  # a key with no quote in it ends at the first
    if colon >= 0 and not _PLAIN_KEY.search(written := buf[start:colon]):
        try:
            return written.decode("utf-8"), colon + 3
        except UnicodeDecodeError:
            raise NotAsWritten(f"no record key at byte {start}") from None
    line_end = buf.find(b"\n", start, limit)  # a key with an escape (a quote in an actor's name): read it as JSON
    written = buf[start:limit if line_end < 0 else line_end]
    try:
        key = scanstring(written.decode("utf-8"), 0)[0]
    except (UnicodeDecodeError, ValueError):
        raise NotAsWritten(f"no record key at byte {start}") from None
    if not written.startswith(orjson.dumps(key)[1:] + b": "):  # and written back as orjson would
        raise NotAsWritten(f"record key {key!r} at byte {start} is not written as encode writes it")
    return key, start + len(orjson.dumps(key)) + 1


def _tables(buf: Buffer) -> Iterator[tuple[str, int, int]]:
    """Each table's name, where its value starts and where it ends (`{}`, or `{` to its `\\n  }`),
    in file order; table names unescaped and strictly increasing, as `encode` sorts them."""
    if len(buf) < 8 or buf[:5] != HEAD or buf[-3:] != TAIL:
        raise NotAsWritten("the file does not start and end as encode writes it")
    at, before = len(HEAD), None
    while True:
        end = buf.find(TABLE_SEPARATOR, at)
        last = end < 0
        end = len(buf) - len(TAIL) if last else end
        name, value = _key_at(buf, at, end)
        if b"\\" in buf[at:value] or (before is not None and name <= before):
            raise NotAsWritten(f"table {name!r} is out of place")
        empty = end - value == 2 and buf[value:end] == b"{}"
        if not empty and not (end - value >= 11 and buf[value:value + 7] == OPEN and buf[end - 4:end] == CLOSE):
            raise NotAsWritten(f"table {name!r} is not laid out as encode writes it")
        yield name, value, end
        if last:
            return
        at, before = end + len(TABLE_SEPARATOR), name


def _span(value: int, end: int) -> tuple[int, int]:
    return (value + 1, value + 1) if end - value == 2 else (value + 7, end - 4)


def table_span(buf: Buffer, table: str) -> tuple[int, int] | None:
    """The bytes of a table's records (after its `{\\n    "`, before its `\\n  }`), an empty range
    just inside `{}` for a table with none; None if the file has no such table. It reads the
    tables before it and this one at the speed of `find` (~1 GB/s), not record by record."""
    for name, value, end in _tables(buf):
        if name == table:
            return _span(value, end)
        if name > table:
            return None
    return None


def table_spans(buf: Buffer) -> dict[str, tuple[int, int]]:
    """Every table's span (see `table_span`), for a caller that splices one file again and again."""
    return {name: _span(value, end) for name, value, end in _tables(buf)}


def iter_records(buf: Buffer) -> Iterator[tuple[str, str, int, int]]:
    """(table, key, start, end) of every record in file order, `buf[start:end]` being its piece as
    `split_store` gives it; a table's keys must strictly increase. Holds one record at a time, so
    that an index is built from a file of any size."""
    for table, value, end in _tables(buf):
        if end - value == 2:
            continue
        start, stop, before = value + 7, end - 4, None
        while True:
            after = buf.find(RECORD_SEPARATOR, start, stop)
            after = stop if after < 0 else after
            key = _key_at(buf, start, after)[0]
            if before is not None and key <= before:
                raise NotAsWritten(f"{table}: record {key!r} is out of key order")
            yield table, key, start, after
            if after == stop:
                break
            start, before = after + len(RECORD_SEPARATOR), key


def _record_end(buf: Buffer, start: int, stop: int) -> int:
    """Where the record starting at `start` ends (its table's records end at `stop`)."""
    after = buf.find(RECORD_SEPARATOR, start, stop)
    return stop if after < 0 else after


def locate(buf: Buffer, table: str, key: str, span: tuple[int, int] | None = None) -> tuple[int, int, bool]:
    """(start, end, True) of the record's piece, or (at, at, False) where a piece for `key` would go:
    a binary search over the table's bytes, reading O(log n) records. From any byte, the next
    record starts at the next `,\\n    "` (a record's own lines are indented deeper, and strings
    hold no newline). Give `span` (from `table_span`) to skip finding the table again."""
    span = span or table_span(buf, table)
    if span is None:
        raise NotAsWritten(f"the file has no table {table!r}")
    first, stop = span
    low, high = first, stop  # records before `low` have smaller keys; the one at `high` (if any) a greater
    step = len(RECORD_SEPARATOR)
    while low < high:
        middle = (low + high) // 2
        after = buf.find(RECORD_SEPARATOR, max(middle - step, low), high)  # the first record at or after middle
        probe = after + step if after >= 0 and after + step < high else low
        end = _record_end(buf, probe, stop)
        found = _key_at(buf, probe, end)[0]
        if found == key:
            return probe, end, True
        if found < key:
            low = stop if end == stop else end + step
        else:
            high = probe
    return high, high, False


def splice(buf: Buffer, changes: Changes, spans: dict[str, tuple[int, int]] | None = None) -> list[bytes | memoryview]:
    """The file after `changes`, in parts to write one after the other: views of `buf` for what
    stays, new bytes for the records written and the separators around them. Joined, the parts
    are what `encode(as_written(...))` gives for the data after the changes; a change that would
    add or drop a whole table (a schema-1 store's first source) raises `NotAsWritten`. The views
    hold `buf` open: write them, and drop them, before closing an mmap.

    Finding a table reads the file up to its end (`table_span`); give `spans` (from `table_spans`,
    every table of this file) to skip that, and they become the spans of the file written."""
    view, step = memoryview(buf), len(RECORD_SEPARATOR)
    known = dict(spans) if spans is not None else {}
    by_table: dict[str, list[tuple[str, Any]]] = {}
    for (table, key), record in sorted(changes.items(), key=lambda change: change[0]):
        by_table.setdefault(table, []).append((key, record))

    def span_of(table: str) -> tuple[int, int] | None:
        if spans is None and table not in known:
            found = table_span(buf, table)
            if found is not None:
                known[table] = found
        return known.get(table)

    edits: list[tuple[int, int, list[bytes | memoryview], str]] = []
    for table, records in by_table.items():
        span = span_of(table)
        if span is None:
            if any(record is not None for _, record in records):
                raise NotAsWritten(f"the file has no table {table!r} yet: write it whole")
            continue
        first, stop = span
        items: list[bytes | memoryview] = []
        kept = first  # the first record not yet kept or dropped
        for key, record in records:
            start, end, found = locate(buf, table, key, span)
            if not found and record is None:
                continue
            place = start if start < stop else stop + step  # the record after this change, or past the last
            if kept < stop and place > kept:
                items.append(view[kept:place - step])
            if record is not None:
                items.append(make_piece(key, record))
            kept = end + step if found else place
        if kept < stop:
            items.append(view[kept:stop])
        body: list[bytes | memoryview] = [OPEN] if items else [b"{}"]
        for index, item in enumerate(items):
            body += [RECORD_SEPARATOR, item] if index else [item]
        old = (first - 7, stop + 4) if first < stop else (first - 1, first + 1)  # from `{` to `}`
        edits.append((*old, body + [CLOSE] if items else body, table))
    if ("meta", "1") in changes or "sources" in by_table:
        sources = span_of("sources")
        emptied = any(table == "sources" and len(new) == 1 for _, _, new, table in edits)
        empty = emptied or sources is None or ("sources" not in by_table and sources[0] == sources[1])
        if empty and (_schema_after(buf, changes, span_of("meta")) >= 2) != (sources is not None):
            raise NotAsWritten("the sources table comes or goes with the schema: write the file whole")
    edits.sort(key=lambda edit: edit[0])
    if spans is not None:  # where each table's records are in the file written
        for name, (first, stop) in known.items():
            shift = sum(sum(map(len, new)) - (end - start) for start, end, new, _ in edits if end <= first)
            spans[name] = (first + shift, stop + shift)
        for start, _, new, table in edits:
            at = start + sum(sum(map(len, other)) - (b - a) for a, b, other, _ in edits if b <= start)
            spans[table] = _span(at, at + sum(map(len, new)))
    parts: list[bytes | memoryview] = []
    at = 0
    for start, end, new, _ in edits:
        parts += [view[at:start], *new]
        at = end
    return parts + [view[at:]]


def _schema_after(buf: Buffer, changes: Changes, meta_span: tuple[int, int] | None) -> int:
    """The store's schema once `changes` are made (`as_written` keeps an empty sources table from 2 on)."""
    meta = changes.get(("meta", "1"))
    if ("meta", "1") not in changes:
        start, end, found = locate(buf, "meta", "1", meta_span)
        meta = piece_value(buf[start:end]) if found else None
    version = meta.get("schema") if isinstance(meta, dict) else None
    if not isinstance(version, int):
        raise NotAsWritten("the store has no schema version")
    return version
