"""Issue 16, the everyday loop: bulk edits, duplicates, scripts without --yes, forgiving filters
that say what exists nearby, the vocabularies in use, and a --db that names nothing."""

import pytest

from natoclaims.store import Journal, read_file
from tests.conftest import add, assert_refused, built_once, cli, run


def change_sets(db):
    return Journal(db).entries()[0]


# -- edit and status take several ids ---------------------------------------------------------

def test_edit_of_several_ids_is_one_change_set(two, empty_store):
    a, b = two
    before = len(change_sets(empty_store))
    result = cli("edit", a, b, a[:5], "--add-topic", "Article 5", "--why", "bulk")
    assert result.code == 0, result
    assert result.stderr.count("1 field changed") == 2
    claims = read_file(empty_store)["claims"]
    assert claims[a]["topics"] == ["article-5"] and claims[b]["topics"] == ["article-5"]
    assert len(change_sets(empty_store)) == before + 1
    assert cli("undo", "--yes").code == 0
    assert all(c["topics"] == [] for c in read_file(empty_store)["claims"].values())


def test_edit_reads_ids_from_stdin(two, empty_store):
    a, b = two
    result = cli("edit", "-", "--note", "checked", input=f"{a}\n\n{b}\n")
    assert result.code == 0, result
    assert {c["notes"] for c in read_file(empty_store)["claims"].values()} == {"checked"}


def test_edit_of_several_ids_with_one_unknown_changes_nothing(two, empty_store):
    a, _ = two
    before = empty_store.read_bytes()
    assert_refused(cli("edit", a, "zzzz9", "--note", "x"), "zzzz9")
    assert empty_store.read_bytes() == before


def test_edit_with_ids_and_text_both_from_stdin_is_refused(two, empty_store):
    before = empty_store.read_bytes()
    assert_refused(cli("edit", "-", "--text", "-", input="x\n"), "either the ids or the new text")
    assert empty_store.read_bytes() == before


def test_status_of_several_ids(two, empty_store):
    a, b = two
    result = cli("status", a, b, "verified")
    assert result.code == 0 and "2 claims reviewed as verified" in result.stderr
    assert {c["status"] for c in read_file(empty_store)["claims"].values()} == {"verified"}


# -- add refuses an identical claim -------------------------------------------------------------

def test_add_of_an_identical_claim_is_refused_with_the_id_and_a_hint(empty_store):
    first = add("--date", "2025-03-06", text="We will move 35,000 troops")
    before = empty_store.read_bytes()
    refused = cli("add", "--actor", "Donald Trump", "--source", "https://other.org/b", "--date", "2025-03-06",
                  "--", "We will move 35,000 troops")
    assert_refused(refused, f"claim {first} by Donald Trump already says this")
    assert f"edit {first} --add-source URL" in refused.stderr and refused.code == 1
    assert empty_store.read_bytes() == before
    # Another date is another claim; the near-identical warning stays.
    again = cli("add", "--actor", "Donald Trump", "--source", "https://other.org/b", "--date", "2025-03-07",
                "--", "We will move 35,000 troops")
    assert again.code == 0 and "near-identical" in again.stderr and first in again.stderr
    assert cli("export", "-f", "jsonl").code == 0


def test_identical_claim_through_an_alias_is_refused(empty_store):
    cli("actor", "add", "Donald Trump", "--alias", "Trump")
    first = add(text="same words")
    assert_refused(cli("add", "--actor", "Trump", "--source", "https://b.org", "--", "same words"), first)


# -- rm from a script ------------------------------------------------------------------------

def test_rm_without_yes_from_a_script_refuses_and_deletes_nothing(two, empty_store):
    a, _ = two
    before = empty_store.read_bytes()
    result = cli("rm", a)
    assert_refused(result, "--yes")
    assert result.code == 2 and empty_store.read_bytes() == before
    assert_refused(cli("rm", "-", input=f"{a}\n"), "--yes")
    assert empty_store.read_bytes() == before
    assert cli("rm", a, "--yes").code == 0 and a not in read_file(empty_store)["claims"]


