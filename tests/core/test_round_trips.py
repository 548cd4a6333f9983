"""SPEC 3 through the library: `export_claims` in every format `import_file` reads, then
`import_file` into an empty store, gives the same claims; what `import_file` refuses it refuses
whole, with where and why, and the store as it was."""

from __future__ import annotations

import io
import json

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput, UsageError
from tests.factories import add, memory_store, unchanged

SRC = ["https://a.org/x"]


def plain(s):
    add(s, "Some 35,000 troops leave Germany", actor="Donald Trump", said_on="2025-03")


def quote(s):
    add(s, "We will defend every inch", actor="Mark Rutte", kind="quote", context="At the summit, asked about Article 5")


def measured(s):
    add(s, "About 35,000 US troops are in Germany", actor="A", quantities=["35000 troops"],
        measures=["us-troops-germany"], as_of="2025-01")


def stances(s):
    add(s, "Allies will spend 5% of GDP", actor="A", stances=["five-percent:for", "us-defends-all-allies:against"],
        topics=["defence-spending", "article-5"])


def reviewed(s):
    claim = add(s, "Spain spends 2% on defence", actor="A")
    core.review(s, [claim["id"]], "misleading", note="only with pensions", evidence=["https://www.nato.int/facts"])


def linked(s):
    first = add(s, "Some 35,000 troops", actor="A")["id"]
    second = add(s, "Only 12,000 troops", actor="B")["id"]
    core.link(s, second, "contradicts", first, note="figures differ")


def spreadsheet_text(s):
    add(s, "=1+1 \"quoted\", with commas\nand a newline", actor="A", notes="-5 is a number")
    add(s, "'=already guarded", actor="A")
    add(s, "-12", actor="A")


def undated_with_two_sources(s):
    add(s, "Troops stay", actor="A", sources=["https://a.org/x", "https://b.net/y"])


def edited(s):
    claim = add(s, "first words", actor="A")
    core.edit_claim(s, claim["id"], text="second words", why="typo", notes="changed once")


SHAPES = {f.__name__: f for f in (plain, quote, measured, stances, reviewed, linked, spreadsheet_text,
                                  undated_with_two_sources, edited)}


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "store"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_export_then_import_gives_the_same_claims(shape, fmt):
    original, copy = memory_store(), memory_store()
    shape(original)
    out = io.StringIO()
    core.export_claims(original, out, fmt)
    core.import_file(copy, io.StringIO(out.getvalue()), "json" if fmt == "store" else fmt)
    assert copy.claims == original.claims


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "tsv"])
def test_export_claims_writes_what_it_returns_in_that_order(fmt):
    store = memory_store()
    plain(store)
    linked(store)
    out = io.StringIO()
    written = core.export_claims(store, out, fmt, sort="date")
    assert [c["id"] for c in written] == [c["id"] for c in core.find(store, core.Filters(), sort="date")]
    assert all(c["id"] in out.getvalue() for c in written)


def test_export_claims_with_filters_writes_only_those(any_newsroom):
    out = io.StringIO()
    written = core.export_claims(any_newsroom, out, "jsonl", core.Filters(topics="troops"))
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(written) == 2 and {line["id"] for line in lines} == {c["id"] for c in written}


def test_the_store_format_takes_no_filters(any_newsroom):
    with pytest.raises(UsageError, match="the store format writes the whole store"):
        core.export_claims(any_newsroom, io.StringIO(), "store", core.Filters(topics="troops"))


def test_an_unknown_export_format_is_refused(any_newsroom):
    with pytest.raises(InvalidInput, match="unknown export format 'xml'"):
        core.export_claims(any_newsroom, io.StringIO(), "xml")


def record(text="Some 35,000 troops leave Germany", actor="Donald Trump", **extra):
    return {"text": text, "actor": actor, "sources": [{"url": "https://a.org/x"}], **extra}


def jsonl(*records):
    return "".join(json.dumps(r) + "\n" for r in records)


