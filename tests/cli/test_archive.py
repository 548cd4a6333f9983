"""`source archive`, anchored quotes and `check --quotes` through the CLI (SPEC section 8)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from natoclaims.store import read_file
from tests.conftest import assert_refused, cli
from tests.factories import ARTICLE_PAGE as PAGE
from tests.factories import ARTICLE_URL as URL
from tests.factories import QUOTE_ABSENT as ABSENT
from tests.factories import QUOTE_CHANGED as CHANGED
from tests.factories import QUOTE_EXACT as EXACT
from tests.factories import QUOTE_SPACED as SPACED


@pytest.fixture
def source(empty_store: Path) -> str:
    result = cli("source", "add", URL, "--title", "Rutte on troops")
    assert result.code == 0, result
    return result.stdout.strip()


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def quote(text: str, source: str) -> str:
    result = cli("add", "--kind", "quote", "--actor", "Mark Rutte", "--source", source, "--", text)
    assert result.code == 0, result
    return result.stdout.strip()


def entry(claim_id: str, db: Path) -> dict:
    return read_file(db)["claims"][claim_id]["sources"][0]


def snapshot(db: Path) -> dict[str, bytes]:
    """The store, its journal and every archive file, byte for byte."""
    files = {p: p.read_bytes() for p in (db, db.with_name(db.name + ".journal")) if p.exists()}
    folder = db.with_name(db.name + ".archive")
    if folder.exists():
        files.update({p: p.read_bytes() for p in folder.iterdir()})
    return files


def test_archiving_anchors_quotes_added_before_and_after(source, page, empty_store):
    before = quote(EXACT, source)
    result = cli("source", "archive", source, str(page))
    assert result.code == 0, result
    digest = result.stdout.strip()
    assert len(digest) == 64 and "1 exact" in result.stderr
    assert (empty_store.with_name("claims.json.archive") / f"{digest}.warc.gz").is_file()
    selector = entry(before, empty_store)["selector"]
    assert selector["exact"] == EXACT and selector["prefix"].endswith("\u201c") and selector["suffix"].startswith(",\u201d")
    after = quote(SPACED, source)
    assert entry(after, empty_store)["selector"]["exact"] == EXACT
    record = read_file(empty_store)["sources"][source]
    (copy,) = record["archive"]
    assert copy["digest"] == digest and copy["media_type"] == "text/html" and copy["url"] == URL
    assert copy["title"] == "Rutte on troops" and copy["author"] == "Ana Reporter" and copy["published"] == "2025-06-24"
    assert cli("check").code == 0


def test_archiving_from_stdin(source, empty_store):
    result = cli("source", "archive", source[:5], "-", input=f"Rutte said: \u201c{EXACT}.\u201d\n")
    assert result.code == 0, result
    claim = quote(EXACT, source)
    assert entry(claim, empty_store)["selector"]["start"] == len("Rutte said: \u201c")
    assert read_file(empty_store)["sources"][source]["archive"][0]["media_type"] == "text/plain"


def test_check_quotes_classifies_in_every_format(source, page, monkeypatch):
    ids = {name: quote(text, source) for name, text in
           (("exact", EXACT), ("normalised", SPACED), ("altered", CHANGED), ("missing", ABSENT))}
    assert cli("source", "archive", source, str(page)).code == 0
    unarchived = cli("add", "--kind", "quote", "--actor", "Mark Rutte", "--source", "https://other.example.org/x",
                     "--", "Something said elsewhere").stdout.strip()
    result = cli("check", "--quotes", "--format", "json")
    assert result.code == 1
    rows = {r["id"]: r for r in result.json()}
    assert {name: rows[i]["match"] for name, i in ids.items()} == {
        "exact": "exact", "normalised": "normalised", "altered": "altered", "missing": "missing"}
    assert rows[unarchived]["match"] == "unarchived"
    altered = rows[ids["altered"]]
    assert altered["found"] == EXACT and altered["source"] == source and altered["selector"]["exact"] == EXACT
    assert "found" not in rows[ids["exact"]] and rows[ids["missing"]]["selector"] is None
    assert ("4 quotes checked: 1 exact, 1 normalised, 1 altered, 1 missing; 2 failing; 1 quote not checked, "
            "with no archived source") in result.stderr
    lines = [json.loads(line) for line in cli("check", "--quotes", "--format", "jsonl").stdout.splitlines()]
    assert {r["id"]: r["match"] for r in lines} == {i: r["match"] for i, r in rows.items()}
    table = list(csv.DictReader(io.StringIO(cli("check", "--quotes", "--format", "csv").stdout)))
    assert {r["id"]: r["match"] for r in table} == {i: r["match"] for i, r in rows.items()}
    assert {r["id"]: r["found"] for r in table}[ids["altered"]] == EXACT
    tsv = [line.split("\t") for line in cli("check", "--quotes", "--format", "tsv").stdout.splitlines()]
    assert {r[0]: r[2] for r in tsv} == {i: r["match"] for i, r in rows.items()}
    assert sorted(cli("check", "--quotes", "--format", "ids").stdout.split()) == sorted(rows)
    monkeypatch.setenv("COLUMNS", "250")
    shown = cli("check", "--quotes", "--format", "table")
    assert shown.code == 1
    assert "[-metre-]" in shown.stdout and "{+inch+}" in shown.stdout


def test_all_faithful_quotes_exit_zero(source, page):
    quote(EXACT, source)
    quote(SPACED, source)
    assert cli("source", "archive", source, str(page)).code == 0
    result = cli("check", "--quotes", "--format", "tsv")
    assert result.code == 0, result
    assert "2 quotes checked: 1 exact, 1 normalised" in result.stderr


def test_a_second_copy_with_a_paragraph_before_the_quote_reanchors_it(source, page, empty_store, tmp_path):
    claim = quote(EXACT, source)
    assert cli("source", "archive", source, str(page)).code == 0
    old = entry(claim, empty_store)["selector"]
    newer = tmp_path / "newer.html"
    newer.write_text(PAGE.replace("<h1>Rutte on troops</h1>", "<h1>Rutte on troops</h1>\n<p>Update: this story was "
                                  "corrected on Wednesday to add the figures from the ministry of defence.</p>"))
    result = cli("source", "archive", source, str(newer))
    assert result.code == 0 and "1 exact" in result.stderr, result
    new = entry(claim, empty_store)["selector"]
    assert new["exact"] == EXACT and new["start"] > old["start"]
    assert len(read_file(empty_store)["sources"][source]["archive"]) == 2
    assert cli("check", "--quotes").code == 0


def test_editing_a_quote_reanchors_and_another_kind_drops_the_selector(source, page, empty_store):
    claim = quote(CHANGED, source)
    assert cli("source", "archive", source, str(page)).code == 0
    assert cli("edit", claim, "--text", EXACT).code == 0
    assert entry(claim, empty_store)["selector"]["exact"] == EXACT
    assert cli("source", "edit", source, "--outlet", "Example News").code == 0
    assert entry(claim, empty_store)["selector"]["exact"] == EXACT  # a source edit keeps anchors
    assert cli("edit", claim, "--kind", "paraphrase").code == 0
    assert "selector" not in entry(claim, empty_store)
    assert cli("check").code == 0


def test_export_and_import_keep_selectors_and_bring_archived_copies(source, page, empty_store, tmp_path):
    claim = quote(EXACT, source)
    assert cli("source", "archive", source, str(page)).code == 0
    exported = cli("export", "--format", "jsonl").stdout
    assert json.loads(exported)["sources"][0]["selector"]["exact"] == EXACT
    other = tmp_path / "other" / "claims.json"
    assert cli("--db", str(other), "init", "--empty").code == 0
    assert cli("--db", str(other), "import", str(empty_store)).code == 0
    moved = read_file(other)
    assert moved["claims"][claim]["sources"][0]["selector"]["exact"] == EXACT
    assert moved["sources"][source]["archive"] == read_file(empty_store)["sources"][source]["archive"]
    assert cli("--db", str(other), "check", "--quotes").code == 0
    third = tmp_path / "third.json"
    assert cli("--db", str(third), "init", "--empty").code == 0
    assert cli("--db", str(third), "import", "-", input=exported).code == 0
    assert read_file(third)["claims"][claim]["sources"][0]["selector"]["exact"] == EXACT


@pytest.mark.parametrize("damage", ["delete", "change"])
def test_a_damaged_archive_is_reported_by_digest_never_as_missing(source, page, empty_store, damage):
    quote(EXACT, source)
    digest = cli("source", "archive", source, str(page)).stdout.strip()
    path = empty_store.with_name("claims.json.archive") / f"{digest}.warc.gz"
    if damage == "delete":
        path.unlink()
    else:
        data = bytearray(path.read_bytes())
        data[200] ^= 0x55
        path.write_bytes(bytes(data))
    result = cli("check", "--quotes", "--format", "json")
    assert result.code == 1
    (row,) = result.json()
    assert row["match"] == "damaged" and row["archive"] == digest
    assert f"archived copy {digest} is damaged" in result.stderr and "missing" not in row["match"]
    checked = cli("check")
    assert checked.code == 1 and digest in checked.stdout


def sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


BAD_FILES = {
    "png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "a PNG image is not supported"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF document is not supported"),
    "empty": (b"", "the file is empty"),
    "blank": (b"  \n\t\n", "the file is empty"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_files_that_are_not_articles_are_refused_and_nothing_changes(source, empty_store, tmp_path, kind):
    data, reason = BAD_FILES[kind]
    path = tmp_path / f"bad.{kind}"
    path.write_bytes(data)
    before = snapshot(empty_store)
    assert_refused(cli("source", "archive", source, str(path)), reason)
    assert snapshot(empty_store) == before
    assert not empty_store.with_name("claims.json.archive").exists()


def test_a_200_mb_file_is_refused_by_its_size(source, empty_store, tmp_path):
    before = snapshot(empty_store)
    assert_refused(cli("source", "archive", source, str(sparse(tmp_path / "huge.html", 200 * 1024 * 1024))),
                   "larger than the 50 MB limit")
    assert snapshot(empty_store) == before


def test_too_much_on_stdin_is_refused(source, empty_store, monkeypatch):
    monkeypatch.setattr("natoclaims.formats.articles.MAX_BYTES", 1000)
    before = snapshot(empty_store)
    assert_refused(cli("source", "archive", source, "-", input="word " * 500), "larger than")
    assert snapshot(empty_store) == before


def test_undecodable_bytes_without_a_charset_are_decoded_or_refused_clearly(source, empty_store, tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Le ministre a d\u00e9clar\u00e9: \u00ab Nous d\u00e9fendrons chaque pouce du territoire alli\u00e9 \u00bb, "
                      "a-t-il ajout\u00e9 \u00e0 Bruxelles.".encode("latin-1"))
    result = cli("source", "archive", source, str(latin))
    assert result.code == 0, result
    claim = quote("Nous d\u00e9fendrons chaque pouce du territoire alli\u00e9", source)
    assert entry(claim, empty_store)["selector"]["exact"] == "Nous d\u00e9fendrons chaque pouce du territoire alli\u00e9"
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes(range(128, 256)) * 4 + b"\x81\x8d\x8f\x90\x9d" * 20)
    before = snapshot(empty_store)
    result = cli("source", "archive", source, str(noise))
    if result.code:
        assert_refused(result, "")
        assert snapshot(empty_store) == before


@pytest.mark.parametrize("args, reason", [
    (["nosuchsource1", "FILE"], "matches no source"),
    (["SOURCE"], "give a FILE"),
    (["SOURCE", "FILE", "--fetch"], "give a FILE"),
    (["SOURCE", "missing.html"], "no such file"),
    (["SOURCE", "."], "is a directory"),
    (["file:///etc/passwd", "--fetch"], "http"),
    (["javascript:alert(1)", "--fetch"], "http"),
])
def test_wrong_arguments_are_refused_and_nothing_changes(source, page, empty_store, args, reason):
    before = snapshot(empty_store)
    args = [source if a == "SOURCE" else str(page) if a == "FILE" else a for a in args]
    assert_refused(cli("source", "archive", *args), reason)
    assert snapshot(empty_store) == before


def test_a_source_without_a_url_cannot_be_fetched(empty_store):
    result = cli("add", "--kind", "quote", "--actor", "Mark Rutte", "--source-title", "A speech", "--", EXACT)
    assert result.code == 0, result
    source = read_file(empty_store)["claims"][result.stdout.strip()]["sources"][0]["id"]
    assert_refused(cli("source", "archive", source, "--fetch"), "has no URL")


def test_a_read_only_archive_folder_is_refused_and_nothing_changes(source, page, empty_store, tmp_path):
    folder = empty_store.with_name("claims.json.archive")
    folder.mkdir()
    folder.chmod(0o555)
    try:
        before = snapshot(empty_store)
        assert_refused(cli("source", "archive", source, str(page)), "read-only")
        assert snapshot(empty_store) == before and list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_a_failed_store_write_leaves_no_new_archive_file(source, page, empty_store, monkeypatch):
    from natoclaims.errors import StoreError
    from natoclaims.store import backend, overlay

    def refuse(*args, **kwargs):
        raise StoreError("disk full")

    monkeypatch.setattr(backend.FileStorage, "flush", refuse)  # a store written whole
    monkeypatch.setattr(overlay.SplicedStorage, "flush", refuse)  # or record by record
    result = cli("source", "archive", source, str(page))
    assert result.code == 1
    folder = empty_store.with_name("claims.json.archive")
    assert not folder.exists() or list(folder.iterdir()) == []


def test_the_archive_folder_is_content_addressed(source, page, empty_store):
    first = cli("source", "archive", source, str(page)).stdout.strip()
    again = cli("source", "archive", source, str(page))
    assert again.stdout.strip() == first and "already archived" in again.stderr
    assert len(read_file(empty_store)["sources"][source]["archive"]) == 1  # still the current copy, once
    assert sorted(os.listdir(empty_store.with_name("claims.json.archive"))) == [f"{first}.warc.gz"]


def test_importing_a_store_adds_its_copies_of_a_source_already_here(source, page, empty_store, tmp_path):
    claim = quote(EXACT, source)
    other = tmp_path / "desk" / "claims.json"
    assert cli("--db", str(other), "init", "--empty").code == 0
    theirs = cli("--db", str(other), "source", "add", URL).stdout.strip()
    assert cli("--db", str(other), "source", "archive", theirs, str(page)).code == 0
    assert cli("import", str(other)).code == 0
    (copy,) = read_file(empty_store)["sources"][source]["archive"]
    assert copy == read_file(other)["sources"][theirs]["archive"][0]
    assert (empty_store.with_name("claims.json.archive") / f"{copy['digest']}.warc.gz").is_file()
    assert entry(claim, empty_store)["selector"]["exact"] == EXACT  # found in the copy the import brought
    result = cli("check", "--quotes", "--format", "json")
    assert result.code == 0 and result.json()[0]["id"] == claim and result.json()[0]["match"] == "exact"


def forge(path: Path, *, text: str | None = None, metadata: dict | None = None, keep_digest: bool = False) -> None:
    """Rewrite a copy's WARC file with real warcio: the raw record as it was, another text or metadata,
    each new record with its own digest recomputed, or (`keep_digest`) the genuine record's digest kept."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            body = record.content_stream().read()
            if record.rec_type == "conversion" and text is not None:
                body = text.encode()
            elif record.rec_type == "metadata" and metadata is not None:
                body = json.dumps({**json.loads(body), **metadata}).encode()
            headers = dict(record.rec_headers.headers)
            if not keep_digest:
                headers.pop("WARC-Block-Digest", None)
                headers.pop("WARC-Payload-Digest", None)
            headers.pop("Content-Length", None)
            writer.write_record(writer.create_warc_record(
                headers["WARC-Target-URI"], record.rec_type, payload=io.BytesIO(body), length=len(body),
                warc_content_type=headers.pop("Content-Type"), warc_headers_dict=headers,
                http_headers=record.http_headers))
    path.write_bytes(out.getvalue())


