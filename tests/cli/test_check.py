"""`check` names what a merge or a hand edit can leave behind that `add` and `actor alias` refuse."""

from __future__ import annotations

import json
from pathlib import Path

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
