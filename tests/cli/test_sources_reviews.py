"""The sources registry, reviews and the schema-1 upgrade, end to end through the commands.

`tests/fixtures/schema1.json` is a store written by the previous release (schema 1, made with
its own commands and kept byte for byte as it wrote it): five claims, the ids below.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from natoclaims.model import normalise_url
from natoclaims.store import encode, read_file
from tests.conftest import add, built_once, cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SCHEMA1 = FIXTURES / "schema1.json"
# The claims of the schema-1 fixture.
TROOPS = "p253psjw"  # by Trump (an alias); `status false --source URL --note` by bob: the URL is evidence
SPENDING = "ff91j1y9"  # by Mark Rutte, added with --status disputed
PULLOUT = "ny29bfzm"  # by White House (no title on its source); verified, then disputed, both by carol
HAGUE = "du30hr7y"  # by Mark Rutte, the pullout's URL spelt differently, with the title and outlet
SPAIN = "bcb0wwsy"  # by Pedro Sanchez; `import --on-duplicate update` added an appearance and set misleading
ALL = [TROOPS, PULLOUT, HAGUE, SPENDING, SPAIN]  # in search's order (by date)
EVIDENCE_URL = "https://factcheck.example.org/troops"

FACTCHECK = "https://factcheck.example.org/2025/troops"
STORY = "https://www.example.com/report?id=7"


def claim_as_shown(claim_id: str) -> dict:
    """The claim as `show --format json` prints it."""
    result = cli("show", claim_id, "--format", "json")
    assert result.code == 0, result
    return result.json()[0]


def sources() -> list[dict]:
    result = cli("source", "list", "--format", "json")
    assert result.code == 0, result
    return result.json()


def change_sets() -> list[dict]:
    return cli("log", "--format", "json").json()


def refused(result, *codes: int) -> None:
    """One error line on stderr, no traceback, the exit code of an error."""
    assert result.code in (codes or (1, 2)), result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("natoclaims: error: "), result
    assert "Traceback" not in result.stderr and result.stdout == "", result


@pytest.fixture
def story(empty_store, request, isolated):
    """A claim whose source was registered with its title and outlet."""
    def build():
        return add("--source-title", "Troops to leave Germany", "--outlet", "Example News", text="Some 35,000 troops")

    return built_once(request, isolated, build)


@pytest.fixture
def story_source(story) -> str:
    """The id of the story's source, found by its URL."""
    result = cli("source", "show", "https://example.org/a", "--format", "json")
    assert result.code == 0, result
    return result.json()[0]["id"]


@pytest.fixture
def schema1(db):
    shutil.copyfile(SCHEMA1, db)
    return db


# -- 1. a URL names one source ----------------------------------------------------------------------


@pytest.mark.parametrize("spelling", [
    "HTTPS://WWW.EXAMPLE.COM/report?id=7",  # scheme and host case
    "https://www.example.com:443/report?id=7",  # default port
    "https://www.example.com/report/?id=7",  # trailing slash
    "https://www.example.com/report?id=7#section-2",  # fragment
    "https://www.example.com/report?utm_source=feed&id=7&utm_medium=email",  # utm_* parameters
])
def test_a_second_add_of_the_same_url_reuses_the_registered_source(empty_store, spelling):
    first = cli("add", "--actor", "Trump", "--source", STORY, "--source-title", "Troops to leave Germany",
                "--outlet", "Example News", "--published", "2025-03-06", "--type", "article", "--", "first claim")
    second = cli("add", "--actor", "Trump", "--source", spelling, "--", "second claim")
    assert first.code == second.code == 0, (first, second)
    copies = [claim_as_shown(first.stdout.strip())["sources"], claim_as_shown(second.stdout.strip())["sources"]]
    assert copies[0] == copies[1]
    assert copies[1][0]["title"] == "Troops to leave Germany" and copies[1][0]["outlet"] == "Example News"
    assert copies[1][0]["published"] == "2025-03-06" and copies[1][0]["id"]
    [registered] = sources()
    assert registered["id"] == copies[0][0]["id"] and registered["claims"] == 2


def test_one_source_given_twice_is_one_appearance_and_one_piece_of_evidence(empty_store):
    claim_id = cli("add", "--actor", "Trump", "--source", STORY, "--source", "https://WWW.example.com/report?id=7#x",
                   "--source", "https://example.org/other", "--", "a claim").stdout.strip()
    assert [s["url"] for s in claim_as_shown(claim_id)["sources"]] == [STORY, "https://example.org/other"]
    assert cli("review", claim_id, "false", "--evidence", FACTCHECK, "--evidence", FACTCHECK + "/").code == 0
    assert [e["url"] for e in claim_as_shown(claim_id)["reviews"][0]["evidence"]] == [FACTCHECK]


@pytest.mark.parametrize("other", [
    "https://www.example.com/Report?id=7",  # the path's case matters
    "https://www.example.com/report?id=8",  # so do the other parameters
    "http://www.example.com:8080/report?id=7",  # and a port that is not the default
])
def test_a_different_url_is_a_different_source(empty_store, other):
    assert cli("add", "--actor", "Trump", "--source", STORY, "--", "first claim").code == 0
    assert cli("add", "--actor", "Trump", "--source", other, "--", "second claim").code == 0
    assert len(sources()) == 2


