"""`check` names what a merge or a hand edit can leave behind that `add` and `actor alias` refuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import add, cli


def edited(db: Path, change) -> None:
    data = json.loads(db.read_text())
    change(data)
    db.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def test_check_names_two_identical_claims(empty_store) -> None:
    first = add(text="NATO is stronger than ever", actor="Mark Rutte")
    edited(empty_store, lambda d: d["claims"].update(zzzz1234={**d["claims"][first], "id": "zzzz1234"}))
    checked = cli("check")
    assert checked.code == 1
    assert f"zzzz1234: the same claim as {first} (same actor, text and date)" in checked.stdout


def test_check_names_an_alias_of_two_actors(empty_store) -> None:
    assert cli("actor", "add", "Pete Hegseth", "--alias", "Secretary").code == 0
    assert cli("actor", "add", "Marco Rubio").code == 0
    edited(empty_store, lambda d: d["actors"]["Marco Rubio"].update(aliases=["Secretary"]))
    checked = cli("check")
    assert checked.code == 1
    assert "actor 'Pete Hegseth': its alias 'Secretary' also names the actor 'Marco Rubio'" in checked.stdout


def first_claim(data: dict) -> dict:
    return next(iter(data["claims"].values()))


@pytest.mark.parametrize("change, problem", [
    (lambda d: d["claims"].update({first_claim(d)["id"]: "hello"}), "not a claim record"),
    (lambda d: d["sources"].update({next(iter(d["sources"])): "x"}), "damaged source record"),
    (lambda d: d["actors"].update({"Mark Rutte": ["Mark Rutte"]}), "damaged actor record"),
    (lambda d: first_claim(d).update(sources="https://www.nato.int/a"), "sources must be a list, not str"),
    (lambda d: first_claim(d).update(reviews=[1]), "review must be an object, not int"),
    (lambda d: first_claim(d).update(quantities=["5%"]), "quantity must be an object, not str"),
    (lambda d: first_claim(d).update(created_at="yesterday"), "created_at 'yesterday' is not a UTC ISO timestamp"),
    (lambda d: first_claim(d).update(updated_at="2025-02-30T10:00:00Z"), "updated_at '2025-02-30T10:00:00Z'"),
    (lambda d: first_claim(d).update(created_at="2025-06-24T10:00:00+02:00"), "not a UTC ISO timestamp"),
    (lambda d: first_claim(d).update(status="false", reviews=[]), "status 'false' without a review"),
])
def test_check_lists_a_malformed_record_as_a_problem(empty_store, change, problem) -> None:
    add("--source", "https://www.nato.int/a", text="Allies will spend 5% of GDP on defence", actor="Mark Rutte")
    edited(empty_store, change)
    checked = cli("check")
    assert checked.code == 1, checked
    assert problem in checked.stdout or problem in checked.stderr, checked
    assert "unexpected" not in checked.stderr and "Traceback" not in checked.stderr
