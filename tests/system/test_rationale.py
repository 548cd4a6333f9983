"""Issue 24.6: a verdict asks for its rationale on a terminal, and ClaimReview refuses a verdict without one."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess

import pytest

from natoclaims.store import encode, read_file
from tests.conftest import NATOCLAIMS, add, assert_refused, cli, run

PUBLISH = ["export", "--format", "claimreview", "--publisher-url", "https://x.org/checks"]


def on_a_terminal(*args: str, answer: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command on a real pseudo-terminal (script(1)), typing `answer` into it."""
    command = shlex.join([NATOCLAIMS or "natoclaims", *args])
    return subprocess.run(["script", "-qec", command, "/dev/null"], input=answer, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "NATOCLAIMS_PAGER": "cat", "TERM": "dumb"})


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("script"), reason="needs script(1) for a pseudo-terminal")
@pytest.mark.parametrize("command", [["review", "{id}", "false"], ["status", "{id}", "false"]])
def test_a_verdict_on_a_terminal_asks_for_its_rationale(empty_store, command):
    claim_id = add(text="Spain pays 1% of GDP")
    proc = on_a_terminal(*[a.format(id=claim_id) for a in command], answer="NATO's estimate is 1.28%\n")
    assert proc.returncode == 0, proc.stdout
    assert "Rationale" in proc.stdout
    [claim] = read_file(empty_store)["claims"].values()
    assert claim["status"] == "false" and claim["reviews"][-1]["note"] == "NATO's estimate is 1.28%"


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("script"), reason="needs script(1) for a pseudo-terminal")
def test_add_with_a_verdict_on_a_terminal_asks_for_its_rationale(empty_store):
    proc = on_a_terminal("add", "--actor", "A", "--source", "https://a.org", "--status", "false", "Spain pays 1%",
                         answer="NATO's estimate is 1.28%\n")
    assert proc.returncode == 0, proc.stdout
    [claim] = read_file(empty_store)["claims"].values()
    assert [(r["verdict"], r["note"]) for r in claim["reviews"]] == [("false", "NATO's estimate is 1.28%")]


def test_off_a_terminal_a_verdict_without_rationale_is_kept_but_not_published(empty_store):
    noted, bare = add(text="one claim"), add(text="another claim")
    assert cli("review", noted, "false", "--note", "the figures say otherwise").code == 0
    assert cli("status", bare, "misleading").code == 0  # no prompt off a terminal
    add("--status", "disputed", text="a third claim")
    before = empty_store.read_bytes()
    result = cli(*PUBLISH)
    assert_refused(result, "2 claims have a verdict without a rationale")
    assert bare in result.stderr and noted not in result.stderr and result.code == 1
    assert empty_store.read_bytes() == before
    allowed = cli(*PUBLISH, "--allow-missing-rationale")
    assert allowed.code == 0, allowed
    bodies = {r["identifier"]: r.get("reviewBody") for r in json.loads(allowed.stdout)}
    assert bodies[noted] == "the figures say otherwise" and bodies[bare] is None and len(bodies) == 3
    assert cli(*PUBLISH, "--status", "false").code == 0  # only the claims exported are asked about


@pytest.mark.parametrize("command", ["review", "status"])
def test_a_blank_note_is_refused_as_no_rationale(empty_store, command):
    claim_id = add(text="Spain pays 1% of GDP")
    before = empty_store.read_bytes()
    result = cli(command, claim_id, "verified", "--note", "   ")
    assert_refused(result, "--note is blank")
    assert result.code == 2 and empty_store.read_bytes() == before


def test_claimreview_refuses_a_blank_rationale_in_one_line_naming_the_option(empty_store):
    claim_id = add(text="Spain pays 1% of GDP")
    assert cli("review", claim_id, "verified", "--note", "the budget says so").code == 0
    data = read_file(empty_store)  # a blank note as a store written before they were refused holds it
    data["claims"][claim_id]["reviews"][-1]["note"] = "   "
    empty_store.write_bytes(encode(data))
    result = run("export", "--format", "claimreview")
    assert_refused(result, f"1 claim has a verdict without a rationale ({claim_id})")
    assert "give --allow-missing-rationale" in result.stderr and "require_rationale" not in result.stderr
    allowed = run("export", "--format", "claimreview", "--allow-missing-rationale")
    assert allowed.code == 0 and allowed.stderr.startswith("warning: ClaimReview needs a url"), allowed
    assert [r.get("reviewBody") for r in json.loads(allowed.stdout)] == [None]
