"""The I/O-heavy commands as library calls: export (every format), import from a path or a file object,
archive (bytes, a path, or fetched), extract (bytes, a path, a fetched URL, an archived source), resolve."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput, NotFound, UsageError
from natoclaims.store import Store
from tests.factories import served

PAGE = ("<html><head><title>Summit</title></head><body><article><h1>Summit</h1>"
        "<p>Mark Rutte said on Tuesday: \u201cWe will defend every inch of allied territory.\u201d "
        "The alliance met in The Hague for two days of talks about spending and readiness.</p>"
        "<p>Leaders agreed to spend 5% of GDP on defence by 2035, the declaration said.</p></article></body></html>")


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with served(PAGE) as url:
        yield url


@pytest.fixture
def reviewed_store(tmp_path: Path) -> Store:
    reviewed_store = Store(tmp_path / "claims.json", user="tester")
    claim = core.add_claim(reviewed_store, "We will defend every inch of allied territory", actor="Mark Rutte", kind="quote",
                           sources=["https://example.org/summit"]).claim
    core.review(reviewed_store, [claim["id"]], "verified", note="The declaration says so.")
    return reviewed_store


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "tsv", "claimreview", "store"])
def test_export_claims_writes_every_format_to_a_stream_or_a_path(reviewed_store, tmp_path, fmt):
    out = io.StringIO()
    claims = core.export_claims(reviewed_store, out, fmt)
    assert len(claims) == (0 if fmt == "store" else 1)
    core.export_claims(reviewed_store, tmp_path / "out", fmt)
    assert (tmp_path / "out").read_text(encoding="utf-8") == out.getvalue()
    if fmt == "claimreview":
        assert json.loads(out.getvalue())[0]["@type"] == "ClaimReview"
    if fmt == "store":
        assert set(json.loads(out.getvalue())["claims"]) == set(reviewed_store.claims)


def test_export_claims_refusals_speak_of_arguments(reviewed_store):
    with pytest.raises(UsageError, match="takes no filters, has_contradictions or limit"):
        core.export_claims(reviewed_store, io.StringIO(), "store", limit=3)
    with pytest.raises(InvalidInput, match="unknown export format 'xml'"):
        core.export_claims(reviewed_store, io.StringIO(), "xml")
    claim = core.add_claim(reviewed_store, "Spending rose", actor="Mark Rutte", sources=["https://example.org/b"]).claim
    core.review(reviewed_store, [claim["id"]], "disputed")
    with pytest.raises(core.MissingRationale, match="pass allow_missing_rationale=True"):
        core.export_claims(reviewed_store, io.StringIO(), "claimreview")
    core.export_claims(reviewed_store, io.StringIO(), "claimreview", allow_missing_rationale=True)


def test_import_file_from_a_path_a_text_object_and_a_binary_object(reviewed_store, tmp_path):
    exported = io.StringIO()
    core.export_claims(reviewed_store, exported, "jsonl")
    path = tmp_path / "claims.jsonl"
    path.write_text(exported.getvalue(), encoding="utf-8")
    other = Store(tmp_path / "other.json", user="tester")
    assert len(core.import_file(other, path).added) == 1
    again = core.import_file(other, io.StringIO(exported.getvalue()), on_duplicate="skip")
    assert again.added == [] and len(again.skipped) == 1
    third = Store(tmp_path / "third.json", user="tester")
    csv_text = io.StringIO()
    core.export_claims(reviewed_store, csv_text, "csv")
    assert len(core.import_file(third, io.BytesIO(csv_text.getvalue().encode()), "csv").added) == 1
    read = core.read_import_file(str(path))
    assert len(read) == 1 and read.tables is None


def test_import_file_takes_a_whole_store_and_names_duplicates_in_arguments(reviewed_store, tmp_path):
    whole = tmp_path / "whole.json"
    core.export_claims(reviewed_store, whole, "store")
    copy = Store(tmp_path / "copy.json", user="tester")
    report = core.import_file(copy, whole)
    assert report.added == list(reviewed_store.claims) and "Mark Rutte" in copy.actors
    with pytest.raises(InvalidInput, match="use on_duplicate='skip' or 'update'"):
        core.import_file(copy, whole)
    with pytest.raises(InvalidInput, match="not UTF-8 text"):
        core.import_file(copy, io.BytesIO(b"\xff\xfe"))


def test_archive_source_from_bytes_a_path_or_fetched(reviewed_store, tmp_path, site):
    url = f"{site}/summit.html"
    source = core.add_source(reviewed_store, url).source["id"]
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    from_path = core.archive_source(reviewed_store, source, page)
    assert from_path.new_file and reviewed_store.sources[source]["archive"][-1]["digest"] == from_path.digest
    fetched = core.archive_source(reviewed_store, source, fetch=True)
    assert fetched.digest == from_path.digest and fetched.source["id"] == source
    with pytest.raises(UsageError, match="fetch=True"):
        core.archive_source(reviewed_store, source)
    with pytest.raises(UsageError, match="fetch=True"):
        core.archive_source(reviewed_store, source, PAGE.encode(), fetch=True)
    offline = core.add_source(reviewed_store, "https://example.org/other").source["id"]
    with pytest.raises(NotFound, match=r"no archived copy \(archive_source keeps one\)"):
        core.current_copy(reviewed_store, offline)


def test_extract_from_bytes_a_path_a_url_and_an_archived_source(reviewed_store, tmp_path, site):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    from_bytes = core.article_from(reviewed_store, PAGE.encode(), url="https://example.org/summit", published="2025-06-24")
    from_path = core.article_from(reviewed_store, page, url="https://example.org/summit", published="2025-06-24")
    fetched = core.article_from(reviewed_store, f"{site}/summit.html", fetch=True)
    assert from_bytes.text == from_path.text == fetched.text and fetched.url == f"{site}/summit.html"
    source = core.add_source(reviewed_store, f"{site}/summit.html").source["id"]
    core.archive_source(reviewed_store, source, fetch=True)
    archived = core.article_from(reviewed_store, source)
    assert archived.text == from_bytes.text
    candidates = core.extract_candidates(reviewed_store, archived)
    assert candidates
    assert core.extract_candidates(reviewed_store, page) == core.extract_candidates(reviewed_store, f"{site}/summit.html", fetch=True)\
        == core.extract_candidates(reviewed_store, source) == candidates
    out = io.StringIO()
    core.write_candidates(candidates, archived, out, "jsonl")
    assert len(out.getvalue().splitlines()) == len(candidates)
    with pytest.raises(UsageError, match="url and published describe"):
        core.article_from(reviewed_store, source, published="2025-06-24")
    with pytest.raises(NotFound, match="no such file, and no registered source"):
        core.article_from(reviewed_store, str(tmp_path / "missing.html"))
    with pytest.raises(InvalidInput, match="published date"):
        core.article_from(reviewed_store, PAGE.encode(), published="the day after")
    assert core.candidate_kind("quote") == "quote" and core.candidate_date(" ") is None
    with pytest.raises(InvalidInput):
        core.candidate_kind("rumour")


def test_resolve_refusals_speak_of_arguments(reviewed_store):
    with pytest.raises(UsageError, match="give one of side='ours', side='theirs' or value"):
        core.resolve(reviewed_store, "x", "text")


def test_find_source_names_the_library_function_to_register_one(reviewed_store):
    with pytest.raises(NotFound, match=r"register it with add_source\)"):
        core.find_source(reviewed_store, "https://example.org/never-registered")