@pytest.mark.parametrize("forgery", ["text, digest recomputed", "text, digest kept", "metadata, digest recomputed"])
def test_a_forged_text_or_metadata_beside_the_genuine_bytes_is_a_damaged_copy(source, page, empty_store, forgery):
    """Issue 23.4: only the raw bytes are bound to the digest; an invented quote put in the text
    (or a date in the metadata) must never check exact, whatever digests the forger writes."""
    claim = quote(ABSENT, source)
    digest = cli("source", "archive", source, str(page)).stdout.strip()
    path = empty_store.with_name("claims.json.archive") / f"{digest}.warc.gz"
    from natoclaims.store.archive import read_copy

    genuine = read_copy(path.parent, digest)
    if forgery.startswith("text"):
        forge(path, text=f"{genuine.text}\n\u201c{ABSENT},\u201d Rutte said.", keep_digest="kept" in forgery)
    else:
        forge(path, metadata={"published": "2019-11-07"})
    result = cli("check", "--quotes", "--format", "json")
    assert result.code == 1
    (row,) = result.json()
    assert row["id"] == claim and row["match"] == "damaged" and row["archive"] == digest
    checked = cli("check")
    assert checked.code == 1
    (problem,) = checked.stdout.splitlines()
    assert f"archived copy {digest} is damaged" in problem
    assert_refused(cli("extract", source), f"archived copy {digest} is damaged")


