"""SPEC section 4: the contradictions engine: linked, numeric, stance and possible pairs."""

import pytest

from natoclaims.engines.contradictions import cannot_both_hold, describe, find_contradictions
from tests.conftest import examples
from tests.factories import claim  # "troops leave", by "A", said in 2025-03
from tests.factories import figure as q  # troops, of the measure us-troops-germany, exact


@pytest.mark.parametrize("a, b, conflict", [
    (q(100), q(105), False),            # exactly 5 % of the larger... 5/105 < 5 %
    (q(100), q(105.3), True),           # 5.3/105.3 > 5 %
    (q(95), q(100), False),             # 5 % of the larger: the boundary holds
    (q(94.9), q(100), True),
    (q(100, qualifier="approx"), q(115), False),
    (q(100, qualifier="approx"), q(118), True),
    (q(100), q(117, qualifier="approx"), False),
    (q(80000, qualifier="at-least"), q(100000), False),
    (q(80000, qualifier="at-least"), q(76000), False),   # within 5 % below the bound
    (q(80000, qualifier="at-least"), q(75000), True),
    (q(12000, qualifier="at-most"), q(12500), False),
    (q(12000, qualifier="at-most"), q(13000), True),
    (q(10, qualifier="at-least"), q(20, qualifier="at-least"), False),
    (q(20, qualifier="at-least"), q(10, qualifier="at-most"), True),
    (q(10, qualifier="at-least"), q(20, qualifier="at-most"), False),
])
def test_tolerance_and_bounds(a, b, conflict):
    assert cannot_both_hold(a, b) is conflict
    assert cannot_both_hold(b, a) is conflict


def test_numeric_pairs_need_same_measure_and_overlapping_time():
    claims = [
        claim("aaaaaa1", said_on="2025-03", quantities=[q(35000, qualifier="approx")]),
        claim("aaaaaa2", said_on="2025", quantities=[q(12000)]),               # year overlaps March
        claim("aaaaaa3", said_on="2025-05", quantities=[q(20000)]),            # May: not March
        claim("aaaaaa4", said_on="2025-03-10", quantities=[q(12000, measure="other")]),
        claim("aaaaaa5", said_on=None, quantities=[q(1)]),                     # no time scope
        claim("aaaaaa6", said_on="2020", quantities=[q(50000, as_of="2025-03")]),  # as_of wins
    ]
    pairs = find_contradictions(claims)
    found = {frozenset((p["a"]["id"], p["b"]["id"])) for p in pairs}
    assert frozenset(("aaaaaa1", "aaaaaa2")) in found
    assert frozenset(("aaaaaa1", "aaaaaa3")) not in found
    assert frozenset(("aaaaaa2", "aaaaaa3")) in found
    assert frozenset(("aaaaaa1", "aaaaaa6")) in found
    assert not any("aaaaaa4" in ids or "aaaaaa5" in ids for ids in found)
    assert all(p["kind"] == "numeric" for p in pairs)
    detail = next(p for p in pairs if {p["a"]["id"], p["b"]["id"]} == {"aaaaaa1", "aaaaaa2"})["detail"]
    assert detail == "12,000 troops vs 35,000 troops (us-troops-germany)"


def test_a_range_is_two_bounds_that_never_contradict_each_other():
    from natoclaims.engines.quantities import parse_quantities

    def figures(text):
        return [{**f, "measure": "us-troops-germany"} for f in parse_quantities(text)]

    claims = [
        claim("cccccc1", quantities=figures("700-800 troops")),
        claim("cccccc2", quantities=figures("750 troops")),           # inside the range
        claim("cccccc3", quantities=figures("1,000 troops")),         # above its at-most bound
        claim("cccccc4", quantities=figures("between 400 and 500 troops")),  # below its at-least bound
    ]
    found = {frozenset((p["a"]["id"], p["b"]["id"])) for p in find_contradictions(claims)}
    assert frozenset(("cccccc1", "cccccc2")) not in found
    assert frozenset(("cccccc1", "cccccc3")) in found
    assert frozenset(("cccccc1", "cccccc4")) in found
    assert not any(len(pair) == 1 for pair in found)


def test_each_pair_once_even_with_several_figures():
    claims = [claim("bbbbbb1", quantities=[q(10), q(11)]), claim("bbbbbb2", quantities=[q(50), q(60)])]
    assert len(find_contradictions(claims)) == 1


