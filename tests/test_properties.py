"""Hypothesis round trips: any text survives add -> show -> export."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import cli

# Any Unicode text but NUL (refused) and surrogates (not encodable), non-blank.
claim_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1,
                     max_size=200).filter(lambda t: t.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=claim_text, actor=claim_text.map(str.strip).filter(bool), note=st.none() | claim_text)
def test_any_text_survives_add_show(empty_store, text, actor, note):
    args = ["add", "-", "--actor", actor, "--source", "https://example.org/a"]
    if note is not None:
        args += ["--note", note]
    result = cli(*args, input=text + "\n")
    assert result.code == 0, result
    claim = cli("show", result.stdout.strip(), "--format", "json").json()[0]
    assert claim["text"] == text and claim["notes"] == note
    exported = [json.loads(line) for line in cli("search", "--format", "jsonl").stdout.splitlines()]
    assert claim in exported


sort_claim = st.fixed_dictionaries({
    "id": st.text("abc", min_size=1, max_size=3), "actor": st.sampled_from(["Trump", "Rutte", "Vance"]),
    "said_on": st.none() | st.sampled_from(["2025", "2025-03", "2025-03-02", "2024"]),
    "status": st.sampled_from(["unverified", "false", "verified"]), "created_at": st.sampled_from(["t1", "t2"]),
})


@given(claims=st.lists(sort_claim, unique_by=lambda c: c["id"]), by=st.sampled_from(["date", "actor", "status", "created"]),
       reverse=st.booleans())
def test_sort_passes_equal_one_sort_on_the_whole_key(claims, by, reverse):
    from natoclaims.search import SORTERS, sort_claims

    def whole_key(claim):
        return (*(key(claim) for key in SORTERS[by]), claim["id"])

    assert sort_claims(claims, by, reverse) == sorted(claims, key=whole_key, reverse=reverse)
