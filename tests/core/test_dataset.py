"""The bundled dataset as a file: reproducible from data/build_dataset.py, sourced, attributed, normalised."""

import html
import importlib.util
import json
import re
from collections import Counter

import pytest

from natoclaims.store import bundled_dataset, read_file
from tests.conftest import ROOT, seed_article


def load_builder():
    spec = importlib.util.spec_from_file_location("build_dataset", ROOT / "data" / "build_dataset.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def data():
    return read_file(ROOT / "data" / "claims.json")


def test_file_in_git_is_what_the_builder_makes(tmp_path):
    built = tmp_path / "built.json"
    load_builder().build(built)
    assert built.read_bytes() == (ROOT / "data" / "claims.json").read_bytes(), "run: python data/build_dataset.py"
    shipped = ROOT / "data" / "claims.json.archive"
    assert sorted(p.name for p in (tmp_path / "built.json.archive").iterdir()) == sorted(p.name for p in shipped.iterdir())
    for copy in shipped.iterdir():
        assert (tmp_path / "built.json.archive" / copy.name).read_bytes() == copy.read_bytes(), copy.name


def test_a_folder_of_the_seed_files_builds_the_same_file(tmp_path):
    builder = load_builder()
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / builder.ANALYSIS_FILE).write_bytes(seed_article("analysis2025"))
    (seeds / builder.POST_FILE).write_bytes(seed_article("nakedpolitics7192"))
    builder.main(["--seeds", str(seeds), str(tmp_path / "built.json")])
    assert (tmp_path / "built.json").read_bytes() == (ROOT / "data" / "claims.json").read_bytes()


def test_both_seed_articles_are_archived_and_every_quote_is_anchored(data):
    from natoclaims.core import check_quotes, current_copy
    from natoclaims.store import Store

    store = Store(ROOT / "data" / "claims.json")
    assert {s["id"]: len(s["archive"] or []) for s in data["sources"].values()} == {
        "analysis2025": 1, "nakedpolitics7192": 1}
    post = current_copy(store, "nakedpolitics7192")
    assert post.article.media_type == "application/json" and "NATO WASN’T THERE" in post.article.text
    assert current_copy(store, "analysis2025").article.media_type == "text/plain"
    rows = check_quotes(store)
    assert len(rows) == sum(c["kind"] == "quote" for c in data["claims"].values()) >= 10
    assert {r["match"] for r in rows} <= {"exact", "normalised"}, [r for r in rows if r["match"] not in ("exact", "normalised")]
    for row in rows:
        claim = data["claims"][row["id"]]
        assert claim["sources"][0]["selector"] == row["selector"]


def test_bundled_copy_is_the_dataset():
    assert bundled_dataset().read_bytes() == (ROOT / "data" / "claims.json").read_bytes()


def test_counts_and_attribution(data):
    claims = list(data["claims"].values())
    assert len(claims) >= 60
    by_actor = Counter(c["actor"] for c in claims)
    assert by_actor["Donald Trump"] == 19 and by_actor["Mark Rutte"] == 6 and by_actor["White House"] == 2
    for name in ("J.D. Vance", "Pete Hegseth", "Keir Starmer", "Emmanuel Macron", "Christoph Heusgen",
                 "Gabrielius Landsbergis", "Ben Wallace", "Friedrich Merz", "Spanish government", "Germany",
                 "Poland", "Baltic states", "European Commission", "European diplomat (unnamed)"):
        assert by_actor[name] >= 1, name
    assert set(by_actor) <= set(data["actors"])
    assert {"Trump", "President Trump"} <= set(data["actors"]["Donald Trump"]["aliases"])
    assert {c["kind"] for c in claims} == {"quote", "paraphrase", "report"}
    assert {c["status"] for c in claims} == {"unverified"}


def test_every_claim_sourced_and_dated_by_article(data):
    for claim in data["claims"].values():
        (source,) = claim["sources"]
        assert ("selector" in source) == (claim["kind"] == "quote"), claim["id"]
        source = {k: v for k, v in source.items() if k != "selector"}
        if source["url"]:
            assert source == {"id": "nakedpolitics7192", "url": "https://nakedpolitics.net/?p=7192", "outlet": "Naked Politics",
                              "published": "2026-04-10", "title": "Trump\u2019s Breaking Point With NATO: \u201cThey Failed\u201d"}
            assert claim["said_on"] == "2026-04"
        else:
            assert source["title"] and "2025" in source["title"]
            assert claim["said_on"] is None or claim["said_on"] < "2026"


def normalise(text):
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')).lower()


def test_quotes_are_verbatim_in_the_articles(data):
    first = seed_article("analysis2025").decode()
    post = json.loads(seed_article("nakedpolitics7192"))
    articles = normalise(first + " " + html.unescape(re.sub(r"<[^>]+>", " ", post["content"]["rendered"])))
    quotes = [c for c in data["claims"].values() if c["kind"] == "quote"]
    assert len(quotes) >= 10
    for claim in quotes:
        assert normalise(claim["text"]) in articles, claim["text"]


def test_figures_are_normalised_with_shared_measures(data):
    figures = {(q["measure"], q["value"], q["unit"], q["qualifier"]) for c in data["claims"].values() for q in c["quantities"]}
    assert ("us-troops-withdrawn-from-germany", 35000, "troops", "approx") in figures
    assert ("us-troops-withdrawn-from-germany", 12000, "troops", "approx") in figures
    assert ("us-troops-in-europe", 80000, "troops", "at-least") in figures
    assert ("eu-rearmament-plan", 800_000_000_000, "EUR", "exact") in figures
    assert ("germany-defence-infrastructure-investment", 1_000_000_000_000, "EUR", "exact") in figures
    assert ("nato-spending-demand", 5, "%GDP", "exact") in figures
