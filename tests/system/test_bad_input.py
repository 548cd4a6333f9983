"""SPEC section 6 through the installed command: wrong input is refused with one line, store unchanged."""

from tests.conftest import run

SRC = ["--source", "https://example.org/a"]


def test_bad_input_through_the_installed_command(two, empty_store):
    before = empty_store.read_bytes()
    for args in (["add", "x", "--actor", "A", "--source", "javascript:alert(1)"], ["show", "nosuch99"],
                 ["add", "x", "--actor", "A", *SRC, "--date", "03/04/2025"], ["search", "--format", "xml"]):
        result = run(*args)
        assert result.code in (1, 2) and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert empty_store.read_bytes() == before
