"""Machine formats (SPEC section 5): JSON, JSON Lines, CSV, TSV, ids. Pure text, no Rich."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

import orjson

from natoclaims.model import FIELDS
from natoclaims.model.text import CSV_CONTROL_RE, escape_controls

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")
LIST_FIELDS = ("topics",)
JSON_FIELDS = ("sources", "quantities", "stances", "links", "reviews", "history")
SUMMARY_COLUMNS = ("id", "said_on", "actor", "status", "kind", "text")


def tsv_cell(value: Any) -> str:
    """One TSV cell: tabs, newlines and backslashes escaped so each record is one line."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = ";".join(map(str, value))
    text = str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return escape_controls(text)


def csv_cell(value: Any) -> str:
    """One CSV cell; a cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = escape_controls(str(value).replace("\r\n", "\n"), CSV_CONTROL_RE)
    # Texts already starting with apostrophes get one more, so import can take exactly one off.
    if text.lstrip("'").startswith(FORMULA_START) and not NUMBER_RE.match(text):
        return "'" + text
    return text


def claim_csv_row(claim: Mapping[str, Any]) -> list[str]:
    """A claim as the CSV columns of `FIELDS`: topics ';'-joined, nested lists as JSON."""
    row = []
    for name in FIELDS:
        value = claim.get(name)
        if name in LIST_FIELDS:
            value = ";".join(value or [])
        elif name in JSON_FIELDS:
            value = json_text(value or [])
        row.append(csv_cell(value))
    return row


# JSON escapes C0 controls itself; the rest of what a terminal would act on it leaves raw.
JSON_UNSAFE_RE = re.compile(r"[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]")
# Inside HTML's <script type="application/ld+json">, "</script>" or "<!--" in a string would end it.
HTML_UNSAFE_RE = re.compile(r"[<>&\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]")


def json_text(value: Any, indent: bool = False, *, html: bool = False) -> str:
    """JSON with every terminal control character (and, for `html`, <, > and &) as a \\uXXXX
    escape: still the same data."""
    text = orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0).decode()
    return (HTML_UNSAFE_RE if html else JSON_UNSAFE_RE).sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write_json(records: Sequence[Any], out: TextIO) -> None:
    out.write(json_text(list(records), indent=True) + "\n")


def write_jsonl(records: Iterable[Any], out: TextIO) -> None:
    for record in records:
        out.write(json_text(record) + "\n")


def write_claims(claims: Sequence[Mapping[str, Any]], fmt: str, out: TextIO) -> None:
    """Claims in a machine format: full records (json, jsonl, csv), a summary line (tsv), or ids."""
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        writer.writerows(claim_csv_row(c) for c in claims)
    else:
        write_rows(claims, SUMMARY_COLUMNS, fmt, out)


def write_rows(records: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str, out: TextIO) -> None:
    """Other listings (actors, history, stats...): records for JSON, `columns` for CSV/TSV, first column for ids."""
    if fmt == "json":
        write_json(records, out)
    elif fmt == "jsonl":
        write_jsonl(records, out)
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([csv_cell(flat(r.get(c))) for c in columns] for r in records)
    elif fmt == "tsv":
        for record in records:
            out.write("\t".join(tsv_cell(flat(record.get(c))) for c in columns) + "\n")
    elif fmt == "ids":
        out.write("".join(tsv_cell(r[columns[0]]) + "\n" for r in records))
    else:
        raise ValueError(fmt)


def flat(value: Any) -> Any:
    """A nested value as one cell: lists of strings ';'-joined, anything else nested as JSON."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    if isinstance(value, (list, dict)):
        return json_text(value)
    return value
