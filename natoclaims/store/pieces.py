"""The store file as pieces of text, one per record: split the file `encode` writes, and join the
pieces back into the same bytes. A merge of two large stores compares the pieces as bytes and parses
only the records that differ (SPEC section 11: two 100k-claim branches in under 3x one parse).

The layout is what `files.encode` writes: 2-space indent, sorted keys, so a table starts a line with
2 spaces and a quote, a record with 4 (deeper lines have more), and strings never hold a raw newline.
A piece is `key": {...}` (the record's key without its opening quote, then its JSON as indented in
the file). A file laid out otherwise is not split (None), and the caller parses it whole.
"""

from __future__ import annotations

import bisect
from itertools import accumulate
from typing import Any

import orjson

Pieces = dict[str, list[bytes]]  # table -> its records' pieces, in key order
TABLE_SEPARATOR, RECORD_SEPARATOR = b',\n  "', b',\n    "'


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


# TEMPORARY (replaced by the splice helper's streaming versions on merge)
class NotAsWritten(ValueError):
    """The file is not laid out as `encode` writes it."""


def iter_records(buf: Any) -> Any:
    raw = bytes(buf)
    tables = split_store(raw)
    if tables is None:
        raise NotAsWritten("layout")
    at = 0
    for name in sorted(tables):
        for piece in tables[name]:
            start = raw.find(piece, at)
            key = piece_key(piece)
            assert key is not None
            yield name, key, start, start + len(piece)
            at = start + len(piece)


def table_span(buf: Any, table: str) -> tuple[int, int] | None:
    raw = bytes(buf)
    head = b'\n  "' + table.encode() + b'": {'
    at = raw.find(head)
    if at < 0:
        return None
    start = at + len(head)
    if raw[start:start + 1] == b"}":
        return start, start
    end = raw.find(b"\n  }", start)
    return start + 6, end


def splice(buf: Any, changes: dict[tuple[str, str], Any]) -> list[bytes]:
    tables = split_store(bytes(buf))
    if tables is None:
        raise NotAsWritten("layout")
    for (table, key), record in changes.items():
        found = {piece_key(p): p for p in tables.setdefault(table, [])}
        if record is None:
            found.pop(key, None)
        else:
            found[key] = make_piece(key, record)
        tables[table] = [found[k] for k in sorted(k for k in found if k is not None)]
    return join_store(tables)
