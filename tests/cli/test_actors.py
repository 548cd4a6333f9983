"""Actors as records: types, rename, merge, edit, rm, each one change set; near names on `add`."""

from __future__ import annotations

import csv
import io

import pytest

from natoclaims.store import read_file
from tests.conftest import add, assert_refused, built_once, cli
from tests.factories import NEAR_NONE, WORDS_OF_ONE_ACTOR


def records(db):
    """Claims and actors as undo restores them: a claim's history and update time keep the audit trail."""
    data = read_file(db)
    claims = {i: {k: v for k, v in c.items() if k not in ("history", "updated_at")} for i, c in data["claims"].items()}
    return claims, data["actors"]


def change_sets(db) -> int:
    return len(cli("log", "-f", "json").json())


@pytest.fixture
def cast(empty_store, request, isolated):
    """Three actors and three claims: two by Donald Trump (one given as an alias), one by Mark Rutte."""
    def build():
        assert cli("actor", "add", "Donald Trump", "--alias", "Trump", "--role", "US President").code == 0
        assert cli("actor", "add", "Mark Rutte", "--alias", "Rutte", "--role", "NATO Secretary General").code == 0
        assert cli("actor", "add", "White House", "--type", "government").code == 0
        trump = [add(text="Some 35,000 troops will leave Germany"), add(text="NATO is obsolete", actor="Trump")]
        rutte = [add(text="Allies will spend 5% of GDP on defence", actor="Mark Rutte")]
        return trump, rutte

    return built_once(request, isolated, build)


def actor_of(claim_id: str) -> str:
    return cli("show", claim_id, "-f", "json").json()[0]["actor"]


# -- add and list ---------------------------------------------------------------------------------


def test_actor_add_records_a_type_and_defaults_to_person(empty_store):
    assert cli("actor", "add", "Reuters", "--type", "media").code == 0
    assert cli("actor", "add", "Pete Hegseth", "--alias", "Hegseth").code == 0
    assert cli("actor", "add", "Kremlin", "--type", "GOVERNMENT").code == 0  # choices ignore case
    actors = read_file(empty_store)["actors"]
    assert actors["Reuters"] == {"name": "Reuters", "aliases": [], "role": None, "type": "media"}
    assert actors["Pete Hegseth"] == {"name": "Pete Hegseth", "aliases": ["Hegseth"], "role": None, "type": "person"}
    assert actors["Kremlin"]["type"] == "government"


def test_an_actor_made_by_add_is_a_person_record(empty_store):
    add(actor="Pedro Sánchez")
    assert read_file(empty_store)["actors"]["Pedro Sánchez"] == {
        "name": "Pedro Sánchez", "aliases": [], "role": None, "type": "person"}


def test_actors_lists_the_type_after_the_role_in_every_format(cast):
    rows = cli("actors", "-f", "json").json()
    assert rows[0] == {"name": "Donald Trump", "aliases": ["Trump"], "role": "US President", "type": "person",
                       "claims": 2}
    assert [r["type"] for r in rows] == ["person", "person", "government"]
    jsonl = cli("actors", "-f", "jsonl").stdout.splitlines()
    assert '"type":"government"' in jsonl[2]
    table = list(csv.reader(io.StringIO(cli("actors", "-f", "csv").stdout)))
    assert table[0] == ["name", "aliases", "role", "type", "claims"]
    assert table[3] == ["White House", "", "", "government", "0"]
    assert cli("actors", "-f", "tsv").stdout.splitlines()[1] == "Mark Rutte\tRutte\tNATO Secretary General\tperson\t1"
    assert cli("actors", "-f", "ids").stdout.splitlines() == ["Donald Trump", "Mark Rutte", "White House"]
    rendered = cli("actors", "-f", "table").stdout
    header = next(line for line in rendered.splitlines() if "Name" in line)
    assert header.index("Role") < header.index("Type") < header.index("Claims")
    assert "government" in rendered


# -- rename -------------------------------------------------------------------------------------


