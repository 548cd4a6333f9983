"""Terminal output: the only package that imports Rich, and the words and writers the command line shows.

Every piece of store text goes in as `Text(escape_controls(...))`, never as markup, so a
quote containing "[sic]" or an escape sequence prints literally and harmlessly. Each part loads
on first use: the text helpers (`counted`, `escape_controls` ...) and the plain writers
(`write_rows` ...) load without Rich, so a command that prints no table never imports it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what editors and type checkers see; at run time each part loads on first use
    from natoclaims.engines.contradictions import describe as describe_figure
    from natoclaims.formats.writers import write_claims, write_json, write_jsonl, write_rows
    from natoclaims.model.text import counted, escape_controls, fold, printable
    from natoclaims.render.claims import (
        claim_panel,
        claims_table,
        history_table,
        marked_words,
        quote_checks_table,
        quote_in_context,
        rows_table,
    )
    from natoclaims.render.reports import (
        contradiction_tables,
        dispute_sides,
        dispute_table,
        stats_tables,
        timeline_view,
    )
    from natoclaims.render.terminal import console, print_to, progress, status_text, text

_PARTS = {
    "natoclaims.render.claims": ("claim_panel", "claims_table", "history_table", "marked_words", "quote_checks_table",
                                 "quote_in_context", "rows_table"),
    "natoclaims.render.reports": ("contradiction_tables", "dispute_sides", "dispute_table", "stats_tables",
                                  "timeline_view"),
    "natoclaims.render.terminal": ("console", "print_to", "progress", "status_text", "text"),
    # Words as the command line shows them (no Rich): counts, escapes, folding for comparison.
    "natoclaims.model.text": ("counted", "escape_controls", "fold", "printable"),
    # Plain machine formats (no Rich): what a listing writes when it is not a table.
    "natoclaims.formats.writers": ("write_claims", "write_json", "write_jsonl", "write_rows"),
}
_RENAMED = {"describe_figure": ("natoclaims.engines.contradictions", "describe")}  # '35,000 troops' for a figure
_WHERE = {name: (module, name) for module, names in _PARTS.items() for name in names} | _RENAMED
__all__ = [
    "claim_panel", "claims_table", "console", "contradiction_tables", "counted", "describe_figure", "dispute_sides",
    "dispute_table", "escape_controls", "fold", "history_table", "marked_words", "print_to", "printable", "progress",
    "quote_checks_table", "quote_in_context", "rows_table", "stats_tables", "status_text", "text",
    "timeline_view", "write_claims", "write_json", "write_jsonl", "write_rows",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        module, attribute = _WHERE[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'natoclaims.render' has no attribute {name!r}")
