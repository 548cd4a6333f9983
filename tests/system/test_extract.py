"""`natoclaims extract` as installed: the pipe into `import`, and `--review` in a real pseudo-terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import NATOCLAIMS, run

TEXT = ("NATO allies must step up, U.S. Defense Secretary Pete Hegseth said on Thursday in Brussels.\n"
        "“It cannot and will not be reliance on America,” Hegseth told reporters.\n"
        "“We are ready,” one European diplomat said.\n"
        "“Nobody doubts it,” Mark Rutte said.\n")


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_extract_piped_into_import(db: Path, article: Path) -> None:
    assert run("init", "--empty").code == 0
    proc = subprocess.run(f"'{NATOCLAIMS}' extract '{article}' --url https://example.org/a --published 2025-06-06 "
                          f"-f jsonl | '{NATOCLAIMS}' import -", shell=True, capture_output=True, text=True, timeout=60,
                          env=os.environ)
    assert proc.returncode == 0 and "imported 3 claims" in proc.stderr, proc.stderr
    claims = [json.loads(line) for line in run("export").stdout.splitlines()]
    assert {c["actor"] for c in claims} == {"Pete Hegseth", "European diplomat (unnamed)", "Mark Rutte"}


def converse(args: list[str], answers: str) -> tuple[int, str]:
    """Run natoclaims with a pseudo-terminal as stdin, stdout and stderr; type the answers; return the exit status
    and everything the terminal showed."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([NATOCLAIMS, *args], stdin=secondary, stdout=secondary, stderr=secondary, env=os.environ,
                            close_fds=True)
    os.close(secondary)
    os.write(primary, answers.encode())
    shown = b""
    stop = time.monotonic() + 60
    while time.monotonic() < stop:
        ready, _, _ = select.select([primary], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the other end closed: the command has finished
                break
            if not chunk:
                break
            shown += chunk
        elif proc.poll() is not None:
            break
    os.close(primary)
    return proc.wait(timeout=30), shown.decode("utf-8", "replace")


def test_review_accepts_edits_and_skips_in_a_terminal(db: Path, article: Path) -> None:
    assert run("init", "--empty").code == 0
    # accept the first, edit the second (actor, kind, date), skip the third
    answers = "a\ne\nEuropean official (unnamed)\nparaphrase\n2025-06\ns\n"
    status, shown = converse(["extract", str(article), "--url", "https://example.org/a", "--published", "2025-06-06",
                              "--review"], answers)
    assert status == 0, shown
    assert "imported 2 claims" in shown
    claims = {c["text"]: c for c in (json.loads(line) for line in run("export").stdout.splitlines())}
    assert set(claims) == {"It cannot and will not be reliance on America", "We are ready"}
    assert claims["It cannot and will not be reliance on America"]["actor"] == "Pete Hegseth"
    edited = claims["We are ready"]
    assert (edited["actor"], edited["kind"], edited["said_on"]) == ("European official (unnamed)", "paraphrase", "2025-06")
    assert all(c["history"][0]["new"] == "extracted" for c in claims.values())
    log = run("log", "-f", "json").json()
    assert len(log) == 1 and "--review" in log[0]["command"]  # the review's one change set


def test_review_quit_at_once_imports_nothing(db: Path, article: Path) -> None:
    assert run("init", "--empty").code == 0
    before = db.read_bytes()
    status, shown = converse(["extract", str(article), "--review"], "q\n")
    assert status == 0 and "nothing imported" in shown
    assert db.read_bytes() == before


def test_review_shows_each_candidate_before_asking_with_the_default_pager(db: Path, article: Path) -> None:
    assert run("init", "--empty").code == 0
    environment = {k: v for k, v in os.environ.items() if k not in ("PAGER", "NATOCLAIMS_PAGER")}
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([NATOCLAIMS, "extract", str(article), "--review"], stdin=secondary, stdout=secondary,
                            stderr=secondary, env={**environment, "COLUMNS": "200"}, close_fds=True)
    os.close(secondary)
    shown = b""
    stop = time.monotonic() + 60
    try:
        while b"[a]ccept" not in shown and time.monotonic() < stop and proc.poll() is None:
            if select.select([primary], [], [], 0.2)[0]:
                shown += os.read(primary, 65536)
        # The question is on screen, nothing is typed yet: the candidate it asks about must be there above it.
        before_answer = shown.decode("utf-8", "replace")
        assert "[a]ccept" in before_answer and "reliance on America" in before_answer, before_answer
        os.write(primary, b"q\n")
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        os.close(primary)
