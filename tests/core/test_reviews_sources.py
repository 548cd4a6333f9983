"""Verdicts and sources through the library: review, set_status, add_source, edit_source,
remove_source, find_source, sources_in_use, source_rows."""

from __future__ import annotations

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput, NotFound, UsageError
from natoclaims.store import read_file
from tests.core.conftest import ids
from tests.factories import add, unchanged

TROOPS = "About 35,000 US troops"
FEWER = "Only 12,000 US troops"
CHECK = "https://factcheck.example.org/troops"


# -- review, set_status -----------------------------------------------------------------------------

def test_review_appends_a_review_sets_the_status_and_registers_the_evidence(newsroom):
    troops = ids(newsroom, TROOPS)
    assert core.review(newsroom, [troops], "misleading", note="the count is old", evidence=[CHECK]) == [troops]
    stored = read_file(newsroom.path)
    claim = stored["claims"][troops]
    (review,) = claim["reviews"]
    assert claim["status"] == "misleading" and claim["history"][-1]["field"] == "status"
    assert (review["verdict"], review["note"], review["reviewer"]) == ("misleading", "the count is old", "tester")
    assert [e["url"] for e in review["evidence"]] == [CHECK]
    assert review["evidence"][0]["id"] in stored["sources"]
    assert [s["url"] for s in claim["sources"]] == ["https://example.org/a"]  # evidence is no appearance


def test_review_of_several_claims_returns_only_those_whose_status_changed(newsroom):
    troops, fewer = ids(newsroom, TROOPS), ids(newsroom, FEWER)
    core.review(newsroom, [troops], "disputed")
    assert core.review(newsroom, [troops, fewer], "disputed", reviewer="carol") == [fewer]
    assert [r["reviewer"] for r in newsroom.get(troops)["reviews"]] == ["tester", "carol"]


def test_set_status_is_a_review_with_its_source_as_evidence(newsroom):
    troops = ids(newsroom, TROOPS)
    assert core.set_status(newsroom, [troops], "verified", note="counted", source=CHECK) == [troops]
    (review,) = newsroom.get(troops)["reviews"]
    assert review["verdict"] == "verified" and [e["url"] for e in review["evidence"]] == [CHECK]


@pytest.mark.parametrize("verdict, fields, error, message", [
    ("unverified", {}, InvalidInput, "'unverified' is no verdict"),
    ("great", {}, InvalidInput, "unknown status 'great'"),
    ("verified", {"evidence": ["https://example.org/a"]}, UsageError, "is a source of claim"),
    ("verified", {"evidence": ["not a url"]}, InvalidInput, "invalid source URL"),
])
def test_review_refuses_and_leaves_the_file_alone(newsroom, verdict, fields, error, message):
    with unchanged(newsroom), pytest.raises(error, match=message):
        core.review(newsroom, [ids(newsroom, TROOPS)], verdict, **fields)


def test_review_of_several_claims_is_all_or_nothing(newsroom):
    with unchanged(newsroom), pytest.raises(NotFound, match="no claim with id 'zzzzzzzz'"):
        core.review(newsroom, [ids(newsroom, TROOPS), "zzzzzzzz"], "verified")


# -- sources ----------------------------------------------------------------------------------------

def test_add_source_registers_once_after_normalising_the_url(file_store):
    first = core.add_source(file_store, "https://www.example.com/report?id=7", title="Report", outlet="Example",
                            published="2025-03-01", kind="article")
    again = core.add_source(file_store, "https://www.example.com/report?id=7#top")
    assert not first.existed and again.existed and again.source["id"] == first.source["id"]
    stored = read_file(file_store.path)["sources"]
    assert list(stored) == [first.source["id"]]
    assert stored[first.source["id"]]["title"] == "Report" and stored[first.source["id"]]["published"] == "2025-03-01"


@pytest.mark.parametrize("url, fields, message", [
    ("not a url", {}, "invalid source URL"),
    ("https://example.org/x", {"kind": "rumour"}, "unknown source type 'rumour'"),
    ("https://example.org/x", {"published": "someday"}, "someday"),
])
def test_add_source_refuses_and_leaves_the_file_alone(newsroom, url, fields, message):
    with unchanged(newsroom), pytest.raises(InvalidInput, match=message):
        core.add_source(newsroom, url, **fields)


