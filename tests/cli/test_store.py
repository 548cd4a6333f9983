"""The store through the commands: location, bundled copy, deterministic file, damaged stores, failed writes."""

import json
import os

import pytest

from natoclaims.store import bundled_dataset, encode, read_file
from tests.conftest import add, cli


def test_default_store_is_a_copy_of_the_bundled_dataset(isolated, monkeypatch):
    monkeypatch.delenv("NATOCLAIMS_DB")
    result = cli("search", "--format", "ids")
    assert result.code == 0
    user_file = isolated / "xdg" / "natoclaims" / "claims.json"
    assert user_file.read_bytes() == bundled_dataset().read_bytes()
    assert "bundled NATO dataset" in result.stderr
    assert len(result.stdout.split()) == len(read_file(user_file)["claims"])


def test_db_option_beats_environment(isolated, db):
    other = isolated / "other.json"
    cli("--db", str(other), "init", "--empty")
    add()
    assert len(read_file(db)["claims"]) == 1
    assert len(read_file(other)["claims"]) == 0


def test_bundled_dataset_is_never_written(isolated, monkeypatch):
    before = bundled_dataset().read_bytes()
    monkeypatch.delenv("NATOCLAIMS_DB")
    add()
    assert bundled_dataset().read_bytes() == before


def test_file_is_deterministic_and_diff_friendly(empty_store):
    first = add()
    text = empty_store.read_text(encoding="utf-8")
    assert text.endswith("}\n") and '\n  "claims": {\n' in text
    assert text == encode(json.loads(text)).decode()
    before = text.splitlines()
    add(text="Rutte said the alliance is strong", actor="Mark Rutte")
    after = empty_store.read_text(encoding="utf-8").splitlines()
    # Adding a claim only adds lines (the new claim and its actor), it never rewrites the others.
    assert [line for line in before if line not in after] == []
    assert first in empty_store.read_text()


def test_non_ascii_is_written_as_utf8(empty_store):
    add(text="Sánchez: «España cumplirá» — 2,1 %")
    assert "Sánchez: «España cumplirá»" in empty_store.read_text(encoding="utf-8")


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b'{"claims": {', "not valid JSON"),
    (b"[1, 2, 3]", "not a natoclaims store"),
    (b'{"_default": {"1": {"name": "x"}}}', "not a natoclaims store"),
    (b'{"claims": {}, "meta": {"1": {"schema": 99}}}', "newer"),
    (b'{"claims": {"abcdef1": {"id": "other"}}, "meta": {"1": {"schema": 1}}}', "damaged"),
    (b'{"claims": [], "meta": {"1": {"schema": 1}}}', "not an object"),
    (b'\xff\xfe garbage', "not valid JSON"),
])
def test_unreadable_store_is_an_error_and_untouched(db, content, reason):
    db.write_bytes(content)
    for args in (["search"], ["add", "x", "--actor", "A", "--source", "https://a.org"], ["init", "--empty"]):
        result = cli(*args)
        assert result.code == 1, result
        assert result.stderr.count("\n") == 1 and (reason in result.stderr or "already exists" in result.stderr)
        assert str(db) in result.stderr
        assert db.read_bytes() == content
    assert [p.name for p in db.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_directory_as_store(isolated):
    result = cli("--db", str(isolated), "search")
    assert result.code == 1 and "directory" in result.stderr


def test_read_only_store_refuses_writes(empty_store):
    if os.geteuid() == 0:
        pytest.skip("root can write read-only files")
    empty_store.chmod(0o444)
    before = empty_store.read_bytes()
    assert cli("add", "x", "--actor", "A", "--source", "https://a.org").code == 1
    assert empty_store.read_bytes() == before


def test_read_only_store_refused_even_for_root(empty_store, monkeypatch):
    before = empty_store.read_bytes()
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    result = cli("add", "x", "--actor", "A", "--source", "https://a.org")
    assert result.code == 1 and "read-only" in result.stderr
    assert empty_store.read_bytes() == before


def test_failed_write_leaves_store_and_no_temp_file(empty_store, monkeypatch):
    before = empty_store.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = cli("add", "x", "--actor", "A", "--source", "https://a.org")
    assert result.code == 1 and "No space left" in result.stderr
    assert empty_store.read_bytes() == before
    assert sorted(p.name for p in empty_store.parent.iterdir() if p.name.startswith(".claims")) == []


def test_init_refuses_to_overwrite_without_force(empty_store):
    add()
    before = empty_store.read_bytes()
    result = cli("init")
    assert result.code == 1 and "--force" in result.stderr
    assert empty_store.read_bytes() == before
    assert cli("init", "--force").code == 0
    assert read_file(empty_store)["claims"].keys() == read_file(bundled_dataset())["claims"].keys()


def test_missing_explicit_store_reads_as_empty_and_is_created_on_write(isolated, db):
    assert cli("search").stdout == "" and not db.exists()
    add()
    assert len(read_file(db)["claims"]) == 1


def test_check_is_clean_on_bundled_dataset():
    result = cli("--db", str(bundled_dataset()), "check")
    assert result.code == 0, result