def test_rename_repoints_every_claim_with_history_and_keeps_the_old_name_as_an_alias(cast, empty_store):
    trump, rutte = cast
    before = change_sets(empty_store)
    result = cli("actor", "rename", "Donald Trump", "Donald J. Trump")
    assert result.code == 0, result
    assert "2 claims re-pointed" in result.stderr
    actors = read_file(empty_store)["actors"]
    assert "Donald Trump" not in actors
    assert actors["Donald J. Trump"] == {"name": "Donald J. Trump", "aliases": ["Donald Trump", "Trump"],
                                         "role": "US President", "type": "person"}
    for claim_id in trump:
        claim = cli("show", claim_id, "-f", "json").json()[0]
        assert claim["actor"] == "Donald J. Trump"
        assert {k: claim["history"][-1][k] for k in ("field", "old", "new", "by")} == {
            "field": "actor", "old": "Donald Trump", "new": "Donald J. Trump", "by": "tester"}
    assert actor_of(rutte[0]) == "Mark Rutte"
    assert change_sets(empty_store) == before + 1
    # The old name still finds the claims, and a new claim by it goes to the renamed actor.
    assert sorted(cli("search", "--actor", "Donald Trump", "-f", "ids").stdout.split()) == sorted(trump)
    assert actor_of(add(text="A third thing", actor="Donald Trump")) == "Donald J. Trump"


def test_rename_by_an_alias_and_onto_its_own_alias(cast, empty_store):
    _, rutte = cast
    assert cli("actor", "rename", "rutte", "Rutte").code == 0  # an alias of the same actor becomes its name
    actors = read_file(empty_store)["actors"]
    assert actors["Rutte"]["aliases"] == ["Mark Rutte"] and "Mark Rutte" not in actors
    assert actor_of(rutte[0]) == "Rutte"


def test_rename_that_only_changes_case_keeps_no_alias_of_the_same_spelling(cast, empty_store):
    assert cli("actor", "rename", "White House", "white house").code == 0
    assert read_file(empty_store)["actors"]["white house"]["aliases"] == []


# -- merge --------------------------------------------------------------------------------------


def test_merge_repoints_claims_moves_names_and_removes_the_actor(cast, empty_store):
    trump, rutte = cast
    add(text="Troops stay", actor="President Trump")  # resolves to Donald Trump: no new actor
    assert cli("actor", "add", "Donald J. Trump", "--alias", "DJT").code == 0
    before = change_sets(empty_store)
    result = cli("actor", "merge", "Trump", "Donald J. Trump")
    assert result.code == 0, result
    assert "merged Donald Trump into Donald J. Trump" in result.stderr
    actors = read_file(empty_store)["actors"]
    assert "Donald Trump" not in actors
    assert actors["Donald J. Trump"] == {"name": "Donald J. Trump", "aliases": ["DJT", "Donald Trump", "Trump"],
                                         "role": "US President", "type": "person"}  # the role it lacked
    claims = read_file(empty_store)["claims"]
    by_trump = [c for c in claims.values() if c["actor"] == "Donald J. Trump"]
    assert len(by_trump) == 3 and set(trump) <= {c["id"] for c in by_trump}
    assert all(c["history"][-1]["field"] == "actor" and c["history"][-1]["old"] == "Donald Trump" for c in by_trump)
    assert claims[rutte[0]]["actor"] == "Mark Rutte"
    assert change_sets(empty_store) == before + 1


def test_merge_keeps_the_role_and_type_of_the_actor_that_stays(cast, empty_store):
    assert cli("actor", "merge", "White House", "Donald Trump").code == 0
    assert read_file(empty_store)["actors"]["Donald Trump"] == {
        "name": "Donald Trump", "aliases": ["Trump", "White House"], "role": "US President", "type": "person"}


# -- edit and rm --------------------------------------------------------------------------------


def test_edit_sets_and_clears_the_role_and_sets_the_type(cast, empty_store):
    assert cli("actor", "edit", "Rutte", "--role", "Secretary General", "--type", "organization").code == 0
    actor = read_file(empty_store)["actors"]["Mark Rutte"]
    assert actor["role"] == "Secretary General" and actor["type"] == "organization"
    assert cli("actor", "edit", "Mark Rutte", "--role", "").code == 0
    actor = read_file(empty_store)["actors"]["Mark Rutte"]
    assert actor["role"] is None and actor["type"] == "organization"
    before = empty_store.read_bytes()
    same = cli("actor", "edit", "Mark Rutte", "--type", "organization")
    assert same.code == 0 and "nothing changed" in same.stderr
    assert empty_store.read_bytes() == before


def test_rm_deletes_an_actor_without_claims(cast, empty_store):
    result = cli("actor", "rm", "white house")
    assert result.code == 0 and "deleted actor White House" in result.stderr
    assert "White House" not in read_file(empty_store)["actors"]


