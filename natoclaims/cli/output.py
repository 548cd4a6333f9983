"""The one output sink: results on stdout in the chosen format, words and errors on stderr.

Tables and panels go through `natoclaims.render` (Rich), machine formats through
`natoclaims.render`'s plain writers, which load without Rich; both are imported only when something is printed.
Whether stdout is a terminal was decided by the environment; this module only asks.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any, NoReturn

from natoclaims.errors import ExitStatus
from natoclaims.model.vocabulary import OutputFormat
from natoclaims.render import escape_controls

if TYPE_CHECKING:
    from natoclaims.cli.env import Environment

PAIR_COLUMNS = ["kind", "subkind", "detail", "a_id", "a_actor", "a_said_on", "a_text",
                "b_id", "b_actor", "b_said_on", "b_text", "kinds"]
PROGRESS_FROM = 1000  # records; below this an import is over before a bar would help


def message(text: str) -> None:
    """Words for the user go to stderr, never mixed with results; data in them (a name, a
    command line) cannot act on the terminal."""
    sys.stderr.write(escape_controls(text) + "\n")


def silence_stdout() -> None:
    """Send what is still buffered for stdout nowhere: its reader went away or it cannot be written."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind it (a test's buffer)
        pass


def fail(text: str, status: ExitStatus) -> NoReturn:
    """An error: one line on stderr, then exit with its status."""
    message(f"natoclaims: error: {text}")
    sys.exit(status)


class Output:
    """Results of one run, in the format asked for or the environment's default."""

    def __init__(self, environment: Environment) -> None:
        self.environment = environment
        self.paged: io.StringIO | None = io.StringIO() if environment.pager else None  # tables kept for the pager

    def format(self, chosen: str | None) -> OutputFormat:
        """The format asked for (`--format`), else the environment's default."""
        return OutputFormat(chosen) if chosen is not None else self.environment.default_format

    def wants_table(self, chosen: str | None) -> bool:
        """True when the results go out as a Rich table, panel or view."""
        return self.format(chosen) is OutputFormat.table

    def rich(self, renderable: Any) -> None:
        """A table, panel or group; boxes and colour only on a terminal."""
        from natoclaims.render import print_to

        print_to(self.paged or sys.stdout, renderable, terminal=self.environment.stdout_is_terminal,
                 color=self.environment.color)

    def finish(self) -> None:
        """Show what was kept for the pager: through it when longer than the terminal, else directly."""
        if self.paged is None or not self.paged.getvalue():
            return
        document, self.paged = self.paged.getvalue(), None
        from natoclaims.cli.pager import page

        page(document, self.environment.pager or "")

    def lines(self, texts: Iterable[str]) -> None:
        """Plain lines: an id, a problem."""
        sys.stdout.write("".join(escape_controls(text) + "\n" for text in texts))

    def text(self, document: str) -> None:
        """A document made elsewhere (ClaimReview JSON-LD), written as it is, bypassing Rich."""
        sys.stdout.write(document)

    def claims(self, claims: Sequence[Mapping[str, Any]], chosen: str | None, title: str | None = None) -> None:
        """Claims in the chosen format; an empty table is a message, not an empty box."""
        if self.wants_table(chosen):
            from natoclaims.render import claims_table

            if claims:
                self.rich(claims_table(claims, title))
            else:
                message("no claims found")
            return
        from natoclaims.render import write_claims

        write_claims(claims, self.format(chosen), sys.stdout)

    def rows(self, records: Sequence[Mapping[str, Any]], columns: list[str], chosen: str | None,
             title: str | None = None) -> None:
        """Other listings in the chosen format; `ids` gives the first column (an actor's name, a
        source's or change set's id), so rows without such a key call `refuse_ids` first."""
        if self.wants_table(chosen):
            from natoclaims.render import rows_table

            self.rich(rows_table(records, columns, title))
            return
        from natoclaims.render import write_rows

        write_rows(records, columns, self.format(chosen), sys.stdout)

    def refuse_ids(self, chosen: str | None, unkeyed: str | None) -> None:
        """`--format ids` is for claims, sources, actors and change sets (SPEC section 5); refuse it for other rows."""
        if unkeyed and self.format(chosen) is OutputFormat.ids:
            from natoclaims.errors import UsageError

            raise UsageError(f"--format ids lists claims, sources, actors or change sets, and {unkeyed} has none: "
                             "use table, json, jsonl, csv or tsv")

    def pairs(self, pairs: list[dict[str, Any]], chosen: str | None) -> None:
        """Contradicting pairs: tables by kind, pair objects in JSON, both ids, or one flat row each."""
        from natoclaims.render import write_json, write_jsonl

        fmt = self.format(chosen)
        if fmt is OutputFormat.table:
            from natoclaims.render import contradiction_tables

            if pairs:
                self.rich(contradiction_tables(pairs))
            else:
                message("no contradictions found")
        elif fmt in (OutputFormat.json, OutputFormat.jsonl):
            (write_json if fmt is OutputFormat.json else write_jsonl)(pairs, sys.stdout)
        elif fmt is OutputFormat.ids:
            self.lines(dict.fromkeys(p[s]["id"] for p in pairs for s in "ab"))
        else:
            flat = [{"kind": p["kind"], "subkind": p.get("subkind"), "detail": p["detail"], "kinds": p["kinds"],
                     **{f"{s}_{k}": v for s in "ab" for k, v in p[s].items()}} for p in pairs]
            self.rows(flat, PAIR_COLUMNS, fmt)

    def progress(self, total: int, label: str) -> Any:
        """`with output.progress(n, label) as tick`: a bar on stderr when it helps, else tick is None."""
        if not self.environment.progress_bars or total < PROGRESS_FROM:
            return nullcontext(None)
        from natoclaims.render import progress

        return progress(total, label)
