"""import / export / ClaimReview / stats / timeline (SPEC 3 and 5), with real data from shared/."""

import base64
import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natoclaims.store import files as store_module
from natoclaims.store import read_file
from tests.conftest import ROOT, add, assert_refused, cli, examples

SHARED = ROOT.parent / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="shared/data is not beside the checkout")


def record(text="Some 35,000 troops leave Germany", actor="Donald Trump", **extra):
    return {"text": text, "actor": actor, "sources": [{"url": "https://a.org/x"}], **extra}


def jsonl(*records):
    return "".join(json.dumps(r) + "\n" for r in records)


def claims(db):
    return read_file(db)["claims"]


def test_import_jsonl_from_stdin_fills_defaults_and_extracts_figures(empty_store):
    result = cli("import", "-", input=jsonl(record(), record("Allies must pay", quantities=[])))
    assert result.code == 0 and "imported 2 claims" in result.stderr, result
    stored = sorted(claims(empty_store).values(), key=lambda c: c["text"])
    assert stored[0]["kind"] == "paraphrase" and stored[0]["status"] == "unverified" and stored[0]["quantities"] == []
    assert stored[1]["quantities"][0]["value"] == 35000
    assert read_file(empty_store)["actors"]["Donald Trump"]["name"] == "Donald Trump"


def test_import_formats_by_name_and_option(empty_store, tmp_path):
    (tmp_path / "a.json").write_text(json.dumps([record("one")]))
    (tmp_path / "b.csv").write_text("text,actor,sources,topics\ntwo,Mark Rutte,https://nato.int/a,troops;article-5\n")
    (tmp_path / "c.txt").write_text(jsonl(record("three")))
    (tmp_path / "d.data").write_text(json.dumps([record("four")]))
    for name in ("a.json", "b.csv", "c.txt"):
        assert cli("import", str(tmp_path / name)).code == 0
    assert cli("import", str(tmp_path / "d.data"), "--format", "json").code == 0
    texts = {c["text"]: c for c in claims(empty_store).values()}
    assert set(texts) == {"one", "two", "three", "four"}
    assert texts["two"]["topics"] == ["troops", "article-5"] and texts["two"]["sources"][0]["url"] == "https://nato.int/a"


def test_ids_given_are_kept_and_links_between_imported_claims_resolve(empty_store):
    a = record("first", id="abcdef1", links=[{"relation": "contradicts", "to": "bcdefg2", "note": "x"}])
    b = record("second", id="bcdefg2")
    assert cli("import", "-", input=jsonl(a, b)).code == 0
    assert set(claims(empty_store)) == {"abcdef1", "bcdefg2"}
    assert cli("contradictions", "-f", "ids").stdout.split() == ["abcdef1", "bcdefg2"]


@pytest.mark.parametrize("content, fmt, reason", [
    ("not json at all\n", "jsonl", "line 1: not valid JSON"),
    (jsonl(record()) + "{broken\n", "jsonl", "line 2: not valid JSON"),
    ("{}", "json", "must be an array"),
    (jsonl({"actor": "A", "sources": [{"url": "https://a.org"}]}), "jsonl", "line 1: missing required field 'text'"),
    (jsonl({"text": "t", "sources": [{"url": "https://a.org"}]}), "jsonl", "missing required field 'actor'"),
    (jsonl({"text": "t", "actor": "A"}), "jsonl", "missing required field 'sources'"),
    (jsonl(record(status="true")), "jsonl", "unknown status"),
    (jsonl(record(topics="troops")), "jsonl", "topics must be a list"),
    (jsonl(record(colour="red")), "jsonl", "unknown field 'colour'"),
    (jsonl(record(said_on="03/04/2025")), "jsonl", "ambiguous"),
    (jsonl(record(sources=[{"url": "javascript:alert(1)"}])), "jsonl", "only http"),
    (jsonl(record(id="abcdef1"), record("other", id="abcdef1")), "jsonl", "line 2: duplicate id 'abcdef1'"),
    (jsonl(record(links=[{"relation": "supports", "to": "ghost99"}])), "jsonl", "link to unknown claim 'ghost99'"),
    (jsonl(record(quantities=[{"value": True, "unit": "troops"}])), "jsonl", "must be a number"),
    ("[" * 100000 + "]" * 100000, "json", "nested too deeply"),
    ("text,actor,colour\nx,y,z\n", "csv", "unknown column 'colour'"),
    ("text,actor,sources\nx,y\n", "csv", "line 2: 2 cells for 3 columns"),
    ("text,actor\nx\n", "csv", "line 2: 1 cell for 2 columns"),
    ("\x00\x01binary", "jsonl", "not valid JSON"),
    (json.dumps([record(), 5]), "json", "record 1: a claim must be an object"),
])
def test_invalid_import_aborts_with_where_and_why_and_writes_nothing(empty_store, content, fmt, reason):
    add()
    before = empty_store.read_bytes()
    result = cli("import", "-", "--format", fmt, input=content)
    assert result.code == 1 and reason in result.stderr and result.stderr.count("\n") == 1, result
    assert empty_store.read_bytes() == before


