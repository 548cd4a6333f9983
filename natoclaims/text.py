"""Text primitives every layer shares: folding for comparison, escaping for display. Pure."""

from __future__ import annotations

import re
import unicodedata

# Typographic quotes and dashes fold to their ASCII forms, so "wasn't" finds "WASN’T".
PUNCTUATION = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
                             "\u2013": "-", "\u2014": "-"})
# C0 and C1 controls, DEL, and the bidirectional overrides that can disguise text on a terminal.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def fold(text: str) -> str:
    """Lowercase without accents or typographic quotes: 'Sánchez' -> 'sanchez', 'WASN’T' -> "wasn't"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(PUNCTUATION))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_name(name: str) -> str:
    """A name compared ignoring case, accents and spacing: ' Pedro  SÁNCHEZ' -> 'pedro sanchez'."""
    return " ".join(fold(name).split())


def escape_controls(text: str) -> str:
    """Terminal control characters as visible escapes: ESC -> '\\x1b', RLO -> '\\u202e'."""
    def visible(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return CONTROL_RE.sub(visible, text)