def bomb(size: int) -> bytes:
    """`size` bytes of spaces, gzipped to a few kilobytes: a member of a WARC file."""
    import gzip

    return gzip.compress(b" " * size, compresslevel=9)


@pytest.mark.parametrize("where", ["conversion record", "headers"])
def test_a_copy_that_inflates_past_the_limit_is_refused_unread(source, page, empty_store, monkeypatch, where):
    """Issue 23.5: a small file that inflates without end (a gzip bomb) is damaged, not read whole."""
    monkeypatch.setattr("natoclaims.store.archive.MAX_RECORD_BYTES", 1024 * 1024)
    quote(EXACT, source)
    digest = cli("source", "archive", source, str(page)).stdout.strip()
    path = empty_store.with_name("claims.json.archive") / f"{digest}.warc.gz"
    from natoclaims.store.archive import read_copy

    genuine = read_copy(path.parent, digest)
    if where == "headers":  # a WARC header line that never ends
        path.write_bytes(path.read_bytes() + bomb(8 * 1024 * 1024))
    else:
        forge(path, text=genuine.text + " " * (2 * 1024 * 1024))
    assert len(path.read_bytes()) < 64 * 1024
    result = cli("check", "--quotes", "--format", "json")
    assert result.code == 1 and result.json()[0]["match"] == "damaged"
    assert "inflates beyond the 1 MB limit" in result.stderr
    checked = cli("check")
    assert checked.code == 1 and "inflates beyond the 1 MB limit" in checked.stdout


