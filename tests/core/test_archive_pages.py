"""SPEC section 8 through the library: archive_source from bytes and from a path, the article's
metadata, quotes anchored before and after, check_quotes classifying each quote, what is refused
with the store and archive as they were, and damaged copies named."""

from __future__ import annotations

import io

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput, NotFound, UsageError
from natoclaims.store import Store
from tests.factories import ARTICLE_PAGE as PAGE
from tests.factories import ARTICLE_URL as URL
from tests.factories import QUOTE_ABSENT as ABSENT
from tests.factories import QUOTE_CHANGED as CHANGED
from tests.factories import QUOTE_EXACT as EXACT
from tests.factories import QUOTE_SPACED as SPACED
from tests.factories import file_store, memory_store, unchanged


@pytest.fixture(params=["memory", "file"])
def any_store(request, db) -> Store:
    return memory_store() if request.param == "memory" else file_store(db)


@pytest.fixture
def source(any_store) -> str:
    return core.add_source(any_store, URL, title="Rutte on troops").source["id"]


def quote(any_store, text, source):
    return core.add_claim(any_store, text, actor="Mark Rutte", kind="quote", sources=[source]).claim["id"]


def entry(any_store, claim_id):
    return any_store.get(claim_id)["sources"][0]


def test_quotes_added_before_and_after_the_copy_are_anchored(any_store, source):
    before = quote(any_store, EXACT, source)
    assert "selector" not in entry(any_store, before)
    done = core.archive_source(any_store, source, PAGE.encode())
    assert len(done.digest) == 64
    selector = entry(any_store, before)["selector"]
    assert selector["exact"] == EXACT and selector["prefix"].endswith("\u201c") and selector["suffix"].startswith(",\u201d")
    after = quote(any_store, SPACED, source)
    assert entry(any_store, after)["selector"]["exact"] == EXACT


def test_the_copy_keeps_the_pages_metadata(any_store, source):
    digest = core.archive_source(any_store, source, PAGE.encode()).digest
    (copy,) = any_store.sources[source]["archive"]
    assert copy["digest"] == digest and copy["media_type"] == "text/html" and copy["url"] == URL
    assert copy["title"] == "Rutte on troops" and copy["author"] == "Ana Reporter" and copy["published"] == "2025-06-24"
    assert core.check_store(any_store) == []


def test_the_article_text_leaves_out_navigation_ads_and_footer(any_store, source):
    core.archive_source(any_store, source, PAGE.encode())
    text = core.current_copy(any_store, source).article.text
    assert EXACT in text and "300,000 troops" in text
    assert "Subscribe for 1 euro" not in text and "Cookie settings" not in text


def test_plain_text_is_archived_as_text(any_store, source):
    core.archive_source(any_store, source, f"Rutte said: \u201c{EXACT}.\u201d\n".encode())
    claim = quote(any_store, EXACT, source)
    assert entry(any_store, claim)["selector"]["start"] == len("Rutte said: \u201c")
    assert any_store.sources[source]["archive"][0]["media_type"] == "text/plain"


def test_archive_source_takes_a_path(any_store, source, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    assert core.archive_source(any_store, source, path).digest == core.archive_source(any_store, source, str(path)).digest
    assert len(any_store.sources[source]["archive"]) == 1


def test_archive_source_by_its_url_or_an_id_prefix(any_store, source):
    by_url = core.archive_source(any_store, URL, PAGE.encode())
    by_prefix = core.archive_source(any_store, source[:5], PAGE.encode())
    assert by_url.digest == by_prefix.digest


def test_check_quotes_classifies_each_quote(any_store, source):
    ids = {name: quote(any_store, text, source) for name, text in
           (("exact", EXACT), ("normalised", SPACED), ("altered", CHANGED), ("missing", ABSENT))}
    core.archive_source(any_store, source, PAGE.encode())
    unarchived = quote(any_store, "Something said elsewhere", "https://other.example.org/x")
    rows = {r["id"]: r for r in core.check_quotes(any_store)}
    assert {name: rows[i]["match"] for name, i in ids.items()} == {
        "exact": "exact", "normalised": "normalised", "altered": "altered", "missing": "missing"}
    assert rows[unarchived]["match"] == "unarchived" and rows[unarchived]["archive"] is None
    altered = rows[ids["altered"]]
    assert altered["found"] == EXACT and altered["source"] == source and altered["selector"]["exact"] == EXACT
    assert "found" not in rows[ids["exact"]] and rows[ids["missing"]]["selector"] is None


def test_check_quotes_of_some_claims_only(any_store, source):
    core.archive_source(any_store, source, PAGE.encode())
    exact, changed = quote(any_store, EXACT, source), quote(any_store, CHANGED, source)
    rows = core.check_quotes(any_store, [any_store.get(changed)])
    assert [(r["id"], r["match"]) for r in rows] == [(changed, "altered")] and exact != changed


def test_a_paraphrase_is_not_checked(any_store, source):
    core.archive_source(any_store, source, PAGE.encode())
    core.add_claim(any_store, "Rutte promised to defend allied territory", actor="Mark Rutte", sources=[source])
    assert core.check_quotes(any_store) == []


def test_a_second_copy_with_a_paragraph_before_the_quote_reanchors_it(any_store, source):
    core.archive_source(any_store, source, PAGE.encode())
    claim = quote(any_store, EXACT, source)
    start = entry(any_store, claim)["selector"]["start"]
    core.archive_source(any_store, source, PAGE.replace("<article>", "<article><p>Correction: an earlier version erred.</p>").encode())
    assert entry(any_store, claim)["selector"]["start"] > start
    assert [r["match"] for r in core.check_quotes(any_store)] == ["exact"]


def test_editing_a_quote_reanchors_and_another_kind_drops_the_selector(any_store, source):
    core.archive_source(any_store, source, PAGE.encode())
    claim = quote(any_store, ABSENT, source)
    assert entry(any_store, claim).get("selector") is None
    core.edit_claim(any_store, claim, text=EXACT)
    assert entry(any_store, claim)["selector"]["exact"] == EXACT
    core.edit_claim(any_store, claim, kind="paraphrase")
    assert "selector" not in entry(any_store, claim)


BAD_PAGES = {
    "png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "a PNG image is not supported"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF document is not supported"),
    "empty": (b"", "empty"),
    "blank": (b"  \n\t\n", "empty"),
}


