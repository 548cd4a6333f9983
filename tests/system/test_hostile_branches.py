"""A teammate's branch is input: hostile branches merged through real git with the driver.

Each attack is something a branch can commit: a sidecar or the archive folder as a symbolic link
out of the work tree (to a shell profile, a secret, /dev/zero), a forged or inflated archived
copy, records the store would never write, a crafted journal. After the merge the victim works as
usual (add, check, check --quotes, extract, source archive, undo, git setup), and then: nothing
outside the work tree changed, no command ran, every command ended with at most one clear line,
the store passes `check` or the merge stopped with a refusal, and no acknowledged record of either
side is gone (issue 23).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natoclaims.store.archive import digest_of, warc_bytes
from natoclaims.store.files import encode
from tests.conftest import NATOCLAIMS, examples

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")]
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}
SOURCE = "https://www.nato.int/speech"
PAGE = ("<html><head><title>Speech</title></head><body><article><p>The Secretary General spoke in The Hague.</p>"
        "<p>\"Allies will spend five percent of GDP on defence,\" Mark Rutte said on Tuesday.</p></article></body></html>")
INVENTED = "We will leave NATO tomorrow"
TIMEOUT = 60


class Desk:
    """A newsroom repository with a store, its driver set up, and a home folder outside it."""

    def __init__(self, root: Path) -> None:
        self.root, self.home, self.folder = root, root / "home", root / "newsroom"
        self.store = self.folder / "claims.json"
        self.env = {**os.environ, **GIT_ENV, "HOME": str(self.home), "NATOCLAIMS_USER": "victim",
                    "XDG_DATA_HOME": str(root / "xdg"), "XDG_CACHE_HOME": str(root / "cache")}
        self.env.pop("NATOCLAIMS_DB", None)

    def git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "-C", str(self.folder), *args], capture_output=True, text=True,
                              timeout=TIMEOUT, env=self.env)

    def nc(self, *args: str, timeout: int = TIMEOUT, report: bool = False) -> subprocess.CompletedProcess[str]:
        """Run natoclaims on the desk's store: a failure ends in one error line (a `report`, such as
        check's list of problems, says them on stdout instead)."""
        done = subprocess.run([NATOCLAIMS, "--db", str(self.store), *args], capture_output=True, text=True,
                              timeout=timeout, env=self.env, cwd=self.folder, stdin=subprocess.DEVNULL)
        assert "Traceback" not in done.stderr, (args, done.stderr)
        errors = [line for line in done.stderr.splitlines() if line.startswith("natoclaims: error: ")]
        if not report:
            assert done.returncode == 0 or (errors and errors == done.stderr.splitlines()[-1:]), (args, done.stderr)
        return done

    def added(self, *args: str) -> str:
        done = self.nc("add", *args)
        assert done.returncode == 0, done
        return done.stdout.strip()

    def commit(self, message: str, *, force: bool = False) -> None:
        """Commit the work tree; `force` adds what .gitignore keeps out too, as a hostile branch may."""
        assert self.git("add", "-A", *(["-f"] if force else [])).returncode == 0
        assert self.git("commit", "-qm", message, "--no-verify").returncode == 0

    def outside(self) -> dict[str, bytes]:
        """Every file outside the work tree that an attack points at."""
        return {str(p.relative_to(self.root)): p.read_bytes() for p in sorted(self.home.rglob("*")) if p.is_file()}

    def link(self, name: str, target: str | Path) -> None:
        path = self.folder / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif os.path.lexists(path):
            path.unlink()
        path.symlink_to(target)

    def tables(self) -> dict:
        return orjson.loads(self.store.read_bytes())

    def write_tables(self, data: dict) -> None:
        self.store.write_bytes(encode(data))

    def copy_file(self) -> Path:
        source = next(s for s in self.tables()["sources"].values() if s["url"] == SOURCE)
        return self.folder / "claims.json.archive" / f"{source['archive'][-1]['digest']}.warc.gz"


