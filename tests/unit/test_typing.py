"""The package is typed (PEP 561): it ships py.typed, and a user's type checker sees the library's types
through the lazy facade, not Any."""

from __future__ import annotations

import importlib.resources
import textwrap
from pathlib import Path

import pytest


def test_the_package_says_it_is_typed() -> None:
    assert importlib.resources.files("natoclaims").joinpath("py.typed").is_file()


@pytest.mark.slow
def test_the_facade_gives_a_type_checker_the_librarys_types(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    snippet = tmp_path / "snippet.py"
    snippet.write_text(textwrap.dedent("""\
        from natoclaims import open_store

        s = open_store("x.json")
        reveal_type(s)
    """))
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\npython_version = 3.11\n")
    stdout, stderr, _status = api.run([str(snippet), "--config-file", str(config), "--follow-imports", "silent",
                                       "--cache-dir", str(tmp_path / "cache"), "--no-error-summary"])
    revealed = [line for line in stdout.splitlines() if "Revealed type is" in line]
    assert revealed, stdout + stderr
    assert revealed[0].endswith('Revealed type is "natoclaims.store.Store"'), revealed[0]
