"""Each command through CliRunner, on a temporary store."""

import csv
import io
import json

import pytest
import typer

from natoclaims.cli import app
from natoclaims.store import read_file
from tests.conftest import add, built_once, cli


@pytest.fixture
def three(empty_store, request, isolated):
    """Three claims with different actors, dates, topics and sources."""
    def build():
        cli("actor", "add", "Donald Trump", "--alias", "Trump", "--alias", "President Trump", "--role", "US President")
        a = add("--kind", "quote", "--date", "early March 2025", "--topic", "troops", "--topic", "germany",
                text="We are weighing withdrawing some 35,000 troops from Germany", actor="Trump")
        b = cli("add", "Pedro Sánchez says Spain's NATO's target is unrealistic at 2.1%", "--actor", "Pedro Sánchez",
                "--date", "2025-06-24", "--source", "https://www.lamoncloa.gob.es/x", "--topic", "defence-spending",
                "--context", "told reporters in Madrid").stdout.strip()
        c = cli("add", "The senator praised the 350,000 volunteers", "--actor", "Some Senator", "--date", "2024",
                "--source-title", "Hearing transcript", "--outlet", "Congress", "--note", "check the figure").stdout.strip()
        return a, b, c

    return built_once(request, isolated, build)


def ids(result):
    return result.stdout.split()


def test_add_prints_only_the_new_id_and_stores_everything(three):
    a, _, c = three
    claim = cli("show", a, "--format", "json").json()[0]
    assert claim["actor"] == "Donald Trump" and claim["kind"] == "quote" and claim["said_on"] == "2025-03"
    assert claim["topics"] == ["troops", "germany"] and claim["status"] == "unverified"
    assert claim["quantities"] == [{"value": 35000, "unit": "troops", "measure": None, "qualifier": "approx", "as_of": None}]
    other = cli("show", c, "--format", "json").json()[0]
    [source] = other["sources"]
    assert source == {"id": source["id"], "url": None, "title": "Hearing transcript", "outlet": "Congress", "published": None}
    assert cli("source", "show", source["id"], "-f", "json").json()[0]["type"] == "article"
    assert other["notes"] == "check the figure"


def test_add_reads_text_from_stdin_and_reports_new_actor(empty_store):
    result = cli("add", "-", "--actor", "Mark Rutte", "--source", "https://nato.int", input="Allies are stepping up\n")
    assert result.code == 0 and "new actor: Mark Rutte" in result.stderr
    assert cli("show", result.stdout.strip(), "-f", "json").json()[0]["text"] == "Allies are stepping up"


def test_add_with_quantity_measure_and_stance(empty_store):
    claim_id = add("--quantity", "35000 troops", "--measure", "us-troops-germany", "--stance", "us-troop-withdrawal:for")
    claim = cli("show", claim_id, "-f", "json").json()[0]
    assert claim["quantities"][0]["measure"] == "us-troops-germany" and claim["quantities"][0]["qualifier"] == "exact"
    assert claim["stances"] == [{"proposition": "us-troop-withdrawal", "position": "for"}]


def test_measure_alone_names_the_one_extracted_figure(empty_store):
    claim = cli("show", add("--measure", "us-troops-germany"), "-f", "json").json()[0]
    assert claim["quantities"][0] == {"value": 35000, "unit": "troops", "measure": "us-troops-germany",
                                      "qualifier": "approx", "as_of": None}


def test_add_warns_about_near_identical_claim_by_same_actor(empty_store):
    first = add()
    result = cli("add", "some 35,000 troops will leave Germany!", "--actor", "Donald Trump", "--source", "https://b.org")
    assert result.code == 0 and first in result.stderr and "near-identical" in result.stderr
    result = cli("add", "some 35,000 troops will leave Germany!", "--actor", "Mark Rutte", "--source", "https://b.org")
    assert "near-identical" not in result.stderr


def test_add_resolves_aliases_and_titles(three):
    result = cli("add", "Another claim", "--actor", "President Trump", "--source", "https://a.org")
    assert "new actor" not in result.stderr
    assert cli("show", result.stdout.strip(), "-f", "json").json()[0]["actor"] == "Donald Trump"