REFUSED = {
    "not json": ("not json at all\n", "jsonl", "line 1: not valid JSON"),
    "a broken second line": (jsonl(record()) + "{broken\n", "jsonl", "line 2: not valid JSON"),
    "an object for an array": ("{}", "json", "must be an array"),
    "no text": (jsonl({"actor": "A", "sources": [{"url": "https://a.org"}]}), "jsonl",
                "line 1: missing required field 'text'"),
    "no actor": (jsonl({"text": "t", "sources": [{"url": "https://a.org"}]}), "jsonl", "missing required field 'actor'"),
    "no sources": (jsonl({"text": "t", "actor": "A"}), "jsonl", "missing required field 'sources'"),
    "unknown status": (jsonl(record(status="true")), "jsonl", "unknown status"),
    "topics as a string": (jsonl(record(topics="troops")), "jsonl", "topics must be a list"),
    "unknown field": (jsonl(record(colour="red")), "jsonl", "unknown field 'colour'"),
    "ambiguous date": (jsonl(record(said_on="03/04/2025")), "jsonl", "ambiguous"),
    "javascript source": (jsonl(record(sources=[{"url": "javascript:alert(1)"}])), "jsonl", "only http"),
    "duplicate id": (jsonl(record(id="abcdef1"), record("other", id="abcdef1")), "jsonl",
                     "line 2: duplicate id 'abcdef1'"),
    "link to nothing": (jsonl(record(links=[{"relation": "supports", "to": "ghost99"}])), "jsonl",
                        "link to unknown claim 'ghost99'"),
    "a boolean figure": (jsonl(record(quantities=[{"value": True, "unit": "troops"}])), "jsonl", "must be a number"),
    "nested too deeply": ("[" * 100000 + "]" * 100000, "json", "nested too deeply"),
    "unknown column": ("text,actor,colour\nx,y,z\n", "csv", "unknown column 'colour'"),
    "too few cells": ("text,actor,sources\nx,y\n", "csv", "line 2: 2 cells for 3 columns"),
    "one cell": ("text,actor\nx\n", "csv", "line 2: 1 cell for 2 columns"),
    "binary": ("\x00\x01binary", "jsonl", "not valid JSON"),
    "a number for a claim": (json.dumps([record(), 5]), "json", "record 1: a claim must be an object"),
    "a bracketed host": (jsonl(record(sources=[{"url": "http://[x]/a"}])), "jsonl", "invalid source URL"),
    "a port out of range": (jsonl(record(sources=[{"url": "http://example.org:99999/"}])), "jsonl", "invalid source URL"),
    "the same claim as the store has": (jsonl(record("About 35,000 US troops are stationed in Germany", "Trump",
                                                     said_on="2025-03")), "jsonl", "duplicate"),
}


@pytest.mark.parametrize("content, fmt, reason", REFUSED.values(), ids=REFUSED.keys())
def test_a_wrong_import_is_refused_whole_and_writes_nothing(any_newsroom, content, fmt, reason):
    with unchanged(any_newsroom), pytest.raises(InvalidInput, match=reason):
        core.import_file(any_newsroom, io.StringIO(content), fmt)


def test_skip_invalid_imports_the_good_records_and_names_the_bad(memory_store):
    report = core.import_file(memory_store, io.StringIO(jsonl(record(), record(status="true"), record("other"))),
                              "jsonl", skip_invalid=True)
    assert len(memory_store.claims) == 2 and len(report.invalid) == 1 and "line 2" in report.invalid[0]


def test_import_file_of_bytes_not_utf8_is_refused(memory_store, tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b"\xe9t\xe9")
    with unchanged(memory_store), pytest.raises(InvalidInput, match="not UTF-8"):
        core.import_file(memory_store, path)


def test_import_file_of_a_missing_path_is_refused(memory_store, tmp_path):
    with pytest.raises(InvalidInput, match="no such file"):
        core.import_file(memory_store, tmp_path / "missing.jsonl")


def test_import_file_of_a_folder_is_refused(memory_store, tmp_path):
    with pytest.raises(InvalidInput, match="is a directory"):
        core.import_file(memory_store, tmp_path)


def test_an_unknown_import_format_is_refused(memory_store):
    with pytest.raises(InvalidInput, match="unknown import format 'xml'"):
        core.import_file(memory_store, io.StringIO("[]"), "xml")


def test_the_format_is_guessed_from_the_name(memory_store, tmp_path):
    (tmp_path / "in.csv").write_text("text,actor,sources\nx,A,https://a.org\n")
    (tmp_path / "in.json").write_text(json.dumps([record("y")]))
    core.import_file(memory_store, tmp_path / "in.csv")
    core.import_file(memory_store, tmp_path / "in.json")
    assert sorted(c["text"] for c in memory_store.claims.values()) == ["x", "y"]


def test_ids_given_are_kept_and_links_between_imported_claims_resolve(memory_store):
    a = record("first", id="abcdef1", links=[{"relation": "contradicts", "to": "bcdefg2", "note": "x"}])
    core.import_file(memory_store, io.StringIO(jsonl(a, record("second", id="bcdefg2"))), "jsonl")
    assert set(memory_store.claims) == {"abcdef1", "bcdefg2"}
    assert core.contradicted_ids(memory_store) == {"abcdef1", "bcdefg2"}


def test_the_same_claim_twice_in_one_file_is_refused(memory_store):
    with pytest.raises(InvalidInput, match="line 2"):
        core.import_file(memory_store, io.StringIO(jsonl(record(), record())), "jsonl")
