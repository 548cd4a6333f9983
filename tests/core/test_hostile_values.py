"""Hostile and awkward values through the library (issue 24): dates no calendar has, spellings of one
text, separators inside strings, NaN and repeated keys, byte order marks, malformed records that
check_store names, and the did-you-mean of a mistyped value."""

from __future__ import annotations

import io
import json
import unicodedata

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput, NotFound, StoreError
from natoclaims.store import Store
from tests.factories import add, file_store, memory_store, unchanged


def record(text="t", **extra):
    return {"text": text, "actor": "A", "sources": [{"url": "https://e.org"}], **extra}


def lines(*records):
    return io.StringIO("".join(json.dumps(r) + "\n" for r in records))


@pytest.mark.parametrize("date", ["0000", "0000-05", "0000-05-01", "1 2 0", "05/06/0000"])
def test_year_zero_is_refused_by_add_claim_and_import_file(memory_store, date):
    with unchanged(memory_store):
        with pytest.raises(InvalidInput, match="year 0|ambiguous"):
            core.add_claim(memory_store, "text", actor="A", sources=["https://e.org"], said_on=date)
        with pytest.raises(InvalidInput, match="year 0|ambiguous"):
            core.import_file(memory_store, lines(record(said_on=date)), "jsonl")


@pytest.mark.parametrize("date", ["1 2 2025", "3 4 2025", "1,2,2025", "1/2 2025", "4 5 25"])
def test_ambiguous_numeric_dates_in_any_spelling_are_refused(memory_store, date):
    with pytest.raises(InvalidInput, match="ambiguous"):
        core.add_claim(memory_store, "text", actor="A", sources=["https://e.org"], said_on=date)


@pytest.mark.parametrize("given, message", [
    (dict(since="2025-13"), r"invalid date '2025-13': no month 13 \(months are 01 to 12\)"),
    (dict(until="2025-02-30"), "invalid date '2025-02-30': 2025-02 has no day 30"),
])
def test_a_day_or_month_that_does_not_exist_is_named(given, message):
    with pytest.raises(InvalidInput, match=message):
        core.search_filters(**given)


def test_nfc_and_nfd_spellings_are_one_claim(memory_store):
    composed = "Pedro S\u00e1nchez said d\u00e9fense spending is enough"
    decomposed = unicodedata.normalize("NFD", composed)
    claim = core.add_claim(memory_store, decomposed, actor=unicodedata.normalize("NFD", "Pedro S\u00e1nchez"),
                           sources=["https://example.org/a"]).claim
    assert claim["text"] == composed and claim["actor"] == "Pedro S\u00e1nchez"
    with unchanged(memory_store), pytest.raises(InvalidInput, match="duplicate of claim"):
        core.import_file(memory_store, lines({**record(composed), "actor": "Pedro S\u00e1nchez"}), "jsonl")


def test_json_lines_with_raw_line_separators_inside_strings_import(memory_store):
    texts = ["one\u2028two", "three\u2029four", "five\u0085six"]
    data = "".join(json.dumps(record(t), ensure_ascii=False) + "\r\n" for t in texts)
    core.import_file(memory_store, io.StringIO(data), "jsonl")
    assert sorted(c["text"] for c in memory_store.claims.values()) == sorted(texts)


def test_the_csv_exported_with_line_separators_imports_back():
    original = memory_store()
    add(original, "first\u2028second\u2029third\u0085fourth")
    out = io.StringIO()
    core.export_claims(original, out, "csv")
    copy = memory_store()
    core.import_file(copy, io.StringIO(out.getvalue()), "csv")
    assert [c["text"] for c in copy.claims.values()] == ["first\u2028second\u2029third\u0085fourth"]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_a_byte_order_mark_is_accepted(memory_store, tmp_path, fmt):
    body = {"json": json.dumps([record()]), "jsonl": json.dumps(record()) + "\n",
            "csv": "text,actor,sources\r\nSome claim,Ana,https://e.org/a\r\n"}[fmt]
    path = tmp_path / f"import.{fmt}"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    assert len(core.import_file(memory_store, path).added) == 1


@pytest.mark.parametrize("line", [
    '{"text": "t", "actor": "A", "sources": [{"url": "https://e.org"}], "quantities": [{"value": NaN, "unit": "%"}]}',
    '{"text": "t", "actor": "A", "sources": [{"url": "https://e.org"}], "notes": Infinity}',
    '{"text": "t", "actor": "A", "sources": [{"url": "https://e.org"}], "history": [{"at": "x", "by": "y", '
    '"field": "z", "old": -Infinity, "new": 1}]}',
    '{"text": "t", "text": "u", "actor": "A", "sources": [{"url": "https://e.org"}]}',
], ids=["NaN", "Infinity", "-Infinity in history", "a repeated key"])
def test_nan_infinity_and_repeated_keys_are_refused(memory_store, line):
    with unchanged(memory_store), pytest.raises(InvalidInput, match="line 1"):
        core.import_file(memory_store, io.StringIO(line + "\n"), "jsonl")


def test_a_repeated_csv_column_is_refused(memory_store):
    with pytest.raises(InvalidInput, match="'text' appears twice"):
        core.import_file(memory_store, io.StringIO("text,actor,text,sources\nA,B,C,https://e.org\n"), "csv")


@pytest.mark.parametrize("bad", [{"text": "lone \ud800 surrogate"},
                                 {"history": [{"at": "x", "by": "y", "field": "z", "old": "\udcff", "new": 1}]}],
                         ids=["a surrogate in the text", "a surrogate in the history"])
def test_imported_text_that_cannot_be_stored_is_refused(memory_store, bad):
    with unchanged(memory_store), pytest.raises(InvalidInput, match="line 1"):
        core.import_file(memory_store, lines(record(**bad)), "jsonl")


