"""Issue 16, from the shell: completion through Typer's own mechanism, called as a shell calls it, and `natoclaims` alone."""

import pytest

from tests.conftest import add, cli, run

SHELLS = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}  # name the shell instead of detecting it


def bash(*words: str) -> list[str]:
    """What bash gets back for the command line `words` (the last one being completed)."""
    result = run(env={"_NATOCLAIMS_COMPLETE": "complete_bash", "COMP_WORDS": " ".join(["natoclaims", *words]),
                      "COMP_CWORD": str(len(words))})
    assert result.code == 0 and result.stderr == "", result
    return [line for line in result.stdout.splitlines() if line]


@pytest.fixture
def two_claims(empty_store):
    """The ids of two claims on article-5, by Donald Trump and by Mark Rutte (alias Rutte, with a role)."""
    cli("actor", "add", "Mark Rutte", "--alias", "Rutte", "--role", "NATO Secretary General")
    first = add("--topic", "article-5", "--topic", "troops", text="first claim")
    second = add("--topic", "article-5", text="second claim", actor="Mark Rutte")
    return first, second


def test_completes_commands_and_options(two_claims):
    assert bash("sea") == ["search"]
    assert "--topic" in bash("search", "--to") and "--no-pager" in bash("--no")
    assert bash("actor", "al") == ["alias"]


@pytest.mark.slow
def test_completes_claim_ids_actor_names_and_topics(two_claims):
    first, second = two_claims
    assert bash("show", first[:3]) == [first] or first in bash("show", first[:3])
    assert sorted(bash("history", "")) == sorted([first, second])
    assert bash("edit", first, "--add-topic", "art") == ["article-5"]
    assert bash("search", "--topic", "tr") == ["troops"]
    assert bash("search", "--actor", "Mar") == ["Mark Rutte"]
    assert bash("add", "x", "--actor", "Rut") == ["Rutte"]


def test_zsh_and_fish_get_descriptions(two_claims):
    zsh = run(env={"_NATOCLAIMS_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "natoclaims search --actor Mark"})
    assert zsh.code == 0 and "Mark Rutte" in zsh.stdout and "NATO Secretary General" in zsh.stdout
    fish = run(env={"_NATOCLAIMS_COMPLETE": "complete_fish", "_TYPER_COMPLETE_ARGS": "natoclaims search --topic art",
                    "_TYPER_COMPLETE_FISH_ACTION": "get-args"})
    assert fish.code == 0 and fish.stdout.startswith("article-5\t2 claims")


@pytest.mark.parametrize("content", [None, "not json {", '{"claims": 5}'])
def test_completion_never_fails_loudly_on_a_missing_or_broken_store(db, content):
    if content is not None:
        db.write_text(content)
    assert bash("show", "") == [] and bash("search", "--actor", "") == []
    assert bash("sea") == ["search"]  # commands still complete
    assert (db.read_text() if content is not None else None) == content  # never created or changed


def test_completion_reads_the_store_named_by_db(two_claims, tmp_path):
    other = tmp_path / "other.json"
    assert cli("--db", str(other), "init", "--empty").code == 0
    assert bash("--db", str(other), "show", "") == []
    assert len(bash("show", "")) == 2


@pytest.mark.parametrize("shell, marker", [("bash", "complete_bash"), ("zsh", "compdef"), ("fish", "complete --command natoclaims")])
def test_show_completion_prints_each_shells_script(shell, marker):
    result = run("--show-completion", shell, env=SHELLS)
    assert result.code == 0 and marker in result.stdout and "_NATOCLAIMS_COMPLETE" in result.stdout


def test_install_completion_for_bash_writes_into_home(isolated):
    result = run("--install-completion", "bash", env=SHELLS)
    assert result.code == 0, result
    home = isolated / "home"
    assert "_NATOCLAIMS_COMPLETE" in (home / ".bash_completions" / "natoclaims.sh").read_text()
    assert ".bash_completions/natoclaims.sh" in (home / ".bashrc").read_text()


def test_natoclaims_alone_prints_the_help_on_stdout_and_succeeds(empty_store, db):
    before = db.read_bytes()
    result = run()
    assert result.code == 0 and result.stderr == ""
    assert result.stdout.startswith("Usage: natoclaims") and "Commands:" in result.stdout and "search" in result.stdout
    assert run("--no-pager").stdout == result.stdout and db.read_bytes() == before


@pytest.mark.slow
def test_completes_source_ids_statuses_verdicts_and_actors_to_merge_in_any_case(two_claims):
    """Issue 24.15: nothing was offered for these, and what was offered had to match its case."""
    first, _ = two_claims
    source = cli("source", "list", "--format", "ids").stdout.split()[0]
    assert bash("source", "show", source[:2]) == [source]
    assert bash("add", "x", "--source", source[:2].upper()) == [source[:2].upper() + source[2:]]
    assert bash("search", "--status", "ver") == ["verified"] and bash("search", "--status", "FA") == ["FAlse"]
    assert bash("review", first, "fa") == ["false"] and bash("status", first, "inc") == ["inconclusive"]
    assert "unverified" not in bash("review", first, "")  # a verdict is any status but unverified
    assert bash("actor", "merge", "rut") == ["rutte"] and bash("actor", "merge", "Rutte", "don") == ["donald Trump"]
    assert bash("search", "--actor", "mar") == ["mark Rutte"]  # typed in lower case: read ignoring case
    # What completion offers is accepted as it is offered.
    assert cli("search", "--status", "FAlse", "--format", "ids").code == 0
    assert cli("review", first, "FAlse").code == 0 and cli("source", "show", source.upper(), "-f", "ids").code == 0
