"""Archived copies end to end: `source archive --fetch` against a real HTTP server on 127.0.0.1,
and the issue's done-when scenario through the installed `natoclaims`."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from natoclaims.store import read_file
from tests.cli.test_archive import snapshot
from tests.conftest import NATOCLAIMS, assert_refused, cli, run
from tests.factories import ARTICLE_PAGE as PAGE
from tests.factories import QUOTE_ABSENT as ABSENT
from tests.factories import QUOTE_CHANGED as CHANGED
from tests.factories import QUOTE_EXACT as EXACT

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
DRIPS = {"/drip-head": b"X-Slow: ", "/drip-body": b"\r\n<p>", "/drip-sized-body": b"Content-Length: 100000\r\n\r\n<p>"}
DRIPPED: dict[str, str] = {}


class Pages(BaseHTTPRequestHandler):
    """A small site: a page, redirects, an error, a slow page, a huge page and an image."""

    def log_message(self, *args: object) -> None:
        pass

    def send(self, status: int, body: bytes, media_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", headers.pop("length", str(len(body))))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def drip(self, start: bytes) -> None:
        """A byte every 0.2 s for 8 s, in the headers or in the body: each read is quick, the whole is not;
        whether the client hung up first is told in DRIPPED."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + start)
        try:
            for _ in range(40):
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            DRIPPED[self.path] = "cut"
        else:
            DRIPPED[self.path] = "whole"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = self.path
        if path == "/page":
            self.send(200, PAGE.encode())
        elif path == "/moved":
            self.send(301, b"", Location="/hop")
        elif path == "/hop":
            self.send(302, b"", Location="/page")
        elif path == "/loop":
            self.send(302, b"", Location="/loop")
        elif path == "/to-file":
            self.send(302, b"", Location="file:///etc/passwd")
        elif path == "/gone":
            self.send(404, b"<h1>Not found</h1>")
        elif path == "/slow":
            time.sleep(3)
            self.send(200, PAGE.encode())
        elif path == "/huge":
            self.send(200, b"<p>" + b"x" * 1024, length=str(200 * 1024 * 1024))
        elif path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"words " * 10000 + b"</p>")
            except OSError:
                pass
        elif path == "/image":
            self.send(200, PNG, "image/png")
        elif path in DRIPS:
            self.drip(DRIPS[path])
        else:
            self.send(404, b"")


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def source_for(url: str) -> str:
    result = cli("source", "add", url)
    assert result.code == 0, result
    return result.stdout.strip()


def test_fetch_follows_redirects_and_records_the_final_url(empty_store, site):
    source = source_for(f"http://{site}/moved")
    claim = cli("add", "--kind", "quote", "--actor", "Mark Rutte", "--source", source, "--", EXACT).stdout.strip()
    result = cli("source", "archive", source, "--fetch")
    assert result.code == 0, result
    digest = result.stdout.strip()
    (copy,) = read_file(empty_store)["sources"][source]["archive"]
    assert copy["url"] == f"http://{site}/page" and copy["media_type"] == "text/html"
    assert read_file(empty_store)["claims"][claim]["sources"][0]["selector"]["exact"] == EXACT
    with open(empty_store.with_name("claims.json.archive") / f"{digest}.warc.gz", "rb") as handle:
        first = next(iter(ArchiveIterator(handle)))
        assert first.rec_type == "response" and first.http_headers.get_statuscode() == "200"
        assert first.rec_headers.get_header("WARC-Target-URI") == f"http://{site}/page"
        assert first.content_stream().read() == PAGE.encode()


@pytest.mark.parametrize("path, reason", [
    ("/gone", "answered 404"),
    ("/loop", "too many redirects"),
    ("/to-file", "not an http(s) URL"),
    ("/huge", "larger than the 50 MB limit"),
    ("/image", "image/png, which is not supported"),
])
def test_fetch_refusals_change_nothing(empty_store, site, path, reason):
    source = source_for(f"http://{site}{path}")
    before = snapshot(empty_store)
    assert_refused(cli("source", "archive", source, "--fetch"), reason)
    assert snapshot(empty_store) == before