def test_a_history_value_nested_past_the_writers_limit_is_refused(memory_store):
    deep: list = []
    for _ in range(300):
        deep = [deep]
    history = [{"at": "x", "by": "y", "field": "z", "old": deep, "new": None}]
    with unchanged(memory_store), pytest.raises(InvalidInput, match="nested too deeply"):
        core.import_file(memory_store, io.StringIO(json.dumps(record(history=history)) + "\n"), "jsonl")


def test_a_mistyped_status_or_verdict_gets_a_suggestion(any_newsroom):
    claim = next(iter(any_newsroom.claims))
    with pytest.raises(InvalidInput, match=r"unknown status 'fals' \(did you mean false\?\)"):
        core.search_filters(statuses=["fals"])
    with unchanged(any_newsroom), pytest.raises(InvalidInput, match=r"unknown status 'fa' \(did you mean false\?\)"):
        core.review(any_newsroom, [claim], "fa")


def test_a_mistyped_id_gets_a_suggestion(any_newsroom):
    claim = sorted(any_newsroom.claims)[0]
    typo = claim[:-1] + ("x" if claim[-1] != "x" else "y")
    with pytest.raises(NotFound, match=rf"no claim with id '{typo}' \(did you mean {claim}\?\)"):
        any_newsroom.get(typo)
    with pytest.raises(NotFound, match=r"^no claim with id 'zzzzzzzz'$"):
        any_newsroom.get("zzzzzzzz")


def edited(store: Store, change) -> Store:
    data = json.loads(store.path.read_text())
    change(data)
    store.path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return Store(store.path)


def first_claim(data: dict) -> dict:
    return next(iter(data["claims"].values()))


MALFORMED = {
    "a string for a source": (lambda d: d["sources"].update({next(iter(d["sources"])): "x"}), "damaged source record"),
    "a list for an actor": (lambda d: d["actors"].update({"Mark Rutte": ["Mark Rutte"]}), "damaged actor record"),
    "sources as a string": (lambda d: first_claim(d).update(sources="https://www.nato.int/a"),
                            "sources must be a list, not str"),
    "a number for a review": (lambda d: first_claim(d).update(reviews=[1]), "review must be an object, not int"),
    "a string for a figure": (lambda d: first_claim(d).update(quantities=["5%"]), "quantity must be an object, not str"),
    "a created_at in words": (lambda d: first_claim(d).update(created_at="yesterday"),
                              "created_at 'yesterday' is not a UTC ISO timestamp"),
    "an updated_at of no day": (lambda d: first_claim(d).update(updated_at="2025-02-30T10:00:00Z"),
                                "updated_at '2025-02-30T10:00:00Z'"),
    "a created_at not in UTC": (lambda d: first_claim(d).update(created_at="2025-06-24T10:00:00+02:00"),
                                "not a UTC ISO timestamp"),
    "a verdict without a review": (lambda d: first_claim(d).update(status="false", reviews=[]),
                                   "status 'false' without a review"),
}


@pytest.mark.parametrize("change, problem", MALFORMED.values(), ids=MALFORMED.keys())
def test_check_store_names_a_malformed_record(db, change, problem):
    store = file_store(db)
    add(store, "Allies will spend 5% of GDP on defence", actor="Mark Rutte", sources=["https://www.nato.int/a"])
    problems = core.check_store(edited(store, change))
    assert any(problem in line for line in problems), problems


def test_a_string_for_a_claim_is_a_damaged_store_for_every_reader(db):
    store = file_store(db)
    claim = add(store, "Allies will spend 5% of GDP on defence", actor="Mark Rutte")["id"]
    damaged = edited(store, lambda d: d["claims"].update({claim: "hello"}))
    with pytest.raises(StoreError, match=f"damaged store: claim '{claim}' is not a claim record"):
        core.check_store(damaged)


def test_check_store_names_two_identical_claims(db):
    store = file_store(db)
    first = add(store, "NATO is stronger than ever", actor="Mark Rutte")["id"]
    store = edited(store, lambda d: d["claims"].update(zzzz1234={**d["claims"][first], "id": "zzzz1234"}))
    assert f"zzzz1234: the same claim as {first} (same actor, text and date)" in core.check_store(store)


def test_check_store_names_an_alias_of_two_actors(db):
    store = file_store(db)
    core.add_actor(store, "Pete Hegseth", ["Secretary"], None)
    core.add_actor(store, "Marco Rubio", [], None)
    store = edited(store, lambda d: d["actors"]["Marco Rubio"].update(aliases=["Secretary"]))
    assert ("actor 'Pete Hegseth': its alias 'Secretary' also names the actor 'Marco Rubio'"
            in "\n".join(core.check_store(store)))


def test_import_report_counts_and_new_actors(memory_store):
    planned = core.import_file(memory_store, lines(record("We will spend more")), "jsonl", dry_run=True)
    assert memory_store.claims == {} and planned.new_actors == ["A"]
    done = core.import_file(memory_store, lines(record("We will spend more")), "jsonl")
    assert len(done.added) == 1 and done.new_actors == ["A"] and done.invalid == [] and done.skipped == []


def test_a_claimreview_of_a_verdict_without_a_rationale_is_refused(memory_store):
    from natoclaims.core import MissingRationale

    claim = add(memory_store, "We will spend more")["id"]
    core.review(memory_store, [claim], "false")
    with pytest.raises(MissingRationale, match=claim):
        core.export_claims(memory_store, io.StringIO(), "claimreview")
    out = io.StringIO()
    core.export_claims(memory_store, out, "claimreview", allow_missing_rationale=True)
    assert json.loads(out.getvalue())[0]["identifier"] == claim
