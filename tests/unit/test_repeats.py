"""SPEC section 4: repeats, the same claim said again by one actor, clustered without pairing every claim."""

from functools import partial

from hypothesis import given, settings
from hypothesis import strategies as st

from natoclaims.engines.repeats import clusters, repeats_of, says_the_same
from natoclaims.formats.claimreview import claim_reviews
from tests import factories
from tests.conftest import examples

claim = partial(factories.claim, actor="Donald Trump", status="unverified", sourced=True)


def pct(value):
    return {"value": value, "unit": "%", "measure": None, "qualifier": "exact", "as_of": None}


NINETY = "We pay 90% of the cost of NATO, and they pay nothing."


def test_near_identical_wording_by_one_actor_is_a_repeat():
    a = claim("a1", NINETY, quantities=[pct(90)])
    b = claim("b2", "We pay 90 % of the cost of NATO and they pay nothing!", quantities=[pct(90)])
    assert says_the_same(a, b)
    assert not says_the_same(a, {**b, "actor": "Mark Rutte"})


def test_same_words_with_other_figures_are_not_a_repeat_but_a_contradiction():
    a = claim("a1", NINETY, quantities=[pct(90)])
    b = claim("b2", NINETY.replace("90", "70"), quantities=[pct(70)])
    assert not says_the_same(a, b)


def test_same_figures_in_looser_wording_are_a_repeat_other_wording_is_not():
    a = claim("a1", NINETY, quantities=[pct(90)])
    b = claim("b2", "The US pays 90% of the cost of NATO, they pay nothing", quantities=[pct(90)])
    c = claim("c3", "Germany pays 90% of its gas bill to Russia", quantities=[pct(90)])
    assert says_the_same(a, b)
    assert not says_the_same(a, c)


def test_a_duplicates_link_joins_claims_in_any_wording():
    a = claim("a1", NINETY, links=[{"to": "b2", "relation": "duplicates", "note": None}])
    b = claim("b2", "NATO is obsolete")
    assert says_the_same(a, b) and says_the_same(b, a)
    assert [c["claims"] for c in clusters([a, b])] == [["a1", "b2"]]


def test_clusters_count_dates_statuses_largest_first():
    said = [claim(f"t{i}", NINETY + " " * (i % 2), said_on=f"2025-0{i + 1}", status="false" if i else "unverified",
                  quantities=[pct(90)]) for i in range(5)]
    other = [claim("r1", "NATO is obsolete", said_on="2016-03"), claim("r2", "NATO is obsolete.", said_on="2017-01",
                                                                     status="misleading")]
    alone = claim("x1", "Article 5 is a commitment we will honour")
    found = clusters([*other, alone, *said])
    assert [c["count"] for c in found] == [5, 2]
    top = found[0]
    assert top == {"actor": "Donald Trump", "count": 5, "first": "2025-01", "last": "2025-05",
                   "statuses": {"false": 4, "unverified": 1}, "claims": ["t0", "t1", "t2", "t3", "t4"],
                   "text": said[0]["text"]}
    assert found[1]["statuses"] == {"misleading": 1, "unverified": 1}
    assert [c["claims"] for c in clusters([alone, *other], min_count=1)] == [["r1", "r2"], ["x1"]]


def test_many_repeats_are_found_through_neighbours_not_all_pairs():
    # 300 wordings of one claim, shuffled among 300 unrelated ones: one cluster of all 300.
    wordings = [f"We pay for NATO, we pay far too much, number {i // 10} of {i % 10} times." for i in range(300)]
    noise = [f"Claim {i}: {' '.join(['alliance', 'troops', 'budget'][j % 3] * (i % 7 + 1) for j in range(i % 5 + 1))}"
             for i in range(300)]
    claims = [claim(f"w{i:03d}", t, quantities=[]) for i, t in enumerate(wordings)]
    claims += [claim(f"n{i:03d}", t, actor="Mark Rutte") for i, t in enumerate(noise)]
    found = clusters(claims)
    assert found[0]["count"] == 300 and all(c["actor"] == "Mark Rutte" for c in found[1:])


def test_claimreview_lists_repeats_as_appearances_and_the_earliest_first():
    late = claim("z9", NINETY, said_on="2025-06", status="false", quantities=[pct(90)], url="https://late.org/x")
    early = claim("a1", NINETY + " ", said_on="2018-07", quantities=[pct(90)], url="https://early.org/x")
    review = claim_reviews([late], "Desk", None, repeats=repeats_of([late, early]))[0]
    item = review["itemReviewed"]
    assert [w["url"] for w in item["appearance"]] == ["https://early.org/x", "https://late.org/x"]
    assert item["firstAppearance"]["url"] == "https://early.org/x"
    alone = claim_reviews([late], "Desk", None)[0]["itemReviewed"]
    assert alone["firstAppearance"]["url"] == "https://late.org/x" and len(alone["appearance"]) == 1


TEXTS = st.sampled_from([NINETY, NINETY + "!", "NATO is obsolete", "NATO is obsolete.", "Article 5 stands",
                         "We will defend every inch", "We will defend every inch of NATO territory"])


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.tuples(TEXTS, st.sampled_from(["A", "B"]), st.integers(0, 9)), max_size=25),
       st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24)), max_size=5))
def test_clustering_is_a_partition_of_one_actor_clusters(rows, links):
    claims = [claim(f"c{i:02d}", text, actor=actor, said_on=f"2020-0{day % 9 + 1}") for i, (text, actor, day) in enumerate(rows)]
    for x, y in links:
        if x < len(claims) and y < len(claims):
            claims[x]["links"].append({"to": claims[y]["id"], "relation": "duplicates", "note": None})
    found = clusters(claims, min_count=1)
    members = [cid for c in found for cid in c["claims"]]
    assert sorted(members) == sorted(c["id"] for c in claims)  # every claim exactly once
    by_id = {c["id"]: c for c in claims}
    for group in found:
        assert {by_id[i]["actor"] for i in group["claims"]} == {group["actor"]}
        assert group["count"] == len(group["claims"])
    where = {cid: n for n, c in enumerate(found) for cid in c["claims"]}
    for a in claims:  # the same words by one actor are always together
        for b in claims:
            if a["actor"] == b["actor"] and a["text"] == b["text"]:
                assert where[a["id"]] == where[b["id"]]
            # Few claims, and wordings that share a start or an end: every such pair is compared.
            if says_the_same(a, b) and len(claims) <= 5:
                assert where[a["id"]] == where[b["id"]]
    assert [c["count"] for c in found] == sorted((c["count"] for c in found), reverse=True)