def test_show_accepts_prefixes_and_several_ids(three):
    a, b, _ = three
    result = cli("show", a[:4], b, "--format", "jsonl")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [a, b]


def test_show_table_is_a_panel_with_literal_text(empty_store):
    claim_id = add(text="He said [bold]NATO[/bold] is [sic] obsolete \x1b[31mred\x1b]8;;http://x\x07")
    out = cli("show", claim_id, "--format", "table").stdout
    assert "[bold]NATO[/bold] is [sic] obsolete" in out and "\x1b" not in out and "\\x1b[31mred" in out


def test_search_word_prefix_accents_phrases_and_numbers(three):
    a, b, c = three
    assert ids(cli("search", "troop", "-f", "ids")) == [a]
    assert ids(cli("search", "nato", "-f", "ids")) == [b]  # "NATO's", not "senator"
    assert ids(cli("search", "sanchez", "-f", "ids")) == [b]
    assert ids(cli("search", "SÁNCHEZ", "-f", "ids")) == [b]
    assert ids(cli("search", "35000", "-f", "ids")) == [a]
    assert ids(cli("search", "35,000", "-f", "ids")) == [a]
    assert ids(cli("search", "350000", "-f", "ids")) == [c]
    assert ids(cli("search", "2.1", "-f", "ids")) == [b]
    assert ids(cli("search", '"from germany"', "-f", "ids")) == [a]
    assert ids(cli("search", '"germany from"', "-f", "ids")) == []
    assert ids(cli("search", "troops germany", "-f", "ids")) == [a]
    assert ids(cli("search", "troops", "germany", "-f", "ids")) == [a]
    assert ids(cli("search", "troops madrid", "-f", "ids")) == []
    assert ids(cli("search", "madrid", "-f", "ids")) == [b]  # context is searched
    assert ids(cli("search", "figure", "-f", "ids")) == [c]  # notes are searched


def test_search_filters(three):
    a, b, c = three
    assert ids(cli("search", "--actor", "Trump", "-f", "ids")) == [a]
    assert ids(cli("search", "--actor", "trump", "--actor", "sanchez", "-f", "ids")) == [a, b]
    assert ids(cli("search", "--actor", "donald trump", "-f", "ids")) == [a]
    assert ids(cli("search", "--actor", "Trum", "-f", "ids")) == []
    assert ids(cli("search", "--topic", "troops", "--topic", "defence-spending", "-f", "ids")) == [a, b]
    assert ids(cli("search", "--kind", "quote", "-f", "ids")) == [a]
    assert ids(cli("search", "--status", "unverified", "--topic", "troops", "-f", "ids")) == [a]
    assert ids(cli("search", "--since", "2025-03-15", "-f", "ids")) == [a, b]
    assert ids(cli("search", "--until", "2025-02", "-f", "ids")) == [c]
    assert ids(cli("search", "--since", "2025-04", "--until", "June 2025", "-f", "ids")) == [b]
    assert ids(cli("search", "--source-domain", "gob.es", "-f", "ids")) == [b]
    assert ids(cli("search", "--source-domain", "lamoncloa.gob.es", "-f", "ids")) == [b]
    assert ids(cli("search", "--source-domain", "moncloa.gob.es", "-f", "ids")) == []
    assert ids(cli("search", "--measure", "nothing", "-f", "ids")) == []


def test_search_sort_reverse_limit(three):
    a, b, c = three
    assert ids(cli("search", "-f", "ids")) == [c, a, b]
    assert ids(cli("search", "--reverse", "-f", "ids")) == [b, a, c]
    assert ids(cli("search", "--sort", "actor", "-f", "ids")) == [a, b, c]
    assert ids(cli("search", "--sort", "created", "-f", "ids")) == [a, b, c]
    assert ids(cli("search", "--limit", "1", "-f", "ids")) == [c]
    assert cli("search", "--limit", "0", "-f", "ids").stdout == ""


