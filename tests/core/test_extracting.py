"""`extract` as a library: article_from (bytes, a path, a registered source), extract_candidates,
write_candidates (what import_file takes back) and import_candidates, from the CLI's cases."""

from __future__ import annotations

import io
import json

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput, NotFound, UsageError
from natoclaims.model import FIELDS
from tests.factories import memory_store, unchanged

TEXT = ("NATO allies must step up, U.S. Defense Secretary Pete Hegseth said on Thursday in Brussels.\n"
        "\u201cIt cannot and will not be reliance on America,\u201d Hegseth told reporters.\n"
        "\u201cWe are ready,\u201d one European diplomat said, adding that allies would spend 5% of GDP.\n")
RELIANCE = "It cannot and will not be reliance on America"


@pytest.fixture
def hegseth():
    """A store with Pete Hegseth (alias Hegseth) in its actors table."""
    store = memory_store()
    core.add_actor(store, "Pete Hegseth", ["Hegseth"], "US Secretary of Defense")
    return store


@pytest.fixture
def article():
    return core.article_from_bytes(TEXT.encode(), url="https://example.org/a", published="2025-06-06")


def test_the_quotes_are_candidates_with_their_speakers_and_date(hegseth, article):
    candidates = core.extract_candidates(hegseth, article)
    first = candidates[0]
    assert (first.actor, first.text, first.said_on, first.kind) == ("Pete Hegseth", RELIANCE, "2025-06-06", "quote")
    assert any(c.text == "We are ready" and "unnamed" in c.actor for c in candidates)
    assert all(0 < c.confidence <= 1 and c.cue for c in candidates)


def test_a_selector_slices_the_quote_out_of_the_article(hegseth, article):
    for candidate in core.extract_candidates(hegseth, article):
        if candidate.selector is not None:
            assert article.text[candidate.selector["start"]:candidate.selector["end"]] == candidate.text


def test_min_confidence_leaves_out_the_less_likely(hegseth, article):
    candidates = core.extract_candidates(hegseth, article)
    top = max(c.confidence for c in candidates)
    kept = core.extract_candidates(hegseth, article, min_confidence=top)
    assert 0 < len(kept) < len(candidates) and all(c.confidence == top for c in kept)


def test_without_a_store_a_speaker_is_the_name_the_article_gives(article):
    assert core.extract_candidates(None, article)[0].actor == "Pete Hegseth"


def test_the_jsonl_written_is_import_ready_and_imports(hegseth, article):
    out = io.StringIO()
    candidates = core.extract_candidates(hegseth, article)
    core.write_candidates(candidates, article, out, "jsonl")
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == len(candidates) and all(set(r) <= set(FIELDS) for r in records)
    assert records[0]["sources"][0]["url"] == "https://example.org/a"
    report = core.import_file(hegseth, io.StringIO(out.getvalue()), "jsonl")
    assert len(report.added) == len(records)
    (found,) = core.find(hegseth, core.Filters(query="reliance"))
    assert found["actor"] == "Pete Hegseth"


def test_the_json_written_has_confidence_cue_and_selectors(hegseth, article):
    out = io.StringIO()
    core.write_candidates(core.extract_candidates(hegseth, article), article, out, "json")
    rows = json.loads(out.getvalue())
    assert all(0 < r["confidence"] <= 1 and r["cue"] for r in rows)
    assert any("selector" in r["sources"][0] for r in rows)


@pytest.mark.parametrize("fmt", ["tsv", "csv", "ids", "table"])
def test_candidates_are_written_as_json_or_jsonl_only(article, fmt):
    with pytest.raises(InvalidInput, match=f"candidates are written as json or jsonl, not '{fmt}'"):
        core.write_candidates([], article, io.StringIO(), fmt)


def test_import_candidates_adds_them_in_one_change_set_undo_removes(hegseth, article):
    candidates = core.extract_candidates(hegseth, article)
    report = core.import_candidates(hegseth, candidates, article)
    assert len(report.added) == len(candidates)
    assert all(hegseth.claims[i]["history"][0]["new"] == "extracted" for i in report.added)
    core.undo(hegseth)
    assert not set(report.added) & set(hegseth.claims)


def test_import_candidates_twice_skips_what_is_there(hegseth, article):
    candidates = core.extract_candidates(hegseth, article)
    core.import_candidates(hegseth, candidates, article)
    with unchanged(hegseth):
        again = core.import_candidates(hegseth, candidates, article)
    assert again.added == [] and len(again.skipped) == len(candidates)