def test_stance_reversal_and_dispute():
    claims = [
        claim("cccccc1", actor="Donald Trump", said_on="2025-02",
              stances=[{"proposition": "us-defends-all-allies", "position": "for"}]),
        claim("cccccc2", actor="Donald Trump", said_on="2025-03",
              stances=[{"proposition": "us-defends-all-allies", "position": "against"}]),
        claim("cccccc3", actor="Mark Rutte", said_on="2025-03",
              stances=[{"proposition": "us-defends-all-allies", "position": "for"}]),
    ]
    pairs = find_contradictions(claims, ["stance"])
    reversal = [p for p in pairs if p["subkind"] == "reversal"]
    disputes = [p for p in pairs if p["subkind"] == "dispute"]
    assert len(reversal) == 1 and len(disputes) == 1 and len(pairs) == 2
    assert reversal[0]["a"]["id"] == "cccccc1"
    assert reversal[0]["detail"] == "reversal by Donald Trump on us-defends-all-allies: for (2025-02) → against (2025-03)"
    assert disputes[0]["detail"] == "dispute on us-defends-all-allies: Donald Trump against vs Mark Rutte for"


def test_linked_pairs_and_kind_selection():
    claims = [claim("dddddd1", links=[{"relation": "contradicts", "to": "dddddd2", "note": "why"}]),
              claim("dddddd2", links=[{"relation": "contradicts", "to": "dddddd1", "note": None}]),
              claim("dddddd3", links=[{"relation": "supports", "to": "dddddd1", "note": None},
                                      {"relation": "contradicts", "to": "gone999", "note": None}])]
    pairs = find_contradictions(claims)
    assert len(pairs) == 1 and pairs[0]["kind"] == "linked" and pairs[0]["detail"] == "why"
    assert find_contradictions(claims, ["numeric"]) == []


def test_possible_leads_only_when_asked_and_never_for_confirmed_pairs():
    a = claim("eeeeee1", text="Trump will withdraw troops from Germany", topics=["troops"],
              quantities=[q(35000, measure=None)])
    b = claim("eeeeee2", text="Pentagon says troops withdraw Germany plan", topics=["troops"],
              quantities=[q(12000, measure=None)])
    c = claim("eeeeee3", text="Unrelated words about budgets entirely", topics=["troops"],
              quantities=[q(1000, measure=None)])
    assert find_contradictions([a, b, c]) == []
    leads = find_contradictions([a, b, c], ["possible"])
    assert [(p["kind"], p["a"]["id"], p["b"]["id"]) for p in leads] == [("possible", "eeeeee1", "eeeeee2")]
    a["quantities"][0]["measure"] = b["quantities"][0]["measure"] = "m"
    assert [p["kind"] for p in find_contradictions([a, b], ["numeric", "possible"])] == ["numeric"]


def test_grouping_scales_without_comparing_every_pair():
    claims = [claim(f"f{i:07d}", said_on=f"{2000 + i % 25}-{1 + i % 12:02d}",
                    quantities=[q(1000 + i % 7, measure=f"m{i % 5000}")]) for i in range(50_000)]
    assert len(find_contradictions(claims)) < 50_000


def test_describe():
    assert describe(q(80000, qualifier="at-least")) == "at least 80,000 troops"
    assert describe(q(5, unit="%GDP")) == "5% of GDP"
    assert describe(q(4.7, unit="%")) == "4.7%"


def brute_force(claims):
    """Every pair compared: the definition, for checking the grouped search against."""
    from natoclaims.model.dates import date_range

    def ranges_overlap(a, b):
        return date_range(a)[0] <= date_range(b)[1] and date_range(b)[0] <= date_range(a)[1]

    found = set()
    for i, a in enumerate(claims):
        for b in claims[i + 1:]:
            for qa in a["quantities"]:
                for qb in b["quantities"]:
                    when_a, when_b = qa["as_of"] or a["said_on"], qb["as_of"] or b["said_on"]
                    if (qa["measure"] and qa["measure"] == qb["measure"] and qa["unit"] == qb["unit"]
                            and when_a and when_b and ranges_overlap(when_a, when_b) and cannot_both_hold(qa, qb)):
                        found.add(frozenset((a["id"], b["id"])))
    return found


def test_grouped_search_finds_exactly_the_brute_force_pairs():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    dates = st.sampled_from(["2024", "2025", "2025-03", "2025-04", "2025-03-01", "2025-03-31", "2025-04-01", None])
    figure = st.builds(q, value=st.sampled_from([-10, 0, 1, 90, 95, 100, 104, 105, 106, 115, 118, 130, 1000]),
                       measure=st.sampled_from(["m", "n"]),
                       qualifier=st.sampled_from(["exact", "approx", "at-least", "at-most"]),
                       as_of=st.sampled_from([None, None, "2025", "2025-03-15"]))

    @settings(max_examples=examples(300), deadline=None)
    @given(st.lists(st.tuples(dates, st.lists(figure, max_size=2)), max_size=12))
    def check(specs):
        claims = [claim(f"g{i:06d}", said_on=when, quantities=figures) for i, (when, figures) in enumerate(specs)]
        found = {frozenset((p["a"]["id"], p["b"]["id"])) for p in find_contradictions(claims, ["numeric"])}
        assert found == brute_force(claims)

    check()