def make_desk(root: Path) -> Desk:
    desk = Desk(root)
    desk.home.mkdir(parents=True)
    (desk.home / ".bashrc").write_text("# the victim's profile\n")
    (desk.home / "secret").write_text("TOKEN=do-not-leak\n")
    (desk.home / "elsewhere").mkdir()
    (desk.home / "elsewhere" / "keep.txt").write_text("kept\n")
    desk.folder.mkdir()
    for args in (("init", "-q", "-b", "main"), ("config", "user.name", "Victim"),
                 ("config", "user.email", "victim@example.org")):
        assert desk.git(*args).returncode == 0
    assert desk.nc("init", "--empty").returncode == 0
    assert desk.nc("git", "setup").returncode == 0
    (root / "page.html").write_text(PAGE)
    assert desk.nc("source", "add", SOURCE, "--title", "Speech").returncode == 0
    assert desk.nc("source", "archive", SOURCE, str(root / "page.html")).returncode == 0
    desk.base = desk.added("--actor", "Mark Rutte", "--kind", "quote", "--source", SOURCE, "--date", "2025-06-24",
                           "Allies will spend five percent of GDP on defence")
    desk.commit("base")
    assert desk.git("branch", "hostile").returncode == 0
    return desk


def sidecar_link(name: str, target: str) -> Callable[[Desk], None]:
    def attack(desk: Desk) -> None:
        desk.link(name, os.path.relpath(desk.home / target, desk.folder) if target != "/dev/zero" else target)
    attack.__name__ = f"{name} -> {target}"
    return attack


def archive_file_link(target: str) -> Callable[[Desk], None]:
    def attack(desk: Desk) -> None:
        path = desk.copy_file()
        path.unlink()
        path.symlink_to(target if target.startswith("/") else os.path.relpath(desk.home / target, path.parent))
    return attack


def forged_conversion(desk: Desk) -> None:
    """The raw bytes kept, the extracted text changed to hold an invented quote, digests recomputed."""
    from warcio.archiveiterator import ArchiveIterator

    desk.added("--actor", "Mark Rutte", "--kind", "quote", "--source", SOURCE, "--date", "2025-06-24", INVENTED)
    path = desk.copy_file()
    raw = metadata = text = None
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            body = record.content_stream().read()
            if record.rec_type in ("resource", "response"):
                raw = body
            elif record.rec_type == "metadata":
                metadata = orjson.loads(body)
            elif record.rec_type == "conversion":
                text = body.decode()
    forged = warc_bytes(raw, text=f"{text}\n\"{INVENTED},\" Mark Rutte said.", metadata=metadata, url=SOURCE,
                        at="2026-01-01T00:00:00Z")
    path.write_bytes(forged)


def inflated_copy(desk: Desk) -> None:
    """A copy of a few kilobytes on disk that inflates past the 50 MB limit, named by its true digest."""
    raw = b" " * (60 * 1024 * 1024)
    digest = digest_of(raw)
    (desk.folder / "claims.json.archive" / f"{digest}.warc.gz").write_bytes(
        warc_bytes(raw, text="x", metadata={"media_type": "text/plain"}, url=SOURCE, at="2026-01-01T00:00:00Z"))
    data = desk.tables()
    source = next(s for s in data["sources"].values() if s["url"] == SOURCE)
    source["archive"].append({**source["archive"][-1], "digest": digest, "archived_at": "2026-01-01T00:00:00.000000Z"})
    desk.write_tables(data)


def edited_claim(change: Callable[[dict, dict], None]) -> Callable[[Desk], None]:
    def attack(desk: Desk) -> None:
        data = desk.tables()
        change(data, data["claims"][desk.base])
        desk.write_tables(data)
    return attack


def invalid_status(data: dict, claim: dict) -> None:
    claim["status"] = "bogus"


def key_id_mismatch(data: dict, claim: dict) -> None:
    data["claims"]["zzzzzz99"] = {**claim, "id": "zzzzzz88"}


def javascript_url(data: dict, claim: dict) -> None:
    data["claims"]["jsjsjs11"] = {**claim, "id": "jsjsjs11", "text": "another claim",
                                  "sources": [{**claim["sources"][0], "url": "javascript:alert(1)"}]}


def malformed_piece(desk: Desk) -> None:
    text = desk.store.read_text()
    desk.store.write_text(text.replace('"text": ', '"text": {', 1))


def crafted_journal(desk: Desk) -> None:
    """A journal whose last change set, undone, would write a claim no command would accept."""
    bad = {**desk.tables()["claims"][desk.base], "status": "bogus", "text": ""}
    entry = {"id": "crafted1", "at": "2026-01-01T00:00:00Z", "by": "mallory", "command": "add",
             "changes": [{"table": "claims", "key": desk.base, "old": bad, "new": desk.tables()["claims"][desk.base]}]}
    (desk.folder / "claims.json.journal").write_bytes(orjson.dumps(entry) + b"\n")


