"""The parsed-store cache seen from the installed command: a cache that cannot be written costs nothing."""

from tests.conftest import add, run


def test_cache_that_cannot_be_written_changes_nothing(empty_store, isolated, monkeypatch):
    blocker = isolated / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    a = add()
    result = run("show", a, "--format", "ids")
    assert (result.code, result.stdout.strip(), result.stderr) == (0, a, "")