def test_import_file_errors(empty_store, tmp_path):
    (tmp_path / "latin1.jsonl").write_bytes(b"\xe9t\xe9")
    for path, reason in ((tmp_path / "missing.jsonl", "no such file"), (tmp_path, "is a directory"),
                         (tmp_path / "latin1.jsonl", "not UTF-8")):
        result = cli("import", str(path))
        assert result.code == 1 and reason in result.stderr
    assert cli("import", "-", "--format", "xml").code == 2


def test_skip_invalid_imports_the_good_and_lists_the_bad(empty_store):
    content = jsonl(record("good one"), record(status="nope"), record("good two"), {"text": "x"})
    result = cli("import", "-", "--skip-invalid", input=content)
    assert result.code == 0
    assert "line 2: unknown status" in result.stderr and "line 4: missing required field" in result.stderr
    assert {c["text"] for c in claims(empty_store).values()} == {"good one", "good two"}


def test_duplicates_error_skip_update(empty_store):
    first = add(text="Same words", actor="Donald Trump")
    cli("actor", "alias", "Donald Trump", "Trump")
    again = record("Same words", actor="Trump", notes="updated notes")
    before = empty_store.read_bytes()
    result = cli("import", "-", input=jsonl(again))
    assert result.code == 1 and f"duplicate of claim {first}" in result.stderr
    assert empty_store.read_bytes() == before
    assert "skipped 1" in cli("import", "-", "--on-duplicate", "skip", input=jsonl(again)).stderr
    assert empty_store.read_bytes() == before
    result = cli("import", "-", "--on-duplicate", "update", input=jsonl(again))
    assert "updated 1" in result.stderr
    claim = claims(empty_store)[first]
    assert claim["notes"] == "updated notes" and claim["history"][-1]["note"] == "import"
    assert len(claims(empty_store)) == 1



def test_update_counts_only_the_claims_that_changed(empty_store):
    for text in ("one", "two", "three"):
        add(text=text)
    exported = [json.loads(line) for line in cli("export").stdout.splitlines()]
    exported[1]["notes"] = "a new note"
    for flags in (["--dry-run"], []):
        result = cli("import", "-", "--on-duplicate", "update", *flags, input=jsonl(*exported))
        said = ("would update 1 (2 already as given), would skip 0 duplicates" if flags
                else "updated 1 (2 already as given), skipped 0 duplicates")
        assert result.code == 0 and said in result.stderr, result
    assert claims(empty_store)[exported[1]["id"]]["notes"] == "a new note"
    again = cli("import", "-", "--on-duplicate", "update", input=jsonl(*exported))
    assert "updated 0 (3 already as given)" in again.stderr, again

def test_same_claim_twice_in_one_file(empty_store):
    content = jsonl(record("twice"), record("twice", notes="later"))
    assert cli("import", "-", input=content).code == 1
    assert cli("import", "-", "--on-duplicate", "update", input=content).code == 0
    (claim,) = claims(empty_store).values()
    assert claim["notes"] == "later"


def test_dry_run_writes_nothing(empty_store):
    before = empty_store.read_bytes()
    result = cli("import", "-", "--dry-run", input=jsonl(record("a"), record("b")))
    assert result.code == 0 and "would import 2" in result.stderr
    assert empty_store.read_bytes() == before


def test_import_is_one_store_write(empty_store, monkeypatch):
    writes = []
    original = store_module.write_atomically
    monkeypatch.setattr(store_module, "write_atomically", lambda path, *a, **k: writes.append(path) or original(path, *a, **k))
    assert cli("import", "-", input=jsonl(*[record(f"claim {i}") for i in range(500)])).code == 0
    assert writes.count(empty_store) == 1 and len(claims(empty_store)) == 500


