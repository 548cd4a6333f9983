"""The store file record by record (store.pieces): walking it, finding a record by binary search,
and splicing changed records into it, checked against `encode` of the whole data (SPEC section 15)."""

from __future__ import annotations

import copy
import json
import mmap
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natoclaims.store import encode
from natoclaims.store.files import as_written, check_shape
from natoclaims.store.pieces import (
    NotAsWritten,
    iter_records,
    locate,
    make_piece,
    piece_key,
    piece_value,
    splice,
    split_store,
    table_span,
    table_spans,
)
from tests.conftest import examples

# Keys and text with what needs escaping (quotes, backslashes, control characters), non-ASCII and
# the bytes of the layout itself (newlines, indents, braces, `": `).
text = st.text(st.sampled_from(list('ab"\\é😀\n\x01\x7f :{},\u2028\ue000Ω')), max_size=5)
scalars = st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1) | text
values = scalars | st.lists(scalars, max_size=3) | st.dictionaries(text, scalars | st.lists(scalars, max_size=2), max_size=3)
records = st.dictionaries(text, values, max_size=4)
stores = st.fixed_dictionaries({
    "actors": st.dictionaries(text, records, max_size=6), "claims": st.dictionaries(text, records, max_size=6),
    "meta": st.fixed_dictionaries({"1": st.fixed_dictionaries({"schema": st.sampled_from([1, 2])})}),
    "sources": st.dictionaries(text, records, max_size=3),
})
TABLES = ("actors", "claims", "meta", "sources")


def walked(buf: Any) -> dict[str, list[bytes]]:
    """The pieces iter_records finds, table by table (raising as it does)."""
    tables: dict[str, list[bytes]] = {}
    for table, key, start, end in iter_records(buf):
        piece = buf[start:end]
        assert piece_key(piece) == key
        tables.setdefault(table, []).append(piece)
    return tables


def nonempty(tables: dict[str, list[bytes]]) -> dict[str, list[bytes]]:
    return {name: pieces for name, pieces in tables.items() if pieces}


def apply(data: dict[str, Any], changes: dict[tuple[str, str], Any]) -> dict[str, Any]:
    after = copy.deepcopy(data)
    for (table, key), record in changes.items():
        if record is None:
            after.get(table, {}).pop(key, None)
        else:
            after.setdefault(table, {})[key] = record
    return after


def spliced(data: dict[str, Any], changes: dict[tuple[str, str], Any]) -> bytes:
    return b"".join(splice(encode(as_written(data)), changes))


@settings(max_examples=examples(200), deadline=None)
@given(st.dictionaries(text, st.just(0), max_size=12))
def test_encode_writes_keys_in_python_string_order(table: dict[str, int]) -> None:
    assert list(json.loads(encode(table))) == sorted(table)
    assert list(json.loads(encode({"\uffff": 0, "😀": 0, "é": 0, "z": 0, "\ue000": 0}))) == ["z", "é", "\ue000", "\uffff", "😀"]


@settings(max_examples=examples(200), deadline=None)
@given(stores)
def test_every_store_encode_writes_walks_into_the_pieces_split_store_gives(data: dict[str, Any]) -> None:
    raw = encode(as_written(data))
    split = split_store(raw)
    assert split is not None and walked(raw) == nonempty(split)
    assert [key for table, key, _, _ in iter_records(raw)] == [key for table in sorted(as_written(data))
                                                               for key in sorted(data[table])]


def mangled(draw: st.DrawFn, raw: bytes) -> bytes:
    """The file, edited a little: bytes inserted, cut or replaced, indented otherwise, with CRLF line
    ends, without its last newline, or with keys out of order."""
    how = draw(st.sampled_from(["edit", "edit", "edit", "indent", "crlf", "no-newline", "unsorted"]))
    if how == "indent":
        return json.dumps(json.loads(raw), indent=draw(st.sampled_from([1, 3, 4])), sort_keys=True, ensure_ascii=False).encode() + b"\n"
    if how == "crlf":
        return raw.replace(b"\n", b"\r\n")
    if how == "no-newline":
        return raw[:-1]
    if how == "unsorted":
        data = json.loads(raw)
        return json.dumps({name: dict(reversed(table.items())) for name, table in reversed(data.items())},
                          indent=2, ensure_ascii=False).encode() + b"\n"
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(raw)))
        cut = draw(st.integers(0, 3))
        new = draw(st.binary(max_size=3) | st.sampled_from([b",\n  \"", b",\n    \"", b"\n  }", b"{}", b'": ', b"\\", b'"', b"\n"]))
        raw = raw[:at] + new + raw[at + cut:]
    return raw


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), stores)
def test_on_any_bytes_iter_records_agrees_with_split_store_or_refuses(data: st.DataObject, store: dict[str, Any]) -> None:
    raw = mangled(data.draw, encode(as_written(store)))
    split = split_store(raw)
    try:
        tables = walked(raw)
    except NotAsWritten:
        return
    assert split is not None and tables == nonempty(split)
    try:  # and what an index reads from the pieces is what a parse of the whole file holds
        parsed = {name: {piece_key(piece): piece_value(piece) for piece in pieces} for name, pieces in tables.items()}
    except orjson.JSONDecodeError:
        return
    assert {name: table for name, table in json.loads(raw).items() if table} == parsed


