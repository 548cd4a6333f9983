"""Teams on git: real `git merge` of a store on two branches, with the driver `git setup` registers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run
from tests.system.conftest import GIT_ENV, Repo

SCHEMA1 = Path(__file__).resolve().parents[1] / "fixtures" / "schema1.json"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def on_both_branches(repo: Repo, ours, theirs) -> subprocess.CompletedProcess[str]:
    """Make a change on `other` and one on `main`, commit each, and merge `other` into `main`."""
    repo.git("checkout", "-q", "other")
    theirs()
    repo.commit("theirs")
    repo.git("checkout", "-q", "main")
    ours()
    repo.commit("ours")
    return repo.git("merge", "-q", "--no-edit", "other", ok=False)


def assert_merged_cleanly(repo: Repo, merge: subprocess.CompletedProcess[str]) -> None:
    assert merge.returncode == 0, merge
    assert repo.git("status", "--porcelain").stdout == ""
    assert "<<<<<<<" not in repo.store.read_text()
    assert repo.nc("check").code == 0


def test_git_setup_is_idempotent_and_keeps_the_archive_tracked(repo: Repo) -> None:
    again = repo.nc("git", "setup")
    assert "already set up, nothing changed" in again.stderr and again.stderr.count("\n") == 1
    assert (repo.folder / ".gitattributes").read_text() == "/claims.json merge=natoclaims\n"
    assert (repo.folder / ".gitignore").read_text() == "/claims.json.lock\n/claims.json.journal\n/claims.json.conflicts\n"
    assert repo.git("config", "merge.natoclaims.driver").stdout.strip() == "natoclaims merge-file -- %O %A %B %P"
    archived = repo.folder / "claims.json.archive" / "copy.warc"
    archived.parent.mkdir()
    archived.write_text("kept")
    assert repo.git("check-ignore", str(archived), ok=False).returncode == 1
    assert repo.git("check-ignore", str(repo.folder / "claims.json.journal")).returncode == 0


@pytest.mark.slow
def test_new_claims_on_both_sides_are_both_kept(repo: Repo) -> None:
    added = {}

    def add(label: str):
        return lambda: added.setdefault(label, repo.nc("add", "--actor", "Mark Rutte", "--source",
                                                       f"https://www.nato.int/{label}", f"Claim from {label}").stdout.strip())

    merge = on_both_branches(repo, add("ours"), add("theirs"))
    assert_merged_cleanly(repo, merge)
    assert set(repo.claims()) == {repo.first, added["ours"], added["theirs"]}


@pytest.mark.slow
def test_the_same_new_actor_on_both_sides_is_one_actor(repo: Repo) -> None:
    def by_hegseth(alias: str):
        def change():
            repo.nc("actor", "add", "Pete Hegseth", "--alias", alias)
            repo.nc("add", "--actor", "Pete Hegseth", "--source", "https://www.defense.gov/x", f"Said as {alias}")
        return change

    merge = on_both_branches(repo, by_hegseth("Hegseth"), by_hegseth("Secretary Hegseth"))
    assert_merged_cleanly(repo, merge)
    actors = {a["name"]: a for a in repo.nc("actors", "--format", "json").json()}
    assert actors["Pete Hegseth"]["aliases"] == ["Hegseth", "Secretary Hegseth"]
    assert sorted(c["text"] for c in repo.claims().values() if c["actor"] == "Pete Hegseth") == [
        "Said as Hegseth", "Said as Secretary Hegseth"]
    # both registered https://www.defense.gov/x: one source, cited by both claims
    assert len(repo.nc("source", "list", "--format", "ids").stdout.split()) == 2


@pytest.mark.slow
def test_different_fields_of_one_claim_both_change(repo: Repo) -> None:
    merge = on_both_branches(repo, lambda: repo.nc("edit", repo.first, "--context", "at the summit", user="ann"),
                             lambda: repo.nc("edit", repo.first, "--date", "2025-06-24", "--add-topic", "troops", user="bob"))
    assert_merged_cleanly(repo, merge)
    merged = repo.claims()[repo.first]
    assert (merged["context"], merged["said_on"], merged["topics"]) == ("at the summit", "2025-06-24", ["troops"])
    assert {h["by"] for h in merged["history"]} == {"ann", "bob"}


@pytest.mark.slow
def test_the_same_field_is_a_conflict_listed_resolved_and_committed(repo: Repo) -> None:
    merge = on_both_branches(repo, lambda: repo.nc("edit", repo.first, "--context", "at the summit"),
                             lambda: repo.nc("edit", repo.first, "--context", "told reporters"))
    assert merge.returncode != 0 and "CONFLICT" in merge.stdout
    assert repo.claims()[repo.first]["context"] == "at the summit"  # ours, in a valid store
    listed = repo.nc("conflicts", "--format", "json").json()
    assert listed == [{"key": repo.first, "record": "claim", "field": "context", "base": None,
                       "ours": "at the summit", "theirs": "told reporters"}]
    assert "open merge conflict over 'context'" in repo.nc("check", ok=False).stdout
    resolved = repo.nc("resolve", repo.first[:5], "context", "--theirs")
    assert "no conflicts left" in resolved.stderr
    assert not (repo.folder / "claims.json.conflicts").exists()
    assert repo.nc("check").code == 0
    repo.git("add", "claims.json")
    repo.git("commit", "-q", "--no-edit")
    assert repo.git("status", "--porcelain").stdout == ""
    assert repo.claims()[repo.first]["context"] == "told reporters"
    assert repo.claims()[repo.first]["history"][-1]["note"] == "merge conflict settled"


@pytest.mark.slow
def test_a_merge_given_up_leaves_no_conflict_open_and_a_commit_left_unsettled_keeps_it(repo: Repo) -> None:
    merge = on_both_branches(repo, lambda: repo.nc("edit", repo.first, "--context", "at the summit"),
                             lambda: repo.nc("edit", repo.first, "--context", "told reporters"))
    assert merge.returncode != 0
    assert len(repo.nc("conflicts", "--format", "json").json()) == 1
    repo.git("merge", "--abort")
    assert repo.nc("conflicts", "--format", "json").json() == []
    assert repo.nc("check").code == 0
    assert repo.git("merge", "-q", "--no-edit", "other", ok=False).returncode != 0  # again, and committed unsettled
    repo.git("add", "claims.json")
    repo.git("commit", "-q", "--no-edit")
    assert "open merge conflict over 'context'" in repo.nc("check", ok=False).stdout
    repo.nc("resolve", repo.first, "context", "--ours")
    assert repo.nc("check").code == 0


@pytest.mark.slow
def test_a_rebase_given_up_leaves_no_conflict_open(repo: Repo) -> None:
    merge = on_both_branches(repo, lambda: repo.nc("edit", repo.first, "--context", "at the summit"),
                             lambda: repo.nc("edit", repo.first, "--context", "told reporters"))
    repo.git("merge", "--abort")
    assert merge.returncode != 0
    rebase = repo.git("rebase", "other", ok=False)  # main's commit replayed on other's: the same conflict
    assert rebase.returncode != 0 and len(repo.nc("conflicts", "--format", "json").json()) == 1
    repo.git("rebase", "--abort")
    assert repo.nc("conflicts", "--format", "json").json() == []
    assert repo.nc("check").code == 0
    rebase = repo.git("rebase", "other", ok=False)  # again, and carried through unsettled
    repo.git("add", "claims.json")
    repo.git("-c", "core.editor=true", "rebase", "--continue")
    assert "open merge conflict over 'context'" in repo.nc("check", ok=False).stdout


@pytest.mark.slow
def test_a_deletion_against_an_edit_is_a_conflict(repo: Repo) -> None:
    merge = on_both_branches(repo, lambda: repo.nc("rm", repo.first, "--yes"),
                             lambda: repo.nc("edit", repo.first, "--note", "still true"))
    assert merge.returncode != 0
    assert repo.first not in repo.claims()
    [conflict] = repo.nc("conflicts", "--format", "json").json()
    assert (conflict["field"], conflict["ours"], conflict["theirs"]["notes"]) == ("record", None, "still true")
    repo.nc("resolve", repo.first, "record", "--theirs")
    assert repo.claims()[repo.first]["notes"] == "still true"
    repo.git("add", "claims.json")
    repo.git("commit", "-q", "--no-edit")
    assert repo.nc("check").code == 0


def test_a_schema_1_side_is_upgraded_before_merging(tmp_path: Path) -> None:
    repo = Repo.new(tmp_path / "old")
    shutil.copy(SCHEMA1, repo.store)
    repo.nc("git", "setup")
    repo.commit("a store of the previous release")
    repo.git("branch", "other")
    first = sorted(json.loads(SCHEMA1.read_text())["claims"])[0]

    def edit_as_the_old_release():  # the file stays schema 1, as an older natoclaims wrote it
        data = json.loads(repo.store.read_text())
        data["claims"][first]["notes"] = "noted by the old release"
        repo.store.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")

    merge = on_both_branches(repo, edit_as_the_old_release,
                             lambda: repo.nc("edit", first, "--context", "upgraded side"))
    assert_merged_cleanly(repo, merge)
    merged = json.loads(repo.store.read_text())
    assert merged["meta"]["1"]["schema"] == 2 and merged["sources"]
    assert (merged["claims"][first]["notes"], merged["claims"][first]["context"]) == ("noted by the old release",
                                                                                     "upgraded side")


def test_without_the_driver_the_markers_git_leaves_are_named(tmp_path: Path) -> None:
    repo = Repo.new(tmp_path / "plain")
    repo.nc("init", "--empty")
    first = repo.nc("add", "--actor", "Mark Rutte", "--source", "https://www.nato.int/a", "Base claim").stdout.strip()
    repo.commit("base")
    repo.git("branch", "other")
    merge = on_both_branches(repo, lambda: repo.nc("edit", first, "--context", "ours"),
                             lambda: repo.nc("edit", first, "--context", "theirs"))
    assert merge.returncode != 0 and "<<<<<<<" in repo.store.read_text()
    before = repo.store.read_bytes()
    for command in (["search"], ["add", "--actor", "X", "--source", "https://a.org", "text"], ["check"], ["conflicts"]):
        refused = repo.nc(*command, ok=False)
        assert refused.code == 1 and refused.stderr.count("\n") == 1, refused
        assert "git conflict markers (<<<<<<<, =======, >>>>>>>)" in refused.stderr and "git setup" in refused.stderr
    assert repo.store.read_bytes() == before


def new_repo(folder: Path, store: str = "claims.json") -> Repo:
    """An empty repository with an empty store at `store` (a path inside it), not set up yet."""
    repo = Repo.new(folder, store)
    repo.nc("init", "--empty")
    return repo


@pytest.mark.parametrize("name", [".gitattributes", ".gitignore"])
@pytest.mark.parametrize("target", ["secret", "/dev/zero"])
def test_a_symlinked_gitattributes_or_gitignore_is_refused_never_read(tmp_path: Path, name: str, target: str) -> None:
    repo = new_repo(tmp_path / "newsroom")
    secret = tmp_path / "secret"
    secret.write_text("password=hunter2\n")
    link = repo.folder / name
    link.symlink_to(secret if target == "secret" else target)
    repo.commit("a branch committed a link")
    before = repo.store.read_bytes(), secret.read_bytes()
    refused = repo.nc("git", "setup", ok=False)
    assert refused.code == 1 and refused.stdout == "" and refused.stderr.count("\n") == 1, refused
    assert f"{link}: is a symbolic link" in refused.stderr
    assert link.is_symlink() and os.readlink(link) == (str(secret) if target == "secret" else target)
    assert (repo.store.read_bytes(), secret.read_bytes()) == before
    assert not any((repo.folder / other).exists() for other in (".gitattributes", ".gitignore") if other != name)
    assert repo.git("config", "--get", "merge.natoclaims.driver", ok=False).returncode == 1


STRANGE_NAMES = ["my claims.json", 'say "no".json', "$(touch pwned).json", "a;touch pwned;b.json", "#1.json",
                 "!important.json", "glob*[x]?.json", "tab\there.json", "back\\slash.json", "sub dir/team's `x`.json",
                 "ends in a space ", '"quoted".json', "-n.json", "%A %P.json"]


@pytest.mark.slow
@pytest.mark.parametrize("name", STRANGE_NAMES)
def test_any_store_name_is_matched_by_git_and_merged_by_the_driver(tmp_path: Path, name: str) -> None:
    repo = new_repo(tmp_path / "newsroom", name)
    repo.nc("git", "setup")
    relative = repo.store.relative_to(repo.folder).as_posix()
    attribute = repo.git("check-attr", "-z", "merge", "--", relative).stdout.split("\0")
    assert attribute[:3] == [relative, "merge", "natoclaims"]
    for sidecar in (".lock", ".journal", ".conflicts"):
        assert repo.git("check-ignore", "-q", "--no-index", "--", relative + sidecar, ok=False).returncode == 0
    assert repo.git("check-ignore", "-q", "--no-index", "--", relative, ok=False).returncode == 1
    repo.first = repo.nc("add", "--actor", "Mark Rutte", "--source", "https://www.nato.int/a", "Base claim").stdout.strip()
    repo.commit("base")
    repo.git("branch", "other")
    merge = on_both_branches(repo, lambda: repo.nc("edit", repo.first, "--context", "ours"),
                             lambda: repo.nc("edit", repo.first, "--context", "theirs"))
    assert merge.returncode != 0 and "<<<<<<<" not in repo.store.read_text()
    [conflict] = repo.nc("conflicts", "--format", "json").json()  # recorded beside the store: git's %P arrived whole
    assert (conflict["ours"], conflict["theirs"]) == ("ours", "theirs")
    assert not any(line.startswith("??") for line in repo.git("status", "--porcelain").stdout.splitlines())
    repo.nc("resolve", repo.first, "context", "--theirs")
    repo.git("add", "--", relative)
    repo.git("commit", "-q", "--no-edit")
    assert repo.nc("check").code == 0 and not list(tmp_path.rglob("pwned"))


def test_a_store_name_git_cannot_write_is_refused_with_one_line(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "newsroom", "two\nlines.json")
    refused = repo.nc("git", "setup", ok=False)
    assert refused.code == 1 and refused.stderr.count("\n") == 1, refused
    assert "git cannot name a file with a control character" in refused.stderr
    assert not (repo.folder / ".gitattributes").exists() and not (repo.folder / ".gitignore").exists()


def test_a_driver_registered_the_old_way_is_updated_by_setting_up_again(repo: Repo) -> None:
    old = "/home/ana/.venvs/gone/bin/python -m natoclaims merge-file %O %A %B %P"
    repo.git("config", "merge.natoclaims.driver", old)
    updated = repo.nc("git", "setup")
    assert (f"git config: set merge.natoclaims.driver = natoclaims merge-file -- %O %A %B %P (was '{old}')"
            in updated.stderr.splitlines())
    assert repo.git("config", "merge.natoclaims.driver").stdout.strip() == "natoclaims merge-file -- %O %A %B %P"
    assert "already set up, nothing changed" in repo.nc("git", "setup").stderr


def test_without_natoclaims_on_path_the_absolute_path_is_registered_and_said(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "newsroom")
    path = os.pathsep.join(folder for folder in os.environ["PATH"].split(os.pathsep)
                           if not (Path(folder) / "natoclaims").exists())
    done = run("--db", str(repo.store), "git", "setup", env={**GIT_ENV, "PATH": path})
    assert done.code == 0, done
    driver = repo.git("config", "merge.natoclaims.driver").stdout.strip()
    assert driver.endswith(" -m natoclaims merge-file -- %O %A %B %P") and driver.startswith("/")
    assert "natoclaims is not on PATH: the driver runs this installation by its absolute path" in done.stderr


def tampered(repo: Repo, change, layout: str):
    """A change made to the store file by hand, as a hostile or broken branch may hold it: written as
    natoclaims writes a store (the merge's fast way) or laid out otherwise (parsed whole)."""
    def edit():
        data = json.loads(repo.store.read_text())
        change(data)
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        repo.store.write_text(text if layout == "encoded" else json.dumps(data))
    return edit


def claim_of(data: dict) -> dict:
    return next(iter(data["claims"].values()))


@pytest.mark.slow  # 34 real git merges, a repository each
@pytest.mark.parametrize("layout", ["encoded", "compact"])
@pytest.mark.parametrize("change, reason", [
    (lambda d: claim_of(d).update(status="bogus", reviews=[]), "unknown status 'bogus'"),
    (lambda d: claim_of(d).update(text=""), "claim text"),
    (lambda d: claim_of(d).update(actor="Nobody Known"), "actor 'Nobody Known' is not in the actors table"),
    (lambda d: claim_of(d).pop("links"), "missing field 'links'"),
    (lambda d: d["actors"]["Mark Rutte"].update(name="Someone Else"), "actor 'Mark Rutte': damaged actor record"),
    (lambda d: d["claims"].update(zzzzzz99={**claim_of(d), "text": "a copy"}), "zzzzzz99"),
    (lambda d: d["claims"].update({claim_of(d)["id"]: "hello"}), "not a claim record"),
    (lambda d: d["sources"].update({next(iter(d["sources"])): "x"}), "damaged source record"),
    (lambda d: d["actors"].update({"Mark Rutte": ["Mark Rutte"]}), "actor 'Mark Rutte': damaged actor record"),
    (lambda d: d.update(claims=list(d["claims"].values())), "a table is not an object"),
    (lambda d: claim_of(d).update(sources="https://www.nato.int/a"), "sources must be a list, not str"),
    (lambda d: claim_of(d).update(reviews=[1]), "review must be an object, not int"),
    (lambda d: claim_of(d).update(quantities=["5%"]), "quantity must be an object, not str"),
    (lambda d: d["claims"].update(zzzzzzzz={**claim_of(d), "id": "zzzzzzzz"}), "zzzzzzzz: the same claim as"),  # (sorts last)
    (lambda d: d["actors"].update({"Jens Stoltenberg": {**d["actors"]["Mark Rutte"], "name": "Jens Stoltenberg",
                                                        "aliases": ["mark rutte"]}}),
     "actor 'Jens Stoltenberg': its alias 'mark rutte' also names the actor 'Mark Rutte'"),
    (lambda d: claim_of(d).update(created_at="yesterday"), "created_at"),
    (lambda d: claim_of(d).update(status="false", reviews=[]), "status 'false'"),
])
def test_a_hostile_theirs_is_refused_by_name_and_ours_is_kept(repo: Repo, change, reason, layout) -> None:
    before_ours = {}

    def ours():
        repo.nc("add", "--actor", "Mark Rutte", "--source", "https://www.nato.int/b", "Our new claim")
        before_ours["bytes"] = repo.store.read_bytes()

    merge = on_both_branches(repo, ours, tampered(repo, change, layout))
    assert merge.returncode != 0, merge
    driver = [line for line in merge.stderr.splitlines() if line.startswith("natoclaims:")]
    assert len(driver) == 1 and "THEIRS" in driver[0] and reason in driver[0], merge.stderr
    assert "Traceback" not in merge.stderr and "unexpected" not in merge.stderr
    assert repo.store.read_bytes() == before_ours["bytes"]  # ours, whole
    assert not (repo.folder / "claims.json.conflicts").exists()
    assert repo.nc("check").code == 0


def test_a_theirs_record_that_is_not_json_is_refused_by_name(repo: Repo) -> None:
    def broken():
        repo.nc("edit", repo.first, "--context", "told reporters")
        text = repo.store.read_text()
        repo.store.write_text(text.replace('"context": "told reporters"', '"context": "told reporters'))

    merge = on_both_branches(repo, lambda: repo.nc("edit", repo.first, "--note", "ours"), broken)
    assert merge.returncode != 0
    driver = [line for line in merge.stderr.splitlines() if line.startswith("natoclaims:")]
    assert len(driver) == 1 and "THEIRS" in driver[0] and "not valid JSON" in driver[0], merge.stderr
    assert "unexpected" not in merge.stderr
    assert repo.claims()[repo.first]["notes"] == "ours"
    assert repo.nc("check").code == 0


def test_both_branches_creating_the_store_merge_as_additions(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "fresh")
    (repo.folder / "README").write_text("newsroom\n")
    repo.nc("git", "setup")
    repo.store.unlink()
    repo.commit("the driver, no store yet")
    repo.git("branch", "other")

    def create(label: str, role: str | None):
        def change():
            repo.nc("init", "--empty")
            repo.nc("actor", "add", "Pete Hegseth", *(["--role", role] if role else []))
            repo.nc("add", "--actor", "Pete Hegseth", "--source", "https://www.defense.gov/x", f"Said on {label}")
        return change

    merge = on_both_branches(repo, create("ours", None), create("theirs", "Secretary of War"))
    assert_merged_cleanly(repo, merge)
    assert sorted(c["text"] for c in repo.claims().values()) == ["Said on ours", "Said on theirs"]
    [actor] = repo.nc("actors", "--format", "json").json()
    assert actor["role"] == "Secretary of War"  # the role one side gave is no conflict


def test_the_same_claim_added_on_both_sides_is_one_claim(repo: Repo) -> None:
    def add(topic: str, link_to_first: bool):
        def change():
            new = repo.nc("add", "--actor", "Mark Rutte", "--source", "https://www.nato.int/same", "--topic", topic,
                          "--date", "2025-06-24", "NATO is stronger than ever").stdout.strip()
            if link_to_first:
                repo.nc("link", repo.first, "supports", new)
        return change

    merge = on_both_branches(repo, add("summit", True), add("defence-spending", False))
    assert_merged_cleanly(repo, merge)
    claims = repo.claims()
    [same] = [c for c in claims.values() if c["text"] == "NATO is stronger than ever"]
    assert same["topics"] == ["defence-spending", "summit"]
    assert claims[repo.first]["links"] == [{"relation": "supports", "to": same["id"], "note": None}]


@pytest.mark.slow
def test_one_alias_given_to_two_actors_is_a_conflict_and_never_two_actors_name(repo: Repo) -> None:
    merge = on_both_branches(repo, lambda: repo.nc("actor", "add", "Pete Hegseth", "--alias", "Secretary"),
                             lambda: repo.nc("actor", "alias", "Mark Rutte", "Secretary"))
    assert merge.returncode != 0
    actors = {a["name"]: a for a in repo.nc("actors", "--format", "json").json()}
    assert (actors["Pete Hegseth"]["aliases"], actors["Mark Rutte"]["aliases"]) == (["Secretary"], [])
    [conflict] = repo.nc("conflicts", "--format", "json").json()
    assert (conflict["key"], conflict["field"], conflict["ours"], conflict["theirs"]) == (
        "Mark Rutte", "aliases", [], ["Secretary"])
    assert repo.nc("check", ok=False).stdout.splitlines() == [
        "Mark Rutte: open merge conflict over 'aliases' of this actor (see 'natoclaims conflicts'; settle it with "
        "'natoclaims resolve')"]  # and no alias of two actors
    refused = repo.nc("resolve", "Mark Rutte", "aliases", "--theirs", ok=False)
    assert refused.code == 1 and "'Secretary' already names the actor 'Pete Hegseth'" in refused.stderr
    repo.nc("resolve", "Mark Rutte", "aliases", "--ours")
    repo.git("add", "claims.json")
    repo.git("commit", "-q", "--no-edit")
    assert repo.nc("check").code == 0