def test_rm_on_a_terminal_still_asks(two, empty_store):
    from typer.testing import CliRunner

    from natoclaims.cli import app
    from natoclaims.cli.env import Environment

    a, _ = two
    before = empty_store.read_bytes()
    declined = CliRunner().invoke(app, ["rm", a], input="n\n", obj=Environment(stdin_is_terminal=True))
    # Issue 24.15: a "no" is an answer, not an error.
    assert declined.exit_code == 0 and empty_store.read_bytes() == before
    assert declined.stderr.endswith("Delete 1 claim? [y/N]: \nnothing deleted\n") or \
        declined.stderr.endswith("nothing deleted\n"), declined.stderr
    kept = CliRunner().invoke(app, ["undo"], input="n\n", obj=Environment(stdin_is_terminal=True))
    assert kept.exit_code == 0 and kept.stderr.endswith("nothing undone\n") and empty_store.read_bytes() == before
    accepted = CliRunner().invoke(app, ["rm", a], input="y\n", obj=Environment(stdin_is_terminal=True))
    assert accepted.exit_code == 0 and a not in read_file(empty_store)["claims"]


# -- filters normalised the way add stores values ---------------------------------------------

@pytest.fixture
def tagged(empty_store, request, isolated):
    def build():
        a = add("--topic", "Article 5", "--kind", "quote", "--stance", "us-defends-all-allies:against",
                "--quantity", "35000 troops", "--measure", "us-troops-in-germany", text="We will not defend them")
        b = add("--topic", "troops", "--stance", "us-defends-all-allies:for", text="We stand by Article 5",
                actor="Mark Rutte")
        cli("status", a, "false")
        return a, b

    return built_once(request, isolated, build)


@pytest.mark.parametrize("args", [["--topic", "Article 5"], ["--topic", "ARTICLE_5"], ["--kind", "Quote"],
                                  ["--status", "FALSE"], ["--measure", "US troops in Germany"]])
def test_filters_take_values_as_add_stores_them(tagged, args):
    a, _ = tagged
    for command in (["search"], ["export", "--format", "jsonl"], ["timeline", "--format", "jsonl"]):
        if command[0] == "timeline" and args[0] not in ("--topic",):
            continue
        result = cli(*command, *args) if command[0] != "search" else cli("search", *args, "-f", "ids")
        assert result.code == 0, result
        assert a in result.stdout and "no " not in result.stderr, (command, result)


def test_contradictions_take_filters_in_any_case(tagged):
    result = cli("contradictions", "--kind", "STANCE", "--topic", "Article 5", "-f", "ids")
    assert result.code == 0 and set(result.stdout.split()) == set(tagged), result


# -- unknown filter values say what exists nearby ------------------------------------------------

@pytest.mark.parametrize(("args", "said"), [
    (["--topic", "artcle-5"], "no topic 'artcle-5'; did you mean article-5?"),
    (["--actor", "Mark Rute"], "no actor 'Mark Rute'; did you mean 'Mark Rutte'?"),
    (["--measure", "us-troops-in-germny"], "no measure 'us-troops-in-germny'; did you mean us-troops-in-germany?"),
    (["--source-domain", "exampel.org"], "no source domain 'exampel.org'; did you mean example.org?"),
    (["--topic", "zzzzzz"], "no topic 'zzzzzz' in this store"),
])
def test_an_unknown_filter_value_finds_nothing_and_says_what_is_near(tagged, empty_store, args, said):
    before = empty_store.read_bytes()
    for command in (["search", "-f", "ids"], ["export"], ["contradictions", "-f", "ids"]):
        if command[0] == "contradictions" and args[0] in ("--measure", "--source-domain"):
            continue
        result = cli(*command, *args)
        assert result.code == 0 and result.stdout == "", result
        assert said in result.stderr and result.stderr.count("\n") == 1, result
    assert empty_store.read_bytes() == before


def test_a_known_filter_value_with_no_match_says_nothing(tagged):
    result = cli("search", "--topic", "troops", "--actor", "Donald Trump", "-f", "ids")
    assert result.code == 0 and result.stdout == "" and result.stderr == ""


def test_an_alias_suggests_its_actor(empty_store):
    cli("actor", "add", "Donald Trump", "--alias", "POTUS")
    add(text="a claim")
    assert "did you mean 'Donald Trump'?" in cli("search", "--actor", "POTSU").stderr


# -- topics, measures, propositions ---------------------------------------------------------

def test_vocabularies_in_use_with_counts_in_every_format(tagged):
    assert cli("topics", "-f", "ids").stdout.split() == ["article-5", "troops"]
    assert cli("topics", "-f", "json").json() == [{"topic": "article-5", "claims": 1}, {"topic": "troops", "claims": 1}]
    assert cli("measures", "-f", "tsv").stdout == "us-troops-in-germany\t1\n"
    assert cli("measures", "-f", "csv").stdout.splitlines() == ["measure,claims", "us-troops-in-germany,1"]
    assert cli("propositions", "-f", "jsonl").stdout == \
        '{"proposition":"us-defends-all-allies","claims":2,"for":1,"against":1}\n'
    table = cli("propositions", "-f", "table").stdout
    assert "us-defends-all-allies" in table and "Against" in table