@pytest.mark.parametrize("raw", [b"", b"{}\n", b'{\n  "\n}\n', b'{\n  "a": {}\n}', b'{\n  "a": {},\n  "a": {}\n}\n',
                                 b'{\n  "b": {},\n  "a": {}\n}\n', b'{\n  "a": {\n    "\n  }\n}\n',
                                 b'{\n  "a": {\n    "y": 1,\n    "x": 2\n  }\n}\n', b'{\n  "a": {\n    "x": 1,\n    "x": 2\n  }\n}\n',
                                 b'{\n  "a": {\n    "x\t": 1\n  }\n}\n', b'{\n  "a": {\n    "\\u0078": 1\n  }\n}\n',
                                 b'{\n  "a\\"": {}\n}\n', b'{\n  "a": {\n    "x": 1\n  }\n}\r\n'])
def test_a_file_not_as_written_is_refused(raw: bytes) -> None:
    with pytest.raises(NotAsWritten):
        walked(raw)


def test_not_as_written_is_a_value_error_and_an_empty_table_yields_nothing() -> None:
    assert issubclass(NotAsWritten, ValueError)
    raw = b'{\n  "a": {},\n  "b": {\n    "k\\"": 1\n  },\n  "c": {}\n}\n'
    assert [(table, key) for table, key, _, _ in iter_records(raw)] == [("b", 'k"')]


def test_a_table_span_is_its_records_or_the_inside_of_its_braces() -> None:
    raw = encode({"a": {}, "b": {"x": {"v": 1}, "y": [2]}, "c": {}})
    start, end = table_span(raw, "b") or (0, 0)
    assert raw[start - 7:start] == b'{\n    "' and raw[end:end + 4] == b"\n  }"
    assert raw[start:end] == make_piece("x", {"v": 1}) + b',\n    "' + make_piece("y", [2])
    for name in ("a", "c"):
        start, end = table_span(raw, name) or (0, 1)
        assert start == end and raw[start - 1:start + 1] == b"{}"
    assert table_span(raw, "b0") is None and table_span(raw, "0") is None and table_span(raw, "d") is None


@settings(max_examples=examples(200), deadline=None)
@given(stores, text)
def test_locate_finds_every_record_and_the_place_of_any_other(data: dict[str, Any], other: str) -> None:
    written = as_written(data)
    raw = encode(written)
    for table in written:
        for key, record in data[table].items():
            start, end, found = locate(raw, table, key)
            assert found and raw[start:end] == make_piece(key, record)
        if other in data[table]:
            continue
        at, same, found = locate(raw, table, other)
        later = [start for name, key, start, _ in iter_records(raw) if name == table and key > other]
        assert not found and at == same == (later[0] if later else (table_span(raw, table) or (0, 0))[1])
    with pytest.raises(NotAsWritten):
        locate(raw, "nothing", other)


@st.composite
def stores_and_changes(draw: st.DrawFn) -> tuple[dict[str, Any], dict[tuple[str, str], Any]]:
    """A store, and changes to it: records replaced, deleted, added, the schema set."""
    data = draw(stores)
    changes: dict[tuple[str, str], Any] = {}
    for _ in range(draw(st.integers(0, 8))):
        table = draw(st.sampled_from(TABLES))
        if table == "meta":
            changes[("meta", "1")] = {"schema": draw(st.sampled_from([1, 2]))}
            continue
        keys, pick = sorted(data[table]), draw(st.integers(0, 9))
        key = keys[pick] if pick < len(keys) else draw(text)
        changes[(table, key)] = draw(st.none() | records)
    return data, changes


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stores_and_changes())
def test_a_splice_writes_what_encoding_the_data_after_the_changes_writes(case: tuple[dict[str, Any], dict[tuple[str, str], Any]]) -> None:
    data, changes = case
    after = apply(data, changes)
    try:
        result = spliced(data, changes)
    except NotAsWritten:  # only when a whole table comes or goes (a schema-1 store's sources)
        assert set(as_written(after)) != set(as_written(data))
        return
    assert result == encode(as_written(after))
    raw = encode(as_written(data))
    spans = table_spans(raw)  # given the spans, the same bytes, and the spans of the file written
    assert b"".join(splice(raw, changes, spans)) == result and spans == table_spans(result)


