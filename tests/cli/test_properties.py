"""Hypothesis round trips: any text survives add -> show -> export."""

import json
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import cli

# Any Unicode text but NUL (refused) and surrogates (not encodable), non-blank.
claim_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1,
                     max_size=200).filter(lambda t: t.strip())


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=claim_text, actor=claim_text.map(str.strip).filter(bool), note=st.none() | claim_text)
def test_any_text_survives_add_show(isolated, text, actor, note):
    # A store per example: the same claim added twice is refused.
    db = str(isolated / f"p{len(list(isolated.glob('p*.json')))}.json")
    args = ["--db", db, "add", "-", "--actor", actor, "--source", "https://example.org/a"]
    if note is not None:
        args += ["--note", note]
    result = cli(*args, input=text + "\n")
    assert result.code == 0, result
    claim = cli("--db", db, "show", result.stdout.strip(), "--format", "json").json()[0]
    # Text is kept in NFC, so that one text typed two ways is one claim.
    nfc = unicodedata.normalize
    assert claim["text"] == nfc("NFC", text) and claim["notes"] == (note and nfc("NFC", note))
    exported = [json.loads(line) for line in cli("--db", db, "search", "--format", "jsonl").stdout.splitlines()]
    assert claim in exported
