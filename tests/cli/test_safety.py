"""Issue 6 through CliRunner: hostile input (NUL and control characters, deep nesting, fuzzed imports)."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natoclaims.store import read_file
from tests.conftest import add, cli, examples


def test_nul_and_control_characters(empty_store):
    before = empty_store.read_bytes()
    result = cli("import", "-", input=json.dumps({"text": "a\u0000b", "actor": "A", "sources": [{"url": "https://a.org"}]}))
    assert result.code == 1 and "NUL" in result.stderr and empty_store.read_bytes() == before
    claim_id = add(text="bell\x07 backspace\x08 rlo\u202e csi\x9b end")
    for fmt in ("tsv", "csv", "ids", "table", "json", "jsonl"):
        out = cli("search", "--format", fmt).stdout
        assert not any(c in out for c in "\x07\x08\u202e\x9b"), fmt
    assert cli("show", claim_id, "-f", "json").json()[0]["text"] == "bell\x07 backspace\x08 rlo\u202e csi\x9b end"


def test_huge_import_line_and_deep_nesting_are_refused_cleanly(empty_store):
    before = empty_store.read_bytes()
    deep = '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}"
    result = cli("import", "-", input=deep)
    assert result.code == 1 and result.stderr.count("\n") == 1 and empty_store.read_bytes() == before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
claimish = st.fixed_dictionaries(
    {"text": st.text(max_size=30), "actor": st.text(max_size=10)},
    optional={"sources": st.lists(st.fixed_dictionaries({"url": st.sampled_from(["https://a.org", "ftp://x", ""])},
                                                        optional={"title": json_values}), max_size=2),
              "status": st.sampled_from(["false", "maybe", None]), "said_on": json_values, "topics": json_values,
              "quantities": json_values, "id": json_values},
)


@pytest.mark.slow
@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(claimish | json_values, max_size=4))
def test_fuzzed_imports_never_crash_and_never_half_write(empty_store, batch):
    before = read_file(empty_store)["claims"]
    raw_before = empty_store.read_bytes()
    result = cli("import", "-", input="".join(json.dumps(r) + "\n" for r in batch))
    assert result.code in (0, 1), result
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr, result.stderr
    if result.code == 1:
        assert empty_store.read_bytes() == raw_before and result.stderr.count("\n") == 1
    else:
        imported = int(result.stderr.split("imported ")[1].split()[0])
        assert len(read_file(empty_store)["claims"]) == len(before) + imported
