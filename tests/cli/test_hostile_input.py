"""Issue 18, input and output: each hostile input refused or accepted on purpose (never
"unexpected"), and nothing from the data reaching a terminal or a reader raw."""

from __future__ import annotations

import json
import os
import subprocess
import unicodedata

import pytest

from natoclaims.store import read_file
from tests.conftest import NATOCLAIMS, add, cli


def unchanged(db):
    before = db.read_bytes()
    return lambda: db.read_bytes() == before


def record(text="Some claim", **fields):
    return {"text": text, "actor": "Ana", "sources": [{"url": "https://e.org/a"}], **fields}


# -- input ------------------------------------------------------------------------------------------

def test_an_argument_with_bytes_that_are_not_utf8_is_refused_in_one_line(empty_store):
    same = unchanged(empty_store)
    proc = subprocess.run([NATOCLAIMS, "add", "--actor", "A", "--source", "https://e.org", "--", b"bad \xff text"],
                          capture_output=True)
    assert proc.returncode == 1 and b"not valid text" in proc.stderr and len(proc.stderr.splitlines()) == 1, proc
    assert same()


def test_a_store_path_with_bytes_that_are_not_utf8_works(tmp_path):
    db = os.path.join(os.fsencode(tmp_path), b"caf\xe9.json")
    for args in (["init", "--empty"], ["add", "--actor", "A", "--source", "https://e.org", "--", "text"], ["log"]):
        proc = subprocess.run([NATOCLAIMS, "--db", db, *args], capture_output=True)
        assert proc.returncode == 0 and b"unexpected" not in proc.stderr, proc


@pytest.mark.parametrize("bad", [{"text": "lone \ud800 surrogate"}, {"history": [{"at": "x", "by": "y", "field": "z",
                                                                                   "old": "\udcff", "new": 1}]}])
def test_imported_text_that_cannot_be_stored_is_refused(empty_store, bad):
    same = unchanged(empty_store)
    result = cli("import", "-", input=json.dumps(record(**{"text": "t", **bad})) + "\n")
    assert result.code == 1 and "line 1" in result.stderr and "unexpected" not in result.stderr, result
    assert same()


def test_a_history_value_nested_past_the_writers_limit_is_refused(empty_store):
    deep: list = []
    for _ in range(300):
        deep = [deep]
    history = [{"at": "x", "by": "y", "field": "z", "old": deep, "new": None}]
    result = cli("import", "-", input=json.dumps(record(history=history)) + "\n")
    assert result.code == 1 and "nested too deeply" in result.stderr, result


@pytest.mark.parametrize("date", ["0000", "0000-05", "0000-05-01", "1 2 0", "05/06/0000"])
def test_year_zero_is_refused_everywhere(empty_store, date):
    same = unchanged(empty_store)
    added = cli("add", "--actor", "A", "--source", "https://e.org", "--date", date, "--", "text")
    imported = cli("import", "-", input=json.dumps(record(said_on=date)) + "\n")
    for result in (added, imported):
        assert result.code == 1 and "unexpected" not in result.stderr and ("year 0" in result.stderr
                                                                           or "ambiguous" in result.stderr), result
    assert same()


@pytest.mark.parametrize("date", ["1 2 2025", "3 4 2025", "1,2,2025", "1/2 2025", "4 5 25"])
def test_ambiguous_numeric_dates_in_any_spelling_are_refused(empty_store, date):
    result = cli("add", "--actor", "A", "--source", "https://e.org", "--date", date, "--", "text")
    assert result.code == 1 and "ambiguous" in result.stderr, result


def test_nfc_and_nfd_spellings_are_one_claim(empty_store):
    composed = "Pedro Sánchez said défense spending is enough"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    claim = add(text=decomposed, actor=unicodedata.normalize("NFD", "Pedro Sánchez"))
    stored = read_file(empty_store)["claims"][claim]
    assert stored["text"] == composed and stored["actor"] == "Pedro Sánchez"
    again = cli("import", "-", input=json.dumps({**record(composed), "actor": "Pedro Sánchez",
                                                 "sources": [{"url": "https://example.org/a"}]}) + "\n")
    assert again.code == 1 and "duplicate of claim" in again.stderr, again


