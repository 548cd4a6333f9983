"""`merge-file`, `conflicts`, `resolve` and `git setup` through CliRunner: formats, and bad input refused."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from natoclaims.store import encode, read_file
from tests.conftest import add, assert_refused, built_once, cli


@pytest.fixture
def sides(empty_store: Path, tmp_path: Path, request, isolated) -> dict[str, Path]:
    """base/ours/theirs copies of a store with one claim, which ours and theirs each edited."""
    def build() -> dict[str, Path]:
        claim_id = add(text="Allies will spend 5% of GDP", actor="Mark Rutte")
        paths = {name: tmp_path / f"{name}.json" for name in ("base", "ours", "theirs")}
        paths["base"].write_bytes(empty_store.read_bytes())
        for name, context, verdict in (("ours", "at the summit", "verified"), ("theirs", "told reporters", "false")):
            assert cli("edit", claim_id, "--context", context, "--note", f"{name} note").code == 0
            assert cli("review", claim_id, verdict).code == 0
            paths[name].write_bytes(empty_store.read_bytes())
            empty_store.write_bytes(paths["base"].read_bytes())
        paths["id"] = claim_id  # type: ignore[assignment]
        return paths

    return built_once(request, isolated, build)


def merged_into_store(sides: dict[str, Path], db: Path) -> None:
    """Merge as git does, with the store itself as OURS."""
    db.write_bytes(sides["ours"].read_bytes())
    result = cli("merge-file", str(sides["base"]), str(db), str(sides["theirs"]))
    assert result.code == 1 and "3 merge conflicts" in result.stderr, result


def test_merge_file_writes_a_valid_store_and_records_its_conflicts_beside_it(sides, db) -> None:
    merged_into_store(sides, db)
    assert db.read_bytes() == encode(read_file(db))  # as the store writes itself
    fields = [(c["field"], c["ours"], c["theirs"]) for c in cli("conflicts", "--format", "json").json()]
    assert fields == [("context", "at the summit", "told reporters"), ("notes", "ours note", "theirs note"),
                      ("status", "verified", "false")]
    assert (db.parent / "claims.json.conflicts").exists()
    checked = cli("check")
    assert checked.code == 1 and checked.stdout.count("open merge conflict") == 3


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "tsv", "ids"])
def test_conflicts_in_every_format(sides, db, fmt) -> None:
    merged_into_store(sides, db)
    out = cli("conflicts", "--format", fmt).stdout
    if fmt == "jsonl":
        assert [json.loads(line)["field"] for line in out.splitlines()] == ["context", "notes", "status"]
    elif fmt == "csv":
        assert out.splitlines()[0] == "key,record,field,base,ours,theirs"
    elif fmt == "tsv":
        assert out.splitlines()[0].split("\t") == [sides["id"], "claim", "context", "", "at the summit", "told reporters"]
    elif fmt == "ids":
        assert out.split() == [sides["id"]] * 3
    else:
        assert "told reporters" in out


def test_no_conflicts_is_an_empty_success(empty_store) -> None:
    assert cli("conflicts", "--format", "json").stdout.strip() == "[]"
    assert cli("conflicts", "--format", "table").stderr == "no open merge conflicts\n"


def test_resolve_each_way_and_the_file_goes_with_the_last(sides, db) -> None:
    merged_into_store(sides, db)
    claim_id = sides["id"]
    assert cli("resolve", claim_id[:4], "context", "--theirs").code == 0
    assert cli("resolve", claim_id, "notes", "--value", "settled by hand").code == 0
    before = len(cli("show", claim_id, "--format", "json").json()[0]["reviews"])
    done = cli("resolve", claim_id, "status", "--ours")
    assert done.code == 0 and "no conflicts left" in done.stderr
    claim = cli("show", claim_id, "--format", "json").json()[0]
    assert (claim["context"], claim["notes"], claim["status"]) == ("told reporters", "settled by hand", "verified")
    assert len(claim["reviews"]) == before + 1 and claim["reviews"][-1]["note"] == "merge conflict settled: verified"
    assert not (db.parent / "claims.json.conflicts").exists()
    assert cli("check").code == 0


def test_a_second_merge_joins_the_conflicts_still_open(sides, db) -> None:
    merged_into_store(sides, db)
    assert cli("resolve", sides["id"], "notes", "--ours").code == 0
    merged_into_store(sides, db)
    assert len(cli("conflicts", "--format", "json").json()) == 3


@pytest.mark.parametrize("which, content, reason", [
    ("base", b"not json at all", "not valid JSON"),
    ("base", b'{"claims": {}}', "not a natoclaims store"),
    ("theirs", b'{"actors": {}, "claims": {}, "meta": {"1": {"schema": 9}}, "sources": {}}', "newer than this"),
    ("base", b"<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> other\n", "git conflict markers"),
    ("theirs", None, "no such file"),
])
def test_merge_file_refuses_what_is_not_a_store_and_writes_nothing(sides, db, which, content, reason) -> None:
    db.write_bytes(sides["ours"].read_bytes())
    before = db.read_bytes()
    target = sides[which]
    if content is None:
        target.unlink()
    else:
        target.write_bytes(content)
    arguments = [str(sides["base"]), str(db), str(sides["theirs"])]
    assert_refused(cli("merge-file", *arguments), reason)
    assert cli("merge-file", *arguments).code == 2
    assert db.read_bytes() == before and not (db.parent / "claims.json.conflicts").exists()


@pytest.mark.parametrize("arguments, reason", [
    (["ID", "context"], "give exactly one of --ours, --theirs or --value"),
    (["ID", "context", "--ours", "--theirs"], "give exactly one of"),
    (["nosuchclaim", "context", "--ours"], "no open merge conflict over 'nosuchclaim'"),
    (["ID", "kind", "--ours"], "no open merge conflict over field 'kind'"),
    (["ID", "status", "--value", "unverified"], "unknown verdict 'unverified'"),
    (["ID", "context", "--theirs", "--value", "x"], "give exactly one of"),
])
def test_resolve_refuses_bad_input_and_changes_nothing(sides, db, arguments, reason) -> None:
    merged_into_store(sides, db)
    conflicts_file = db.parent / "claims.json.conflicts"
    before = db.read_bytes(), conflicts_file.read_bytes()
    result = cli("resolve", *[sides["id"] if a == "ID" else a for a in arguments])
    assert_refused(result, reason)
    assert (db.read_bytes(), conflicts_file.read_bytes()) == before


def test_resolve_without_open_conflicts_says_so(empty_store) -> None:
    assert_refused(cli("resolve", "abcdef1", "context", "--ours"), "no open merge conflicts")


def test_a_damaged_conflicts_file_is_one_line(sides, db) -> None:
    merged_into_store(sides, db)
    (db.parent / "claims.json.conflicts").write_text("[1, 2]")
    assert_refused(cli("conflicts"), "not a natoclaims conflicts file")
    assert_refused(cli("check"), "not a natoclaims conflicts file")


def test_git_setup_outside_a_work_tree_is_refused(empty_store) -> None:
    before = empty_store.read_bytes()
    assert_refused(cli("git", "setup"), "not in a git work tree")
    assert empty_store.read_bytes() == before
    assert not (empty_store.parent / ".gitattributes").exists()


def test_a_store_with_conflict_markers_is_named_by_every_command(db: Path) -> None:
    db.write_text('{\n<<<<<<< HEAD\n  "claims": {},\n=======\n  "claims": {"x": 1},\n>>>>>>> theirs\n}\n')
    before = db.read_bytes()
    for command in (["search"], ["show", "abcd"], ["stats"], ["check"], ["conflicts"], ["export"],
                    ["add", "--actor", "A", "--source", "https://a.org", "text"], ["undo"], ["actors"]):
        result = cli(*command)
        assert_refused(result, "holds git conflict markers (<<<<<<<, =======, >>>>>>>)")
        assert "git setup" in result.stderr
    assert db.read_bytes() == before


def test_a_value_given_to_resolve_is_checked_like_an_edit(empty_store, tmp_path) -> None:
    claim_id = add(text="Allies will spend 5% of GDP", actor="Mark Rutte")
    base = tmp_path / "base.json"
    base.write_bytes(empty_store.read_bytes())
    assert cli("edit", claim_id, "--date", "2025-06-24").code == 0
    theirs = tmp_path / "theirs.json"
    theirs.write_bytes(empty_store.read_bytes())
    empty_store.write_bytes(base.read_bytes())
    assert cli("edit", claim_id, "--date", "2025-06-25").code == 0
    assert cli("merge-file", str(base), str(empty_store), str(theirs)).code == 1
    before = empty_store.read_bytes()
    assert_refused(cli("resolve", claim_id, "said_on", "--value", "03/04/2025"), "said_on")
    assert empty_store.read_bytes() == before
    assert cli("resolve", claim_id, "said_on", "--value", "2025-06").code == 0
    assert cli("show", claim_id, "--format", "json").json()[0]["said_on"] == "2025-06"


def test_resolve_names_an_ambiguous_or_too_short_prefix(empty_store) -> None:
    conflicts = [{"table": "claims", "key": key, "field": "context", "base": None, "ours": "a", "theirs": "b"}
                 for key in ("abcd1111", "abcd2222")]
    conflicts_file = empty_store.parent / "claims.json.conflicts"
    conflicts_file.write_text(json.dumps({"conflicts": conflicts, "head": None}))
    before = empty_store.read_bytes(), conflicts_file.read_bytes()
    assert_refused(cli("resolve", "abcd", "context", "--ours"), "id prefix 'abcd' is ambiguous: it matches 2")
    assert_refused(cli("resolve", "abc", "context", "--ours"), "a prefix needs at least 4 characters")
    assert_refused(cli("resolve", "zzzz", "context", "--ours"), "no open merge conflict over 'zzzz'")
    assert (empty_store.read_bytes(), conflicts_file.read_bytes()) == before


def test_undoing_a_resolve_opens_its_conflict_again_and_redo_settles_it(sides, db) -> None:
    merged_into_store(sides, db)
    claim_id = sides["id"]
    conflicts_file = db.parent / "claims.json.conflicts"
    assert cli("resolve", claim_id, "context", "--theirs").code == 0
    assert [c["field"] for c in cli("conflicts", "--format", "json").json()] == ["notes", "status"]
    undone = cli("undo", "--yes")
    assert undone.code == 0, undone
    assert [c["field"] for c in cli("conflicts", "--format", "json").json()] == ["context", "notes", "status"]
    assert cli("show", claim_id, "--format", "json").json()[0]["context"] == "at the summit"
    assert cli("redo", "--yes").code == 0
    assert [c["field"] for c in cli("conflicts", "--format", "json").json()] == ["notes", "status"]
    assert cli("show", claim_id, "--format", "json").json()[0]["context"] == "told reporters"
    # The last one settled removes the file; undoing it brings the file back.
    assert cli("resolve", claim_id, "notes", "--ours").code == 0
    assert cli("resolve", claim_id, "status", "--ours").code == 0
    assert not conflicts_file.exists() and cli("check").code == 0
    assert cli("undo", "--yes").code == 0
    assert [c["field"] for c in cli("conflicts", "--format", "json").json()] == ["status"]
    assert cli("check").code == 1


def test_git_setup_refuses_a_gitattributes_too_large_to_be_one(empty_store) -> None:
    subprocess.run(["git", "init", "-q", str(empty_store.parent)], check=True, capture_output=True)
    attributes = empty_store.parent / ".gitattributes"
    attributes.write_bytes(b"# padding\n" * 200_000)
    before = empty_store.read_bytes(), attributes.read_bytes()
    assert_refused(cli("git", "setup"), "is larger than 1,048,576 bytes")
    assert (empty_store.read_bytes(), attributes.read_bytes()) == before
    assert not (empty_store.parent / ".gitignore").exists()


def test_resolve_theirs_never_writes_a_record_under_another_key(empty_store) -> None:
    claim_id = add(text="Allies will spend 5% of GDP", actor="Mark Rutte")
    record = cli("show", claim_id, "--format", "json").json()[0]
    conflicts = [{"table": "claims", "key": claim_id, "field": "record", "base": None, "ours": record,
                  "theirs": {**record, "id": "other1234", "notes": "theirs"}}]
    conflicts_file = empty_store.parent / "claims.json.conflicts"
    conflicts_file.write_text(json.dumps({"conflicts": conflicts, "head": None}))
    before = empty_store.read_bytes(), conflicts_file.read_bytes()
    assert_refused(cli("resolve", claim_id, "record", "--theirs"), "is named 'other1234' there: not settled")
    assert (empty_store.read_bytes(), conflicts_file.read_bytes()) == before
    assert cli("resolve", claim_id, "record", "--ours").code == 0
    assert cli("check").code == 0


def test_merge_file_by_hand_holds_the_stores_lock_while_it_reads_and_writes(sides, db, monkeypatch) -> None:
    from filelock import FileLock, Timeout

    from natoclaims.core import team
    from natoclaims.paths import lock_file

    held = []

    def probing(function):
        def probe(path, *args, **kwargs):
            lock = FileLock(str(lock_file(db.resolve())), timeout=0)
            try:
                lock.acquire()
            except Timeout:
                held.append(True)
            else:
                held.append(False)
                lock.release()
            return function(path, *args, **kwargs)
        return probe

    monkeypatch.setattr(team, "read_side", probing(team.read_side))
    monkeypatch.setattr(team, "write_atomically", probing(team.write_atomically))
    merged_into_store(sides, db)  # OURS is the live store: a writer beside it must wait
    assert held == [True] * 5  # three sides read, the store and its conflicts written


def test_counts_in_merge_messages_are_in_the_right_number(sides, db) -> None:
    """Issue 24.16: '1 conflict(s) still open', '(and 1 more problem(s))'."""
    merged_into_store(sides, db)
    assert cli("resolve", sides["id"], "context", "--ours").code == 0
    assert cli("resolve", sides["id"], "notes", "--ours").stderr.endswith("; 1 conflict still open\n")
    broken = read_file(sides["theirs"])
    claim = broken["claims"][sides["id"]]
    claim["actor"] = "Nobody"
    claim["links"] = [{"relation": "contradicts", "to": "f" * 12, "note": ""}]
    sides["theirs"].write_bytes(encode(broken))
    db.write_bytes(sides["ours"].read_bytes())
    result = cli("merge-file", str(sides["base"]), str(db), str(sides["theirs"]))
    assert_refused(result, "(and 1 more problem); nothing merged")
