"""SPEC section 4: each contradicting pair reported once with every kind it has; --within."""

from functools import partial

from hypothesis import given, settings
from hypothesis import strategies as st

from natoclaims.engines.contradictions import days_apart, find_contradictions
from tests import factories
from tests.conftest import examples
from tests.factories import figure as q  # troops, of the measure us-troops-germany, exact
from tests.factories import link as contradicts
from tests.factories import stance

claim = partial(factories.claim, text="troops will leave germany soon", topics=("troops",))


def test_a_pair_linked_numeric_and_in_a_stance_dispute_is_reported_once_with_every_kind():
    a = claim("a1", actor="Donald Trump", quantities=[q(35000)], stances=[stance("for")], links=[contradicts("b2")])
    b = claim("b2", actor="Mark Rutte", said_on="2025-03-20", quantities=[q(12000)], stances=[stance("against")])
    (pair,) = find_contradictions([a, b])
    assert pair["kind"] == "linked" and pair["kinds"] == ["linked", "numeric", "stance"]
    assert pair["subkind"] == "dispute" and pair["measure"] == "us-troops-germany"
    assert pair["positions"] == ["for", "against"]
    assert {"kind", "detail", "a", "b", "subkind"} <= set(pair)
    for kind in ("linked", "numeric", "stance"):  # --kind matches any of them
        assert [p["kinds"] for p in find_contradictions([a, b], [kind])] == [["linked", "numeric", "stance"]]
    assert find_contradictions([a, b], ["possible"]) == []


def test_five_stances_on_one_proposition_are_six_pairs_and_two_sides():
    claims = [claim(f"f{i}", actor=f"For {i}", stances=[stance("for")]) for i in range(2)]
    claims += [claim(f"g{i}", actor=f"Against {i}", stances=[stance("against")]) for i in range(3)]
    pairs = find_contradictions(claims)
    assert len(pairs) == 6 and {p["subkind"] for p in pairs} == {"dispute"}
    from natoclaims.render import dispute_sides

    sides = dispute_sides(pairs)["us-defends-all-allies"]
    assert sorted(sides["for"]) == ["f0", "f1"] and sorted(sides["against"]) == ["g0", "g1", "g2"]


def test_days_apart_by_precision():
    assert days_apart(claim("x", said_on="2025-03"), claim("y", said_on="2025-03-31")) == 0
    assert days_apart(claim("x", said_on="2025-03"), claim("y", said_on="2025-05-01")) == 31
    assert days_apart(claim("x", said_on="2025-05-01"), claim("y", said_on="2025-03")) == 31
    assert days_apart(claim("x", said_on="2024"), claim("y", said_on="2025-01-10")) == 10
    assert days_apart(claim("x", said_on=None), claim("y", said_on="2025")) is None


def test_within_keeps_pairs_said_close_together():
    claims = [claim("a1", actor="X", said_on="2025-03-01", stances=[stance("for")]),
              claim("b2", actor="Y", said_on="2025-03-20", stances=[stance("against")]),
              claim("c3", actor="Z", said_on="2025-09-01", stances=[stance("against")]),
              claim("d4", actor="W", said_on=None, stances=[stance("against")])]
    assert len(find_contradictions(claims)) == 3
    assert [(p["a"]["id"], p["b"]["id"]) for p in find_contradictions(claims, within=30)] == [("a1", "b2")]
    assert len(find_contradictions(claims, within=184)) == 2  # never the undated one
    assert find_contradictions(claims, within=0) == []


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["2025-01", "2025-02", "2025"]),
                          st.sampled_from([None, 10, 20, 40]), st.sampled_from([None, "for", "against"]),
                          st.integers(0, 9)), min_size=2, max_size=12))
def test_each_pair_reported_once_with_its_kinds_in_order(rows):
    claims = []
    for i, (actor, said_on, value, position, target) in enumerate(rows):
        links = [contradicts(f"c{target:02d}")] if target < len(rows) and target != i else []
        claims.append(claim(f"c{i:02d}", actor=actor, said_on=said_on, quantities=[q(value)] if value else [],
                            stances=[stance(position)] if position else [], links=links))
    pairs = find_contradictions(claims, ["linked", "numeric", "stance", "possible"])
    keys = [frozenset((p["a"]["id"], p["b"]["id"])) for p in pairs]
    assert len(keys) == len(set(keys))  # each pair once
    order = ["linked", "numeric", "stance", "possible"]
    for pair in pairs:
        assert pair["kind"] == pair["kinds"][0] and pair["kinds"] == sorted(set(pair["kinds"]), key=order.index)
        assert not {"numeric", "possible"} <= set(pair["kinds"])
        assert pair["a"]["id"] != pair["b"]["id"]
    confirmed = {frozenset((p["a"]["id"], p["b"]["id"])) for kind in order[:3] for p in find_contradictions(claims, [kind])}
    assert confirmed == {k for k, p in zip(keys, pairs, strict=True) if set(p["kinds"]) & set(order[:3])}