def test_find_source_by_id_prefix_and_url(any_newsroom):
    troops = any_newsroom.get(ids(any_newsroom, TROOPS))
    source_id = troops["sources"][0]["id"]
    assert core.find_source(any_newsroom, source_id[:4])["id"] == source_id
    assert core.find_source(any_newsroom, "https://example.org/a")["id"] == source_id
    with pytest.raises(NotFound, match="no source with the URL"):
        core.find_source(any_newsroom, "https://example.org/nowhere")


def test_edit_source_changes_every_copy_claims_carry(newsroom):
    troops = ids(newsroom, TROOPS)
    source_id = newsroom.get(troops)["sources"][0]["id"]
    record = core.edit_source(newsroom, source_id, title="Rally transcript", outlet="Example News")
    assert (record["title"], record["outlet"]) == ("Rally transcript", "Example News")
    on_disk = read_file(newsroom.path)
    assert on_disk["sources"][source_id]["title"] == "Rally transcript"
    assert on_disk["claims"][troops]["sources"][0]["title"] == "Rally transcript"
    assert core.check_store(newsroom) == []


def test_edit_source_refuses_a_url_another_source_has(newsroom):
    source_id = newsroom.get(ids(newsroom, TROOPS))["sources"][0]["id"]
    with unchanged(newsroom), pytest.raises(InvalidInput, match="is already the source"):
        core.edit_source(newsroom, source_id, url="https://example.org/b")


def test_sources_in_use_and_remove_source(newsroom):
    troops = ids(newsroom, TROOPS)
    source_id = newsroom.get(troops)["sources"][0]["id"]
    assert core.sources_in_use(newsroom, source_id) == [troops]
    with unchanged(newsroom), pytest.raises(InvalidInput, match=f"source {source_id} is used by 1 claim"):
        core.remove_source(newsroom, source_id)
    spare = core.add_source(newsroom, "https://example.org/spare").source["id"]
    assert core.remove_source(newsroom, spare)["id"] == spare
    assert spare not in read_file(newsroom.path)["sources"]


def test_source_rows_count_appearances_and_evidence(any_newsroom):
    troops, fewer = ids(any_newsroom, TROOPS), ids(any_newsroom, FEWER)
    core.review(any_newsroom, [troops, fewer], "disputed", evidence=[CHECK])
    rows = {r["url"]: r for r in core.source_rows(any_newsroom)}
    assert (rows[CHECK]["claims"], rows[CHECK]["evidence_for"]) == (0, 2)
    assert (rows["https://example.org/a"]["claims"], rows["https://example.org/a"]["evidence_for"]) == (1, 0)
    assert all(r["archived"] is None for r in rows.values())


def test_a_source_given_by_id_to_add_claim_is_that_source(memory_store):
    source_id = core.add_source(memory_store, "https://example.org/a", title="A").source["id"]
    claim = add(memory_store, sources=[source_id])
    assert claim["sources"] == [{"id": source_id, "url": "https://example.org/a", "title": "A", "outlet": None,
                                 "published": None}]


def test_evidence_given_by_a_registered_source_id_or_prefix_is_that_source(newsroom):
    troops = ids(newsroom, TROOPS)
    check = core.add_source(newsroom, CHECK, title="Fact check").source["id"]
    core.review(newsroom, [troops], "false", evidence=[check[:5]])
    (review,) = newsroom.get(troops)["reviews"]
    assert review["evidence"] == [{"id": check, "url": CHECK, "title": "Fact check", "outlet": None, "published": None}]
    assert core.sources_in_use(newsroom, check) == [troops]


def test_the_same_verdict_again_is_a_second_review_that_changes_no_status(newsroom):
    troops = ids(newsroom, TROOPS)
    assert core.set_status(newsroom, [troops], "false", note="first look") == [troops]
    assert core.set_status(newsroom, [troops], "false", note="second look") == []
    claim = newsroom.get(troops)
    assert [r["note"] for r in claim["reviews"]] == ["first look", "second look"]
    assert [h["field"] for h in claim["history"]] == ["status"]


@pytest.mark.parametrize("field, value, stored", [
    ("title", "", None),
    ("outlet", "Example News", "Example News"),
    ("published", "March 2025", "2025-03"),
])
def test_edit_source_sets_or_clears_a_field(newsroom, field, value, stored):
    source_id = newsroom.get(ids(newsroom, TROOPS))["sources"][0]["id"]
    assert core.edit_source(newsroom, source_id, **{field: value})[field] == stored
    assert read_file(newsroom.path)["sources"][source_id][field] == stored
