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
        from natoclaims import Filters, add_claim, add_source, find, find_source, get_actor, open_store

        s = open_store("x.json")
        reveal_type(s)
        reveal_type(find(s, Filters()))
        reveal_type(add_claim(s, "said", actor="someone", sources=["https://example.org/a"]).claim)
        reveal_type(add_source(s, "https://example.org/a").source)
        reveal_type(find_source(s, "https://example.org/a"))
        reveal_type(s.claims)
        reveal_type(s.sources)
        reveal_type(s.actors)
        reveal_type(get_actor(s, "someone"))
    """))
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\npython_version = 3.11\n")
    stdout, stderr, _status = api.run([str(snippet), "--config-file", str(config), "--follow-imports", "silent",
                                       "--cache-dir", str(tmp_path / "cache"), "--no-error-summary"])
    revealed = [line for line in stdout.splitlines() if "Revealed type is" in line]
    assert revealed, stdout + stderr
    assert revealed[0].endswith('Revealed type is "natoclaims.store.Store"'), revealed[0]
    # The records are the TypedDicts of natoclaims.model.shapes, not dict[str, Any] (mypy may write builtins.list).
    shapes = "TypedDict(natoclaims.model.shapes."
    expected = [f"list[{shapes}Claim, ", f"{shapes}Claim, ", f"{shapes}SourceRecord, ", f"{shapes}SourceRecord, ",
                f"dict[str, {shapes}Claim, ", f"dict[str, {shapes}SourceRecord, ", f"dict[str, {shapes}Actor, ",
                f"{shapes}Actor, "]
    assert len(revealed) == 1 + len(expected), stdout + stderr
    for line, start in zip(revealed[1:], expected, strict=True):
        shown = line.split('Revealed type is "', 1)[1].replace("builtins.", "")
        assert shown.startswith(start), line