def test_export_formats_and_filters(empty_store):
    a = add("--topic", "troops", "--date", "2025-03")
    b = add("--status", "false", text="=HYPERLINK(\"http://evil\") -5", actor="Mark Rutte")
    assert [json.loads(x)["id"] for x in cli("export").stdout.splitlines()] == [a, b]
    assert [c["id"] for c in cli("export", "--format", "json").json()] == [a, b]
    assert [json.loads(x)["id"] for x in cli("export", "--actor", "rutte").stdout.splitlines()] == [b]
    assert [json.loads(x)["id"] for x in cli("export", "--topic", "troops").stdout.splitlines()] == [a]
    rows = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv").stdout)))
    assert rows[1]["text"].startswith("'=HYPERLINK")
    assert rows[0]["said_on"] == "2025-03" and json.loads(rows[0]["quantities"])[0]["value"] == 35000


def test_csv_round_trip(empty_store, isolated):
    add("--topic", "troops", "--topic", "article-5", "--note", "-5 is a number", "--stance", "p-q:for")
    add(text="=1+1 \"quoted\", with commas\nand a newline", actor="Mark Rutte", )
    add(text="'=already guarded", actor="Mark Rutte")
    add(text="-12", actor="Mark Rutte")
    exported = cli("export", "--format", "csv").stdout
    copy = isolated / "copy.json"
    cli("--db", str(copy), "init", "--empty")
    assert cli("--db", str(copy), "import", "-", "--format", "csv", input=exported).code == 0
    assert claims(copy) == claims(empty_store)


ids_strategy = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=7, max_size=10).map(lambda s: "k" + s)
text_strategy = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1,
                        max_size=80).filter(str.strip)
records = st.lists(st.fixed_dictionaries({
    "id": ids_strategy, "text": text_strategy, "actor": text_strategy.map(str.strip).filter(bool),
    "kind": st.sampled_from(["quote", "paraphrase", "report"]),
    "status": st.sampled_from(["unverified", "verified", "false", "disputed"]),
    "said_on": st.none() | st.sampled_from(["2025", "2025-03", "2024-02-29"]),
    "context": st.none() | text_strategy, "notes": st.none() | text_strategy,
    "topics": st.lists(st.sampled_from(["troops", "article-5", "iran"]), unique=True, max_size=3),
    "sources": st.lists(st.fixed_dictionaries({"url": st.sampled_from(["https://a.org/x", "http://b.net"]),
                                               "title": st.none() | text_strategy}), min_size=1, max_size=2),
    "quantities": st.lists(st.fixed_dictionaries({
        "value": st.integers(-10**9, 10**9) | st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3)),
        "unit": st.sampled_from(["troops", "%GDP", "EUR"]), "qualifier": st.sampled_from(["exact", "approx"]),
        "measure": st.none() | st.sampled_from(["m-one", "m-two"])}), max_size=2),
    "stances": st.lists(st.fixed_dictionaries({"proposition": st.sampled_from(["p-one", "p-two"]),
                                               "position": st.sampled_from(["for", "against"])}), max_size=2),
}), max_size=6, unique_by=(lambda r: r["id"], lambda r: (r["actor"].strip(), r["text"], r["said_on"])))


@pytest.mark.slow
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=records)
def test_export_then_import_gives_the_same_claims(isolated, batch):
    source, copy = isolated / "source.json", isolated / "copy.json"
    for path in (source, copy):
        path.unlink(missing_ok=True)
    assert cli("--db", str(source), "import", "-", input=jsonl(*batch)).code == 0
    exported = cli("--db", str(source), "export", "--format", "jsonl").stdout
    assert cli("--db", str(copy), "import", "-", input=exported).code == 0
    assert claims(copy) == claims(source)
    assert cli("--db", str(copy), "export", "--format", "jsonl").stdout == exported


def test_claimreview_has_googles_required_and_recommended_fields(empty_store):
    add(text="unreviewed")
    reviewed = add(text="If they don't pay, I'm not going to defend them", actor="Donald Trump")
    cli("status", reviewed, "misleading", "--note", "he conditioned it")
    out = cli("export", "--format", "claimreview", "--publisher", "NATO Watch", "--publisher-url", "https://natowatch.example/checks")
    reviews = out.json()
    assert len(reviews) == 1
    (review,) = reviews
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    for required in ("claimReviewed", "reviewRating", "url"):
        assert review[required]
    for recommended in ("author", "datePublished", "itemReviewed"):
        assert review[recommended]
    assert review["url"] == f"https://natowatch.example/checks#claim-{reviewed}"
    assert review["author"] == {"@type": "Organization", "name": "NATO Watch", "url": "https://natowatch.example/checks"}
    rating = review["reviewRating"]
    assert rating["alternateName"] == "Misleading" and (rating["worstRating"], rating["ratingValue"], rating["bestRating"]) == (1, 2, 5)
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["author"] == {"@type": "Person", "name": "Donald Trump"}
    assert item["appearance"] == [{"@type": "CreativeWork", "url": "https://example.org/a"}]
    assert len(review["datePublished"]) == 10


