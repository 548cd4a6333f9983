"""Issue 24.4: pasted text is repaired and trimmed the same way on every path it enters, and the user is told."""

from __future__ import annotations

import json

import pytest

from tests.conftest import add, cli

MOJIBAKE = "Allies \u00e2\u20ac\u0153had to scramble\u00e2\u20ac"  # 'Allies “had to scramble”' read as Windows-1252
REPAIRED = "Allies \u201chad to scramble\u201d"


def texts() -> list[str]:
    return sorted(c["text"] for c in cli("search", "-f", "json").json())


@pytest.mark.parametrize("typed, stored, said", [
    (MOJIBAKE, REPAIRED, "repaired mis-decoded characters"),
    ('"We will defend every inch"', "We will defend every inch", "removed the quote marks around it"),
    ("\u201cWe will defend every inch,\u201d", "We will defend every inch", "removed a trailing comma"),
    ("We will defend every inch, ", "We will defend every inch", "removed a trailing comma"),
])
def test_add_repairs_and_trims_pasted_text_and_says_so(empty_store, typed, stored, said):
    result = cli("add", "--actor", "A", "--source", "https://a.org", "--", typed)
    assert result.code == 0, result
    assert texts() == [stored]
    assert said in result.stderr and result.stderr.startswith("note: in the text, ")


def test_the_same_quote_pasted_with_its_marks_is_the_same_claim(empty_store):
    add(text="We will defend every inch", actor="A")
    result = cli("add", "--actor", "A", "--source", "https://a.org", "--", '"We will defend every inch,"')
    assert result.code == 1 and "already says this" in result.stderr, result
    assert texts() == ["We will defend every inch"]


def test_text_of_several_quotations_and_plain_text_are_kept_as_typed(empty_store):
    for text in ['"Yes" and "no"', "S\u00c3O PAULO stays", "a plain claim"]:
        result = cli("add", "--actor", "A", "--source", "https://a.org", "--", text)
        assert result.code == 0 and "note:" not in result.stderr, result
    assert texts() == ['"Yes" and "no"', "S\u00c3O PAULO stays", "a plain claim"]


def test_edit_repairs_and_trims_the_new_text(empty_store):
    claim_id = add(text="first words", actor="A")
    result = cli("edit", claim_id, "--text", f'"{MOJIBAKE},"')
    assert result.code == 0, result
    assert texts() == [REPAIRED] and "repaired mis-decoded characters" in result.stderr


def test_import_repairs_and_trims_each_text_and_says_where(empty_store, tmp_path):
    records = [{"text": text, "actor": "A", "sources": [{"url": "https://a.org"}]}
               for text in (MOJIBAKE, '"We will defend every inch,"', "as typed")]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    result = cli("import", str(tmp_path / "in.jsonl"))
    assert result.code == 0, result
    assert texts() == [REPAIRED, "We will defend every inch", "as typed"]
    assert "in the text of 2 records: line 1, line 2" in result.stderr


@pytest.mark.parametrize("typed", ['"Allies must pay more",', "\u201cAllies must pay more\u201d,", '"Allies must pay more,"',
                                   "'\"Allies must pay more\",',"])
def test_add_drops_quote_marks_and_comma_in_either_order(empty_store, typed):
    result = cli("add", "--actor", "A", "--source", "https://a.org", "--", typed)
    assert result.code == 0, result
    assert texts() == ["Allies must pay more"]
    assert "removed the quote marks around it" in result.stderr and "removed a trailing comma" in result.stderr


def test_edit_drops_quote_marks_before_a_comma(empty_store):
    claim_id = add(text="first words", actor="A")
    result = cli("edit", claim_id, "--text", '"Allies must pay more",')
    assert result.code == 0, result
    assert texts() == ["Allies must pay more"]


def test_import_drops_quote_marks_before_a_comma(empty_store, tmp_path):
    record = {"text": "\"It\u2019s a test quote\",", "actor": "A", "sources": [{"url": "https://a.org"}]}
    (tmp_path / "in.jsonl").write_text(json.dumps(record) + "\n")
    result = cli("import", str(tmp_path / "in.jsonl"))
    assert result.code == 0, result
    assert texts() == ["It\u2019s a test quote"]
