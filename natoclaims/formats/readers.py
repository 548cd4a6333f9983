"""Reading the files `import` takes (JSON, JSON Lines, CSV) into records, each with where it came from. Pure."""

from __future__ import annotations

import csv
import io
from typing import Any

from natoclaims.errors import InvalidInput
from natoclaims.formats.writers import FORMULA_START, JSON_FIELDS, LIST_FIELDS
from natoclaims.model import FIELDS
from natoclaims.model.text import counted


def guess_format(name: str) -> str:
    """The import format from a file name: .json, .csv, else JSON Lines."""
    lowered = name.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith(".csv"):
        return "csv"
    return "jsonl"


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record = dict(pairs)
    if len(record) < len(pairs):
        seen: set[str] = set()
        repeated = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise ValueError(f"the key {repeated!r} appears twice in one object")
    return record


def _json_value(text: str, where: str) -> Any:
    """Strict JSON: no NaN or Infinity (they would be stored as null), no repeated keys (last-wins)."""
    import json

    try:
        return json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_object)
    except RecursionError:
        raise InvalidInput(f"{where}: nested too deeply") from None
    except ValueError as exc:
        raise InvalidInput(f"{where}: not valid JSON ({exc})") from None


def _csv_cell(name: str, cell: str, where: str) -> Any:
    """A CSV cell back to a field value (the inverse of `claim_csv_row`)."""
    if cell == "":
        return None
    if name in LIST_FIELDS:
        if cell.startswith("["):
            return _json_value(cell, f"{where}, column {name!r}")
        return [t.strip() for t in cell.split(";") if t.strip()]
    if name in JSON_FIELDS:
        if name == "sources" and not cell.lstrip().startswith("["):
            return [{"url": u.strip()} for u in cell.split(";") if u.strip()]
        return _json_value(cell, f"{where}, column {name!r}")
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START):
        return cell[1:]  # undo the formula guard added on export
    return cell


def _is_store(data: Any) -> bool:
    """A natoclaims store by its shape: an object with `claims` and `meta` tables (a claim has neither)."""
    return isinstance(data, dict) and "claims" in data and "meta" in data


def read_import(text: str, fmt: str) -> tuple[list[tuple[str, Any]], dict[str, Any] | None]:
    """What `import` reads: records with where each came from ('line 3', 'record 0'), or a whole
    natoclaims store file (a JSON object with `claims` and `meta` tables), whose tables come back as
    they are; a file that is not the format is an error.

    A byte-order mark (Excel's "CSV UTF-8") is skipped. Lines end at a line feed only (a carriage
    return before it is dropped): U+2028, U+2029 and U+0085 are text inside a record, not line ends.
    """
    text = text.removeprefix("\ufeff")
    if fmt == "jsonl" and text.lstrip().startswith("{\n"):
        fmt = "json"  # an indented JSON object (a store file, `export --format store`): never one JSON Lines record
    if fmt == "json":
        data = _json_value(text, "the file")
        if _is_store(data):
            return [], data
        if not isinstance(data, list):
            raise InvalidInput(f"a JSON import must be an array of claims or a natoclaims store, not {type(data).__name__}")
        return [(f"record {i}", record) for i, record in enumerate(data)], None
    if fmt == "jsonl":
        records = [(f"line {n}", _json_value(line, f"line {n}")) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
        if len(records) == 1 and _is_store(records[0][1]):  # a store on one line (`jq -c`)
            return [], records[0][1]
        return records, None
    if fmt == "csv":
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader)
        except StopIteration:
            return [], None
        except csv.Error as exc:
            raise InvalidInput(f"not valid CSV: {exc}") from None
        unknown = [h for h in header if h not in FIELDS]
        repeated = [h for i, h in enumerate(header) if h in header[:i]]
        if repeated:
            raise InvalidInput(f"line 1: the column {repeated[0]!r} appears twice")
        if unknown:
            raise InvalidInput(f"line 1: unknown column {unknown[0]!r} (columns are the claim fields: {', '.join(FIELDS)})")
        records = []
        try:
            for row in reader:
                where = f"line {reader.line_num}"
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise InvalidInput(f"{where}: {counted(len(row), 'cell')} for {counted(len(header), 'column')}")
                cells = {name: _csv_cell(name, cell, where) for name, cell in zip(header, row, strict=True)}
                # An empty cell is a field not given (so an empty quantities cell means "extract").
                records.append((where, {k: v for k, v in cells.items() if v is not None}))
        except csv.Error as exc:
            raise InvalidInput(f"line {reader.line_num}: not valid CSV: {exc}") from None
        return records, None
    raise ValueError(fmt)
