"""The installed `natoclaims` command in a subprocess, on a temporary store, as a user's shell runs it."""

import json
import os
import subprocess

import pytest

from natoclaims.store import bundled_dataset, read_file
from tests.conftest import NATOCLAIMS, run


def test_new_user_sees_the_bundled_dataset(isolated):
    env = {"NATOCLAIMS_DB": ""}
    result = run("search", "--actor", "Trump", "--format", "jsonl", env=env)
    assert result.code == 0, result
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines and all(claim["actor"] == "Donald Trump" for claim in lines)
    assert (isolated / "xdg" / "natoclaims" / "claims.json").read_bytes() == bundled_dataset().read_bytes()


def test_pipe_default_is_tsv_and_ids_feed_xargs(empty_store):
    first = run("add", "Some 35,000 troops", "--actor", "Trump", "--source", "https://a.org").stdout.strip()
    run("add", "Allies must spend 5% of GDP", "--actor", "Trump", "--source", "https://a.org")
    listing = run("search").stdout.splitlines()
    assert len(listing) == 2 and all(len(line.split("\t")) == 6 for line in listing)
    shown = subprocess.run(f"{NATOCLAIMS} search 35000 --format ids | xargs {NATOCLAIMS} show --format jsonl",
                           shell=True, capture_output=True, text=True, env=os.environ)
    assert json.loads(shown.stdout)["id"] == first


@pytest.mark.slow
def test_status_from_a_pipeline(empty_store):
    for text in ("one claim", "two claims", "three claims"):
        run("add", text, "--actor", "Donald Trump", "--source", "https://a.org")
    run("add", "other", "--actor", "Mark Rutte", "--source", "https://a.org")
    piped = subprocess.run(f"{NATOCLAIMS} search --actor Trump --format ids | {NATOCLAIMS} status - disputed",
                           shell=True, capture_output=True, text=True, env=os.environ)
    assert piped.returncode == 0, piped.stderr
    statuses = {c["actor"]: c["status"] for c in read_file(empty_store)["claims"].values()}
    assert statuses == {"Donald Trump": "disputed", "Mark Rutte": "unverified"}


def test_closed_pipe_is_not_an_error(empty_store):
    run("add", "x " * 2000, "--actor", "A", "--source", "https://a.org")
    piped = subprocess.run(f"{NATOCLAIMS} search --format json | head -c 10", shell=True, capture_output=True,
                           text=True, env=os.environ)
    assert "Traceback" not in piped.stderr and "BrokenPipe" not in piped.stderr


@pytest.mark.slow
def test_hostile_text_is_printed_safely_in_every_format(empty_store):
    hostile = "[bold]x[/] [link=http://evil]y[/link] \x1b[2J\x1b]8;;http://e\x07z\u202eabc =1+1"
    claim_id = run("add", hostile, "--actor", "A", "--source", "https://a.org").stdout.strip()
    for fmt in ("table", "tsv", "csv", "ids", "json", "jsonl"):
        out = run("search", "--format", fmt).stdout
        assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out, fmt
    table = run("search", "--format", "table").stdout
    assert "[bold]x[/]" in table and "[link=http://evil]y[/link]" in table
    assert json.loads(run("show", claim_id, "--format", "json").stdout)[0]["text"] == hostile


def test_version_and_help_are_quick_to_import():
    code = ("import sys; sys.argv=['natoclaims', '--version']\n"
            "from natoclaims.cli import app\n"
            "try:\n    app()\nexcept SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'tinydb', 'dateutil', 'orjson')))")
    proc = subprocess.run(["python", "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip().endswith("[]"), proc.stdout


@pytest.mark.slow
def test_output_is_whole_and_exit_codes_kept_when_leaving_without_teardown(empty_store):
    # main() leaves through os._exit: buffered output must still all arrive, codes must survive.
    lines = "".join(json.dumps({"text": f"claim {i}: some {1000 + i} troops", "actor": "Importer", "said_on": "2025",
                                "quantities": [{"value": 2000 if i % 1000 == 0 else 1000, "unit": "troops", "measure": "m"}],
                                "sources": [{"url": "https://a.org"}]}) + "\n" for i in range(3000))
    assert run("import", "-", input=lines).code == 0
    exported = run("export", "--format", "jsonl", env={"PYTHONUNBUFFERED": ""})  # buffered, as usual
    assert exported.code == 0 and len(exported.stdout.splitlines()) == 3000
    assert json.loads(exported.stdout.splitlines()[-1])["actor"] == "Importer"
    found = run("contradictions", "--fail", "--format", "ids")
    assert found.code == 1 and len(found.stdout.split()) == 3000 and "contradictions found" in found.stderr
    assert run("show", "9zzz").code == 1
    assert run("search", "--format", "nope").code == 2


@pytest.mark.parametrize("argv", [["--version"], ["--db", "x.json", "--version"], ["--no-pager", "--version"]])
def test_version_alone_loads_neither_typer_nor_the_store(argv):
    proc = subprocess.run(["python", "-X", "importtime", "-c",
                           f"import sys; sys.argv = ['natoclaims', *{argv!r}]; from natoclaims.cli import main; main()"],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("natoclaims ")
    loaded = {line.split("|")[-1].strip() for line in proc.stderr.splitlines()}
    assert not {"typer", "natoclaims.store", "natoclaims.cli.application"} & loaded


def test_version_after_a_command_is_still_refused_as_misplaced():
    assert "goes before the command" in run("search", "--version").stderr
