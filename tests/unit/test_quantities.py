"""Figures: `--quantity` parsing and extraction from text, on examples, the seed articles and real data."""

import csv
import html
import json
import re

import pytest

from natoclaims.engines.quantities import extract_quantities, parse_quantities, parse_quantity
from natoclaims.errors import InvalidInput
from tests.conftest import ROOT, seed_article

SHARED = ROOT.parent / "shared"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="shared/ data is not beside the checkout")


def figures(text):
    return [(q["value"], q["unit"], q["qualifier"]) for q in extract_quantities(text)]


@pytest.mark.parametrize("text, expected", [
    ("35,000 troops", [(35000, "troops", "exact")]),
    ("some 35,000 U.S. troops", [(35000, "troops", "approx")]),
    ("withdrawing some 35,000\u201d U.S. troops", [(35000, "troops", "approx")]),
    ("the 35,000-troop withdrawal", [(35000, "troops", "exact")]),
    ("5% of GDP", [(5, "%GDP", "exact")]),
    ("2% of their GDP", [(2, "%GDP", "exact")]),
    ("plans to go to 4.7%", [(4.7, "%", "exact")]),
    ("€800 billion", [(800_000_000_000, "EUR", "exact")]),
    ("€1 trillion", [(1_000_000_000_000, "EUR", "exact")]),
    ("$1.5bn", [(1_500_000_000, "USD", "exact")]),
    ("£2 billion", [(2_000_000_000, "GBP", "exact")]),
    ("nearly 12,000 troops", [(12000, "troops", "approx")]),
    ("more than 80,000 American troops", [(80000, "troops", "at-least")]),
    ("fewer than 10,000 soldiers", [(10000, "troops", "at-most")]),
    ("between 5% and 6% of GDP", [(5, "%GDP", "at-least"), (6, "%GDP", "at-most")]),
    ("5 to 6 percent", [(5, "%", "at-least"), (6, "%", "at-most")]),
    ("two-thirds of allies", [(66.67, "%", "approx")]),
    ("about 20 countries", [(20, "count", "approx")]),
    ("three million people", [(3_000_000, "people", "exact")]),
    # Ranges of counted things are two bounds; "near", "some", "about" are approximate (issue 16).
    ("between 700 and 800 troops", [(700, "troops", "at-least"), (800, "troops", "at-most")]),
    ("700-800 troops", [(700, "troops", "at-least"), (800, "troops", "at-most")]),
    ("700–800 U.S. soldiers", [(700, "troops", "at-least"), (800, "troops", "at-most")]),
    ("deploy 900 to 1,000 troops", [(900, "troops", "at-least"), (1000, "troops", "at-most")]),
    ("between 2 and 3 million people", [(2_000_000, "people", "at-least"), (3_000_000, "people", "at-most")]),
    ("near 100,000 troops", [(100000, "troops", "approx")]),
    ("some 63,000 troops", [(63000, "troops", "approx")]),
    ("about 750 troops", [(750, "troops", "approx")]),
])
def test_extracts_figures(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text", [
    "Article 5 of the treaty", "In 2025 leaders met", "On March 6, 2025, he said", "for the 2nd time",
    "after the September 11 attacks", "Trump 2.0", "a 90-minute phone call", "a 30-day ceasefire",
    "1. First point 2. Second point", "9/11", "the F-35 jets", "two allies", "in the 1990s",
    "the 2024-2025 figures", "from 2020 to 2024 leaders", "a 10-12 day trip", "800-700 troops",
])
def test_no_figures_from_years_dates_articles_ordinals_or_lists(text):
    assert figures(text) == []


@pytest.mark.parametrize("text, expected", [
    ("35000 troops", (35000, "troops", "exact")), ("5 %GDP", (5, "%GDP", "exact")),
    ("5 % of GDP", (5, "%GDP", "exact")), ("€800 billion", (800_000_000_000, "EUR", "exact")),
    ("~12,000 troops", (12000, "troops", "approx")), (">80000 troops", (80000, "troops", "at-least")),
    ("3.5 %", (3.5, "%", "exact")), ("100 people", (100, "people", "exact")),
])
def test_parse_quantity(text, expected):
    q = parse_quantity(text, "us-troops")
    assert (q["value"], q["unit"], q["qualifier"]) == expected and q["measure"] == "us-troops"


