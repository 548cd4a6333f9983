"""Issue 16, at the terminal: tables and panels that read well from 60 to 200 columns."""

import os
import re
import shutil
import subprocess

import pytest

from tests.cli.test_cli import on_a_terminal
from tests.conftest import NATOCLAIMS, add, built_once, cli

LONG_URL = ("https://www.defense.gov/News/Transcripts/Transcript/Article/4123456/"
            "secretary-of-defense-pete-hegseth-remarks-at-nato-headquarters-brussels-belgium/")
TEXT = ("We will move some 35,000 troops out of Germany because Germany is delinquent and has not paid "
        "what it owes to NATO for many years")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def quote_id(empty_store, request, isolated):
    """The id of a dated quote with a long URL added as a second source, and a note."""
    def build():
        claim_id = add("--kind", "quote", "--date", "2025-03", text=TEXT)
        assert cli("edit", claim_id, "--add-source", LONG_URL, "--note", "check the figure against the Pentagon's own").code == 0
        return claim_id

    return built_once(request, isolated, build)


def at(width, monkeypatch, *args):
    monkeypatch.setenv("COLUMNS", str(width))
    return ANSI.sub("", on_a_terminal(*args, no_color=True))


@pytest.mark.parametrize("width", [60, 70, 80, 89, 90, 120, 200])
def test_search_keeps_the_claim_readable_at_any_width(quote_id, monkeypatch, width):
    table = at(width, monkeypatch, "search")
    assert all(len(line) <= width for line in table.splitlines())
    # Every word of the claim is printed whole: the claim column is never squeezed below a word.
    cells = " ".join(line.split("│")[-2] for line in table.splitlines() if line.count("│") >= 2)
    assert " ".join(cells.split()).find(TEXT) >= 0 or all(word in cells.split() for word in TEXT.split())
    header = next(line for line in table.splitlines() if line.startswith("┃"))
    if width < 90:  # stacked: date, actor and status above the claim
        assert "Kind" not in header and "Donald Trump · unverified · quote" in table
    else:
        assert "Kind" in header and "Actor" in header


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_history_wraps_the_url_that_was_added_instead_of_cutting_it(quote_id, monkeypatch, width):
    table = at(width, monkeypatch, "history", quote_id)
    assert "…" not in table
    assert all(len(line) <= width for line in table.splitlines())
    joined = re.sub(r"[\s│┃|]", "", table)
    assert "+" + LONG_URL in joined  # the added source alone, not both whole lists of sources
    assert "Pentagon's" in table
    if width < 90:  # one cell per change: the values keep the width
        assert "┃ Change " in table and "new: +" in table


def test_history_in_machine_formats_keeps_whole_values(quote_id):
    rows = cli("history", quote_id, "-f", "json").json()
    assert [r["field"] for r in rows] == ["notes", "sources"] or [r["field"] for r in rows] == ["sources", "notes"]
    assert any(LONG_URL in str(r["new"]) for r in rows)


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_show_never_breaks_a_url_mid_word(quote_id, monkeypatch, width):
    panel = at(width, monkeypatch, "show", quote_id)
    assert any(line.strip(" •│") == LONG_URL for line in panel.splitlines()), panel
    # The other lines still fit the width, wrapped between words.
    assert all(len(line) <= width for line in panel.splitlines() if LONG_URL not in line)
    assert "Pentagon's" in panel and "…" not in panel


def test_show_keeps_its_box_when_every_word_fits(empty_store, monkeypatch):
    claim_id = add(text=TEXT)
    panel = at(100, monkeypatch, "show", claim_id)
    assert panel.startswith("╭") and all(len(line) <= 100 for line in panel.splitlines())


def test_show_in_a_pipe_keeps_the_url_whole(quote_id):
    out = cli("show", quote_id, "-f", "table").stdout
    assert any(line.strip(" •") == LONG_URL for line in out.splitlines())