def test_claimreview_warns_without_url_and_refuses_bad_url(empty_store):
    cli("status", add(), "false", "--note", "no")
    result = cli("export", "--format", "claimreview")
    assert result.code == 0 and "--publisher-url" in result.stderr and "url" not in result.json()[0]
    assert cli("export", "--format", "claimreview", "--publisher-url", "javascript:x").code == 1


def test_stats_and_timeline(empty_store):
    a = add("--date", "2025-03", "--stance", "p-q:for")
    b = add("--date", "2025-02-10", "--stance", "p-q:against", "--topic", "troops", text="other words", actor="Mark Rutte")
    c = add(text="undated words", actor="Mark Rutte")
    rows = cli("stats", "-f", "json").json()
    assert {"group": "actor", "key": "Mark Rutte", "count": 2} in rows
    assert {"group": "month", "key": "2025-03", "count": 1} in rows and {"group": "month", "key": "undated", "count": 1} in rows
    assert {"group": "status", "key": "unverified", "count": 3} in rows
    assert "█" in cli("stats", "-f", "table").stdout
    assert cli("timeline", "-f", "ids").stdout.split() == [b, a, c]
    assert cli("timeline", "-f", "tsv").stdout == cli("search", "--sort", "date", "-f", "tsv").stdout
    view = cli("timeline", "-f", "table").stdout
    assert view.index("2025-02") < view.index("2025-03") < view.index("Undated") and "⚡" in view
    assert cli("timeline", "--actor", "rutte", "-f", "ids").stdout.split() == [b, c]


LIAR_STATUS = {"true": "verified", "mostly-true": "verified", "half-true": "disputed", "barely-true": "misleading",
               "false": "false", "pants-fire": "false"}