def test_search_formats(three):
    a, b, c = three
    rows = cli("search", "-f", "tsv").stdout.splitlines()
    assert rows[0].split("\t")[:3] == [c, "2024", "Some Senator"]
    assert len(cli("search", "-f", "json").json()) == 3
    lines = cli("search", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(x)["id"] for x in lines] == [c, a, b]
    table = list(csv.DictReader(io.StringIO(cli("search", "-f", "csv").stdout)))
    assert [r["id"] for r in table] == [c, a, b] and table[1]["topics"] == "troops;germany"
    assert json.loads(table[1]["quantities"])[0]["value"] == 35000
    out = cli("search", "-f", "table").stdout
    assert a in out and "Donald" in out and "┃" not in out and "│" not in out


def test_empty_result_is_success(three):
    result = cli("search", "nothingmatchesthis", "-f", "table")
    assert result.code == 0 and result.stdout == "" and "no claims" in result.stderr
    assert cli("search", "nothingmatchesthis", "-f", "json").stdout.strip() == "[]"


def test_edit_records_history(three):
    a, _, _ = three
    result = cli("edit", a, "--date", "2025-03-06", "--add-topic", "Article 5", "--remove-topic", "germany",
                 "--context", "interview", "--why", "from the transcript")
    assert result.code == 0 and "3 fields changed" in result.stderr
    claim = cli("show", a, "-f", "json").json()[0]
    assert claim["said_on"] == "2025-03-06" and claim["topics"] == ["troops", "article-5"]
    history = cli("history", a, "-f", "json").json()
    assert {h["field"] for h in history} == {"said_on", "context", "topics"}
    said = next(h for h in history if h["field"] == "said_on")
    assert said["old"] == "2025-03" and said["new"] == "2025-03-06" and said["by"] == "tester"
    assert said["note"] == "from the transcript"
    assert claim["updated_at"] >= claim["created_at"]


def test_edit_text_actor_kind_stance_quantity_source(three):
    a, _, _ = three
    assert cli("edit", a, "--text", "New words", "--actor", "Mark Rutte", "--kind", "paraphrase",
               "--stance", "x-y:against", "--quantity", "5 %GDP", "--measure", "us-spending",
               "--add-source", "https://b.org", "--note", "n").code == 0
    claim = cli("show", a, "-f", "json").json()[0]
    assert claim["text"] == "New words" and claim["actor"] == "Mark Rutte" and claim["kind"] == "paraphrase"
    assert claim["stances"] == [{"proposition": "x-y", "position": "against"}]
    assert claim["quantities"][0]["unit"] == "%GDP" and len(claim["sources"]) == 2 and claim["notes"] == "n"
    assert cli("edit", a, "--stance", "x-y:for").code == 0
    assert cli("show", a, "-f", "json").json()[0]["stances"] == [{"proposition": "x-y", "position": "for"}]


def test_status_single_and_from_stdin(three):
    a, b, c = three
    result = cli("status", a, "disputed", "--note", "see fact-check", "--source", "https://factcheck.org/x")
    assert result.code == 0
    claim = cli("show", a, "-f", "json").json()[0]
    assert claim["status"] == "disputed" and [s["url"] for s in claim["sources"]] == ["https://example.org/a"]
    assert claim["reviews"][-1]["evidence"][0]["url"] == "https://factcheck.org/x"  # evidence, never an appearance
    assert claim["reviews"][-1]["note"] == "see fact-check" and claim["reviews"][-1]["reviewer"] == "tester"
    assert claim["history"][-1]["field"] == "status" and claim["history"][-1]["old"] == "unverified"
    result = cli("status", "-", "false", input=f"{b}\n\n{c[:5]}\n")
    assert result.code == 0 and "2 claims reviewed" in result.stderr
    assert {x["status"] for x in cli("search", "-f", "json").json()} == {"disputed", "false"}