def test_a_slow_server_times_out(empty_store, site, monkeypatch):
    monkeypatch.setattr("natoclaims.formats.web.TIMEOUT_SECONDS", 0.5)
    source = source_for(f"http://{site}/slow")
    before = snapshot(empty_store)
    assert_refused(cli("source", "archive", source, "--fetch"), "no answer within 0.5 seconds")
    assert snapshot(empty_store) == before


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(DRIPS))
def test_a_server_sending_a_byte_at_a_time_is_cut_off_at_the_transfer_limit(empty_store, site, monkeypatch, path):
    """Issue 23.11: the timeout is per read, so a trickle never trips it; the whole transfer is bounded,
    the body's too (natoclaims hangs up before the server is done, with or without a Content-Length)."""
    monkeypatch.setattr("natoclaims.formats.web.TRANSFER_SECONDS", 1.5)
    source = source_for(f"http://{site}{path}")
    before = snapshot(empty_store)
    assert_refused(cli("source", "archive", source, "--fetch"), "the transfer took longer than 1.5 seconds")
    assert DRIPPED.get(path) != "whole"
    assert snapshot(empty_store) == before
    assert not empty_store.with_name("claims.json.archive").exists()


def test_a_body_past_the_limit_without_a_length_is_cut_and_refused(empty_store, site, monkeypatch):
    monkeypatch.setattr("natoclaims.formats.articles.MAX_BYTES", 1024 * 1024)
    source = source_for(f"http://{site}/endless")
    assert_refused(cli("source", "archive", source, "--fetch"), "larger than the 1 MB limit")


def test_a_fetched_copy_fills_the_title_and_date_nobody_typed(empty_store, site):
    """Issue 24.7: what the page says of itself fills the source's empty fields, said on stderr."""
    source = source_for(f"http://{site}/page")
    result = cli("source", "archive", source, "--fetch")
    assert result.code == 0, result
    assert f"source {source} had no title or published: took title 'Rutte on troops', published '2025-06-24'" in result.stderr
    listed = {row["id"]: row for row in cli("source", "list", "--format", "json").json()}
    assert listed[source]["title"] == "Rutte on troops" and listed[source]["published"] == "2025-06-24"


