"""`natoclaims extract` through CliRunner: formats, filters, the pipe into import, and every bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from natoclaims.model import FIELDS
from tests.conftest import assert_refused, cli, seed_article

TEXT = ("NATO allies must step up, U.S. Defense Secretary Pete Hegseth said on Thursday in Brussels.\n"
        "“It cannot and will not be reliance on America,” Hegseth told reporters.\n"
        "“We are ready,” one European diplomat said, adding that allies would spend 5% of GDP.\n")


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture
def hegseth_store_path(empty_store: Path) -> Path:
    """The store file with Pete Hegseth (alias Hegseth) in its actors table."""
    assert cli("actor", "add", "Pete Hegseth", "--alias", "Hegseth", "--role", "US Secretary of Defense").code == 0
    return empty_store


def test_jsonl_is_import_ready_and_imports(hegseth_store_path: Path, article: Path) -> None:
    result = cli("extract", str(article), "--url", "https://example.org/a", "--published", "2025-06-06", "-f", "jsonl")
    assert result.code == 0, result
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[0]["actor"] == "Pete Hegseth" and records[0]["text"] == "It cannot and will not be reliance on America"
    assert records[0]["said_on"] == "2025-06-06" and records[0]["kind"] == "quote"
    assert all(set(r) <= set(FIELDS) for r in records)
    assert records[0]["sources"][0]["url"] == "https://example.org/a"
    imported = cli("import", "-", input=result.stdout)
    assert imported.code == 0 and f"imported {len(records)} claims" in imported.stderr
    shown = cli("search", "reliance", "-f", "json").json()
    assert shown[0]["actor"] == "Pete Hegseth"


def test_json_and_tsv_show_a_confidence_and_min_confidence_filters(hegseth_store_path: Path, article: Path) -> None:
    rows = cli("extract", str(article), "-f", "json").json()
    assert all(0 < row["confidence"] <= 1 and row["cue"] for row in rows)
    assert any("selector" in row["sources"][0] for row in rows)
    tsv = cli("extract", str(article), "-f", "tsv").stdout.splitlines()
    assert len(tsv) == len(rows) and all(0 < float(line.split("\t")[0]) <= 1 for line in tsv)
    top = max(row["confidence"] for row in rows)
    assert len(cli("extract", str(article), "-f", "json", "--min-confidence", str(top)).json()) < len(rows)


def test_table_and_standard_input(hegseth_store_path: Path) -> None:
    result = cli("extract", "-", "-f", "table", input=TEXT)
    assert result.code == 0 and "Hegseth" in result.stdout and "Confidence" in result.stdout


def test_a_wordpress_post_brings_its_url_title_and_date(hegseth_store_path: Path, tmp_path: Path) -> None:
    post = tmp_path / "004_05fee859d3df16f0.txt"
    post.write_bytes(seed_article("nakedpolitics7192"))
    records = [json.loads(line) for line in cli("extract", str(post), "-f", "jsonl").stdout.splitlines()]
    assert records and records[0]["sources"][0]["url"] == "https://nakedpolitics.net/?p=7192"
    assert {r["said_on"] for r in records} == {"2026-04-10"}


def test_review_needs_a_terminal(hegseth_store_path: Path, article: Path) -> None:
    before = hegseth_store_path.read_bytes()
    assert_refused(cli("extract", str(article), "--review"), "--review asks questions at a terminal")
    assert hegseth_store_path.read_bytes() == before


def test_a_registered_source_without_an_archived_copy(hegseth_store_path: Path) -> None:
    assert cli("source", "add", "https://example.org/a").code == 0
    assert_refused(cli("extract", "https://example.org/a"), "has no archived copy (run 'natoclaims source archive")
    assert_refused(cli("extract", "no-such-file.html"), "no such file, and no registered source")
    # A mistyped file name is named as such, even with the options that describe a file.
    assert_refused(cli("extract", "no-such-file.html", "--url", "https://x.org"), "no such file, and no registered source")
    assert_refused(cli("extract", "https://example.org/a", "--url", "https://x.org"), "--url and --published describe a file")


def test_a_registered_source_is_read_from_its_archived_copy(hegseth_store_path: Path, article: Path) -> None:
    source_id = cli("source", "add", "https://example.org/hegseth", "--title", "Hegseth in Brussels").stdout.strip()
    assert cli("source", "archive", source_id, str(article)).code == 0
    rows = json.loads(cli("extract", source_id[:5], "-f", "json").stdout)
    quotes = {(r["actor"], r["text"]) for r in rows if r["kind"] == "quote"}
    assert ("Pete Hegseth", "It cannot and will not be reliance on America") in quotes or \
        ("Pete Hegseth", "It cannot and will not be reliance on America") in quotes
    hegseth = next(r for r in rows if r["actor"] == "Pete Hegseth" and r["kind"] == "quote")
    assert hegseth["sources"][0]["url"] == "https://example.org/hegseth"
    start, end = hegseth["sources"][0]["selector"]["start"], hegseth["sources"][0]["selector"]["end"]
    assert TEXT[start:end] == hegseth["text"]


BAD = {
    "empty": (b"", "empty"),
    "binary": (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
    "no article text": (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_files_are_refused_and_change_nothing(hegseth_store_path: Path, tmp_path: Path, case: str) -> None:
    data, reason = BAD[case]
    path = tmp_path / "bad"
    path.write_bytes(data)
    before = hegseth_store_path.read_bytes()
    assert_refused(cli("extract", str(path)), reason)
    assert hegseth_store_path.read_bytes() == before


@pytest.mark.parametrize(("args", "reason"), [
    (["--url", "ftp://example.org/a"], "http"),
    (["--published", "the day after"], "--published"),
    (["--min-confidence", "2"], "--min-confidence"),
    (["-f", "ids"], "no ids yet"),
])
def test_bad_options_are_refused(hegseth_store_path: Path, article: Path, args: list[str], reason: str) -> None:
    assert_refused(cli("extract", str(article), *args), reason)


def test_a_folder_is_refused(hegseth_store_path: Path, tmp_path: Path) -> None:
    assert_refused(cli("extract", str(tmp_path)), "")


def test_quotes_that_never_close_and_nested_quotes(hegseth_store_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_text("Hegseth said: “We will not be ‘the world’s policeman’ any longer,” in Brussels.\n"
                    "Hegseth warned: “this quote never closes\nNext paragraph.\n", encoding="utf-8")
    records = [json.loads(line) for line in cli("extract", str(path), "-f", "jsonl").stdout.splitlines()]
    assert [r["text"] for r in records] == ["We will not be ‘the world’s policeman’ any longer", "this quote never closes"]


def test_mojibake_is_repaired(hegseth_store_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "mojibake.txt"
    path.write_bytes('"We’re ready," Hegseth said in Brussels on Thursday.\n'.encode().decode("cp1252").encode("utf-8"))
    records = [json.loads(line) for line in cli("extract", str(path), "-f", "jsonl").stdout.splitlines()]
    assert [r["text"] for r in records] == ["We’re ready"]


@pytest.mark.slow
def test_a_megabyte_of_text_works(hegseth_store_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(TEXT * (1_000_000 // len(TEXT)), encoding="utf-8")
    result = cli("extract", str(path), "-f", "jsonl")
    assert result.code == 0 and len(result.stdout.splitlines()) >= 1_000_000 // len(TEXT)