def test_source_add_prints_the_new_id_alone_then_the_existing_one(empty_store):
    new = cli("source", "add", STORY, "--title", "Troops", "--outlet", "Example News", "--type", "official")
    assert new.code == 0 and new.stderr == "", new
    source_id = new.stdout.strip()
    assert new.stdout == source_id + "\n"
    again = cli("source", "add", "https://WWW.example.com/report/?id=7&utm_campaign=x")
    assert again.code == 0 and again.stdout == source_id + "\n", again
    assert "already registered" in again.stderr and source_id in again.stderr
    [registered] = sources()
    assert registered["title"] == "Troops" and registered["type"] == "official"


def test_add_by_source_id_or_prefix_carries_the_registered_details(empty_store):
    source_id = cli("source", "add", STORY, "--title", "Troops", "--outlet", "Example News").stdout.strip()
    by_id = add("--source", source_id, text="one claim")
    by_prefix = add("--source", source_id[:4].upper(), text="another claim")
    expected = [{"id": source_id, "url": STORY, "title": "Troops", "outlet": "Example News", "published": None}]
    assert claim_as_shown(by_id)["sources"][1:] == expected  # after add()'s own https://example.org/a
    assert claim_as_shown(by_prefix)["sources"][1:] == expected
    assert cli("edit", by_id, "--add-source", "https://example.org/b").code == 0
    assert [s["url"] for s in claim_as_shown(by_id)["sources"]] == ["https://example.org/a", STORY, "https://example.org/b"]