def liar_records(limit):
    with open(SHARED / "liar" / "valid.tsv", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[:limit]
    records = [{
        "text": row[2], "actor": row[4].replace("-", " ").title() or "Unknown speaker",
        "status": LIAR_STATUS[row[1]], "context": row[13] or None,
        "topics": sorted({t.strip().lower().replace(" ", "-") for t in row[3].split(",") if t.strip()}),
        "sources": [{"title": f"PolitiFact statement {row[0]}", "outlet": "PolitiFact"}],
    } for row in rows]
    return rows, records


@needs_shared
def test_real_politifact_statements_import_and_search(empty_store):
    rows, records = liar_records(600)
    result = cli("import", "-", "--on-duplicate", "skip", input=jsonl(*records))
    assert result.code == 0, result
    stored = claims(empty_store)
    unique = {(r["actor"], r["text"]) for r in records}
    assert len(stored) == len(unique)
    obama = [r for r in rows if r[4] == "barack-obama"]
    found = cli("search", "--actor", "Barack Obama", "-f", "ids").stdout.split()
    assert len(found) == len({r[2] for r in obama}) > 0
    falses = sum(1 for r in records if r["status"] == "false")
    assert len(cli("search", "--status", "false", "-f", "ids").stdout.split()) <= falses
    assert cli("check").code == 0


AVERITEC_STATUS = {"Supported": "verified", "Refuted": "false", "Not Enough Evidence": "inconclusive",
                   "Conflicting Evidence/Cherrypicking": "misleading"}


@needs_shared
def test_real_averitec_claims_import_with_dates_urls_and_missing_speakers(empty_store):
    data = json.loads((SHARED / "averitec" / "averitec_dev.json").read_text())
    records = []
    for item in data:
        day, month, year = item["claim_date"].split("-") if item.get("claim_date") else (None, None, None)
        sources = [{"url": u} for u in (item.get("fact_checking_article"), item.get("original_claim_url"))
                   if u and u.startswith(("http://", "https://")) and " " not in u]
        records.append({
            "text": item["claim"], "actor": (item.get("speaker") or item.get("reporting_source") or "Unknown speaker").strip() or "Unknown speaker",
            "said_on": f"{year}-{month}-{day}" if year else None, "status": AVERITEC_STATUS[item["label"]],
            "sources": sources or [{"title": "AVeriTeC dev set"}],
        })
    result = cli("import", "-", "--on-duplicate", "skip", input=jsonl(*records))
    assert result.code == 0, result
    stored = list(claims(empty_store).values())
    assert len(stored) == len({(r["actor"], r["text"], r["said_on"]) for r in records})
    refuted = sum(1 for item in data if item["label"] == "Refuted")
    assert len(cli("search", "--status", "false", "-f", "ids").stdout.split()) <= refuted
    in_2020 = cli("search", "--since", "2020-01-01", "--until", "2020-12-31", "-f", "ids").stdout.split()
    assert len(in_2020) == sum(1 for c in stored if c["said_on"] and c["said_on"].startswith("2020"))
    archived = cli("search", "--source-domain", "archive.org", "-f", "ids").stdout.split()
    assert len(archived) == sum(1 for c in stored if any("web.archive.org/" in (s["url"] or "") for s in c["sources"])) > 400
    assert len(cli("search", "--actor", "Unknown speaker", "-f", "ids").stdout.split()) == sum(
        1 for c in stored if c["actor"] == "Unknown speaker")


def bundled_export(isolated):
    """The bundled dataset's store export, and the empty store it is imported into."""
    assert cli("--db", str(isolated / "bundled.json"), "init").code == 0
    assert cli("--db", str(isolated / "bundled.json"), "actor", "add", "Baltic Times", "--type", "media").code == 0
    exported = cli("--db", str(isolated / "bundled.json"), "export", "--format", "store")
    assert exported.code == 0, exported
    assert cli("init", "--empty").code == 0
    return json.loads(exported.stdout)


def test_a_store_export_brings_actor_types_and_archived_copies(isolated, db):
    exported = bundled_export(isolated)
    assert sorted(exported) == ["actors", "archive", "claims", "meta", "sources"] and len(exported["archive"]) == 2
    result = cli("import", "-", input=json.dumps(exported))
    assert result.code == 0 and "imported 71 claims" in result.stderr, result
    actors = {a["name"]: a for a in cli("actors", "-f", "json").json()}
    assert actors["White House"]["type"] == "government" and "President Trump" in actors["Donald Trump"]["aliases"]
    assert actors["Baltic Times"]["type"] == "media"  # an actor without claims comes too
    matches = {row["match"] for row in cli("check", "--quotes", "-f", "json").json()}
    assert matches == {"exact"}


@pytest.mark.parametrize("damage, said", [
    ("tampered", "not brought along"),
    ("not base64", "not base64"),
    ("../../escape", "is not a SHA-256 digest"),
])
def test_a_damaged_copy_in_a_store_export_is_said(isolated, db, damage, said):
    exported = bundled_export(isolated)
    digest, text = sorted(exported["archive"].items())[0]
    if damage == "tampered":
        raw = bytearray(base64.b64decode(text))
        raw[len(raw) // 2] ^= 0xFF
        exported["archive"][digest] = base64.b64encode(bytes(raw)).decode()
    elif damage == "not base64":
        exported["archive"][digest] = "not base64!"
    else:
        exported["archive"][damage] = text
    before = db.read_bytes()
    result = cli("import", "-", input=json.dumps(exported))
    assert said in result.stderr, result
    if damage == "tampered":  # the claims come, the copy does not: its quotes are unarchived, and it is said
        assert result.code == 0 and digest in result.stderr
        assert not (isolated / "claims.json.archive" / f"{digest}.warc.gz").exists()
    else:
        assert_refused(result, said)
        assert db.read_bytes() == before and not (isolated / "claims.json.archive").exists()


def test_a_store_export_is_the_whole_store(empty_store):
    add()
    before = empty_store.read_bytes()
    assert_refused(cli("export", "--format", "store", "--actor", "Trump"), "takes no filters")
    assert empty_store.read_bytes() == before


def test_a_forged_copy_is_never_passed_on_by_a_store_export(isolated):
    """A copy whose text was rewritten beside its genuine bytes (digests recomputed) is damaged:
    the export leaves it out and says so, rather than carry the forgery to another store."""
    from natoclaims.store.archive import read_copy
    from tests.cli.test_archive import forge

    bundled = isolated / "bundled.json"
    assert cli("--db", str(bundled), "init").code == 0
    folder = isolated / "bundled.json.archive"
    digest = sorted(path.name.split(".")[0] for path in folder.iterdir())[0]
    forge(folder / f"{digest}.warc.gz", text=read_copy(folder, digest).text + "\n\u201cWe will leave NATO,\u201d he said.")
    exported = cli("--db", str(bundled), "export", "--format", "store")
    assert exported.code == 0 and f"not exported: archived copy {digest} is damaged" in exported.stderr, exported
    assert digest not in json.loads(exported.stdout)["archive"]
