"""Views across claims: contradictions and disputes, stats, the timeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from natoclaims.model.text import counted
from natoclaims.render.terminal import STATUS_STYLES, TIMELINE_STYLES, status_text, text

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
    table = Table(title=f"Disputes ({counted(len(sides), 'proposition')}, {counted(len(pairs), 'pair')})", title_justify="left",
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


def timeline_view(claims: Sequence[Mapping[str, Any]], contradicted: set[str]) -> Group:
    """Claims under a heading per month (or year, or 'Undated'), coloured by status; ⚡ marks a contradiction."""
    parts: list[Any] = []
    heading = None
    for claim in claims:
        when = claim["said_on"]
        period = "Undated" if not when else when[:7] if len(when) >= 7 else f"{when} (year)"
        if period != heading:
            heading = period
            parts.append(text(f"\n{period}", "bold underline"))
        line = Text.assemble(
            ("⚡ " if claim["id"] in contradicted else "  ", "bold red"),
            text(claim["said_on"] or "", "dim"), " ", text(claim["id"], "cyan"), " ",
            # The tag carries the status; the claim is dimmed by nothing, so an unverified one stays readable.
            text(claim["actor"], "bold"), ": ", text(claim["text"], TIMELINE_STYLES.get(claim["status"], "")),
            " ", status_text(claim["status"], f"[{claim['status']}]"),
        )
        parts.append(line)
    parts.append(Text("\n⚡ in a contradicting pair (see: natoclaims contradictions)", style="dim"))
    return Group(*parts)
