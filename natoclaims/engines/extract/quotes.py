"""Quotations in an article's text: where each opens and closes, and whether it goes on in the next paragraph.

Pure text work. Double quotes (“…” and "…") are quotations; single quotes (‘…’, '…') only when
they cannot be apostrophes (after a space or a bracket, closing before a space or punctuation), so
"Europe's" and "don't" never open one. A quote that never closes ends with its paragraph; a
paragraph that opens a quote right after such a paragraph continues it (the newspaper convention).
"""

from __future__ import annotations

from dataclasses import dataclass

OPENERS = {"“": "”", '"': '"', "„": "“", "«": "»", "‘": "’'", "'": "'’"}
DOUBLE = frozenset("“\"„«")
_SINGLE_OPEN_BEFORE = frozenset(" \t\n([{—–-“\"")
_CLOSE_AFTER = frozenset(" \t\n.,;:!?)]}—–-”\"…")
MAX_QUOTE_CHARS = 3000
"""Longer than any quoted passage a reporter prints: past this an unclosed mark is noise."""


@dataclass(frozen=True)
class Quotation:
    """The quoted words `text[start:end]` (without the marks) and where the marks stand."""

    start: int
    end: int
    open_at: int
    close_at: int | None  # None: the quote never closed (it ran to the end of its paragraph)
    continued: bool = False  # True: it continues the quotation in the previous paragraph


def _closer(text: str, opener: str, start: int, limit: int) -> int | None:
    """Where the mark closing a quotation that opens before `start` stands, before `limit`."""
    wanted = OPENERS[opener]
    if opener == '"':
        at = text.find('"', start, limit)
        return at if at >= 0 else None
    for at in range(start, limit):
        char = text[at]
        if char not in wanted:
            continue
        if opener in "‘'":  # a closing single quote is followed by a space or punctuation, not a letter
            after = text[at + 1:at + 2]
            if after and after not in _CLOSE_AFTER:
                continue
        return at
    return None


def _opens(text: str, at: int) -> bool:
    char = text[at]
    if char in DOUBLE:
        return char != '"' or at == 0 or not text[at - 1].isalnum()
    if char in "‘'":
        return (at == 0 or text[at - 1] in _SINGLE_OPEN_BEFORE) and at + 1 < len(text) and text[at + 1].isalnum()
    return False


def quotations(text: str) -> list[Quotation]:
    """Every top-level quotation in `text`, in order; quotes nested inside one are part of its words."""
    found: list[Quotation] = []
    paragraph_end = text.find("\n")
    at = 0
    length = len(text)
    open_at_paragraph_end = False  # the previous paragraph's quotation never closed
    while at < length:
        if paragraph_end != -1 and at > paragraph_end:
            open_at_paragraph_end = bool(found) and found[-1].close_at is None and found[-1].end >= paragraph_end
            paragraph_end = text.find("\n", at)
        char = text[at]
        if char not in OPENERS or not _opens(text, at):
            at += 1
            continue
        limit = paragraph_end if paragraph_end != -1 else length
        limit = min(limit, at + 1 + MAX_QUOTE_CHARS)
        close = _closer(text, char, at + 1, limit)
        continued = open_at_paragraph_end and char in DOUBLE and (at == 0 or text[at - 1] == "\n")
        end = close if close is not None else limit
        words = text[at + 1:end]
        if words.strip():
            found.append(Quotation(at + 1, end, at, close, continued))
        at = end + 1
    return found
