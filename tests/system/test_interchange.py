"""`export | import` between two stores as a shell pipes it, with the installed `natoclaims`."""

import os
import subprocess

import pytest

from tests.conftest import NATOCLAIMS, run


@pytest.mark.slow
def test_a_store_piped_into_an_empty_one_is_an_identical_copy(isolated):
    original, copy = isolated / "bundled.json", isolated / "other.json"
    assert run("--db", str(original), "init").code == 0
    piped = subprocess.run(f"{NATOCLAIMS} --db {original} export --format store | {NATOCLAIMS} --db {copy} import -",
                           shell=True, capture_output=True, text=True, env=os.environ)
    assert piped.returncode == 0 and "imported 71 claims" in piped.stderr and "warning" not in piped.stderr, piped
    for command in (["export", "--format", "store"], ["export"], ["actors", "-f", "json"], ["check", "--quotes", "-f", "json"]):
        assert run("--db", str(copy), *command).stdout == run("--db", str(original), *command).stdout, command
    quotes = run("--db", str(copy), "check", "--quotes")
    assert quotes.code == 0 and quotes.stderr.endswith(": 13 quotes checked: 13 exact\n"), quotes
