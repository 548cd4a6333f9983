"""`resolve` over random conflicts: whatever side each conflict is settled for, the store passes `check`."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natoclaims import core
from natoclaims.errors import NatoclaimsError
from natoclaims.store import Store
from tests.conftest import examples

ACTORS = ("Mark Rutte", "Pete Hegseth")
URLS = ("https://www.nato.int/a", "https://www.defense.gov/b", "https://example.org/c")


def base_store(path: Path) -> list[str]:
    """Three claims by two actors citing two of three sources; their ids."""
    store = Store(path)
    ids = [core.add_claim(store, f"Claim number {n}", actor=ACTORS[n % 2], sources=[URLS[n % 2]]).claim["id"]
           for n in range(3)]
    core.add_source(store, URLS[2], title="Unused")
    return ids


change = st.one_of(
    st.tuples(st.just("context"), st.integers(0, 2), st.sampled_from(["at the summit", "told reporters"])),
    st.tuples(st.just("rm"), st.integers(0, 2), st.none()),
    st.tuples(st.just("review"), st.integers(0, 2), st.sampled_from(["verified", "false"])),
    st.tuples(st.just("title"), st.integers(0, 2), st.sampled_from(["Ours", "Theirs"])),
    st.tuples(st.just("rm-source"), st.integers(0, 2), st.none()),
    st.tuples(st.just("rm-actor"), st.integers(0, 1), st.none()),
    st.tuples(st.just("role"), st.integers(0, 1), st.sampled_from(["Secretary General", "Secretary"])),
    st.tuples(st.just("add"), st.integers(0, 1), st.integers(0, 2)),
)


def apply(store: Store, ids: list[str], sources: list[str], step: tuple) -> None:
    """One change a teammate may make; one the store refuses (an actor with claims) is no change."""
    what, n, value = step
    try:
        if what == "context":
            core.edit_claim(store, ids[n], context=value)
        elif what == "rm":
            core.remove_claims(store, [ids[n]])
        elif what == "review":
            core.review(store, [ids[n]], value)
        elif what == "title":
            core.edit_source(store, sources[n], title=value)
        elif what == "rm-source":
            core.remove_source(store, sources[n])
        elif what == "rm-actor":
            core.remove_claims(store, [i for i in ids if i in store.claims and store.claims[i]["actor"] == ACTORS[n]])
            core.remove_actor(store, ACTORS[n])
        elif what == "role":
            core.edit_actor(store, ACTORS[n], role=value)
        else:
            core.add_claim(store, f"New claim by {ACTORS[n]}", actor=ACTORS[n], sources=[sources[value]])
    except NatoclaimsError:
        pass


@pytest.mark.slow
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ours=st.lists(change, max_size=4), theirs=st.lists(change, max_size=4), data=st.data())
def test_every_resolution_leaves_a_store_that_passes_check(isolated, ours, theirs, data) -> None:
    folder = isolated / f"m{len(list(isolated.glob('m*')))}"
    for side in ("base", "ours", "theirs", "live"):
        (folder / side).mkdir(parents=True)
    ids = base_store(folder / "base" / "claims.json")
    sources = sorted(Store(folder / "base" / "claims.json").sources)
    for side, steps in (("ours", ours), ("theirs", theirs)):
        path = folder / side / "claims.json"
        path.write_bytes((folder / "base" / "claims.json").read_bytes())
        for step in steps:
            apply(Store(path), ids, sources, step)
    live = folder / "live" / "claims.json"
    live.write_bytes((folder / "ours" / "claims.json").read_bytes())
    conflicts = core.merge_files(folder / "base" / "claims.json", live, folder / "theirs" / "claims.json")
    assert core.check_store(Store(live)) == [f"{c['key']}: open merge conflict over {c['field']!r} of this "
                                            f"{c['table'][:-1]} (see open_conflicts; settle it with resolve)"
                                            for c in conflicts]
    for conflict in conflicts:
        side = data.draw(st.sampled_from(["ours", "theirs"]))
        core.resolve(Store(live), conflict["key"], conflict["field"], side=side)
    assert core.check_store(Store(live)) == []