def test_json_lines_with_raw_line_separators_inside_strings_import(empty_store):
    texts = ["one\u2028two", "three\u2029four", "five\u0085six"]
    lines = "".join(json.dumps(record(t), ensure_ascii=False) + "\r\n" for t in texts)
    result = cli("import", "-", input=lines)
    assert result.code == 0, result
    assert sorted(c["text"] for c in read_file(empty_store)["claims"].values()) == sorted(texts)


def test_the_csv_natoclaims_exports_with_line_separators_imports_back(empty_store, tmp_path):
    add(text="first\u2028second\u2029third\u0085fourth")
    exported = cli("export", "--format", "csv").stdout
    copy = tmp_path / "copy.json"
    assert cli("--db", str(copy), "init", "--empty").code == 0
    assert cli("--db", str(copy), "import", "-", "--format", "csv", input=exported).code == 0
    texts = [c["text"] for c in read_file(copy)["claims"].values()]
    assert texts == ["first\u2028second\u2029third\u0085fourth"]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_a_byte_order_mark_is_accepted(empty_store, tmp_path, fmt):
    body = {"json": json.dumps([record()]), "jsonl": json.dumps(record()) + "\n",
            "csv": "text,actor,sources\r\nSome claim,Ana,https://e.org/a\r\n"}[fmt]
    path = tmp_path / f"import.{fmt}"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    result = cli("import", str(path))
    assert result.code == 0 and len(read_file(empty_store)["claims"]) == 1, result


@pytest.mark.parametrize("line", [
    '{"text": "t", "actor": "A", "sources": [{"url": "https://e.org"}], "quantities": [{"value": NaN, "unit": "%"}]}',
    '{"text": "t", "actor": "A", "sources": [{"url": "https://e.org"}], "notes": Infinity}',
    '{"text": "t", "actor": "A", "sources": [{"url": "https://e.org"}], "history": [{"at": "x", "by": "y", '
    '"field": "z", "old": -Infinity, "new": 1}]}',
    '{"text": "t", "text": "u", "actor": "A", "sources": [{"url": "https://e.org"}]}',
])
def test_nan_infinity_and_repeated_keys_are_refused(empty_store, line):
    same = unchanged(empty_store)
    result = cli("import", "-", input=line + "\n")
    assert result.code == 1 and "line 1" in result.stderr and "unexpected" not in result.stderr, result
    assert same()


def test_a_repeated_csv_column_is_refused(empty_store):
    result = cli("import", "-", "--format", "csv", input="text,actor,text,sources\nA,B,C,https://e.org\n")
    assert result.code == 1 and "'text' appears twice" in result.stderr, result


# -- output -----------------------------------------------------------------------------------------

HOSTILE = "\x1b]0;owned\x07\x1b[2J\u202eevil\u061c\u200b\u2028\u2029"


def test_show_escapes_the_timestamps_of_an_imported_record(empty_store):
    claim = {**record(), "id": "abcdef12", "created_at": HOSTILE, "updated_at": HOSTILE}
    assert cli("import", "-", input=json.dumps(claim) + "\n").code == 0
    shown = cli("show", "abcdef12", "--format", "table").stdout
    assert "\x1b" not in shown and "\u202e" not in shown and "\u2028" not in shown and "\\x1b" in shown


def test_ids_output_is_escaped(empty_store):
    assert cli("actor", "add", "Evil\x1b[2JName").code == 0
    out = cli("actors", "--format", "ids").stdout
    assert "\x1b" not in out and "Evil\\x1b[2JName" in out


def test_tsv_has_one_line_per_record_for_every_reader(empty_store):
    for n in range(5):
        add(text=f"claim {n} \u2028 with \u2029 separators \u0085 and \u061c marks \u200b")
    out = cli("search", "--format", "tsv").stdout
    assert len(out.splitlines()) == 5 and "\u2028" not in out and "\\u2028" in out


def test_claimreview_cannot_break_out_of_its_script_block(empty_store):
    claim = add(text="</script><script>alert(1)</script> & <!-- more")
    assert cli("status", claim, "false", "--note", "</script> & <!--").code == 0
    out = cli("export", "--format", "claimreview", "--publisher-url", "https://e.org/checks").stdout
    assert "<" not in out and ">" not in out and "&" not in out
    assert json.loads(out)[0]["claimReviewed"] == "</script><script>alert(1)</script> & <!-- more"