def test_status_from_stdin_is_all_or_nothing(three, empty_store):
    a, _, _ = three
    before = empty_store.read_bytes()
    result = cli("status", "-", "false", input=f"{a}\nnosuch99\n")
    assert result.code == 1 and "nosuch99" in result.stderr
    assert empty_store.read_bytes() == before


def test_rm_removes_claims_and_links_to_them(three):
    a, b, c = three
    assert cli("link", b, "contradicts", a).code == 0
    result = cli("rm", a, c, "--yes")
    assert result.code == 0 and "deleted 2" in result.stderr
    assert ids(cli("search", "-f", "ids")) == [b]
    claim = cli("show", b, "-f", "json").json()[0]
    assert claim["links"] == [] and claim["history"][-1]["field"] == "links"


def test_actors_and_aliases(three):
    rows = cli("actors", "-f", "json").json()
    trump = next(r for r in rows if r["name"] == "Donald Trump")
    assert trump == {"name": "Donald Trump", "aliases": ["President Trump", "Trump"], "role": "US President", "type": "person",
                     "claims": 1}
    assert cli("actor", "alias", "trump", "POTUS").code == 0
    assert ids(cli("search", "--actor", "potus", "-f", "ids")) == [three[0]]
    clash = cli("actor", "alias", "Pedro Sánchez", "Trump")
    assert clash.code == 1 and "Donald Trump" in clash.stderr
    assert cli("actor", "add", "donald  TRUMP").code == 1
    assert cli("actor", "alias", "Nobody", "x").code == 1
    tsv = cli("actors").stdout.splitlines()
    assert tsv[0].startswith("Donald Trump\tPOTUS;President Trump;Trump\tUS President\tperson\t1")


def test_history_formats(three):
    a, _, _ = three
    cli("status", a, "verified")
    assert cli("history", a, "-f", "tsv").stdout.split("\t")[1:5] == ["tester", "status", "unverified", "verified"]
    assert "status" in cli("history", a, "-f", "table").stdout


def test_link_and_unlink(three):
    a, b, _ = three
    assert cli("link", a, "supports", b, "--note", "same story").code == 0
    assert cli("show", a, "-f", "json").json()[0]["links"] == [{"relation": "supports", "to": b, "note": "same story"}]
    assert cli("unlink", b, a).code == 0
    assert cli("show", a, "-f", "json").json()[0]["links"] == []
    assert cli("unlink", a, b).code == 1


def test_version_and_help():
    assert cli("--version").stdout.startswith("natoclaims ")
    help_text = cli("--help").stdout
    for command in ("init", "add", "show", "edit", "status", "rm", "search", "link", "unlink",
                    "contradictions", "actors", "actor", "history", "check"):
        assert command in help_text


def commands(group, path=()):
    """Every command of the app as the words that name it ('show', 'actor add'), groups walked into."""
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name)


@pytest.mark.parametrize("command", list(commands(typer.main.get_command(app))), ids=" ".join)
def test_every_command_help_has_an_example(command):
    result = cli(*command, "--help")
    assert result.code == 0, result
    assert "Example:" in result.stdout
    example = " ".join(result.stdout.split("Example:", 1)[1].split("\n\n", 1)[0].split())
    assert "natoclaims " in example and " ".join(command) in example, example


