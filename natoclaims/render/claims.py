"""Views of claims: the claims table, one claim in full, its history, and its quotes checked."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from rich.box import HEAVY_HEAD
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from natoclaims.formats.writers import flat
from natoclaims.model.text import counted, escape_controls
from natoclaims.render.terminal import status_text, table_title, text

if TYPE_CHECKING:
    from natoclaims.model.shapes import Quantity, Selector, Source

NARROW = 90  # columns: below this a claims table stacks date, actor and status above the claim


class ClaimsTable:
    """A table of claims: id, date, actor, status, kind, text; below `NARROW` columns, id and
    one cell per claim (date · actor · status over the text), so the claim keeps the width."""

    def __init__(self, claims: Sequence[Mapping[str, Any]], title: str | None = None) -> None:
        self.claims, self.title, self.boxed = claims, title, True

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.stacked() if options.max_width < NARROW else self.wide()
        if not self.boxed:
            table.box = None
        yield table

    def wide(self) -> Table:
        table = Table(title=table_title(self.title), show_lines=False, expand=False)
        table.add_column("ID", style="bold cyan", no_wrap=True)
        table.add_column("Date", no_wrap=True)
        table.add_column("Actor", min_width=8)
        table.add_column("Status", no_wrap=True)
        table.add_column("Kind", no_wrap=True)
        table.add_column("Claim", ratio=1, min_width=20)
        for claim in self.claims:
            table.add_row(
                text(claim["id"]), text(claim["said_on"] or "-"), text(claim["actor"]),
                status_text(claim["status"]), text(claim["kind"]), text(claim["text"]),
            )
        return table

    def stacked(self) -> Table:
        table = Table(title=table_title(self.title), show_lines=True, expand=False)
        table.add_column("ID", style="bold cyan", no_wrap=True)
        table.add_column("Claim", ratio=1)
        for claim in self.claims:
            about = Text.assemble(text(claim["said_on"] or "undated", "dim"), " · ", text(claim["actor"], "bold"),
                                  " · ", status_text(claim["status"]), " · ", text(claim["kind"], "dim"))
            table.add_row(text(claim["id"]), Text.assemble(about, "\n", text(claim["text"])))
        return table


def claims_table(claims: Sequence[Mapping[str, Any]], title: str | None = None) -> ClaimsTable:
    """A table of claims that reads well at any width (see `ClaimsTable`)."""
    return ClaimsTable(claims, title)


class RowsTable:
    """A table of records: the first column (an id, a name) is never cut, and other cells wrap,
    long words (a URL) folding rather than ending in an ellipsis. When the columns cannot all fit,
    each record is one cell, its fields a line each below its key."""

    def __init__(self, records: Sequence[Mapping[str, Any]], columns: Sequence[str], title: str | None = None) -> None:
        self.records, self.columns, self.title, self.boxed = records, columns, title, True

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.measure import Measurement

        table = self.wide()
        # Measured as if the width were unlimited: Rich's own minimum is already squeezed to fit.
        if Measurement.get(console, options.update_width(10_000), table).minimum > options.max_width:
            table = self.stacked()
        if not self.boxed:
            table.box = None
        yield table

    def cell(self, record: Mapping[str, Any], column: str) -> Text:
        return status_text(record[column]) if column == "status" else text(record.get(column))

    def wide(self) -> Table:
        table = Table(title=table_title(self.title))
        for n, column in enumerate(self.columns):
            table.add_column(_heading(column), no_wrap=n == 0, overflow="fold")
        for record in self.records:
            table.add_row(*(self.cell(record, c) for c in self.columns))
        return table

    def stacked(self) -> Table:
        key, *rest = self.columns
        table = Table(title=table_title(self.title), show_lines=True)
        table.add_column(_heading(key), no_wrap=True)
        table.add_column("Details", ratio=1, overflow="fold")
        for record in self.records:
            lines = [Text.assemble((f"{_heading(c)}: ", "dim"), self.cell(record, c))
                     for c in rest if record.get(c) not in (None, "", [])]
            table.add_row(self.cell(record, key), Text("\n").join(lines))
        return table


def _heading(column: str) -> str:
    return column.replace("_", " ").capitalize()


def rows_table(records: Sequence[Mapping[str, Any]], columns: Sequence[str], title: str | None = None) -> RowsTable:
    """A table of records with the given columns that reads well at any width (see `RowsTable`)."""
    return RowsTable(records, columns, title)


class HistoryTable:
    """A claim's change log: for a list field what was removed and added, not both whole lists;
    long values wrap (a URL folds at the edge, never cut off with an ellipsis). Below `NARROW`
    columns each change is one cell (when, who, field over the old and new values)."""

    def __init__(self, entries: Sequence[Mapping[str, Any]], title: str | None = None) -> None:
        self.entries, self.title, self.boxed = entries, title, True

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        narrow = options.max_width < NARROW
        table = Table(title=table_title(self.title), show_lines=True, box=None if not self.boxed else HEAVY_HEAD)
        if narrow:
            table.add_column("Change", overflow="fold")
        else:
            table.add_column("At", no_wrap=True)
            table.add_column("By")
            table.add_column("Field", no_wrap=True)
            for column in ("Old", "New", "Note"):
                table.add_column(column, ratio=1, overflow="fold")
        for entry in self.entries:
            old, new = entry["old"], entry["new"]
            if isinstance(old, list) and isinstance(new, list):
                old, new = [f"− {_item(x)}" for x in old if x not in new], [f"+ {_item(x)}" for x in new if x not in old]
            at = entry["at"][:16].replace("T", " ")
            if narrow:
                cell = Text.assemble(text(f"{at} · {entry['by']} · "), text(entry["field"], "bold"))
                for label, value in (("old", old), ("new", new), ("why", entry["note"])):
                    if value not in (None, "", []):
                        cell.append_text(Text.assemble(f"\n{label}: ", _value(value)))
                table.add_row(cell)
            else:
                table.add_row(text(at), text(entry["by"]), text(entry["field"]), _value(old), _value(new), text(entry["note"]))
        yield table


def history_table(entries: Sequence[Mapping[str, Any]], title: str | None = None) -> HistoryTable:
    """A claim's change log that reads well at any width (see `HistoryTable`)."""
    return HistoryTable(entries, title)