@pytest.mark.parametrize("text, expected", [
    ("700-800 troops", [(700, "at-least"), (800, "at-most")]),
    ("700 to 800 troops", [(700, "at-least"), (800, "at-most")]),
    ("between 700 and 800 troops", [(700, "at-least"), (800, "at-most")]),
    ("700 - 800 troops", [(700, "at-least"), (800, "at-most")]),
    ("about 750 troops", [(750, "approx")]), ("~750 troops", [(750, "approx")]),
    ("near 750 troops", [(750, "approx")]), (">700 troops", [(700, "at-least")]),
    (">=700 troops", [(700, "at-least")]), ("at least 700 troops", [(700, "at-least")]),
    ("<=800 troops", [(800, "at-most")]), ("up to 800 troops", [(800, "at-most")]),
    ("750 troops", [(750, "exact")]),
])
def test_parse_quantities_ranges_and_words(text, expected):
    found = parse_quantities(text, "us-troops")
    assert [(q["value"], q["qualifier"]) for q in found] == expected
    assert {(q["unit"], q["measure"]) for q in found} == {("troops", "us-troops")}


def test_a_range_shares_its_currency_and_multiplier():
    found = parse_quantities("€700-800 billion")
    assert [(q["value"], q["unit"]) for q in found] == [(700e9, "EUR"), (800e9, "EUR")]
    assert [q["value"] for q in parse_quantities("2-3 million people")] == [2_000_000, 3_000_000]


@pytest.mark.parametrize("text", ["800-700 troops", "700-700 troops", "700-~800 troops", "700- troops"])
def test_parse_quantities_refuses_backwards_or_odd_ranges(text):
    with pytest.raises(InvalidInput):
        parse_quantities(text)


@pytest.mark.parametrize("text", ["troops", "", "many troops", "12 bananas", "12", "5e999 troops"])
def test_parse_quantity_refuses(text):
    with pytest.raises(InvalidInput):
        parse_quantity(text)


def seed_texts():
    first = seed_article("analysis2025").decode()
    post = json.loads(seed_article("nakedpolitics7192"))
    second = html.unescape(re.sub(r"<[^>]+>", " ", post["content"]["rendered"]))
    return first, second


def test_every_seed_figure_is_extracted():
    first, second = seed_texts()
    found = figures(first) + figures(second)
    for expected in [
        (35000, "troops", "approx"), (12000, "troops", "approx"), (80000, "troops", "at-least"),
        (800_000_000_000, "EUR", "exact"), (1_000_000_000_000, "EUR", "exact"), (5, "%GDP", "exact"),
        (2, "%GDP", "at-least"), (3.5, "%", "approx"), (4, "%", "approx"), (4.7, "%", "exact"),
        (20, "count", "approx"),
    ]:
        assert expected in found, expected
    years = {int(y) for y in re.findall(r"\b(19\d\d|20\d\d)\b", first + second)}
    assert not [f for f in found if f[0] in years], "a year was taken for a figure"


def year_free(text):
    """No extracted figure is a bare year of the text."""
    years = {int(y) for y in re.findall(r"(?<![\d,.$€£])(1[89]\d\d|20\d\d)(?![\d,.%])", text)}
    return [q for q in extract_quantities(text) if q["value"] in years and q["unit"] == "count"]


@needs_shared
def test_real_politifact_statements_never_crash_or_take_years():
    rows = 0
    for name in ("train.tsv", "valid.tsv", "test.tsv"):
        with open(SHARED / "data" / "liar" / name, encoding="utf-8") as f:
            for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                rows += 1
                assert year_free(row[2]) == [], row[2]
    assert rows == 12836


@needs_shared
def test_real_averitec_claims_never_crash_or_take_years():
    claims = json.loads((SHARED / "data" / "averitec" / "averitec_dev.json").read_text())
    assert len(claims) == 500
    for claim in claims:
        assert year_free(claim["claim"]) == [], claim["claim"]