def test_quotes_that_never_close_and_nested_quotes(hegseth):
    article = core.article_from_bytes(
        "Hegseth said: \u201cWe will not be \u2018the world\u2019s policeman\u2019 any longer,\u201d in Brussels.\n"
        "Hegseth warned: \u201cthis quote never closes\nNext paragraph.\n".encode())
    assert [c.text for c in core.extract_candidates(hegseth, article)] == [
        "We will not be \u2018the world\u2019s policeman\u2019 any longer", "this quote never closes"]


def test_mojibake_is_repaired(hegseth):
    data = '"We\u2019re ready," Hegseth said in Brussels on Thursday.\n'.encode().decode("cp1252").encode("utf-8")
    assert [c.text for c in core.extract_candidates(hegseth, core.article_from_bytes(data))] == ["We\u2019re ready"]


def test_article_from_a_path_and_from_its_bytes_are_the_same(hegseth, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert core.article_from(hegseth, path).text == core.article_from(hegseth, TEXT.encode()).text
    assert core.article_from(hegseth, str(path)).text == core.article_from_bytes(TEXT.encode()).text


def test_a_registered_source_is_read_from_its_archived_copy(hegseth):
    source = core.add_source(hegseth, "https://example.org/hegseth", title="Hegseth in Brussels").source["id"]
    core.archive_source(hegseth, source, TEXT.encode())
    article = core.article_from(hegseth, source[:5])
    candidate = next(c for c in core.extract_candidates(hegseth, article) if c.actor == "Pete Hegseth")
    assert candidate.text == RELIANCE and article.url == "https://example.org/hegseth"
    assert TEXT[candidate.selector["start"]:candidate.selector["end"]] == RELIANCE


ARTICLE_REFUSED = {
    "a source with no copy": (lambda s: core.article_from(s, "https://example.org/a"), NotFound,
                              r"has no archived copy \(archive_source keeps one\)"),
    "no file and no source": (lambda s: core.article_from(s, "no-such-file.html"), NotFound,
                              "no such file, and no registered source"),
    "no file, with a url": (lambda s: core.article_from(s, "no-such-file.html", url="https://x.org"), NotFound,
                            "no such file, and no registered source"),
    "a source described again": (lambda s: core.article_from(s, "https://example.org/a", url="https://x.org"),
                                 UsageError, "describe"),
    "no store to look in": (lambda s: core.article_from(None, "no-such-file.html"), NotFound,
                            "no such file, and no registered source"),
}


@pytest.mark.parametrize("call, error, reason", ARTICLE_REFUSED.values(), ids=ARTICLE_REFUSED.keys())
def test_article_from_refuses_and_changes_nothing(hegseth, call, error, reason):
    core.add_source(hegseth, "https://example.org/a")
    with unchanged(hegseth), pytest.raises(error, match=reason):
        call(hegseth)


BAD = {
    "empty": (b"", "empty"),
    "binary": (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
    "no article text": (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
}


@pytest.mark.parametrize("data, reason", BAD.values(), ids=BAD.keys())
def test_a_file_that_is_no_article_is_refused(hegseth, tmp_path, data, reason):
    path = tmp_path / "bad"
    path.write_bytes(data)
    with unchanged(hegseth), pytest.raises(InvalidInput, match=reason):
        core.extract_candidates(hegseth, path)


@pytest.mark.parametrize("described, reason", [
    ({"url": "ftp://example.org/a"}, "http"),
    ({"published": "the day after"}, "published"),
])
def test_a_wrong_description_of_the_bytes_is_refused(described, reason):
    with pytest.raises(InvalidInput, match=reason):
        core.article_from_bytes(TEXT.encode(), **described)


def test_a_folder_is_refused(hegseth, tmp_path):
    with pytest.raises(InvalidInput, match="is a directory"):
        core.article_from(hegseth, tmp_path)


@pytest.mark.parametrize("value, expected", [("rumour", None), ("paraphrase", "paraphrase"), ("quote", "quote")])
def test_candidate_kind_checks_the_kind(value, expected):
    if expected is None:
        with pytest.raises(InvalidInput, match="unknown kind"):
            core.candidate_kind(value)
    else:
        assert core.candidate_kind(value) == expected


@pytest.mark.parametrize("value, expected", [("", None), ("  ", None), ("2025-06-06", "2025-06-06"),
                                             ("June 6, 2025", "2025-06-06")])
def test_candidate_date_reads_a_date_or_blank(value, expected):
    assert core.candidate_date(value) == expected