def _item(value: Any) -> str:
    """One element of a list field in a few words: a source's URL, a link, a figure, a stance."""
    if not isinstance(value, dict):
        return str(flat(value))
    if "relation" in value:
        return f"{value['relation']} {value['to']}"
    if "proposition" in value:
        return f"{value['proposition']}: {value['position']}"
    if "qualifier" in value:
        from natoclaims.engines.contradictions import describe

        return describe(cast("Quantity", value)) + (f" ({value['measure']})" if value.get("measure") else "")
    if "id" in value and ("url" in value or "title" in value):
        return cast(str, value.get("url") or value.get("title") or value["id"])
    return str(flat(value))


def _value(value: Any) -> Text:
    return text("\n".join(value)) if isinstance(value, list) else text(value)


def _wrapped(value: Any, width: int, style: str = "", first: str = "", rest: str = "") -> Text:
    """Literal text wrapped between words to `width`, never inside one: a longer word (a URL) runs
    on whole, for the terminal to wrap, so it stays one word to copy or click."""
    import textwrap

    rest = rest or " " * len(first)
    lines: list[str] = []
    for paragraph in escape_controls(str(flat(value))).split("\n"):
        lines += textwrap.wrap(paragraph, max(width, 1), initial_indent=first if not lines else rest,
                               subsequent_indent=rest, break_long_words=False, break_on_hyphens=False) or [rest]
    return Text("\n".join(lines), style=style, no_wrap=True, overflow="ignore")


def _source(source: Source) -> list[str]:
    described = " — ".join(p for p in (source["title"], source["outlet"], source["published"]) if p)
    return [part for part in (described, source["url"]) if part]


