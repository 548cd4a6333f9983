"""Sources, reviews and the schema-1 upgrade through the installed `natoclaims`, in shell pipelines."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from natoclaims.store import read_file
from tests.conftest import NATOCLAIMS, run

SCHEMA1 = Path(__file__).resolve().parents[1] / "fixtures" / "schema1.json"
JQ = shutil.which("jq")


def shell(command: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command.replace("natoclaims", str(NATOCLAIMS)), shell=True, capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=60)


@pytest.fixture
def reviewed_store(empty_store):
    """Two claims from one registered source, one reviewed with evidence."""
    source = run("source", "add", "https://www.example.com/troops", "--title", "Troops story", "--outlet", "Example News")
    assert source.code == 0, source
    first = run("add", "Some 35,000 troops will leave Germany", "--actor", "Trump", "--source", source.stdout.strip())
    second = run("add", "We will stay in Germany", "--actor", "Pete Hegseth",
                 "--source", "HTTPS://WWW.EXAMPLE.COM/troops/?utm_source=feed")
    assert first.code == second.code == 0, (first, second)
    review = run("review", first.stdout.strip(), "false", "--note", "12,000", "--evidence", "https://fc.example.org/t")
    assert review.code == 0, review
    return first.stdout.strip(), second.stdout.strip()


def test_source_add_of_a_known_url_prints_its_id_and_says_so(reviewed_store):
    listed = run("source", "list", "--format", "ids").stdout.split()
    again = run("source", "add", "https://www.example.com:443/troops#top")
    assert again.code == 0 and again.stdout.strip() in listed and len(again.stdout.split()) == 1, again
    assert "already registered" in again.stderr


@pytest.mark.skipif(JQ is None, reason="jq is not installed")
def test_jq_reads_source_urls_from_the_jsonl_export(reviewed_store):
    piped = shell("natoclaims export --format jsonl | jq -r '.sources[].url'")
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.splitlines() == ["https://www.example.com/troops"] * 2


@pytest.mark.slow
def test_export_piped_into_import_on_an_empty_store_gives_back_the_same_claims(reviewed_store, isolated):
    copy = isolated / "copy.json"
    assert run("--db", str(copy), "init", "--empty").code == 0
    piped = shell(f"natoclaims export --format jsonl | natoclaims --db {copy} import -")
    assert piped.returncode == 0, piped.stderr
    assert run("--db", str(copy), "export", "--format", "jsonl").stdout == run("export", "--format", "jsonl").stdout


def test_a_search_piped_into_review(reviewed_store):
    piped = shell("natoclaims search --actor Hegseth --format ids | natoclaims review - misleading --note 'see the briefing'")
    assert piped.returncode == 0, piped.stderr
    shown = json.loads(run("show", reviewed_store[1], "--format", "json").stdout)[0]
    assert shown["status"] == "misleading" and shown["reviews"][0]["note"] == "see the briefing"


def test_a_schema1_store_is_read_as_it_is_upgraded_on_the_first_write_and_undone_to_its_bytes(db):
    shutil.copyfile(SCHEMA1, db)
    for command in (["search", "--actor", "President Trump"], ["show", "p253psjw"], ["check"], ["source", "list"]):
        assert run(*command).code == 0
    assert db.read_bytes() == SCHEMA1.read_bytes()
    added = run("add", "A claim after the upgrade", "--actor", "Trump", "--source", "https://news.example.net/article")
    assert added.code == 0, added
    assert read_file(db)["meta"]["1"]["schema"] == 2
    log = json.loads(run("log", "--format", "json").stdout)
    assert log[-1]["command"].startswith("upgrade the store to schema 2") and log[0]["claims"] == [added.stdout.strip()]
    assert run("undo").code == 0
    assert run("undo", "--id", log[-1]["id"]).code == 0
    assert db.read_bytes() == SCHEMA1.read_bytes()