def test_vocabularies_of_an_empty_store_are_empty(empty_store):
    for command in ("topics", "measures", "propositions"):
        result = cli(command, "-f", "ids")
        assert result.code == 0 and result.stdout == ""


# -- a --db or NATOCLAIMS_DB that names nothing ------------------------------------------------

READING = [["search"], ["stats"], ["check"], ["log"], ["export"], ["topics"], ["undo", "--yes"], ["status", "abcd", "false"],
           ["source", "list"], ["actor", "add", "Someone"], ["contradictions"]]


@pytest.mark.parametrize("args", READING, ids=[" ".join(a) for a in READING])
def test_a_named_store_that_does_not_exist_is_an_error(isolated, args):
    missing = isolated / "typo.json"
    result = cli("--db", str(missing), *args)
    assert_refused(result, f"{missing}: no such store (--db names a file that does not exist")
    assert result.code == 1 and not missing.exists()
    by_variable = run(*args, env={"NATOCLAIMS_DB": str(missing)})
    assert_refused(by_variable, "NATOCLAIMS_DB names a file that does not exist")
    assert not missing.exists() and sorted(p.name for p in isolated.iterdir() if p.name.startswith("typo")) == []


def test_add_and_import_create_a_named_store_and_say_so(isolated):
    first, second = isolated / "one.json", isolated / "two.json"
    result = cli("--db", str(first), "add", "--actor", "A", "--source", "https://a.org", "--", "text")
    assert result.code == 0 and f"created {first}: a new, empty store" in result.stderr
    assert cli("--db", str(first), "check").code == 0
    record = '{"text": "t", "actor": "A", "sources": [{"url": "https://a.org"}]}\n'
    result = cli("--db", str(second), "import", "-", input=record)
    assert result.code == 0 and f"created {second}" in result.stderr
    again = cli("--db", str(first), "add", "--actor", "A", "--source", "https://a.org", "--", "more")
    assert again.code == 0 and "created" not in again.stderr


def test_a_refused_add_creates_no_named_store(isolated):
    missing = isolated / "new.json"
    result = cli("--db", str(missing), "add", "--actor", "A", "--source", "https://a.org", "--", "")
    assert result.code == 1 and "created" not in result.stderr and not missing.exists()


def test_the_users_data_file_is_still_made_from_the_bundled_dataset(isolated):
    result = run("search", "--format", "ids", env={"NATOCLAIMS_DB": ""})
    assert result.code == 0 and "with the bundled NATO dataset" in result.stderr and result.stdout


@pytest.mark.parametrize("args", [["search", "--db", "x.json"], ["source", "list", "--db", "x.json"]])
def test_db_after_the_command_says_it_goes_before(empty_store, args):
    result = cli(*args)
    assert_refused(result, f"--db goes before the command: natoclaims --db ... {' '.join(args[:-2])} ...")
    assert result.code == 2


# -- plain words for odd files and help -------------------------------------------------------

@pytest.mark.parametrize(("content", "said"), [
    (b"garbage\n", "not valid JSON"), (b'{"claims": ', "not valid JSON"), (b"[" * 100_000 + b"\n", "not a natoclaims store (JSON nested too deeply"),
    (b"\xff\xfe", "not valid JSON (not UTF-8"), (b"", "the file is empty"),
])
def test_check_on_a_file_that_is_not_json_says_so(isolated, content, said):
    path = isolated / "other.json"
    path.write_bytes(content)
    result = cli("--db", str(path), "check")
    assert_refused(result, f"{path}: {said}")
    assert "unexpected" not in result.stderr and path.read_bytes() == content


def test_build_dataset_help_prints_usage_and_writes_nothing(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    proc = subprocess.run([sys.executable, str(ROOT / "data" / "build_dataset.py"), "--help"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.startswith("usage: build_dataset.py") and list(tmp_path.iterdir()) == []


def test_log_help_speaks_of_change_sets():
    help_text = cli("log", "--help").stdout
    assert "At most N change sets" in help_text and "Change sets made on or after" in help_text
    assert "N claims" not in help_text and "Said on" not in help_text