@pytest.mark.skipif(not shutil.which("script"), reason="needs script(1) for a pseudo-terminal")
def test_what_a_person_sees_in_a_narrow_real_terminal(quote_id, db):
    # script(1) gives the installed command a real pseudo-terminal; COLUMNS sets its width.
    command = f"{NATOCLAIMS} search; {NATOCLAIMS} show {quote_id}"
    proc = subprocess.run(["script", "-qc", command, "/dev/null"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "COLUMNS": "64", "NATOCLAIMS_PAGER": "cat", "TERM": "xterm"})
    seen = ANSI.sub("", proc.stdout).replace("\r", "")
    assert proc.returncode == 0, seen
    assert "┏" in seen and "Donald Trump · unverified · quote" in seen
    assert LONG_URL in seen.splitlines()[-3] or any(line.strip(" •") == LONG_URL for line in seen.splitlines())
    assert all(len(line) <= 64 for line in seen.splitlines() if LONG_URL not in line)


# -- the pager, colour and the timeline ---------------------------------------------------------

@pytest.fixture
def many(empty_store, request, isolated):
    def build():
        return [add(text=f"claim number {i} about troops") for i in range(12)]

    return built_once(request, isolated, build)


def paged_run(tmp_path, monkeypatch, *args, lines=10, **variables):
    """Run on a pretend terminal of `lines` lines; returns (stdout, what the pager got or None)."""
    from typer.testing import CliRunner

    from natoclaims.cli import app
    from natoclaims.cli.env import Environment

    paged = tmp_path / "paged"
    monkeypatch.setenv("LINES", str(lines))
    monkeypatch.setenv("COLUMNS", "100")
    for name, value in variables.items():
        monkeypatch.setenv(name, value.replace("{paged}", str(paged)))
    result = CliRunner().invoke(app, list(args), obj=Environment(stdout_is_terminal=True, no_color=True))
    assert result.exit_code == 0, result.output
    return result.stdout, paged.read_text() if paged.exists() else None


def test_long_output_on_a_terminal_goes_through_the_pager(many, tmp_path, monkeypatch):
    stdout, paged = paged_run(tmp_path, monkeypatch, "search", NATOCLAIMS_PAGER="cat > {paged}")
    assert stdout == "" and paged is not None and all(i in paged for i in many)


def test_pager_comes_from_natoclaims_pager_then_pager(many, tmp_path, monkeypatch):
    monkeypatch.delenv("NATOCLAIMS_PAGER")
    _, paged = paged_run(tmp_path, monkeypatch, "search", PAGER="cat > {paged}")
    assert paged is not None and many[0] in paged
    (tmp_path / "paged").unlink()
    stdout, paged = paged_run(tmp_path, monkeypatch, "search", PAGER="false", NATOCLAIMS_PAGER="cat > {paged}")
    assert paged is not None and stdout == ""


def test_default_pager_is_less_with_git_flags(monkeypatch):
    from natoclaims.cli.env import Environment

    monkeypatch.delenv("NATOCLAIMS_PAGER")
    assert Environment(stdout_is_terminal=True).pager == "less -FRX"
    assert Environment(stdout_is_terminal=False).pager is None
    assert Environment(stdout_is_terminal=True, paging=False).pager is None
    monkeypatch.setenv("PAGER", "cat")
    assert Environment(stdout_is_terminal=True).pager is None


def test_no_pager_and_short_output_print_directly(many, tmp_path, monkeypatch):
    stdout, paged = paged_run(tmp_path, monkeypatch, "--no-pager", "search", NATOCLAIMS_PAGER="cat > {paged}")
    assert paged is None and all(i in stdout for i in many)
    stdout, paged = paged_run(tmp_path, monkeypatch, "show", many[0], lines=200, NATOCLAIMS_PAGER="cat > {paged}")
    assert paged is None and many[0] in stdout


def test_never_a_pager_when_stdout_is_not_a_terminal(many, tmp_path):
    from tests.conftest import run

    result = run("search", "-f", "table", env={"NATOCLAIMS_PAGER": f"cat > {tmp_path / 'paged'}", "LINES": "5"})
    assert result.code == 0 and many[0] in result.stdout and not (tmp_path / "paged").exists()