def source_table(fmt: str) -> list[dict]:
    """`source list` in one format, back as rows (ids, tsv and table keep what they show)."""
    result = cli("source", "list", "--format", fmt)
    assert result.code == 0 and result.stderr == "", result
    out = result.stdout
    if fmt == "json":
        return result.json()
    if fmt == "jsonl":
        return [json.loads(line) for line in out.splitlines()]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(out)))
    if fmt == "tsv":
        columns = ["id", "type", "title", "outlet", "published", "url", "claims", "evidence_for", "archived"]
        return [dict(zip(columns, line.split("\t"), strict=True)) for line in out.splitlines()]
    if fmt == "ids":
        return [{"id": line} for line in out.splitlines()]
    return [{"table": out}]


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "tsv", "ids"])
def test_source_list_and_show_count_appearances_and_evidence_in_every_format(story, story_source, fmt, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # a table as wide as it needs, so no cell is cut
    add(text="another claim from the same story")
    assert cli("review", story, "false", "--evidence", FACTCHECK).code == 0
    evidence_id = claim_as_shown(story)["reviews"][0]["evidence"][0]["id"]
    rows = source_table(fmt)
    if fmt == "ids":
        assert sorted(r["id"] for r in rows) == sorted([story_source, evidence_id])
    elif fmt == "table":
        table = rows[0]["table"]
        assert story_source in table and evidence_id in table and "Troops to leave Germany" in table
    else:
        by_id = {r["id"]: r for r in rows}
        assert str(by_id[story_source]["claims"]) == "2" and str(by_id[story_source]["evidence_for"]) == "0"
        assert str(by_id[evidence_id]["claims"]) == "0" and str(by_id[evidence_id]["evidence_for"]) == "1"
        assert by_id[story_source]["title"] == "Troops to leave Germany"
    shown = cli("source", "show", story_source[:5], "--format", fmt)
    assert shown.code == 0, shown
    if fmt in ("json", "jsonl"):
        record = json.loads(shown.stdout.splitlines()[0]) if fmt == "jsonl" else shown.json()[0]
        assert record["claims"] == 2 and record["evidence_for"] == 0 and len(record["used_by"]) == 2
        assert story in record["used_by"]
    elif fmt == "csv":
        [row] = list(csv.DictReader(io.StringIO(shown.stdout)))
        assert row["claims"] == "2" and story in row["used_by"]
    elif fmt == "ids":
        assert shown.stdout == story_source + "\n"
    else:
        assert story_source[:6] in shown.stdout and "2" in shown.stdout


def test_source_edit_updates_every_claims_copy_and_every_reviews_evidence(story, story_source):
    other = cli("add", "--actor", "A", "--source", "https://example.org/b", "--", "another claim").stdout.strip()
    assert cli("review", other, "misleading", "--evidence", story_source).code == 0  # the story as evidence too
    result = cli("source", "edit", story_source, "--title", "Germany drawdown", "--published", "2025-03-07")
    assert result.code == 0, result
    [copy] = [s for s in claim_as_shown(story)["sources"] if s["id"] == story_source]
    assert copy["title"] == "Germany drawdown" and copy["published"] == "2025-03-07"
    assert copy["outlet"] == "Example News"
    [evidence] = claim_as_shown(other)["reviews"][0]["evidence"]
    assert evidence["title"] == "Germany drawdown" and evidence["id"] == story_source
    assert cli("check").code == 0


def test_source_edit_of_evidence_updates_the_reviews_copy(story):
    assert cli("review", story, "false", "--evidence", FACTCHECK).code == 0
    evidence_id = claim_as_shown(story)["reviews"][0]["evidence"][0]["id"]
    assert cli("source", "edit", evidence_id, "--title", "Pentagon figures", "--outlet", "Fact Desk").code == 0
    [evidence] = claim_as_shown(story)["reviews"][0]["evidence"]
    assert (evidence["title"], evidence["outlet"]) == ("Pentagon figures", "Fact Desk")
    assert all(s["id"] != evidence_id for s in claim_as_shown(story)["sources"])


def test_source_rm_removes_an_unused_source(empty_store):
    unused = cli("source", "add", "https://nato.example.org/unused", "--title", "Unused").stdout.strip()
    add()
    result = cli("source", "rm", unused)
    assert result.code == 0 and unused in result.stderr, result
    assert [s["url"] for s in sources()] == ["https://example.org/a"]


def test_source_rm_of_a_used_source_is_refused_naming_the_claims(story, story_source, db):
    assert cli("review", story, "false", "--evidence", FACTCHECK).code == 0
    evidence_id = claim_as_shown(story)["reviews"][0]["evidence"][0]["id"]
    before = db.read_bytes()
    for source_id in (story_source, evidence_id):  # an appearance, and evidence only
        result = cli("source", "rm", source_id)
        refused(result, 1)
        assert story in result.stderr and source_id in result.stderr
    assert db.read_bytes() == before


# -- 2. reviews ---------------------------------------------------------------------------------------


def test_review_records_the_verdict_rationale_evidence_and_reviewer(story):
    result = cli("review", story, "false", "--note", "Pentagon figures show 12,000", "--evidence", FACTCHECK,
                 "--reviewer", "Ana Reyes")
    assert result.code == 0, result
    shown = claim_as_shown(story)
    assert shown["status"] == "false"
    [review] = shown["reviews"]
    assert review["verdict"] == "false" and review["note"] == "Pentagon figures show 12,000"
    assert review["reviewer"] == "Ana Reyes" and review["at"].endswith("Z")
    [evidence] = review["evidence"]
    assert evidence["url"] == FACTCHECK and evidence["id"]
    assert [s["url"] for s in shown["sources"]] == ["https://example.org/a"]  # evidence is no appearance
    registered = {s["id"]: s for s in sources()}
    assert registered[evidence["id"]]["url"] == FACTCHECK and registered[evidence["id"]]["evidence_for"] == 1
    assert cli("search", "--source-domain", "factcheck.example.org", "--format", "ids").stdout == ""
    assert cli("search", "--source-domain", "example.org", "--format", "ids").stdout == story + "\n"


@pytest.mark.parametrize("args", [
    ["review", "{id}", "false", "--evidence", "https://example.org/a/"],  # the claim's own source, by its URL
    ["review", "{id}", "false", "--evidence", FACTCHECK, "--evidence", "{source}"],  # or by its id
    ["status", "{id}", "false", "--source", "{source}"],
])
def test_a_claims_own_source_is_refused_as_evidence(story, story_source, db, args):
    before = db.read_bytes()
    result = cli(*[a.format(id=story, source=story_source) for a in args])
    refused(result, 2)
    assert f"is a source of claim {story}" in result.stderr
    assert db.read_bytes() == before


def test_the_reviewer_defaults_to_the_user(story):
    assert cli("review", story, "verified").code == 0
    assert claim_as_shown(story)["reviews"][0]["reviewer"] == "tester"


def test_status_with_a_source_is_a_review_with_evidence(story):
    result = cli("status", story, "false", "--source", FACTCHECK, "--note", "see the fact check")
    assert result.code == 0, result
    shown = claim_as_shown(story)
    assert shown["status"] == "false"
    [review] = shown["reviews"]
    assert review["note"] == "see the fact check" and review["reviewer"] == "tester"
    assert [e["url"] for e in review["evidence"]] == [FACTCHECK]
    assert [s["url"] for s in shown["sources"]] == ["https://example.org/a"]
    assert cli("search", "--source-domain", "factcheck.example.org", "--format", "ids").stdout == ""


def test_review_of_several_claims_and_of_ids_on_stdin(empty_store):
    first, second, third = add(text="one claim"), add(text="two claims"), add(text="three claims")
    result = cli("review", first, second[:5], "disputed", "--note", "both")
    assert result.code == 0 and "2 claims reviewed" in result.stderr, result
    piped = cli("review", "-", "misleading", "--evidence", FACTCHECK, input=f"{second}\n\n{third}\n")
    assert piped.code == 0, piped
    assert [claim_as_shown(i)["status"] for i in (first, second, third)] == ["disputed", "misleading", "misleading"]
    assert [r["verdict"] for r in claim_as_shown(second)["reviews"]] == ["disputed", "misleading"]
    evidence = {claim_as_shown(i)["reviews"][-1]["evidence"][0]["id"] for i in (second, third)}
    assert len(evidence) == 1 and len(sources()) == 2  # one evidence source, registered once


def test_reviewing_one_claim_named_twice_is_one_review(story):
    result = cli("review", story, story[:5], "verified")
    assert result.code == 0, result
    assert len(claim_as_shown(story)["reviews"]) == 1
    assert "1 claim reviewed" in result.stderr and "already" not in result.stderr


def test_a_review_of_the_same_verdict_is_kept_and_said(story):
    assert cli("review", story, "false", "--note", "first look").code == 0
    again = cli("review", story, "false", "--note", "second look")
    assert again.code == 0 and "already" in again.stderr, again
    assert [r["note"] for r in claim_as_shown(story)["reviews"]] == ["first look", "second look"]


@pytest.fixture
def reviewed(empty_store, monkeypatch):
    """A claim reviewed twice, on two days, and one never reviewed."""
    times = iter(["2025-06-01T10:00:00.000000Z", "2025-07-02T11:00:00.000000Z"])
    claim_id = add(text="Some 35,000 troops will leave Germany")
    add(text="An unreviewed claim entirely different")
    monkeypatch.setattr("natoclaims.core.reviews.utc_now", lambda: next(times))
    assert cli("review", claim_id, "disputed", "--note", "first look", "--evidence", FACTCHECK).code == 0
    assert cli("review", claim_id, "false", "--note", "Pentagon figures show 12,000",
               "--evidence", "https://other.example.net/check").code == 0
    return claim_id


def claimreview() -> list[dict]:
    result = cli("export", "--format", "claimreview", "--publisher-url", "https://x.org/checks")
    assert result.code == 0, result
    return json.loads(result.stdout)


def test_claimreview_takes_the_latest_review_and_only_the_claims_sources(reviewed):
    [review] = claimreview()
    assert review["identifier"] == reviewed
    assert review["reviewBody"] == "Pentagon figures show 12,000"
    assert review["datePublished"] == "2025-07-02"
    assert review["reviewRating"]["alternateName"] == "False"
    assert review["url"] == f"https://x.org/checks#claim-{reviewed}"
    item = review["itemReviewed"]
    assert [a["url"] for a in item["appearance"]] == ["https://example.org/a"]
    assert FACTCHECK not in json.dumps(review) and "other.example.net" not in json.dumps(review)


@pytest.mark.parametrize("kind, expected", [
    ("government", "Organization"), ("organization", "Organization"), ("media", "Organization"),
    ("group", "Organization"), ("person", "Person"),
])
@pytest.mark.parametrize("how", ["add", "edit"])
def test_claimreview_types_the_author_by_the_actors_type(empty_store, kind, expected, how):
    if how == "add":
        assert cli("actor", "add", "Gaza Peace Board", "--type", kind).code == 0
    else:
        assert cli("actor", "add", "Gaza Peace Board", "--type", "person" if kind != "person" else "media").code == 0
        assert cli("actor", "edit", "Gaza Peace Board", "--type", kind).code == 0
    claim_id = add(actor="Gaza Peace Board")
    assert cli("review", claim_id, "verified", "--note", "on the record").code == 0
    [review] = claimreview()
    assert review["itemReviewed"]["author"] == {"@type": expected, "name": "Gaza Peace Board"}


# -- 3. the schema-1 upgrade --------------------------------------------------------------------------


def test_the_fixture_is_a_schema1_store_as_the_store_writes_it():
    raw = SCHEMA1.read_bytes()
    data = json.loads(raw)
    assert encode(data) == raw
    assert set(data) == {"claims", "actors", "meta"} and data["meta"] == {"1": {"schema": 1}}
    assert all("type" not in actor for actor in data["actors"].values())
    for record in data["claims"].values():
        assert "reviews" not in record
        assert all(set(s) == {"url", "title", "outlet", "published"} for s in record["sources"])
    troops = data["claims"][TROOPS]
    old_style = [(h["field"], h["at"], h["note"]) for h in troops["history"]]
    assert [f for f, _, _ in old_style] == ["sources", "status"] and len({(a, n) for _, a, n in old_style}) == 1
    assert EVIDENCE_URL in [s["url"] for s in troops["sources"]]
    assert data["claims"][SPENDING]["status"] == "disputed" and data["claims"][SPENDING]["history"] == []
    assert data["claims"][PULLOUT]["sources"][0]["title"] is None and data["claims"][HAGUE]["sources"][0]["title"]
    imported = [(h["field"], h["at"], h["note"]) for h in data["claims"][SPAIN]["history"]]
    assert [f for f, _, _ in imported] == ["sources", "status"] and {(a, n) for _, a, n in imported} == {
        (imported[0][1], "import")}


@pytest.mark.parametrize("command", [
    ["search", "--format", "ids"], ["search", "--actor", "President Trump"], ["search", "troops"],
    ["show", TROOPS, "--format", "json"], ["show", PULLOUT], ["check"], ["source", "list"],
    ["actors", "--format", "json"], ["export", "--format", "jsonl"], ["history", TROOPS], ["log"],
    ["export", "--format", "claimreview", "--allow-missing-rationale"],  # its status changes have no notes
])
def test_reading_commands_answer_on_a_schema1_store_and_leave_it_alone(schema1, command):
    result = cli(*command)
    assert result.code == 0, result
    assert schema1.read_bytes() == SCHEMA1.read_bytes()
    assert not schema1.with_name(schema1.name + ".journal").exists() or change_sets() == []


def test_a_schema1_store_reads_as_upgraded(schema1):
    assert cli("search", "--format", "ids").stdout.split() == ALL
    assert cli("search", "--actor", "President Trump", "--format", "ids").stdout == TROOPS + "\n"
    troops = claim_as_shown(TROOPS)
    assert troops["status"] == "false" and [s["url"] for s in troops["sources"]] != []
    assert EVIDENCE_URL not in [s["url"] for s in troops["sources"]]
    assert [e["url"] for e in troops["reviews"][0]["evidence"]] == [EVIDENCE_URL]
    assert cli("search", "--source-domain", "factcheck.example.org", "--format", "ids").stdout == ""
    assert cli("check").code == 0


def test_source_ids_of_a_schema1_store_are_the_same_on_every_read_and_after_the_upgrade(schema1):
    listed = cli("source", "list", "--format", "ids").stdout
    assert listed and cli("source", "list", "--format", "ids").stdout == listed
    first = listed.split()[0]
    assert cli("source", "show", first, "--format", "json").code == 0
    result = cli("source", "edit", first, "--outlet", "Checked outlet")  # the first write: upgrade, then the edit
    assert result.code == 0, result
    assert sorted(read_file(schema1)["sources"]) == sorted(listed.split())
    assert read_file(schema1)["sources"][first]["outlet"] == "Checked outlet"


def test_the_first_write_upgrades_a_schema1_store_as_its_own_change_set(schema1):
    new = cli("add", "--actor", "Trump", "--source", "https://news.example.net/article", "--", "A new claim").stdout.strip()
    data = read_file(schema1)
    assert data["meta"]["1"]["schema"] == 2
    # Sources registered once by URL; the details one copy gave complete the other's.
    urls = [normalise_url(record["url"]) for record in data["sources"].values()]
    assert len(urls) == len(set(urls)) == 6  # the shared article once, the evidence, four more appearances
    claims = data["claims"]
    shared = claims[PULLOUT]["sources"][0]
    assert shared == claims[HAGUE]["sources"][0] == claims[new]["sources"][0]
    assert (shared["title"], shared["outlet"]) == ("NATO summit report", "Example Net")
    assert data["sources"][shared["id"]]["type"] == "article"
    # The old `status --source` evidence moved out of the appearances into the review.
    troops = claims[TROOPS]
    assert [s["url"] for s in troops["sources"]] == ["https://www.example.com/troops?utm_source=feed"]
    [review] = troops["reviews"]
    status_change = next(h for h in troops["history"] if h["field"] == "status")
    assert review["verdict"] == "false" and review["note"] == "Pentagon figures show 12,000"
    assert review["reviewer"] == "bob" and review["at"] == status_change["at"]
    assert [e["url"] for e in review["evidence"]] == [EVIDENCE_URL] and review["evidence"][0]["id"] in data["sources"]
    assert troops["history"] == json.loads(SCHEMA1.read_text())["claims"][TROOPS]["history"]  # history kept
    # Each status change is a review with its note and author; a status set at creation is one too.
    assert [(r["verdict"], r["note"], r["reviewer"]) for r in claims[PULLOUT]["reviews"]] == [
        ("verified", "confirmed by two officials", "carol"), ("disputed", "denied by the spokesperson", "carol")]
    assert [r["verdict"] for r in claims[SPENDING]["reviews"]] == ["disputed"]
    assert claims[HAGUE]["reviews"] == [] and claims[HAGUE]["status"] == "unverified"
    # Sources and status changed together by an import are an appearance and a review without evidence.
    assert [s["url"] for s in claims[SPAIN]["sources"]] == [
        "https://www.example.es/spain", "https://www.example.es/spain-transcript"]
    assert [(r["verdict"], r["note"], r["reviewer"], r["evidence"]) for r in claims[SPAIN]["reviews"]] == [
        ("misleading", "import", "dave", [])]
    # Actors typed; the alias still finds its claims.
    assert {n: a["type"] for n, a in data["actors"].items()} == {
        "Donald Trump": "person", "Mark Rutte": "person", "Pedro Sanchez": "person", "White House": "organization"}
    assert cli("search", "--actor", "President Trump", "--format", "ids").stdout.split() == [TROOPS, new]
    assert cli("check").code == 0
    upgrade, added = reversed(change_sets())
    assert upgrade["command"].startswith("upgrade the store to schema 2")
    assert sorted(upgrade["claims"]) == sorted(ALL) and added["claims"] == [new]
    listed = cli("log").stdout
    assert "upgrade the store to schema 2" in listed and upgrade["id"] in listed


def test_undo_of_the_add_then_of_the_upgrade_restores_the_file_byte_for_byte(schema1):
    add(text="A new claim after the upgrade")
    upgrade = change_sets()[-1]
    assert cli("undo").code == 0
    # The upgrade is undone by its id (plain `undo` run again would walk back to it too).
    result = cli("undo", "--id", upgrade["id"])
    assert result.code == 0, result
    assert schema1.read_bytes() == SCHEMA1.read_bytes()
    again = add(text="Written again: upgraded again")  # and the store upgrades again on the next write
    assert read_file(schema1)["meta"]["1"]["schema"] == 2 and again in read_file(schema1)["claims"]


@pytest.mark.parametrize("command", [
    ["review", "zzzzzzzz", "false"],
    ["status", TROOPS, "false", "--source", "javascript:alert(1)"],
    ["source", "edit", "zzzzzzzz", "--title", "x"],
    ["source", "rm", "zzzzzzzz"],
    ["add", "--actor", "Trump", "--source", "zzzzzzzz", "--", "a claim"],
    ["edit", "zzzzzzzz", "--note", "x"],
    ["link", TROOPS, "contradicts", "zzzzzzzz"],
])
def test_a_refused_write_leaves_a_schema1_store_unupgraded(schema1, command):
    refused(cli(*command), 1)
    assert schema1.read_bytes() == SCHEMA1.read_bytes()
    assert change_sets() == []


@pytest.fixture
def unwritable(monkeypatch):
    """The store's folder cannot be written (as root, a read-only folder is no obstacle): making
    the temporary file beside the store fails as it would there."""
    import tempfile

    making = tempfile.mkstemp

    def refuse(*args, dir=None, **kwargs):
        if dir is not None and Path(dir).name != "cache" and "cache" not in Path(dir).parts:
            raise PermissionError(13, "Permission denied")
        return making(*args, dir=dir, **kwargs)

    monkeypatch.setattr("natoclaims.store.files.tempfile.mkstemp", refuse)


def test_a_schema1_store_that_cannot_be_written_still_answers_and_a_write_says_why(schema1, unwritable):
    result = cli("search", "--format", "ids")
    assert result.code == 0 and result.stdout.split() == ALL, result
    assert cli("show", TROOPS, "--format", "json").code == 0
    for command in (["add", "--actor", "Trump", "--source", "https://a.example.org/x", "--", "new claim"],
                    ["review", TROOPS, "verified"], ["source", "add", "https://b.example.org/y"]):
        result = cli(*command)
        refused(result, 1)
        assert "Permission denied" in result.stderr and "schema 1" in result.stderr and "upgraded" in result.stderr
    assert schema1.read_bytes() == SCHEMA1.read_bytes()
    assert change_sets() == []


def test_a_store_of_a_newer_schema_is_refused_and_left_alone(db):
    data = json.loads(SCHEMA1.read_bytes())
    data["meta"]["1"]["schema"] = 99
    db.write_bytes(encode(data))
    before = db.read_bytes()
    for command in (["search"], ["source", "list"], ["add", "--actor", "T", "--source", STORY, "--", "text"],
                    ["review", TROOPS, "false"], ["source", "add", STORY]):
        result = cli(*command)
        refused(result, 1)
        assert "99" in result.stderr and "newer" in result.stderr and str(db) in result.stderr
    assert db.read_bytes() == before


# -- 4. moving data between stores --------------------------------------------------------------------


@pytest.fixture
def rich_store(empty_store, request, isolated):
    """Actors with aliases, roles and types, registered sources with types, reviews with evidence."""
    def build():
        assert cli("actor", "add", "Donald Trump", "--alias", "Trump", "--alias", "President Trump",
                   "--role", "US President").code == 0
        assert cli("actor", "add", "White House", "--type", "government").code == 0
        official = cli("source", "add", "https://www.whitehouse.example.gov/briefing", "--title", "Briefing",
                       "--outlet", "White House", "--type", "transcript").stdout.strip()
        troops = add("--source-title", "Troops story", "--outlet", "Example News", text="Some 35,000 troops will leave")
        briefing = add("--source", official, text="We are weighing a pullout", actor="White House")
        obsolete = add(text="NATO is obsolete", actor="President Trump")
        assert cli("review", troops, "false", "--note", "12,000", "--evidence", FACTCHECK, "--reviewer", "Ana").code == 0
        assert cli("review", briefing, "verified", "--evidence", "https://www.whitehouse.example.gov/readout").code == 0
        return {"troops": troops, "briefing": briefing, "obsolete": obsolete}

    return built_once(request, isolated, build)


def tables(db) -> dict:
    data = read_file(db)
    return {"claims": data["claims"], "actors": data["actors"], "sources": data["sources"]}


def test_a_whole_store_file_imports_with_its_actors_sources_and_reviews(rich_store, db, isolated, monkeypatch):
    original = tables(db)
    wanted = cli("search", "--actor", "President Trump", "--format", "ids").stdout
    assert len(wanted.split()) == 2
    other = isolated / "other.json"
    shutil.copyfile(db, other)
    monkeypatch.setenv("NATOCLAIMS_DB", str(isolated / "empty.json"))
    assert cli("init", "--empty").code == 0
    result = cli("import", str(other))
    assert result.code == 0 and "imported 3 claims" in result.stderr, result
    assert cli("search", "--actor", "President Trump", "--format", "ids").stdout == wanted
    assert tables(isolated / "empty.json") == original  # claims, actors (aliases, roles, types), sources, reviews
    assert claim_as_shown(rich_store["troops"])["reviews"][0]["reviewer"] == "Ana"
    assert cli("check").code == 0


def test_importing_a_store_file_follows_the_duplicate_policy(rich_store, db, isolated, monkeypatch):
    other = isolated / "other.json"
    shutil.copyfile(db, other)
    before = db.read_bytes()
    refused(cli("import", str(other)), 1)
    assert cli("import", str(other), "--on-duplicate", "error").code == 1
    assert db.read_bytes() == before
    skipped = cli("import", str(other), "--on-duplicate", "skip")
    assert skipped.code == 0 and "skipped 3" in skipped.stderr, skipped
    assert tables(db) == tables(other)
    # The other store reviews a claim again: update brings the review and the status.
    monkeypatch.setenv("NATOCLAIMS_DB", str(other))
    assert cli("review", rich_store["obsolete"], "misleading", "--note", "out of context",
               "--evidence", "https://fc.example.org/obsolete").code == 0
    monkeypatch.setenv("NATOCLAIMS_DB", str(db))
    updated = cli("import", str(other), "--on-duplicate", "update")
    assert updated.code == 0 and "updated" in updated.stderr, updated
    shown = claim_as_shown(rich_store["obsolete"])
    assert shown["status"] == "misleading" and shown["reviews"][-1]["note"] == "out of context"
    assert [e["url"] for e in shown["reviews"][-1]["evidence"]] == ["https://fc.example.org/obsolete"]
    assert "https://fc.example.org/obsolete" in [s["url"] for s in sources()]
    assert cli("check").code == 0


def test_importing_a_store_gives_an_actor_here_the_aliases_the_other_store_knows_it_by(empty_store, isolated,
                                                                                      monkeypatch):
    other = isolated / "other.json"
    monkeypatch.setenv("NATOCLAIMS_DB", str(other))
    assert cli("init", "--empty").code == 0
    assert cli("actor", "add", "Mark Rutte", "--alias", "NATO chief", "--alias", "Rutte").code == 0
    theirs = add(text="Allies will spend 5% of GDP", actor="Mark Rutte")
    monkeypatch.setenv("NATOCLAIMS_DB", str(empty_store))
    assert cli("actor", "add", "Mark Rutte", "--alias", "Rutte", "--role", "NATO Secretary General").code == 0
    ours = add(text="NATO will meet in The Hague", actor="Rutte")
    result = cli("import", str(other))
    assert result.code == 0 and "new actor" not in result.stderr, result
    assert sorted(cli("search", "--actor", "NATO chief", "--format", "ids").stdout.split()) == sorted([theirs, ours])
    assert read_file(empty_store)["actors"]["Mark Rutte"] == {
        "name": "Mark Rutte", "aliases": ["NATO chief", "Rutte"], "role": "NATO Secretary General", "type": "person"}
    assert cli("undo").code == 0
    assert read_file(empty_store)["actors"]["Mark Rutte"]["aliases"] == ["Rutte"]


def test_importing_the_schema1_store_file_upgrades_what_it_brings(empty_store):
    result = cli("import", str(SCHEMA1))
    assert result.code == 0 and "imported 5 claims" in result.stderr, result
    assert len(sources()) == 6
    troops = claim_as_shown(TROOPS)
    assert EVIDENCE_URL not in [s["url"] for s in troops["sources"]]
    assert [(r["verdict"], r["reviewer"]) for r in troops["reviews"]] == [("false", "bob")]
    assert cli("search", "--actor", "President Trump", "--format", "ids").stdout == TROOPS + "\n"
    assert cli("check").code == 0


def test_jsonl_export_keeps_source_urls_inline_and_imports_back_the_same_claims(rich_store, isolated, monkeypatch):
    exported = cli("export", "--format", "jsonl")
    assert exported.code == 0, exported
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(records) == 3 and all(s["url"] for r in records for s in r["sources"])  # what jq '.sources[].url' reads
    evidence = [e["url"] for r in records for review in r["reviews"] for e in review["evidence"]]
    assert FACTCHECK in evidence and FACTCHECK not in [s["url"] for r in records for s in r["sources"]]
    monkeypatch.setenv("NATOCLAIMS_DB", str(isolated / "copy.json"))
    assert cli("init", "--empty").code == 0
    result = cli("import", "-", input=exported.stdout)
    assert result.code == 0, result
    assert cli("export", "--format", "jsonl").stdout == exported.stdout


# -- 5. bad input: one line, an error code, the store unchanged ---------------------------------------


@pytest.fixture
def look_alikes(empty_store, monkeypatch):
    """Two sources whose ids share their first four characters, and a claim."""
    ids = iter(["abcd1111", "abcd2222", "efgh3333", "efgh4444"])
    monkeypatch.setattr("natoclaims.core.sources.new_id", lambda taken=(): next(ids))
    assert cli("source", "add", "https://one.example.org/a", "--title", "One").stdout.strip() == "abcd1111"
    assert cli("source", "add", "https://two.example.org/b", "--title", "Two").stdout.strip() == "abcd2222"
    return cli("add", "--actor", "Trump", "--source", "abcd1111", "--", "a claim").stdout.strip()


NAMING_A_SOURCE = [
    ["source", "show", "{ref}"], ["source", "edit", "{ref}", "--title", "x"], ["source", "rm", "{ref}"],
    ["add", "--actor", "Trump", "--source", "{ref}", "--", "another claim"],
    ["review", "{claim}", "false", "--evidence", "{ref}"],
    ["status", "{claim}", "false", "--source", "{ref}"],
    ["edit", "{claim}", "--add-source", "{ref}"],
]


@pytest.mark.parametrize("command, reference", [
    (command, reference) for command in NAMING_A_SOURCE for reference in ("zzzz9999", "abcd", "ABCD")
] + [(command, "https://unknown.example.org/x") for command in NAMING_A_SOURCE[:3]])  # elsewhere a new URL registers
def test_an_unknown_or_ambiguous_source_is_refused(look_alikes, db, command, reference):
    before = db.read_bytes()
    result = cli(*[part.format(ref=reference, claim=look_alikes) for part in command])
    refused(result, 1)
    assert ("ambiguous" if reference.lower() == "abcd" else "no source") in result.stderr
    assert db.read_bytes() == before


@pytest.mark.parametrize("command", [
    ["review", "{claim}", "unverified"],
    ["review", "{claim}", "bogus"],
    ["status", "{claim}", "unverified"],
    ["review", "{claim}", "false", "--evidence", "javascript:alert(1)"],
    ["review", "{claim}", "false", "--evidence", "file:///etc/passwd"],
    ["status", "{claim}", "false", "--source", "javascript:alert(1)"],
    ["review", "{claim}", "false", "--evidence", "https://ok.example.org/x", "--evidence", "file:///etc/passwd"],
    ["source", "add", "file:///etc/passwd"],
    ["source", "add", "javascript:alert(1)"],
    ["source", "add", "ftp://files.example.org/a"],
    ["source", "add", "not a url"],
    ["source", "edit", "abcd1111", "--url", "javascript:alert(1)"],
    ["source", "edit", "abcd1111", "--url", "https://two.example.org/b/"],  # another source's URL
    ["source", "edit", "abcd1111", "--published", "03/04/2025"],
    ["source", "edit", "abcd1111", "--type", "podcast"],
    ["source", "edit", "abcd1111"],
    ["source", "add", "https://new.example.org/x", "--type", "podcast"],
    ["add", "--actor", "Trump", "--source", "abcd1111", "--source-title", "New title", "--", "other claim"],
    ["add", "--actor", "Trump", "--source", "abcd", "--outlet", "New outlet", "--", "other claim"],
    ["add", "--actor", "Trump", "--source", "https://new.example.org/x", "--type", "podcast", "--", "other"],
    ["add", "--actor", "Trump", "--source", "javascript:alert(1)", "--", "other claim"],
    ["review", "zzzzzzzz", "false"],
    ["review", "zzzzzzzz", "{claim}", "false"],
    ["status", "zzzzzzzz", "false", "--source", "https://new.example.org/x"],
    ["source", "rm", "abcd1111"],  # used by the claim
])
def test_bad_input_is_refused_and_changes_nothing(look_alikes, db, command):
    before, journal = db.read_bytes(), change_sets()
    result = cli(*[part.format(claim=look_alikes) for part in command])
    refused(result)
    assert db.read_bytes() == before and change_sets() == journal
    assert len(sources()) == 2


def test_an_empty_stdin_for_review_is_refused(look_alikes, db):
    before = db.read_bytes()
    refused(cli("review", "-", "false", input=""), 1)
    assert db.read_bytes() == before


def test_a_schema1_store_whose_first_write_removes_a_claim(schema1):
    assert cli("rm", PULLOUT, "--yes").code == 0
    assert cli("search", "--format", "ids").stdout.split() == [c for c in ALL if c != PULLOUT]  # through the cache
    assert PULLOUT not in read_file(schema1)["claims"]
    upgrade, removal = reversed(change_sets())
    assert upgrade["command"].startswith("upgrade") and removal["claims"] == [PULLOUT]
    assert cli("undo").code == 0 and cli("undo", "--id", upgrade["id"]).code == 0
    assert schema1.read_bytes() == SCHEMA1.read_bytes()


def test_a_write_that_changes_nothing_leaves_a_schema1_store_as_it_is(schema1):
    assert cli("edit", HAGUE, "--kind", "paraphrase").code == 0  # it is one already
    assert schema1.read_bytes() == SCHEMA1.read_bytes() and change_sets() == []


def test_details_given_again_for_a_registered_source_are_kept_as_registered_and_said(empty_store):
    cli("add", "--actor", "Trump", "--source", STORY, "--source-title", "Troops", "--", "first claim")
    second = cli("add", "--actor", "Trump", "--source", STORY, "--source-title", "Other title", "--outlet", "Example News",
                 "--type", "video", "--", "second claim")
    assert second.code == 0, second
    assert "registered with another title and type" in second.stderr and "source edit" in second.stderr
    [registered] = sources()
    assert (registered["title"], registered["outlet"], registered["type"]) == ("Troops", "Example News", "article")
    again = cli("source", "add", STORY, "--title", "Troops")  # the same details: nothing to say but the id
    assert again.code == 0 and "warning" not in again.stderr, again


def test_check_reports_damaged_registries_and_copies_that_drifted(empty_store):
    first = add(text="first claim")
    add(text="second claim", actor="Mark Rutte")
    data = json.loads(empty_store.read_text())
    [source_id] = data["sources"]
    data["actors"]["Mark Rutte"]["type"] = "robot"
    data["sources"]["zzzzzz01"] = {**data["sources"][source_id], "id": "zzzzzz01"}  # the same URL twice
    data["sources"]["zzzzzz02"] = {**data["sources"][source_id], "id": "zzzzzz02", "url": "javascript:alert(1)"}
    data["claims"][first]["sources"][0]["title"] = "a copy that drifted"
    empty_store.write_text(json.dumps(data))
    result = cli("check")
    assert result.code == 1
    assert "actor 'Mark Rutte': damaged actor record (unknown actor type 'robot'" in result.stdout
    assert "source 'zzzzzz02': damaged source record (invalid source URL" in result.stdout
    kept, repeated = sorted([source_id, "zzzzzz01"])
    assert f"source {repeated}: the same source as {kept}" in result.stdout
    assert f"{first}: its copy of source {source_id} differs from the sources table" in result.stdout
