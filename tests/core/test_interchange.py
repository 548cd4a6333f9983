"""Import and export through the library: import_claims, export_store, import_store."""

from __future__ import annotations

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput
from natoclaims.store import read_file
from tests import factories
from tests.factories import add, unchanged

RUTTE = {"text": "Allies will spend 5% of GDP", "actor": "Mark Rutte", "sources": [{"url": "https://e.org/x"}]}
NO_SOURCE = {"text": "Said without a source", "actor": "X"}


@pytest.fixture
def troops(file_store):
    """A store file with one dated claim by Donald Trump, and that claim."""
    return file_store, add(file_store, "Some 35,000 troops will leave Germany", said_on="2025-03")


def again(claim, **fields):
    """An import record saying what `claim` says (its duplicate)."""
    return {"text": claim["text"], "actor": claim["actor"], "said_on": claim["said_on"],
            "sources": [{"url": claim["sources"][0]["url"]}], **fields}


def test_import_claims_adds_the_records_and_their_actors_in_one_change_set(troops):
    store, _ = troops
    report = core.import_claims(store, [("line 1", RUTTE)])
    (added,) = report.added
    assert report.new_actors == ["Mark Rutte"] and report.invalid == []
    on_disk = read_file(store.path)
    assert on_disk["claims"][added]["text"] == RUTTE["text"] and "Mark Rutte" in on_disk["actors"]
    assert len(core.change_log(store)) == 2


def test_import_claims_is_all_or_nothing(troops):
    store, _ = troops
    with unchanged(store), pytest.raises(InvalidInput, match="line 2: missing required field 'sources'"):
        core.import_claims(store, [("line 1", RUTTE), ("line 2", NO_SOURCE)])


def test_import_claims_skip_invalid_adds_the_rest_and_names_the_others(troops):
    store, _ = troops
    report = core.import_claims(store, [("line 1", RUTTE), ("line 2", NO_SOURCE)], skip_invalid=True)
    assert len(report.added) == 1 and report.invalid == ["line 2: missing required field 'sources'"]


def test_a_duplicate_is_refused_skipped_or_updated_as_asked(troops):
    store, claim = troops
    with unchanged(store), pytest.raises(InvalidInput, match=f"line 1: duplicate of claim {claim['id']}"):
        core.import_claims(store, [("line 1", again(claim))])
    with unchanged(store):
        assert core.import_claims(store, [("line 1", again(claim))], on_duplicate="skip").skipped == [claim["id"]]
    assert core.import_claims(store, [("line 1", again(claim, notes="n"))], on_duplicate="update").updated == [claim["id"]]
    assert store.get(claim["id"])["notes"] == "n" and store.get(claim["id"])["history"][-1]["note"] == "import"
    report = core.import_claims(store, [("line 1", again(claim, notes="n"))], on_duplicate="update")
    assert report.unchanged == [claim["id"]] and report.updated == []


def test_import_claims_refuses_an_unknown_policy(troops):
    store, _ = troops
    with unchanged(store), pytest.raises(InvalidInput, match="unknown on_duplicate policy 'merge'"):
        core.import_claims(store, [("line 1", RUTTE)], on_duplicate="merge")


def test_a_dry_run_reports_without_writing(troops):
    store, _ = troops
    with unchanged(store):
        report = core.import_claims(store, [("line 1", RUTTE)], dry_run=True)
    assert len(report.added) == 1 and report.new_actors == ["Mark Rutte"]


def test_export_store_then_import_store_copies_claims_actors_and_sources(troops, tmp_path):
    store, claim = troops
    core.import_claims(store, [("line 1", RUTTE)])
    core.add_alias(store, "Donald Trump", "Trump")
    exported = core.export_store(store)
    assert {"claims", "actors", "sources", "meta"} <= set(exported)
    other = factories.file_store(tmp_path / "other.json")
    report = core.import_store(other, exported)
    assert sorted(report.added) == sorted(store.claims) and report.new_actors == ["Donald Trump", "Mark Rutte"]
    copied = read_file(other.path)
    assert copied["claims"][claim["id"]]["text"] == claim["text"]
    assert copied["actors"]["Donald Trump"]["aliases"] == ["Trump"]
    assert set(copied["sources"]) == set(read_file(store.path)["sources"])
    assert core.check_store(other) == []


def test_import_store_twice_refuses_the_duplicates(troops, tmp_path):
    store, _ = troops
    exported = core.export_store(store)
    other = factories.file_store(tmp_path / "other.json")
    core.import_store(other, exported)
    with unchanged(other), pytest.raises(InvalidInput, match="duplicate of claim"):
        core.import_store(other, exported)