def test_force_color_colours_a_table_in_a_pipe_and_no_color_still_wins(many):
    from tests.conftest import run

    assert "\x1b[" not in run("search", "-f", "table").stdout
    assert "\x1b[" in run("search", "-f", "table", env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[36m" not in run("search", "-f", "table", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "\x1b[" not in run("search", env={"FORCE_COLOR": "1"}).stdout  # TSV has no colour to force


def test_timeline_does_not_dim_unverified_claims(empty_store, monkeypatch):
    import io

    from natoclaims.render import print_to, timeline_view

    monkeypatch.setenv("TERM", "xterm")
    claim = {"id": "abcdef12", "said_on": "2025-03", "actor": "A", "text": "readable words", "status": "unverified"}
    out = io.StringIO()
    print_to(out, timeline_view([claim], set()), terminal=True, color=True)
    assert "readable words" in out.getvalue() and "\x1b[2mreadable words" not in out.getvalue()


@pytest.mark.skipif(not shutil.which("script"), reason="needs script(1) for a pseudo-terminal")
def test_a_real_terminal_pages_long_output(many, tmp_path):
    paged = tmp_path / "paged"
    proc = subprocess.run(["script", "-qc", f"{NATOCLAIMS} search", "/dev/null"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "LINES": "8", "NATOCLAIMS_PAGER": f"cat > {paged}"})
    assert proc.returncode == 0 and many[0] not in proc.stdout
    assert all(i in paged.read_text() for i in many)


# -- show B: the links that point at B ----------------------------------------------------------

def test_show_lists_the_links_that_point_at_a_claim(two):
    a, b = two
    assert cli("link", a, "contradicts", b, "--note", "Feb vs March").code == 0
    shown_b = cli("show", b, "-f", "table").stdout
    assert "Linked from" in shown_b and f"{a} contradicts this (Feb vs March)" in shown_b
    shown_a = cli("show", a, "-f", "table").stdout
    assert f"contradicts {b}" in shown_a and "Linked from" not in shown_a
    # The record itself is unchanged: `links` holds a claim's own links only.
    assert cli("show", b, "-f", "json").json()[0]["links"] == []


def test_linked_from_in_the_library(two):
    from natoclaims import core
    from natoclaims.store import open_store

    a, b = two
    cli("link", a, "supports", b)
    assert core.linked_from(open_store(), b) == [{"from": a, "relation": "supports", "note": None}]
    assert core.linked_from(open_store(), a) == []


# -- --format ids: claims, sources, actors, change sets; refused elsewhere -----------------------

@pytest.mark.parametrize("args", [["stats"], ["history", "{a}"]])
def test_format_ids_is_refused_where_rows_have_no_key(two, db, args):
    from tests.conftest import assert_refused

    before = db.read_bytes()
    result = cli(*[arg.replace("{a}", two[0]) for arg in args], "--format", "ids")
    assert_refused(result, "--format ids lists claims, sources, actors or change sets")
    assert result.code == 2 and db.read_bytes() == before


def test_format_ids_gives_each_listing_its_natural_key(two):
    a, b = two
    cli("link", a, "contradicts", b)
    lines = lambda *args: cli(*args, "--format", "ids").stdout.splitlines()  # noqa: E731
    assert sorted(lines("search")) == sorted([a, b]) and lines("timeline") == lines("search")
    assert lines("show", a) == [a]
    assert sorted(lines("contradictions")) == sorted([a, b])
    assert sorted(lines("actors")) == ["Donald Trump", "Mark Rutte"]
    sources = lines("source", "list")
    assert len(sources) == 1 and lines("source", "show", sources[0]) == sources
    change_sets = lines("log")
    assert change_sets and all(re.fullmatch(r"[a-z0-9]+", i) for i in change_sets)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_source_list_never_cuts_an_id_or_a_url(quote_id, monkeypatch, width):
    """Issue 24.13: ids and URLs were cut ('n2fe8z…', 'https://www…'), so nothing could be copied."""
    cli("source", "add", "https://www.nato.int/cps/en/natohq/official_texts_236705.htm", "--title",
        "The Hague Summit Declaration issued by the NATO Heads of State and Government", "--outlet", "NATO")
    table = at(width, monkeypatch, "source", "list")
    assert "…" not in table and all(len(line) <= width for line in table.splitlines())
    ids = cli("source", "list", "--format", "ids").stdout.split()
    assert len(ids) == 3 and all(re.search(rf"(^|\s){i}(\s|$)", table, re.M) for i in ids), table
    folded = re.sub(r"\n\s*", "", table)  # a URL wider than its cell folds, every character kept
    assert LONG_URL in folded or LONG_URL in re.sub(r"[\s│┃|]", "", table)
