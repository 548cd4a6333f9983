"""Issue 16, the everyday loop: bulk edits, duplicates, scripts without --yes, forgiving filters
that say what exists nearby, the vocabularies in use, and a --db that names nothing."""

from natoclaims.store import Journal, read_file
from tests.conftest import assert_refused, cli


def change_sets(db):
    return Journal(db).entries()[0]


# -- edit and status take several ids ---------------------------------------------------------

def test_edit_of_several_ids_is_one_change_set(two, empty_store):
    a, b = two
    before = len(change_sets(empty_store))
    result = cli("edit", a, b, a[:5], "--add-topic", "Article 5", "--why", "bulk")
    assert result.code == 0, result
    assert result.stderr.count("1 field(s) changed") == 2
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
    assert result.code == 0 and "2 claim(s) reviewed as verified" in result.stderr
    assert {c["status"] for c in read_file(empty_store)["claims"].values()} == {"verified"}
