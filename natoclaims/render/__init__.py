"""Terminal output: the only package that imports Rich.

Every piece of store text goes in as `Text(escape_controls(...))`, never as markup, so a
quote containing "[sic]" or an escape sequence prints literally and harmlessly.
"""

from natoclaims.model.text import counted
from natoclaims.render.claims import (
    claim_panel,
    claims_table,
    history_table,
    marked_words,
    quote_checks_table,
    quote_in_context,
    rows_table,
)
from natoclaims.render.reports import contradiction_tables, dispute_sides, dispute_table, stats_tables, timeline_view
from natoclaims.render.terminal import console, print_to, progress, status_text, text

__all__ = [
    "claim_panel", "claims_table", "console", "counted", "contradiction_tables", "dispute_sides", "dispute_table", "history_table",
    "marked_words", "print_to", "progress", "quote_checks_table", "quote_in_context", "rows_table", "stats_tables",
    "status_text", "text", "timeline_view",
]
