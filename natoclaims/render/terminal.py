"""The Rich console, the styles and the primitives every view is built from: text goes in as
`Text(escape_controls(...))`, never as markup."""

from __future__ import annotations

from typing import Any, TextIO

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from natoclaims.formats.writers import flat
from natoclaims.model.text import escape_controls

STATUS_STYLES = {
    "unverified": "dim", "verified": "green", "misleading": "yellow", "false": "red",
    "disputed": "magenta", "inconclusive": "cyan", "retracted": "strike red",
}


# The claim's own words in the timeline: only the statuses that change its meaning colour it.
TIMELINE_STYLES = {status: style for status, style in STATUS_STYLES.items() if status not in ("unverified", "inconclusive")}


def console(out: TextIO, *, terminal: bool, color: bool) -> Console:
    """A console on `out` that never reads markup or emoji from what it prints."""
    return Console(
        file=out, force_terminal=terminal or color, no_color=not color,
        markup=False, emoji=False, highlight=False, soft_wrap=False,
    )


def print_to(out: TextIO, renderable: Any, *, terminal: bool, color: bool) -> None:
    """Print a table, panel or group; off a terminal without boxes (just aligned columns).

    Whether `out` is a terminal and colour is wanted (NO_COLOR) is the caller's decision.
    """
    if not terminal:
        renderable = _unboxed(renderable)
    # Not cropped: a line that must not be broken (a long URL) runs on and the terminal wraps it,
    # so it stays one word to copy or click. Tables and wrapped text never exceed the width.
    console(out, terminal=terminal, color=color).print(renderable, crop=False)


def _unboxed(renderable: Any) -> Any:
    if isinstance(renderable, Table):
        renderable.box = None
    elif hasattr(renderable, "boxed"):  # the claim views, which draw their own boxes
        renderable.boxed = False
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


def table_title(value: str | None) -> Text | None:
    """A table's title, which may name stored things (a source's id): literal, in the title style."""
    return None if value is None else text(value, "table.title")


def status_text(status: str, label: str | None = None) -> Text:
    """A status in its colour; `label` is what to print, when not the bare status (the timeline's "[false]")."""
    return text(status if label is None else label, STATUS_STYLES.get(status, ""))


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