def test_no_color_and_no_boxes_in_a_pipe(three, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    out = cli("search", "-f", "table").stdout
    assert "\x1b[" not in out


def test_debug_shows_traceback(empty_store, monkeypatch):
    monkeypatch.setenv("NATOCLAIMS_DEBUG", "1")
    from natoclaims.errors import NotFound

    with pytest.raises(NotFound):
        cli("show", "nosuch12")


def test_check_reports_problems(empty_store):
    a = add()
    data = read_file(empty_store)
    data["claims"][a]["links"] = [{"relation": "supports", "to": "ghost123", "note": None}]
    data["claims"][a]["status"] = "maybe"
    data["claims"]["zz999999"] = dict(data["claims"][a], id="zz999999", status="verified", actor="Nobody Known")
    empty_store.write_text(json.dumps(data))
    result = cli("check")
    assert result.code == 1
    assert f"{a}: unknown status 'maybe'" in result.stdout
    assert "zz999999: dangling link: supports ghost123" in result.stdout
    assert "zz999999: actor 'Nobody Known' is not in the actors table" in result.stdout
    assert "zz999999: status 'verified' without a review giving that verdict" in result.stdout


def test_typographic_quotes_match_plain_ones(empty_store):
    claim_id = add(text="NATO WASN\u2019T THERE WHEN WE NEEDED THEM \u201cagain\u201d")
    assert ids(cli("search", "wasn't", "there", "-f", "ids")) == [claim_id]
    assert ids(cli("search", '"wasn\'t there"', "-f", "ids")) == [claim_id]


def test_actor_name_or_alias_beats_whole_word(empty_store):
    cli("actor", "add", "Donald Trump", "--alias", "Trump")
    a = add(actor="Trump")
    b = add(text="critics speak", actor="Trump critics (unnamed)")
    assert ids(cli("search", "--actor", "Trump", "-f", "ids")) == [a]
    assert ids(cli("search", "--actor", "trump critics", "-f", "ids")) == [b]
    assert ids(cli("search", "--actor", "donald", "-f", "ids")) == [a]
    assert ids(cli("search", "--actor", "unnamed", "-f", "ids")) == [b]


def test_timeline_colours_status_tags_by_the_bare_status(monkeypatch):
    # The style of the tag "[false]" is looked up by "false": it used to find nothing and print plain.
    import io

    from natoclaims.render import print_to, timeline_view

    monkeypatch.setenv("TERM", "xterm")
    claim = {"id": "abcdef12", "said_on": "2025-03", "actor": "A", "text": "words", "status": "false"}
    out = io.StringIO()
    print_to(out, timeline_view([claim], set()), terminal=True, color=True)
    assert "\x1b[31m[false]\x1b[0m" in out.getvalue()


def on_a_terminal(*args: str, **environment):
    """Run a command in-process as if stdout were a terminal."""
    from typer.testing import CliRunner

    from natoclaims.cli import app
    from natoclaims.cli.env import Environment

    result = CliRunner().invoke(app, list(args), obj=Environment(stdout_is_terminal=True, **environment))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_on_a_terminal_search_is_a_rich_table_and_the_timeline_is_coloured(three, monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLUMNS", "120")  # wide enough for every column (narrower stacks: test_terminal.py)
    a, b, _ = three
    cli("status", b, "false")
    table = on_a_terminal("search")
    header = next(line for line in table.splitlines() if line.startswith("┃"))
    assert "┏" in table and "│" in table and a in table
    assert "ID" in header and "Actor" in header and "Status" in header and "\x1b[1m" in header
    timeline = on_a_terminal("timeline")
    assert "\x1b[31m[false]\x1b[0m" in timeline and "\x1b[2m[unverified]\x1b[0m" in timeline
    plain = on_a_terminal("timeline", no_color=True)
    assert "[false]" in plain and "\x1b[31m" not in plain


def test_help_lists_every_command_in_its_place():
    import typer

    from natoclaims.cli import app
    from natoclaims.cli.application import COMMAND_ORDER

    assert sorted(typer.main.get_command(app).commands) == sorted(COMMAND_ORDER)


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_import_nothing_heavy(args):
    import subprocess
    import sys

    code = (f"import sys; sys.argv = ['natoclaims', *{args!r}]\n"
            "from natoclaims.cli import app\n"
            "try:\n    app()\nexcept SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'tinydb', 'dateutil', 'orjson')\n"
            "             or m in ('natoclaims.store', 'natoclaims.core', 'natoclaims.formats.writers', 'natoclaims.engines.search',\n"
            "                      'natoclaims.cli.completion', 'natoclaims.cli.pager')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip().endswith("[]"), proc.stdout + proc.stderr


def test_quantity_ranges_words_and_as_of(empty_store):
    claim_id = add("--quantity", "700-800 troops", "--quantity", "about 750 troops", "--measure", "us-troops-poland",
                   "--as-of", "2025-02")
    figures = cli("show", claim_id, "-f", "json").json()[0]["quantities"]
    assert [(f["value"], f["qualifier"], f["measure"], f["as_of"]) for f in figures] == [
        (700, "at-least", "us-troops-poland", "2025-02"), (800, "at-most", "us-troops-poland", "2025-02"),
        (750, "approx", None, "2025-02")]


def test_extracted_range_becomes_two_bounds(empty_store):
    claim_id = add(text="Between 700 and 800 troops will rotate through Poland")
    figures = cli("show", claim_id, "-f", "json").json()[0]["quantities"]
    assert [(f["value"], f["unit"], f["qualifier"]) for f in figures] == [(700, "troops", "at-least"), (800, "troops", "at-most")]


def test_edit_measure_and_as_of_apply_to_the_figures_already_there(empty_store):
    claim_id = add(text="He said 700-800 troops would go")
    assert cli("edit", claim_id, "--measure", "us-troops-poland").code == 0
    assert cli("edit", claim_id, "--as-of", "2025-01").code == 0
    claim = cli("show", claim_id, "-f", "json").json()[0]
    assert [(f["value"], f["measure"], f["as_of"]) for f in claim["quantities"]] == [
        (700, "us-troops-poland", "2025-01"), (800, "us-troops-poland", "2025-01")]
    assert [h["field"] for h in claim["history"]] == ["quantities", "quantities"]
    assert cli("edit", claim_id, "--measure", "a", "--measure", "b").code == 0
    assert [f["measure"] for f in cli("show", claim_id, "-f", "json").json()[0]["quantities"]] == ["a", "b"]


def test_quantity_help_lists_every_form():
    help_text = " ".join(cli("add", "--help").stdout.split())
    for form in ("~750", ">700", ">=700", "<=800", "about 750 troops", "700-800 troops", "between 700 and 800 troops"):
        assert form in help_text
    assert "--as-of" in help_text
    assert "already there" in " ".join(cli("edit", "--help").stdout.split())


def test_every_command_is_built_from_the_group_that_registers_it():
    """GROUP_OF names each command's module, so a run can build only its own group: a command a
    module registers that GROUP_OF lacks (or names wrongly) would be unreachable."""
    import importlib

    import typer.main

    from natoclaims.cli.application import GROUP_OF, app_for, build

    for group in set(GROUP_OF.values()):
        module = importlib.import_module(f"natoclaims.cli.{group}")
        built = typer.main.get_command(build([group]))
        assert {name for name, owner in GROUP_OF.items() if owner == group} == set(built.commands), group
        assert module.app.registered_commands or module.app.registered_groups
    assert set(typer.main.get_command(build()).commands) == set(GROUP_OF)
    assert set(typer.main.get_command(app_for(["--db", "x.json", "source", "list"])).commands) == {"source"}
    assert set(typer.main.get_command(app_for(["--version"])).commands) == set()
    assert len(typer.main.get_command(app_for(["serch"])).commands) == len(GROUP_OF)  # a typo gets suggestions
    assert len(typer.main.get_command(app_for(["--help"])).commands) == len(GROUP_OF)


def test_every_noun_group_has_the_same_verbs(two):
    """Issue 24.14: `actors` listed but `actor list` was an error while `source list` existed."""
    import typer.main

    from natoclaims.cli.application import build

    root = typer.main.get_command(build())
    nouns = {name: command for name, command in root.commands.items() if hasattr(command, "commands") and name != "git"}
    assert set(nouns) == {"actor", "source"}
    for name, group in nouns.items():
        assert {"list", "show", "add", "edit", "rm"} <= set(group.commands), name
    assert cli("actor", "list", "-f", "json").json() == cli("actors", "-f", "json").json()  # the old spelling stays
    shown = cli("actor", "show", "trump", "-f", "json")
    assert shown.code == 0 and [a["name"] for a in shown.json()] == ["Donald Trump"], shown
    assert cli("actor", "show", "nobody").stderr == "natoclaims: error: no actor named 'nobody'\n"
