"""Terminal output: the only module that imports Rich.

Every piece of store text goes in as `Text(escape_controls(...))`, never as markup, so a
quote containing "[sic]" or an escape sequence prints literally and harmlessly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TextIO

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from natoclaims.formats import flat
from natoclaims.text import escape_controls

STATUS_STYLES = {
    "unverified": "dim", "verified": "green", "misleading": "yellow", "false": "red",
    "disputed": "magenta", "inconclusive": "cyan", "retracted": "strike red",
}


def console(out: TextIO, *, terminal: bool, color: bool) -> Console:
    """A console on `out` that never reads markup or emoji from what it prints."""
    return Console(
        file=out, force_terminal=terminal, no_color=not (terminal and color),
        markup=False, emoji=False, highlight=False, soft_wrap=False,
    )


def print_to(out: TextIO, renderable: Any, *, terminal: bool, color: bool) -> None:
    """Print a table, panel or group; off a terminal without boxes (just aligned columns).

    Whether `out` is a terminal and colour is wanted (NO_COLOR) is the caller's decision.
    """
    if not terminal:
        renderable = _unboxed(renderable)
    console(out, terminal=terminal, color=color).print(renderable)


def _unboxed(renderable: Any) -> Any:
    if isinstance(renderable, Table):
        renderable.box = None
    elif isinstance(renderable, Group):
        for part in renderable.renderables:
            _unboxed(part)
    elif isinstance(renderable, Panel):
        return Group(renderable.title or "", _unboxed(renderable.renderable), "")
    return renderable


def text(value: Any, style: str = "") -> Text:
    """A cell from data: literal text with control characters made visible."""
    if value is None:
        return Text("")
    return Text(escape_controls(str(flat(value))), style=style)


def status_text(status: str, label: str | None = None) -> Text:
    """A status in its colour; `label` is what to print, when not the bare status (the timeline's "[false]")."""
    return text(status if label is None else label, STATUS_STYLES.get(status, ""))


def claims_table(claims: Sequence[dict[str, Any]], title: str | None = None) -> Table:
    """A table of claims: id, date, actor, status, kind, text."""
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("ID", style="bold cyan", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Actor")
    table.add_column("Status", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Claim", ratio=1)
    for claim in claims:
        table.add_row(
            text(claim["id"]), text(claim["said_on"] or "-"), text(claim["actor"]),
            status_text(claim["status"]), text(claim["kind"]), text(claim["text"]),
        )
    return table


def rows_table(records: Sequence[dict[str, Any]], columns: Sequence[str], title: str | None = None) -> Table:
    """A plain table of records with the given columns."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column.replace("_", " ").capitalize())
    for record in records:
        cells = [status_text(record[c]) if c == "status" else text(record.get(c)) for c in columns]
        table.add_row(*cells)
    return table


def _lines(label: str, items: list[str]) -> list[Text]:
    if not items:
        return []
    result = [Text(label, style="bold")]
    result += [Text("  • ") + text(item) for item in items]
    return result


def _source(source: dict[str, Any]) -> str:
    return " — ".join(p for p in (source["title"], source["outlet"], source["published"], source["url"]) if p)


def claim_panel(claim: dict[str, Any]) -> Panel:
    """One claim in full."""
    body: list[Any] = [text(claim["text"], "bold"), Text("")]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for label, value in (
        ("Actor", claim["actor"]), ("Said on", claim["said_on"]), ("Kind", claim["kind"]),
        ("Context", claim["context"]), ("Topics", claim["topics"]), ("Notes", claim["notes"]),
    ):
        if value:
            grid.add_row(label, text(value))
    grid.add_row("Status", status_text(claim["status"]))
    body.append(grid)
    body += _lines("Sources", [_source(s) for s in claim["sources"]])
    for source in claim["sources"]:
        if source.get("selector"):
            body += [Text(f"In source {source['id']}", style="bold"), quote_in_context(source["selector"])]
    for review in claim.get("reviews", []):
        body += _lines(f"Review: {review['verdict']} by {review['reviewer']} on {review['at'][:10]}",
                       [*([review["note"]] if review["note"] else []), *(f"evidence: {_source(e)}" for e in review["evidence"])])
    body += _lines("Figures", [
        f"{q['value']:,} {q['unit']} ({q['qualifier']}"
        + (f", measure {q['measure']}" if q["measure"] else "") + (f", as of {q['as_of']}" if q["as_of"] else "") + ")"
        for q in claim["quantities"]
    ])
    body += _lines("Stances", [f"{s['proposition']}: {s['position']}" for s in claim["stances"]])
    body += _lines("Links", [
        f"{link['relation']} {link['to']}" + (f" ({link['note']})" if link["note"] else "") for link in claim["links"]
    ])
    body.append(text(f"created {claim['created_at']} · updated {claim['updated_at']} · "
                     f"{len(claim['history'])} change(s)", "dim"))
    return Panel(Group(*body), title=text(claim["id"], "bold cyan"), title_align="left")


def quote_in_context(selector: dict[str, Any]) -> Text:
    """An anchored quote inside its context in the source: … prefix “quote” suffix …."""
    def squeeze(part: str) -> str:
        return re.sub(r"\s+", " ", part)

    line = Text("  …")
    line.append_text(text(squeeze(selector["prefix"]), "dim"))
    line.append_text(text(squeeze(selector["exact"]), "bold"))
    line.append_text(text(squeeze(selector["suffix"]), "dim"))
    line.append("…")
    return line


def marked_words(runs: Sequence[tuple[str, str, str]], side: str) -> Text:
    """One side of a word diff (`claim` or `source`): differing words marked as git's --word-diff
    does ([-claim's-] and {+source's+}), and in colour on a terminal."""
    line = Text()
    for operation, ours, theirs in runs:
        words = ours if side == "claim" else theirs
        if not words:
            continue
        if line:
            line.append(" ")
        if operation == "equal":
            line.append_text(text(words))
        elif side == "claim":
            line.append_text(text(f"[-{words}-]", "bold red"))
        else:
            line.append_text(text(f"{{+{words}+}}", "bold green"))
    return line


MATCH_STYLES = {"exact": "green", "normalised": "cyan", "altered": "bold yellow", "missing": "bold red",
                "damaged": "bold red", "unarchived": "dim"}


def quote_checks_table(rows: Sequence[dict[str, Any]], differences: Any) -> Table:
    """`check --quotes`: each quote's match, with the source's words beside the claim's when altered."""
    table = Table(title="Quotes checked against archived sources")
    for column in ("ID", "Source", "Match", "Claim says", "Source says"):
        table.add_column(column, no_wrap=column in ("ID", "Source", "Match"))
    for row in rows:
        found = row.get("found")
        if found is not None:
            runs = differences(row["text"], found)
            claim_cell, source_cell = marked_words(runs, "claim"), marked_words(runs, "source")
        else:
            claim_cell = text(row["text"])
            source_cell = text(row.get("problem") or (row["selector"] or {}).get("exact") or "-")
        table.add_row(text(row["id"]), text(row["source"]), text(row["match"], MATCH_STYLES.get(row["match"], "")),
                      claim_cell, source_cell)
    return table


KIND_TITLES = {
    "linked": "Linked as contradicting", "numeric": "Conflicting figures",
    "stance": "Opposite stances", "possible": "Possible (leads, not confirmed)",
}


def contradiction_tables(pairs: Sequence[dict[str, Any]]) -> Group:
    """One table per kind of contradiction: both claims and the detail; a pair with more than
    one kind is in the table of its strongest, the others named. Disputes between actors are
    grouped by proposition into sides."""
    tables = []
    for kind, title in KIND_TITLES.items():
        rows = [p for p in pairs if p["kind"] == kind]
        if kind == "stance":
            disputes = [p for p in rows if p.get("subkind") == "dispute"]
            rows = [p for p in rows if p.get("subkind") != "dispute"]
            if disputes:
                tables.append(dispute_table(disputes))
            title = f"{title}: reversals"
        if not rows:
            continue
        table = Table(title=f"{title} ({len(rows)})", title_justify="left", show_lines=True)
        table.add_column("Detail", ratio=1)
        table.add_column("Claim A", ratio=2)
        table.add_column("Claim B", ratio=2)
        for pair in rows:
            detail = text(pair["detail"], "bold")
            if len(pair.get("kinds", ())) > 1:
                detail.append("\nalso " + ", ".join(pair["kinds"][1:]), style="dim")
            table.add_row(detail, _pair_side(pair["a"]), _pair_side(pair["b"]))
        tables.append(table)
    return Group(*tables)


def dispute_sides(pairs: Sequence[dict[str, Any]]) -> dict[str, dict[str, dict[str, dict[str, Any]]]]:
    """Dispute pairs grouped: proposition -> 'for'/'against' -> claim id -> the claim's summary."""
    sides: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    for pair in pairs:
        by_position = sides.setdefault(pair["proposition"], {"for": {}, "against": {}})
        for claim, position in zip((pair["a"], pair["b"]), pair["positions"], strict=True):
            by_position[position][claim["id"]] = claim
    return sides


def dispute_table(pairs: Sequence[dict[str, Any]]) -> Table:
    """One row per disputed proposition: who is for and who against, with dates."""
    sides = dispute_sides(pairs)
    table = Table(title=f"Disputes ({len(sides)} propositions, {len(pairs)} pairs)", title_justify="left",
                  show_lines=True)
    table.add_column("Proposition", ratio=1, overflow="fold")
    table.add_column("For", ratio=2)
    table.add_column("Against", ratio=2)
    for proposition, by_position in sorted(sides.items()):
        cells = []
        for position in ("for", "against"):
            said = sorted(by_position[position].values(), key=lambda c: (c["said_on"] or "9999", c["id"]))
            cell = Text()
            for n, claim in enumerate(said):
                cell.append_text(Text.assemble(("\n" if n else ""), text(claim["actor"], "bold"), " ",
                                               text(claim["said_on"] or "undated", "dim"), " ", text(claim["id"], "cyan")))
            cells.append(cell)
        table.add_row(text(proposition, "bold"), *cells)
    return table


def _pair_side(claim: dict[str, Any]) -> Text:
    return Text.assemble(
        text(claim["id"], "cyan"), " ", text(claim["said_on"] or "undated", "dim"), " ",
        text(claim["actor"], "bold"), "\n", text(claim["text"]),
    )


def stats_tables(rows: Sequence[dict[str, Any]]) -> Group:
    """One table per group of counts, each count with a bar."""
    tables = []
    for group in dict.fromkeys(r["group"] for r in rows):
        counts = [r for r in rows if r["group"] == group]
        largest = max((r["count"] for r in counts), default=0) or 1
        table = Table(title=f"By {group}", title_justify="left")
        table.add_column(group.capitalize())
        table.add_column("Claims", justify="right")
        table.add_column("")
        for row in counts:
            bar = "█" * max(1 if row["count"] else 0, round(30 * row["count"] / largest))
            style = STATUS_STYLES.get(row["key"], "cyan") if group == "status" else "cyan"
            table.add_row(text(row["key"]), str(row["count"]), Text(bar, style=style))
        tables.append(table)
    return Group(*tables)


def timeline_view(claims: Sequence[dict[str, Any]], contradicted: set[str]) -> Group:
    """Claims under a heading per month (or year, or 'Undated'), coloured by status; ⚡ marks a contradiction."""
    parts: list[Any] = []
    heading = None
    for claim in claims:
        when = claim["said_on"]
        period = "Undated" if not when else when[:7] if len(when) >= 7 else f"{when} (year)"
        if period != heading:
            heading = period
            parts.append(Text(f"\n{period}", style="bold underline"))
        line = Text.assemble(
            ("⚡ " if claim["id"] in contradicted else "  ", "bold red"),
            text(claim["said_on"] or "", "dim"), " ", text(claim["id"], "cyan"), " ",
            text(claim["actor"], "bold"), ": ", text(claim["text"], STATUS_STYLES.get(claim["status"], "")),
            " ", status_text(claim["status"], f"[{claim['status']}]"),
        )
        parts.append(line)
    parts.append(Text("\n⚡ in a contradicting pair (see: natoclaims contradictions)", style="dim"))
    return Group(*parts)


class progress:
    """A progress bar on stderr for long imports; used as `with progress(n, label) as tick`."""

    def __init__(self, total: int, label: str) -> None:
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True))
        self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> Any:
        self.bar.start()
        return lambda: self.bar.advance(self.task)

    def __exit__(self, *exc: Any) -> None:
        self.bar.stop()
