"""Issue 24.4 through the library: pasted text is repaired and trimmed the same way by add_claim,
edit_claim and import_file, and each says what it did (`ClaimChange.tidied`)."""

from __future__ import annotations

import io
import json

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput
from tests.factories import add, unchanged

MOJIBAKE = "Allies \u00e2\u20ac\u0153had to scramble\u00e2\u20ac"  # 'Allies “had to scramble”' read as Windows-1252
REPAIRED = "Allies \u201chad to scramble\u201d"
SRC = ["https://a.org"]


def texts(store):
    return sorted(c["text"] for c in store.claims.values())


@pytest.mark.parametrize("typed, stored, said", [
    (MOJIBAKE, REPAIRED, ["repaired mis-decoded characters"]),
    ('"We will defend every inch"', "We will defend every inch", ["removed the quote marks around it"]),
    ("\u201cWe will defend every inch,\u201d", "We will defend every inch",
     ["removed the quote marks around it", "removed a trailing comma"]),
    ("We will defend every inch, ", "We will defend every inch", ["removed a trailing comma"]),
])
def test_add_claim_repairs_pasted_text_and_says_so(memory_store, typed, stored, said):
    change = core.add_claim(memory_store, typed, actor="A", sources=SRC)
    assert change.claim["text"] == stored and texts(memory_store) == [stored]
    assert change.tidied == said


@pytest.mark.parametrize("typed", ['"Yes" and "no"', "S\u00c3O PAULO stays", "a plain claim"])
def test_text_of_several_quotations_or_plain_text_is_kept_as_typed(memory_store, typed):
    change = core.add_claim(memory_store, typed, actor="A", sources=SRC)
    assert change.claim["text"] == typed and change.tidied == []


@pytest.mark.parametrize("typed", ['"Allies must pay more",', "\u201cAllies must pay more\u201d,",
                                   '"Allies must pay more,"', "'\"Allies must pay more\",',"])
def test_quote_marks_and_comma_go_in_either_order(memory_store, typed):
    change = core.add_claim(memory_store, typed, actor="A", sources=SRC)
    assert change.claim["text"] == "Allies must pay more"
    assert {"removed the quote marks around it", "removed a trailing comma"} <= set(change.tidied)


def test_the_same_quote_pasted_with_its_marks_is_the_same_claim(any_newsroom):
    add(any_newsroom, "We will defend every inch", actor="A")
    with unchanged(any_newsroom), pytest.raises(InvalidInput, match="already says this on the same date"):
        core.add_claim(any_newsroom, '"We will defend every inch,"', actor="A", sources=SRC)


def test_edit_claim_repairs_the_new_text(memory_store):
    claim = add(memory_store, "first words", actor="A")
    change = core.edit_claim(memory_store, claim["id"], text=f'"{MOJIBAKE},"')
    assert change.claim["text"] == REPAIRED and "repaired mis-decoded characters" in change.tidied
    assert memory_store.get(claim["id"])["history"][-1]["field"] == "text"


def test_edit_claim_drops_quote_marks_before_a_comma(memory_store):
    claim = add(memory_store, "first words", actor="A")
    assert core.edit_claim(memory_store, claim["id"], text='"Allies must pay more",').claim["text"] == "Allies must pay more"


def test_import_file_repairs_each_text(memory_store):
    records = [{"text": text, "actor": "A", "sources": [{"url": "https://a.org"}]}
               for text in (MOJIBAKE, '"We will defend every inch,"', "as typed", "\"It\u2019s a test quote\",")]
    core.import_file(memory_store, io.StringIO("".join(json.dumps(r) + "\n" for r in records)), "jsonl")
    assert texts(memory_store) == sorted([REPAIRED, "We will defend every inch", "as typed", "It\u2019s a test quote"])