def test_rm_of_an_actor_with_claims_names_them_and_suggests_merge(cast, empty_store):
    trump, _ = cast
    for n in range(3):
        add(text=f"claim number {n} about something else", actor="Trump")
    before = empty_store.read_bytes()
    result = cli("actor", "rm", "Donald Trump")
    assert result.code == 1 and result.stderr.count("\n") == 1
    assert "5 claims" in result.stderr and "actor merge 'Donald Trump'" in result.stderr
    ids = [i for i in read_file(empty_store)["claims"] if i in result.stderr]
    assert len(ids) == 3 and ", ..." in result.stderr  # a few ids, not all five
    assert empty_store.read_bytes() == before


# -- undo ---------------------------------------------------------------------------------------

CHANGES = [
    ["actor", "rename", "Donald Trump", "Donald J. Trump"],
    ["actor", "merge", "Trump", "Mark Rutte"],
    ["actor", "edit", "Rutte", "--role", "", "--type", "group"],
    ["actor", "rm", "White House"],
]


@pytest.mark.parametrize("args", CHANGES, ids=[" ".join(a[:2]) for a in CHANGES])
def test_undo_reverts_each_actor_change_as_a_whole(cast, empty_store, args):
    start = records(empty_store)
    assert cli(*args).code == 0
    assert records(empty_store) != start
    undone = cli("undo", "--yes")
    assert undone.code == 0, undone
    assert records(empty_store) == start
    assert cli("redo", "--yes").code == 0  # redo does it again
    assert records(empty_store) != start


# -- bad input ----------------------------------------------------------------------------------

BAD = [
    (["actor", "rename", "Nobody Known", "Somebody"], "no actor named 'Nobody Known'"),
    (["actor", "rename", "Mark Rutte", "Donald Trump"], "already names the actor 'Donald Trump'"),
    (["actor", "rename", "Mark Rutte", "trump"], "already names the actor 'Donald Trump'"),  # an alias
    (["actor", "rename", "Mark Rutte", "Mark Rutte"], "already the name"),
    (["actor", "rename", "Mark Rutte", "  "], "empty new actor name"),
    (["actor", "merge", "Nobody Known", "Mark Rutte"], "no actor named 'Nobody Known'"),
    (["actor", "merge", "Mark Rutte", "Nobody Known"], "no actor named 'Nobody Known'"),
    (["actor", "merge", "Donald Trump", "Donald Trump"], "same actor"),
    (["actor", "merge", "Trump", "Donald Trump"], "same actor"),
    (["actor", "edit", "Nobody Known", "--role", "x"], "no actor named 'Nobody Known'"),
    (["actor", "edit", "Mark Rutte"], "nothing to change"),
    (["actor", "edit", "Mark Rutte", "--type", "robot"], "Invalid value for '--type'"),
    (["actor", "add", "Jens Stoltenberg", "--type", "robot"], "Invalid value for '--type'"),
    (["actor", "rm", "Nobody Known"], "no actor named 'Nobody Known'"),
    (["actor", "rm", "Mark Rutte"], "is the actor of 1 claim ("),
    (["add", "x", "--actor", "A", "--actor", "B", "--source", "https://a.org"], "--actor given 2 times"),
    (["add", "x", "-a", "Mark Rutte", "--actor", "Mark Rutte", "--source", "https://a.org"], "--actor given 2 times"),
]


@pytest.mark.parametrize("args, reason", BAD, ids=[" ".join(a)[:60] for a, _ in BAD])
def test_bad_input_is_refused_cleanly(cast, empty_store, args, reason):
    before = empty_store.read_bytes()
    result = cli(*args)
    assert_refused(result, reason)
    assert empty_store.read_bytes() == before


def test_usage_errors_exit_2_and_value_errors_exit_1(cast):
    assert cli("add", "x", "--actor", "A", "--actor", "B", "--source", "https://a.org").code == 2
    assert cli("actor", "edit", "Mark Rutte").code == 2
    assert cli("actor", "edit", "Mark Rutte", "--type", "robot").code == 2
    assert cli("actor", "merge", "Mark Rutte", "Mark Rutte").code == 1
    assert cli("actor", "rename", "Mark Rutte", "Trump").code == 1
    assert cli("actor", "rm", "Mark Rutte").code == 1


