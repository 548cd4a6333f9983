"""Issue 17: leads (`possible` pairs) only for figures asserted, of one subject, ranked by likeness."""

import json
from functools import partial
from pathlib import Path

import pytest

from natoclaims.engines.contradictions import find_contradictions
from natoclaims.engines.quantities import extract_quantities, is_change, is_target, negated, places, year_named
from tests import factories

HELD_OUT = Path(__file__).resolve().parents[1] / "fixtures" / "held_out_claims.json"


def figure(text, n=0):
    return extract_quantities(text)[n]


@pytest.mark.parametrize("text, denied", [
    ("No NATO country spends 5% of GDP on defence", True),
    ("Poland does not spend 2% of GDP on defence", True),
    ("Germany won't send 5,000 troops", True),
    ("Poland spends 4.2% of GDP on defence", False),
    ("no fewer than 35,000 troops will stay", False),    # a bound, not a denial
    ("No one doubts it: 35,000 troops will stay", False),  # the denial is in another clause
])
def test_negated_figures(text, denied):
    assert negated(text, figure(text)) is denied


def test_places_are_the_figures_own():
    text = "Some 35,000 troops in Germany, and 80,000 troops in Europe"
    assert places(text, figure(text, 0)) == {"germany"} and places(text, figure(text, 1)) == {"europe"}
    text = "In Poland, 10,000 troops are stationed"
    assert places(text, figure(text)) == {"poland"}
    assert places("Allies pledged 5% of GDP", figure("Allies pledged 5% of GDP")) == frozenset()


def test_change_target_and_year():
    cut = "The US is reducing troops in Germany by 9,500 troops"
    assert is_change(cut, figure(cut)) and not is_change("25,000 troops will remain", figure("25,000 troops will remain"))
    goal = "NATO members must increase their military spending to 5% of GDP"
    assert is_target(goal, figure(goal)) and not is_target("Poland spends 4.1% of GDP", figure("Poland spends 4.1% of GDP"))
    text = "Poland expects to spend 4.7% of its GDP, up from 2.2% in 2022"
    assert year_named(text, figure(text, 1), 2025) == 2022 and year_named(text, figure(text, 0), 2025) is None
    text = "Poland will raise defence spending next year to 4.8 percent of GDP"
    assert year_named(text, figure(text), 2025) == 2026


claim = partial(factories.claim, actor="Desk", topics=("troops",), read_figures=True)


def test_the_two_false_leads_of_the_issue_are_gone():
    claims = [
        claim("a1", "About 35,000 US troops are stationed in Germany"),
        claim("a2", "About 80,000 US troops are stationed in Europe"),
        claim("b1", "No NATO country spends 5% of GDP on defence", topics=["defence-spending"]),
        claim("b2", "Poland spends 4.1% of GDP on defence, the most of any NATO country", topics=["defence-spending"]),
    ]
    assert find_contradictions(claims, ["possible"]) == []
    claims.append(claim("a3", "About 12,000 US troops are stationed in Germany"))
    (lead,) = find_contradictions(claims, ["possible"])
    assert (lead["a"]["id"], lead["b"]["id"]) in {("a1", "a3"), ("a3", "a1")} and lead["kinds"] == ["possible"]


def test_leads_are_ranked_by_how_alike_the_claims_are():
    claims = [
        claim("c1", "About 35,000 US troops are stationed in Germany today"),
        claim("c2", "About 12,000 US troops are stationed in Germany today"),
        claim("c3", "Only 20,000 American troops remain, stationed across bases in Germany"),
    ]
    leads = find_contradictions(claims, ["possible"])
    assert len(leads) == 3
    similarity = [p["similarity"] for p in leads]
    assert similarity == sorted(similarity, reverse=True) and similarity[0] == 1.0
    assert {leads[0]["a"]["id"], leads[0]["b"]["id"]} == {"c1", "c2"}


def test_held_out_claims_from_real_articles_leads_are_at_least_half_right():
    data = json.loads(HELD_OUT.read_text())
    claims = [claim(c["id"], c["text"], said_on=c["said_on"], topics=c["topics"], actor=c["actor"]) for c in data["claims"]]
    labelled = {frozenset(pair) for pair in data["contradicting"]}
    leads = find_contradictions(claims, ["possible"])
    right = [p for p in leads if frozenset((p["a"]["id"], p["b"]["id"])) in labelled]
    assert leads and len(right) / len(leads) >= 0.5


def test_a_new_figure_worded_like_measured_ones_gets_their_measure_suggested():
    from natoclaims.engines.contradictions import suggest_measures

    known = claim("k1", "About 35,000 US troops are stationed in Germany")
    known["quantities"][0]["measure"] = "us-troops-germany"
    europe = claim("k2", "About 80,000 US troops are stationed in Europe")
    europe["quantities"][0]["measure"] = "us-troops-europe"
    new = claim("n1", "Some 36,000 US troops are now stationed in Germany")
    ((figure_, measure, like),) = suggest_measures(new, [known, europe])
    assert figure_["value"] == 36000 and measure == "us-troops-germany" and like is known
    assert suggest_measures(claim("n2", "Some 90,000 US troops are now stationed in Europe"), [known, europe])[0][1] \
        == "us-troops-europe"
    assert suggest_measures(claim("n3", "Allies must spend 5% of GDP", topics=["troops"]), [known, europe]) == []
    assert suggest_measures(claim("n4", "Some 36,000 US troops are now stationed in Germany", topics=[]), [known]) == []
