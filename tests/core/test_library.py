"""The library as a Python user calls it: the public API, composed changes, the memory twin."""

from __future__ import annotations

import pytest

import natoclaims
from natoclaims import Filters, add_claim, edit_claim, find, open_store, set_status, undo
from natoclaims.errors import NotFound
from natoclaims.store import Store, read_file


def test_the_readme_example_in_five_lines(tmp_path):
    store = open_store(tmp_path / "claims.json", user="ana")
    with store.writing():
        first = add_claim(store, "Some 35,000 troops will leave Germany", actor="Trump", sources=["https://e.org/a"])
        add_claim(store, "We are not leaving Germany", actor="Pete Hegseth", sources=["https://e.org/b"])
    assert [c["id"] for c in find(store, Filters(actors=("Trump",)))] == [first.claim["id"]]
    on_disk = read_file(tmp_path / "claims.json")
    assert len(on_disk["claims"]) == 2 and set(on_disk["actors"]) == {"Trump", "Pete Hegseth"}


def test_several_calls_in_one_writing_are_one_change_set_that_undo_reverts(tmp_path):
    store = open_store(tmp_path / "claims.json")
    with store.writing():
        claim = add_claim(store, "Five percent of GDP", actor="Mark Rutte", sources=["https://e.org/a"]).claim
        edit_claim(store, claim["id"], context="at the Hague summit", why="from the transcript")
        set_status(store, [claim["id"]], "verified", note="checked")
    entries, problems = store.journal.entries()
    assert len(entries) == 1 and not problems
    assert store.get(claim["id"])["status"] == "verified"
    undo(store)
    assert store.claims == {}


def test_find_leaves_the_callers_filters_alone_and_filters_cannot_change(tmp_path):
    store = open_store(tmp_path / "claims.json")
    add_claim(store, "Text", actor="A", sources=["https://e.org/a"])
    filters = Filters(topics=("troops",))
    find(store, filters, has_contradictions=True)
    assert filters == Filters(topics=("troops",))
    with pytest.raises(AttributeError):
        filters.only_ids = frozenset()  # type: ignore[misc]


def test_the_memory_twin_behaves_like_a_file_store(tmp_path):
    results = []
    for store in (Store(None, user="t"), Store(tmp_path / "claims.json", user="t")):
        with store.writing():
            a = add_claim(store, "Some 35,000 troops", actor="Trump", sources=["https://e.org/a"], topics=["troops"])
            add_claim(store, "No troops will move", actor="Trump", sources=["https://e.org/b"])
        natoclaims.link(store, a.claim["id"], "contradicts", find(store, Filters(query="move"))[0]["id"])
        results.append((len(store.claims), [len(store.journal.entries()[0])],
                        sorted(c["text"] for c in find(store, Filters(topics=("troops",))))))
        undo(store)
        results.append(len(store.claims[a.claim["id"]]["links"]))
    assert results[0] == results[2] and results[1] == results[3] == 0
    with pytest.raises(NotFound):
        Store(None).get("zzzzzzzz")


def test_the_public_api_is_listed_and_loads_lazily():
    assert {"open_store", "Store", "add_claim", "find", "Filters", "NatoclaimsError", "ExitStatus"} <= set(natoclaims.__all__)
    for name in natoclaims.__all__:
        assert getattr(natoclaims, name) is not None
    with pytest.raises(AttributeError):
        natoclaims.nothing_here  # noqa: B018


def test_the_readme_development_example_runs_as_shown(tmp_path, monkeypatch, capsys):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    example = readme.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "README.md", "exec"), {})
    assert capsys.readouterr().out == "['Some 35,000 troops will leave Germany']\n"
    entries, _ = open_store(tmp_path / "claims.json").journal.entries()
    assert len(entries) == 1 and len(entries[0]["changes"]) == 6  # two claims, two new actors, two sources: one change set