ATTACKS: dict[str, Callable[[Desk], None]] = {
    "journal to the profile": sidecar_link("claims.json.journal", ".bashrc"),
    "lock to the profile": sidecar_link("claims.json.lock", ".bashrc"),
    "conflicts to the secret": sidecar_link("claims.json.conflicts", "secret"),
    "journal to /dev/zero": sidecar_link("claims.json.journal", "/dev/zero"),
    "archive folder elsewhere": sidecar_link("claims.json.archive", "elsewhere"),
    ".gitignore to the secret": sidecar_link(".gitignore", "secret"),
    ".gitattributes to /dev/zero": sidecar_link(".gitattributes", "/dev/zero"),
    "archived copy to /dev/zero": archive_file_link("/dev/zero"),
    "archived copy to the secret": archive_file_link("secret"),
    "forged conversion text": forged_conversion,
    "inflated copy": inflated_copy,
    "invalid status": edited_claim(invalid_status),
    "key and id differ": edited_claim(key_id_mismatch),
    "javascript: URL": edited_claim(javascript_url),
    "malformed record": malformed_piece,
    "crafted journal": crafted_journal,
}
REFUSED_BY_THE_MERGE = {"invalid status", "key and id differ", "javascript: URL", "malformed record"}


def attack_and_work(root: Path, attacks: list[str]) -> None:
    desk = make_desk(root)
    assert desk.git("checkout", "-q", "hostile").returncode == 0
    theirs = desk.added("--actor", "Mark Rutte", "--source", "https://www.nato.int/b", "Theirs: 3.5% by 2035")
    # The forgery adds its claim with natoclaims before a link stops it; the folder link takes the copies away;
    # the malformed record comes last, since the other attacks read the store to find what to attack.
    for name in sorted(attacks, key=lambda name: (name == "malformed record", name != "forged conversion text",
                                                  name == "archive folder elsewhere")):
        ATTACKS[name](desk)
    desk.commit("hostile", force=True)
    assert desk.git("checkout", "-q", "main").returncode == 0
    ours = desk.added("--actor", "Mark Rutte", "--source", "https://www.nato.int/c", "Ours: 32 allies agreed")
    desk.commit("ours")
    ours_bytes = desk.store.read_bytes()
    before = desk.outside()

    merge = desk.git("merge", "--no-edit", "hostile")
    refused = merge.returncode != 0
    if set(attacks) & REFUSED_BY_THE_MERGE:
        assert refused, merge
    if refused:
        assert desk.store.read_bytes() == ours_bytes or desk.nc("check").returncode == 0
        assert desk.git("merge", "--abort").returncode == 0
    results = {
        "add": desk.nc("add", "--actor", "Mark Rutte", "--source", "https://www.nato.int/d", "--",
                       "$(touch PWNED) `touch PWNED` and ; touch PWNED"),
        "check": desk.nc("check", report=True),
        "quotes": desk.nc("check", "--quotes", "--format", "json", report=True),
        "extract": desk.nc("extract", SOURCE, "--format", "jsonl"),
        "archive": desk.nc("source", "archive", SOURCE, str(root / "page.html")),
        "undo": desk.nc("undo"),
        "setup": desk.nc("git", "setup"),
    }

    assert desk.outside() == before, "a file outside the work tree changed"
    assert not list(root.rglob("PWNED")), "a command ran"
    assert b"do-not-leak" not in desk.git("show", "HEAD:.gitignore").stdout.encode()
    if results["quotes"].returncode in (0, 1) and results["quotes"].stdout.strip():
        rows = orjson.loads(results["quotes"].stdout)
        assert not [r for r in rows if r["match"] in ("exact", "normalised") and INVENTED in str(r)], rows
    if not refused:
        claims = desk.nc("export", "--format", "json")
        assert claims.returncode == 0, claims
        ids = {c["id"] for c in orjson.loads(claims.stdout)}
        assert {desk.base, ours, theirs} <= ids, "an acknowledged claim of one side is gone"
        check = results["check"]
        assert check.returncode == 0 or "claims.json" in check.stderr + check.stdout, check
    else:
        ids = {c["id"] for c in orjson.loads(desk.nc("export", "--format", "json").stdout)}
        assert {desk.base, ours} <= ids


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_each_attack_is_held(tmp_path: Path, attack: str) -> None:
    attack_and_work(tmp_path, [attack])


@settings(max_examples=examples(4), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(sorted(ATTACKS)), min_size=2, max_size=4, unique=True))
def test_attacks_together_are_held(attacks: list[str]) -> None:
    with tempfile.TemporaryDirectory() as root:
        attack_and_work(Path(root), attacks)