def test_show_says_how_the_archived_copy_holds_a_quote(source, page):
    """Issue 24.8: `show` printed an altered quote's context in the source as if it matched."""
    exact, altered, absent = quote(EXACT, source), quote(CHANGED, source), quote(ABSENT, source)
    assert cli("source", "archive", source, str(page)).code == 0
    shown = {claim: " ".join(cli("show", claim, "--format", "table").stdout.split()) for claim in (exact, altered, absent)}
    assert f"In source {source}: exact …" in shown[exact] and "“We will defend every inch" in shown[exact]
    assert f"In source {source}: altered" in shown[altered] and "…" not in shown[altered], shown[altered]
    assert ("claim: We will defend every [-metre-] of allied territory source: We will defend every {+inch+} of "
            "allied territory") in shown[altered]
    assert f"In source {source}: missing the words are not in the archived copy" in shown[absent]


def test_the_quote_summary_adds_up(source, page):
    """Issue 24.16: "35 quote(s) checked: 35 exact, 2 unarchived" counted the unchecked among the checked."""
    quote(EXACT, source)
    quote(SPACED, "https://elsewhere.example/not-archived")
    assert cli("source", "archive", source, str(page)).code == 0
    result = cli("check", "--quotes", "--format", "tsv")
    assert result.code == 0, result
    assert result.stderr.endswith(": 1 quote checked: 1 exact; 1 quote not checked, with no archived source\n"), result