class ClaimView:
    """One claim in full: a panel, or (when a word such as a URL is wider than the panel's
    inside, or off a terminal) the same lines without the box, so nothing is broken or cut."""

    def __init__(self, claim: Mapping[str, Any], linked_from: Sequence[dict[str, Any]] = (),
                 quote_checks: Sequence[dict[str, Any]] = (), differences: Any = None) -> None:
        self.claim, self.linked_from, self.boxed = claim, linked_from, True
        self.quote_checks, self.differences = quote_checks, differences

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        title = text(self.claim["id"], "bold cyan")
        if self.boxed and self.longest_word() + 4 + 6 <= width:  # borders and padding, and the deepest indent
            yield Panel(Group(*self.body(width - 4)), title=title, title_align="left")
        else:
            yield Group(title, *self.body(width), Text(""))

    def longest_word(self) -> int:
        claim = self.claim
        words = [claim["text"], claim["context"] or "", claim["notes"] or "",
                 *(s["url"] or "" for s in claim["sources"]),
                 *(e["url"] or "" for r in claim.get("reviews", []) for e in r["evidence"])]
        return max((len(word) for value in words for word in value.split()), default=0)

    def body(self, width: int) -> list[Text]:
        """The claim's lines, each wrapped to `width`."""
        claim = self.claim
        body = [_wrapped(claim["text"], width, "bold"), Text("")]
        for label, value in (
            ("Actor", claim["actor"]), ("Said on", claim["said_on"]), ("Kind", claim["kind"]),
            ("Context", claim["context"]), ("Topics", claim["topics"]), ("Notes", claim["notes"]),
        ):
            if value:
                body.append(Text.assemble((f"{label:<9}", "bold"), _wrapped(value, width, first=" " * 9)[9:]))
        body.append(Text.assemble(("Status   ", "bold"), status_text(claim["status"])))

        def items(label: str, entries: list[list[str]]) -> None:
            if entries:
                body.append(text(label, "bold"))
                body.extend(_wrapped(part, width, first="  • " if i == 0 else "    ")
                            for entry in entries for i, part in enumerate(entry))

        items("Sources", [_source(s) for s in claim["sources"]])
        for check in self.quote_checks:
            body += quote_check_lines(check, self.differences)
        for review in claim.get("reviews", []):
            items(f"Review: {review['verdict']} by {review['reviewer']} on {review['at'][:10]}",
                  [*([[review["note"]]] if review["note"] else []), *(["evidence:", *_source(e)] for e in review["evidence"])])
        items("Figures", [[
            f"{q['value']:,} {q['unit']} ({q['qualifier']}"
            + (f", measure {q['measure']}" if q["measure"] else "") + (f", as of {q['as_of']}" if q["as_of"] else "") + ")"
        ] for q in claim["quantities"]])
        items("Stances", [[f"{s['proposition']}: {s['position']}"] for s in claim["stances"]])
        items("Links", [
            [f"{link['relation']} {link['to']}" + (f" ({link['note']})" if link["note"] else "")] for link in claim["links"]
        ])
        items("Linked from", [
            [f"{link['from']} {link['relation']} this" + (f" ({link['note']})" if link["note"] else "")]
            for link in self.linked_from
        ])
        body.append(_wrapped(f"created {claim['created_at']} · updated {claim['updated_at']} · "
                             f"{counted(len(claim['history']), 'change')}", width, "dim"))
        return body


def claim_panel(claim: Mapping[str, Any], linked_from: Sequence[dict[str, Any]] = (),
                quote_checks: Sequence[dict[str, Any]] = (), differences: Any = None) -> ClaimView:
    """One claim in full, with the links other claims make to it and, for a quote, how each archived
    source holds its words (`check_quotes` rows; `differences`, the word diff, defaults to the anchoring engine's)."""
    return ClaimView(claim, linked_from, quote_checks, differences)


def _word_diff(differences: Any) -> Any:
    """The word diff to show: the one given, else the anchoring engine's."""
    if differences is None:
        from natoclaims.engines.anchoring import differences
    return differences


def quote_check_lines(check: dict[str, Any], differences: Any = None) -> list[Text]:
    """A quote against one archived source: in its context when the words are there, the word diff
    when altered, the problem when missing or damaged; nothing when no source is archived."""
    match, heading = check["match"], text(f"In source {check['source']}: ", "bold")
    if match == "unarchived":
        return []
    heading.append_text(text(match, MATCH_STYLES.get(match, "")))
    if check.get("found") is not None:
        runs = _word_diff(differences)(check["text"], check["found"])
        return [heading, Text.assemble("  claim:  ", marked_words(runs, "claim")),
                Text.assemble("  source: ", marked_words(runs, "source"))]
    if check.get("selector") and match in ("exact", "normalised"):
        return [heading, quote_in_context(check["selector"])]
    return [heading, text(f"  {check.get('problem') or 'the words are not in the archived copy'}")]


def quote_in_context(selector: Selector) -> Text:
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


def quote_checks_table(rows: Sequence[dict[str, Any]], differences: Any = None) -> Table:
    """`check --quotes`: each quote's match, with the source's words beside the claim's when altered."""
    table = Table(title="Quotes checked against archived sources")
    for column in ("ID", "Source", "Match", "Claim says", "Source says"):
        table.add_column(column, no_wrap=column in ("ID", "Source", "Match"))
    for row in rows:
        found = row.get("found")
        if found is not None:
            runs = _word_diff(differences)(row["text"], found)
            claim_cell, source_cell = marked_words(runs, "claim"), marked_words(runs, "source")
        else:
            claim_cell = text(row["text"])
            source_cell = text(row.get("problem") or (row["selector"] or {}).get("exact") or "-")
        table.add_row(text(row["id"]), text(row["source"]), text(row["match"], MATCH_STYLES.get(row["match"], "")),
                      claim_cell, source_cell)
    return table


