"""Issue 23.13: every string the store keeps reaches the terminal through one escaping path, in
every view: no control character acts on the terminal and no bracket is read as Rich markup."""

from __future__ import annotations

import io
import json

import pytest

from tests.cli.test_cli import on_a_terminal
from tests.cli.test_terminal import ANSI
from tests.conftest import built_once, cli

EVIL = "\x1b[31m[bold]x"  # would turn the terminal red, and Rich would read [bold] as a style
SHOWN = "\\x1b[31m[bold]x"  # what a person must see instead: the escape made visible, the brackets literal


TEXT = "We will move some 35,000 troops out of Germany"


def evil(field: str) -> str:
    return f"{field} {EVIL}"


def shown(field: str) -> str:
    return f"{field} {SHOWN}"


def claim_record(said_on: str, position: str, value: int) -> dict:
    """A claim whose every free-text field, source, review and history entry carries EVIL."""
    return {
        "text": evil(TEXT), "actor": evil("actor"), "kind": "quote", "said_on": said_on, "context": evil("context"),
        "notes": evil("notes"), "topics": ["troops"],
        "sources": [{"url": "https://e.org/a", "title": evil("title"), "outlet": evil("outlet")}],
        "reviews": [{"verdict": "false", "note": evil("rationale"), "reviewer": evil("reviewer"),
                     "at": "2025-01-02T00:00:00Z",
                     "evidence": [{"url": "https://e.org/b", "title": evil("evidence"), "outlet": evil("evoutlet")}]}],
        "quantities": [{"value": value, "unit": "troops", "measure": "troops-in-germany", "qualifier": "exact",
                        "as_of": None}],
        "stances": [{"proposition": "us-defends-all-allies", "position": position}],
        "history": [{"at": "2025-01-03T00:00:00Z", "by": evil("by"), "field": evil("field"), "old": evil("old"),
                     "new": evil("new"), "note": evil("why")}],
    }


@pytest.fixture
def hostile(empty_store, request, isolated):
    """Two claims by one actor (a reversal, conflicting figures, a repeat of the same words) and an
    open merge conflict, all full of EVIL."""
    def build():
        assert cli("actor", "add", evil("actor"), "--alias", evil("alias"), "--role", evil("role")).code == 0
        records = [claim_record("2025-03", "for", 35000), claim_record("2025-04", "against", 35000)]
        result = cli("import", "-", input="".join(json.dumps(r) + "\n" for r in records))
        assert result.code == 0, result
        ids = cli("search", "-f", "ids").stdout.split()
        assert cli("link", ids[0], "contradicts", ids[1], "--note", evil("link")).code == 0
        conflict = {"table": "claims", "key": ids[0], "field": "notes", "base": evil("base"), "ours": evil("ours"),
                    "theirs": evil("theirs")}
        (empty_store.parent / (empty_store.name + ".conflicts")).write_text(json.dumps({"conflicts": [conflict]}))
        return {"claim": ids[0]}

    return built_once(request, isolated, build)


FIELDS = {
    ("show", "{claim}"): [TEXT, "actor", "context", "notes", "title", "outlet", "rationale", "reviewer", "evidence",
                          "evoutlet", "link"],
    ("search",): [TEXT, "actor"],
    ("history", "{claim}"): ["by", "field", "old", "new", "why"],
    ("source", "list"): ["title", "outlet"],
    ("source", "show", "https://e.org/a"): ["title", "outlet"],
    ("actors",): ["actor", "alias", "role"],
    ("actor", "list"): ["actor", "alias", "role"],
    ("conflicts",): ["base", "ours", "theirs"],
    ("contradictions", "--all"): [TEXT, "actor"],
    ("stats",): ["actor"],
    ("timeline",): [TEXT, "actor"],
    ("repeats",): ["actor"],
}


@pytest.mark.parametrize("width", [60, 250])
@pytest.mark.parametrize("view", FIELDS, ids=" ".join)
def test_every_stored_string_is_printed_literally_in_every_view(hostile, monkeypatch, view, width):
    monkeypatch.setenv("COLUMNS", str(width))
    out = on_a_terminal(*(word.format(**hostile) for word in view), no_color=True)
    # Without colour Rich writes no colour of its own: a red sequence could only come from the data.
    assert "\x1b[31m" not in out and "\r" not in out
    out = ANSI.sub("", out)  # Rich's own bold and dim, which NO_COLOR keeps
    assert "[bold]" in out
    if width < 250:  # narrow cells wrap the words: every field is looked for where each fits on a line
        return
    for field in FIELDS[view]:
        assert shown(field) in out, (field, out)


def test_every_view_escapes_what_it_is_given(hostile):
    """The views the CLI reaches only with an archive (quotes checked) or rarely, straight from render."""
    from natoclaims import render

    def printed(renderable) -> str:
        out = io.StringIO()
        render.print_to(out, renderable, terminal=True, color=False)
        return out.getvalue()

    row = {"id": evil("id"), "source": evil("source"), "match": "altered", "text": evil("quote"),
           "selector": {"exact": evil("exact"), "prefix": evil("prefix"), "suffix": evil("suffix")}, "found": None}
    views = [
        render.quote_checks_table([row], None),
        render.quote_checks_table([{**row, "found": evil("found")}], lambda a, b: [("replace", a, b)]),
        render.quote_in_context(row["selector"]),
        render.rows_table([{"name": evil("cell")}], ["name"], title=evil("table title")),
    ]
    for view in views:
        out = printed(view)
        assert "\x1b[31m" not in out and "\\x1b[31m[bold]" in out, out
