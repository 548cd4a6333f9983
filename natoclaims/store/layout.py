"""The store file as pieces of text, one per record: split the file `encode` writes, and join the
pieces back into the same bytes. A merge of two large stores compares the pieces as bytes and parses
only the records that differ (SPEC section 11: two 100k-claim branches in under 3x one parse).

The layout is what `files.encode` writes: 2-space indent, sorted keys, so a table starts a line with
2 spaces and a quote, a record with 4 (deeper lines have more), and strings never hold a raw newline.
A piece is `key": {...}` (the record's key without its opening quote, then its JSON as indented in
the file). A file laid out otherwise is not split (None), and the caller parses it whole.
"""

from __future__ import annotations

from typing import Any

import orjson

Pieces = dict[str, list[bytes]]  # table -> its records' pieces, in key order
TABLE_SEPARATOR, RECORD_SEPARATOR = b',\n  "', b',\n    "'


def piece_key(piece: bytes) -> str | None:
    """The record key a piece starts with; None for a key written with an escape (never split)."""
    end = piece.find(b'": ')
    if end < 0 or b"\\" in piece[:end]:
        return None
    try:
        return piece[:end].decode("utf-8")
    except UnicodeDecodeError:
        return None


def piece_value(piece: bytes) -> Any:
    """The record a piece holds, parsed."""
    return orjson.loads(piece[piece.find(b'": ') + 3:])


def make_piece(key: str, record: Any) -> bytes:
    """A record's piece, indented for its place in a table."""
    value = orjson.dumps(record, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).replace(b"\n", b"\n    ")
    return orjson.dumps(key)[1:] + b": " + value


def split_store(raw: bytes) -> Pieces | None:
    """The file's records, table by table, as pieces; None if it is not laid out as `encode` writes.
    (Each table is sliced out once and split: a 100k-claim store is 130 MB, and each copy counts.)"""
    if not raw.startswith(b'{\n  "') or not raw.endswith(b"\n}\n"):
        return None
    quotes = [4]  # where each table's name starts, less one
    at = raw.find(TABLE_SEPARATOR)
    while at >= 0:
        quotes.append(at + len(TABLE_SEPARATOR) - 1)
        at = raw.find(TABLE_SEPARATOR, at + 1)
    ends = [quote - len(TABLE_SEPARATOR) + 1 for quote in quotes[1:]] + [len(raw) - 3]
    tables: Pieces = {}
    for quote, end in zip(quotes, ends, strict=True):
        name = piece_key(raw[quote + 1:quote + 100])
        if name is None:
            return None
        body = quote + 1 + len(name.encode()) + 3
        if raw[body:end] == b"{}":
            tables[name] = []
        elif raw.startswith(b'{\n    "', body) and raw.endswith(b"\n  }", body, end):
            tables[name] = raw[body + 7:end - 4].split(RECORD_SEPARATOR)
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
