"""Properties of the pure engines, checked by Hypothesis against definitions written out here."""

from hypothesis import given
from hypothesis import strategies as st

sort_claim = st.fixed_dictionaries({
    "id": st.text("abc", min_size=1, max_size=3), "actor": st.sampled_from(["Trump", "Rutte", "Vance"]),
    "said_on": st.none() | st.sampled_from(["2025", "2025-03", "2025-03-02", "2024"]),
    "status": st.sampled_from(["unverified", "false", "verified"]), "created_at": st.sampled_from(["t1", "t2"]),
})


@given(claims=st.lists(sort_claim, unique_by=lambda c: c["id"]), by=st.sampled_from(["date", "actor", "status", "created"]),
       reverse=st.booleans())
def test_sort_passes_equal_one_sort_on_the_whole_key(claims, by, reverse):
    from natoclaims.search import SORTERS, sort_claims

    def whole_key(claim):
        return (*(key(claim) for key in SORTERS[by]), claim["id"])

    assert sort_claims(claims, by, reverse) == sorted(claims, key=whole_key, reverse=reverse)