BASE: dict[str, Any] = {
    "actors": {'Mark "the Hawk"': {"name": 'Mark "the Hawk"'}, "Pedro Sánchez": {"name": "Pedro Sánchez"}},
    "claims": {key: {"id": key, "text": f"claim {key}", "sources": [{"url": "https://a.org/x"}]} for key in "ace"},
    "meta": {"1": {"schema": 2}}, "sources": {},
}
NEW = {"id": "n", "text": 'new "quoted" \\ ∑', "nested": {"list": [1, {}, []]}}
CASES = {
    "insert first": {("claims", "0"): NEW}, "insert between": {("claims", "b"): NEW}, "insert last": {("claims", "z"): NEW},
    "insert several at one place": {("claims", "b"): NEW, ("claims", "bb"): NEW, ("claims", "bbb"): NEW},
    "replace": {("claims", "c"): NEW}, "replace the last": {("claims", "e"): NEW},
    "delete the first": {("claims", "a"): None}, "delete the last": {("claims", "e"): None},
    "delete the middle": {("claims", "c"): None}, "delete what is not there": {("claims", "b"): None},
    "delete every record": {("actors", 'Mark "the Hawk"'): None, ("actors", "Pedro Sánchez"): None},
    "delete all and insert": {("claims", "a"): None, ("claims", "c"): None, ("claims", "e"): None, ("claims", "d"): NEW},
    "insert into an empty table": {("sources", "s1"): NEW, ("sources", "s0"): NEW},
    "keys with escapes": {("actors", 'Mark "the Dove"'): NEW, ("actors", "back\\slash"): NEW, ("actors", "Ω\x01"): NEW,
                          ("actors", ""): NEW, ("actors", 'Mark "the Hawk"'): None},
    "many, in every table": {("actors", "Pedro Sánchez"): NEW, ("claims", "a"): None, ("claims", "b"): NEW,
                             ("claims", "e"): NEW, ("meta", "1"): {"schema": 2, "note": "x"}, ("sources", "s"): NEW},
}


@pytest.mark.parametrize("name", CASES)
def test_a_splice_of(name: str) -> None:
    result = spliced(BASE, CASES[name])
    assert result == encode(as_written(apply(BASE, CASES[name])))
    spans = table_spans(encode(BASE))
    assert b"".join(splice(encode(BASE), CASES[name], spans)) == result and spans == table_spans(result)


def test_nothing_changed_is_the_same_bytes_and_unchanged_stretches_are_views() -> None:
    raw = encode(BASE)
    assert b"".join(splice(raw, {})) == raw
    parts = splice(raw, {("claims", "b"): NEW})
    assert sum(len(part) for part in parts if isinstance(part, memoryview)) >= len(raw) - 20


def test_a_table_that_comes_or_goes_is_not_spliced() -> None:
    old = {**BASE, "meta": {"1": {"schema": 1}}}  # schema 1: no sources table while it holds none
    assert b'\n  "sources"' not in encode(as_written(old))
    for changes in ({("sources", "s"): NEW}, {("meta", "1"): {"schema": 2}}):
        with pytest.raises(NotAsWritten):
            spliced(old, changes)
    with_source = {**old, "sources": {"s": NEW}}
    with pytest.raises(NotAsWritten):
        spliced(with_source, {("sources", "s"): None})
    assert spliced(with_source, {("sources", "s"): None, ("meta", "1"): {"schema": 2}}) == encode(
        apply(with_source, {("sources", "s"): None, ("meta", "1"): {"schema": 2}}))
    assert spliced(old, {("claims", "b"): NEW, ("sources", "x"): None}) == encode(as_written(apply(old, {("claims", "b"): NEW})))
    with pytest.raises(NotAsWritten):
        splice(encode(BASE).replace(b"\n", b"\r\n"), {("claims", "b"): NEW})
    with pytest.raises(NotAsWritten):
        splice(json.dumps(BASE, indent=4, sort_keys=True).encode() + b"\n", {("claims", "b"): NEW})


def test_the_bundled_dataset_splices() -> None:
    from natoclaims.paths import bundled_dataset

    raw = bundled_dataset().read_bytes()
    data = check_shape(json.loads(raw), Path("claims.json"))
    assert encode(as_written(data)) == raw
    claims, actors = sorted(data["claims"]), sorted(data["actors"])
    changes = {("claims", claims[0]): None, ("claims", claims[-1]): {**data["claims"][claims[-1]], "status": "false"},
               ("claims", claims[5] + "0"): {**data["claims"][claims[5]], "id": claims[5] + "0"},
               ("actors", actors[3]): None, ("actors", "Ångström"): {"name": "Ångström", "aliases": []},
               ("sources", "zz"): {"id": "zz", "url": "https://a.org/x"}}
    assert b"".join(splice(raw, changes)) == encode(as_written(apply(data, changes)))
    assert walked(raw) == nonempty(split_store(raw) or {})


def test_a_mapped_file_is_walked_and_spliced_in_place(tmp_path: Path) -> None:
    path = tmp_path / "mapped.json"
    path.write_bytes(encode(BASE))
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        assert walked(mapped) == nonempty(split_store(encode(BASE)) or {})
        assert locate(mapped, "claims", "c")[2]
        assert b"".join(splice(mapped, CASES["many, in every table"])) == encode(apply(BASE, CASES["many, in every table"]))