# -- near names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name, meant", [
    ("Marc Rutte", "Mark Rutte"),  # a typo
    ("Mark Rute", "Mark Rutte"),
    ("J. D. Vance", "JD Vance"),  # punctuation
    ("POTUS 47", "Donald Trump"),  # has every word of an alias
])
def test_a_new_actor_close_to_a_known_one_says_which(empty_store, name, meant):
    for known in ("Mark Rutte", "Jens Stoltenberg", "Pete Hegseth", "JD Vance"):
        assert cli("actor", "add", known).code == 0
    assert cli("actor", "add", "Donald Trump", "--alias", "POTUS").code == 0
    result = cli("add", "--actor", name, "--source", "https://a.org", "Some words")
    assert result.code == 0, result
    assert f"new actor: {name} (did you mean {meant}?)" in result.stderr


@pytest.mark.parametrize("name, known", NEAR_NONE)
def test_a_new_actor_not_close_to_any_gets_no_suggestion(empty_store, name, known):
    for each in known:
        assert cli("actor", "add", each).code == 0
    result = cli("add", "--actor", name, "--source", "https://a.org", "Some words")
    assert result.code == 0, result
    assert result.stderr == f"new actor: {name}\n"


def test_a_known_name_or_alias_is_not_a_new_actor_and_gets_no_suggestion(cast):
    result = cli("add", "--actor", "Rutte", "--source", "https://a.org", "Other words entirely")
    assert result.code == 0 and "new actor" not in result.stderr and "did you mean" not in result.stderr


def test_edit_actor_to_a_new_name_also_says_what_it_is_close_to(cast):
    trump, _ = cast
    result = cli("edit", trump[0], "--actor", "Mark Ruttte")
    assert result.code == 0, result
    assert "new actor: Mark Ruttte (did you mean Mark Rutte?)" in result.stderr


def test_new_actor_makes_an_actor_that_a_known_one_is_close_to(empty_store):
    assert cli("actor", "add", "Mark Rutte").code == 0
    assert cli("actor", "add", "Mark Carney").code == 0
    result = cli("add", "--actor", "Mark", "--new-actor", "--source", "https://a.org", "Some words")
    assert result.code == 0, result
    assert "new actor: Mark (did you mean Mark Carney or Mark Rutte?)" in result.stderr


# -- a word of one actor's name is that actor (SPEC 1, issue 24.3) --------------------------------


@pytest.mark.parametrize("name, actor", WORDS_OF_ONE_ACTOR)
def test_add_resolves_a_word_of_one_actor_as_search_does(empty_store, name, actor):
    for known in ("Mark Rutte", "Pete Hegseth"):
        assert cli("actor", "add", known).code == 0
    assert cli("actor", "add", "Donald Trump", "--alias", "POTUS").code == 0
    result = cli("add", "--actor", name, "--source", "https://a.org", "Some words")
    assert result.code == 0 and result.stderr == "", result
    assert cli("show", result.stdout.strip(), "-f", "json").json()[0]["actor"] == actor
    assert len(cli("actors", "-f", "json").json()) == 3


def test_edit_and_import_resolve_a_word_of_one_actor(cast, empty_store, tmp_path):
    trump, _ = cast
    assert cli("edit", trump[0], "--actor", "mark").code == 0
    (tmp_path / "in.jsonl").write_text('{"text": "x", "actor": "DONALD", "sources": [{"url": "https://a.org"}]}\n')
    assert cli("import", str(tmp_path / "in.jsonl")).code == 0
    actors = {c["text"]: c["actor"] for c in cli("search", "-f", "json").json()}
    assert actors["x"] == "Donald Trump"
    assert cli("show", trump[0], "-f", "json").json()[0]["actor"] == "Mark Rutte"
    assert trump[0] in cli("search", "--actor", "mark", "-f", "ids").stdout.split()


def test_a_word_of_several_actors_is_refused_with_their_names(empty_store, tmp_path):
    assert cli("actor", "add", "Mark Rutte").code == 0
    assert cli("actor", "add", "Mark Carney").code == 0
    before = empty_store.read_bytes()
    assert_refused(cli("add", "--actor", "mark", "--source", "https://a.org", "Some words"),
                   "could be Mark Carney or Mark Rutte")
    (tmp_path / "in.jsonl").write_text('{"text": "x", "actor": "Mark", "sources": [{"url": "https://a.org"}]}\n')
    assert_refused(cli("import", str(tmp_path / "in.jsonl")), "could be Mark Carney or Mark Rutte")
    assert empty_store.read_bytes() == before