@pytest.mark.parametrize("data, reason", BAD_PAGES.values(), ids=BAD_PAGES.keys())
def test_bytes_that_are_no_article_are_refused_and_nothing_changes(any_store, source, data, reason):
    with unchanged(any_store), pytest.raises(InvalidInput, match=reason):
        core.archive_source(any_store, source, data)
    assert any_store.sources[source]["archive"] is None


def test_a_file_too_large_is_refused_by_its_size(any_store, source, tmp_path):
    path = tmp_path / "huge.html"
    with open(path, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    with unchanged(any_store), pytest.raises(InvalidInput, match="larger than the 50 MB limit"):
        core.archive_source(any_store, source, path)


WRONG = {
    "an unknown source": (lambda s, src, page: core.archive_source(s, "nosuchsource1", page), NotFound,
                          "matches no source"),
    "no page and no fetch": (lambda s, src, page: core.archive_source(s, src), UsageError,
                             r"give the page \(its bytes or a file's path\), or fetch=True"),
    "a page and fetch": (lambda s, src, page: core.archive_source(s, src, page, fetch=True), UsageError,
                         "or fetch=True"),
    "a missing file": (lambda s, src, page: core.archive_source(s, src, page.with_name("missing.html")), InvalidInput,
                       "no such file"),
    "a folder": (lambda s, src, page: core.archive_source(s, src, page.parent), InvalidInput, "is a directory"),
}


@pytest.mark.parametrize("call, error, reason", WRONG.values(), ids=WRONG.keys())
def test_wrong_arguments_are_refused_and_nothing_changes(any_store, source, tmp_path, call, error, reason):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    with unchanged(any_store), pytest.raises(error, match=reason):
        call(any_store, source, page)


def test_latin1_bytes_without_a_charset_are_decoded(any_store, source):
    said = "Nous d\u00e9fendrons chaque pouce du territoire alli\u00e9"
    core.archive_source(any_store, source, f"Le ministre a d\u00e9clar\u00e9: \u00ab {said} \u00bb, a-t-il ajout\u00e9.".encode("latin-1"))
    assert entry(any_store, quote(any_store, said, source))["selector"]["exact"] == said


@pytest.mark.parametrize("damage", ["delete", "change"])
def test_a_damaged_copy_is_named_by_digest_never_as_missing(db, damage):
    any_store = file_store(db)
    source = core.add_source(any_store, URL).source["id"]
    digest = core.archive_source(any_store, source, PAGE.encode()).digest
    claim = quote(any_store, EXACT, source)
    path = db.with_name(db.name + ".archive") / f"{digest}.warc.gz"
    if damage == "delete":
        path.unlink()
    else:
        path.write_bytes(b"not a warc")
    reread = Store(db)
    (row,) = core.check_quotes(reread)
    assert row["id"] == claim and row["match"] == "damaged" and row["archive"] == digest and row["problem"]
    (problem,) = core.damaged_copies(reread)
    assert problem.startswith(f"source {source}: archived copy {digest}")


def test_a_store_export_brings_the_archived_copies(db, tmp_path):
    any_store = file_store(db)
    source = core.add_source(any_store, URL).source["id"]
    core.archive_source(any_store, source, PAGE.encode())
    claim = quote(any_store, EXACT, source)
    exported = tmp_path / "export.json"
    core.export_claims(any_store, exported, "store")
    copy = file_store(tmp_path / "copy.json")
    core.import_file(copy, exported)
    assert copy.get(claim)["sources"][0]["selector"]["exact"] == EXACT
    assert [r["match"] for r in core.check_quotes(copy)] == ["exact"]
    assert core.damaged_copies(copy) == []


def test_a_stream_export_of_the_store_format_is_the_whole_store(any_newsroom):
    out = io.StringIO()
    assert core.export_claims(any_newsroom, out, "store") == []
    copy = memory_store()
    core.import_file(copy, io.StringIO(out.getvalue()), "json")
    assert set(copy.claims) == set(any_newsroom.claims) and set(copy.actors) == set(any_newsroom.actors)