def test_a_copy_never_overwrites_what_a_person_typed(empty_store, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    source = cli("source", "add", "https://news.example.com/rutte-troops", "--title", "Rutte in Brussels").stdout.strip()
    result = cli("source", "archive", source, str(page))
    assert result.code == 0, result
    assert f"source {source} had no published: took published '2025-06-24'" in result.stderr
    record = read_file(empty_store)["sources"][source]
    assert record["title"] == "Rutte in Brussels" and record["published"] == "2025-06-24"
    again = cli("source", "archive", source, str(page))
    assert again.code == 0 and "had no" not in again.stderr


def test_https_to_a_plain_http_server_is_refused(empty_store, site):
    source = source_for(f"https://{site}/page")
    before = snapshot(empty_store)
    assert_refused(cli("source", "archive", source, "--fetch"), "no secure (TLS) connection")
    assert snapshot(empty_store) == before


@pytest.mark.slow
def test_done_when_through_the_installed_command(empty_store, tmp_path, site):
    """The issue's scenario: a realistic page, four quotes classified, a newer copy re-anchoring,
    every archive file read back by warcio, a fetched copy too."""
    page = tmp_path / "rutte.html"
    page.write_text(PAGE, encoding="utf-8")
    source = run("source", "add", "https://news.example.com/rutte-troops", "--title", "Rutte on troops").stdout.strip()
    quotes = {"exact": EXACT, "normalised": "we will defend  every inch of allied territory.",
              "altered": CHANGED, "missing": ABSENT}
    ids = {}
    for name, text in quotes.items():
        added = run("add", "--kind", "quote", "--actor", "Mark Rutte", "--source", source, "--", text)
        assert added.code == 0, added
        ids[name] = added.stdout.strip()
    archived = run("source", "archive", source, str(page))
    assert archived.code == 0, archived
    assert "1 altered, 1 exact, 1 missing, 1 normalised" in archived.stderr
    checked = run("check", "--quotes", "--format", "json")
    assert checked.code == 1
    assert {r["id"]: r["match"] for r in checked.json()} == {ids[name]: name for name in quotes}
    old = read_file(empty_store)["claims"][ids["exact"]]["sources"][0]["selector"]

    newer = tmp_path / "rutte-updated.html"
    newer.write_text(PAGE.replace("<article><h1>Rutte on troops</h1>", "<article><h1>Rutte on troops</h1>\n<p>This "
                                  "story was updated on Wednesday with figures from the ministry of defence.</p>"))
    assert run("source", "archive", source, str(newer)).code == 0
    new = read_file(empty_store)["claims"][ids["exact"]]["sources"][0]["selector"]
    assert new["exact"] == EXACT and new["start"] > old["start"]
    assert new["start"] == old["start"] + len("This story was updated on Wednesday with figures from the ministry of defence.\n")
    shown = run("show", ids["exact"], "--format", "json")
    assert json.loads(shown.stdout)[0]["sources"][0]["selector"] == new

    fetched_source = run("source", "add", f"http://{site}/moved").stdout.strip()
    fetched = run("source", "archive", fetched_source, "--fetch")
    assert fetched.code == 0 and "already archived" in fetched.stderr, fetched  # the same bytes: one file
    assert fetched.stdout.strip() == archived.stdout.strip()
    folder = empty_store.with_name("claims.json.archive")
    files = sorted(folder.iterdir())
    assert len(files) == 2
    for path in files:
        with open(path, "rb") as handle:
            kinds = [r.rec_type for r in ArchiveIterator(handle, check_digests="raise")]
        assert kinds[1:] == ["metadata", "conversion"] and kinds[0] in ("resource", "response"), path
    table = run("check", "--quotes", "--format", "tsv")
    assert table.code == 1 and "1 exact, 1 normalised, 1 altered, 1 missing" in table.stderr


def test_a_fresh_install_checks_its_quotes(isolated):
    """The user's data file made from the bundled dataset brings its archived sources along."""
    env = {"NATOCLAIMS_DB": ""}
    result = run("check", "--quotes", "--format", "json", env=env)
    assert result.code == 0, result
    rows = json.loads(result.stdout)
    assert len(rows) >= 10 and {r["match"] for r in rows} <= {"exact", "normalised"}
    assert (isolated / "xdg" / "natoclaims" / "claims.json.archive").is_dir()
    assert run("check", env=env).code == 0


def test_the_shipped_archive_files_read_back_with_warcio():
    from tests.conftest import ROOT

    files = sorted((ROOT / "data" / "claims.json.archive").iterdir())
    assert len(files) == 2
    for path in files:
        with open(path, "rb") as handle:
            records = list((r.rec_type, r.content_stream().read()) for r in ArchiveIterator(handle, check_digests="raise"))
        assert [kind for kind, _ in records] == ["resource", "metadata", "conversion"]
        import hashlib

        assert hashlib.sha256(records[0][1]).hexdigest() == Path(path.name.removesuffix(".warc.gz")).name


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_ends_the_archive_of_a_huge_page(empty_store, tmp_path, signum):
    """Issue 23.12: a 40 MB page is read in seconds, and a signal while it is read ends natoclaims at once."""
    page = tmp_path / "big.html"
    page.write_bytes(b"<html><body>" + b'<p>Mark Rutte said "we act now" today.</p>\n' * 950_000 + b"</body></html>")
    source = source_for("https://news.example.com/rutte-troops")
    before = snapshot(empty_store)
    proc = subprocess.Popen([NATOCLAIMS, "source", "archive", source, str(page)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)  # started and reading the page: far from done
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=60)
    assert (proc.returncode, stdout, stderr) == (130, "", "natoclaims: error: interrupted\n")
    assert snapshot(empty_store) == before
    assert not empty_store.with_name("claims.json.archive").exists()
