"""Text primitives every layer shares: folding for comparison, escaping for display. Pure."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Typographic quotes and dashes fold to their ASCII forms, so "wasn't" finds "WASN’T".
PUNCTUATION = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
                             "\u2013": "-", "\u2014": "-"})
# What a terminal or a line-splitting reader would act on rather than show: C0 and C1 controls
# (NEL U+0085 among them), DEL, the bidirectional marks and overrides that can disguise text
# (U+061C, U+200E-F, U+202A-E, U+2066-9), invisible zero-width characters (U+200B-D, U+2060,
# U+FEFF) and the Unicode line and paragraph separators (U+2028-9), which some readers split on.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]")
# In a CSV file the separators, NEL and zero-width characters are text inside a quoted cell, and
# kept as they are so that an exported file imports back the same.
CSV_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def fold(text: str) -> str:
    """Lowercase without accents or typographic quotes: 'Sánchez' -> 'sanchez', 'WASN’T' -> "wasn't"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(PUNCTUATION))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def folded_words(text: str) -> list[str]:
    """The whole words of a text, folded: 'Pedro  Sánchez!' -> ['pedro', 'sanchez'] (how a name's
    words are matched, by `search --actor` and by an actor named for a claim alike)."""
    return re.findall(r"\w+", fold(text))


WORD_RE = re.compile(r"\w+")


def haystack(claim: Any) -> str:
    """The folded text a query searches: a claim's text, context and notes."""
    text, context, notes = claim["text"], claim["context"], claim["notes"]
    return fold(f"{text}\n{context or ''}\n{notes or ''}" if context or notes else text)


def word_tokens(folded: str) -> list[str]:
    """The runs of word characters in folded text: where a query's words can begin."""
    return WORD_RE.findall(folded)


def fold_name(name: str) -> str:
    """A name compared ignoring case, accents and spacing: ' Pedro  SÁNCHEZ' -> 'pedro sanchez'."""
    return " ".join(fold(name).split())


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, controls: re.Pattern[str] = CONTROL_RE) -> str:
    """Terminal control characters as visible escapes: ESC -> '\\x1b', RLO -> '\\u202e'."""
    return controls.sub(_visible, text)


def printable(text: str) -> str:
    """Text that can be written as UTF-8: undecodable bytes (lone surrogates) become \\udcxx escapes."""
    return text if text.isascii() else text.encode("utf-8", "backslashreplace").decode("utf-8")


def counted(n: int, noun: str, plural: str = "") -> str:
    """A count and its noun in the right number: '1 claim', '2 claims', '0 claims', '2 copies'."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


# Quote marks a pasted quotation arrives between: the same mark at both ends, or an opening and closing pair.
QUOTE_PAIRS = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb", "\u201e": "\u201c"}


def _note(done: list[str], what: str) -> None:
    if what not in done:
        done.append(what)


def tidy_pasted(text: str) -> tuple[str, list[str]]:
    """Pasted text repaired and trimmed, with what was done: mojibake fixed ('â€œ' -> '“'),
    surrounding quote marks and a trailing comma dropped, so one quote is always one text."""
    done = []
    if "Ã" in text or "â€" in text:  # what UTF-8 read as Windows-1252 leaves before each second byte
        import ftfy

        # A closing ” (E2 80 9D) read as Windows-1252 loses its last byte, which that code page lacks.
        lost = re.sub("\u00e2\u20ac(?=[\\s,.;:!?\"]|$)", "\u00e2\u20ac\x9d", text)
        fixed = ftfy.fix_encoding(lost)  # the encoding fix only: curly quotes and dashes stay as typed
        if fixed != lost:
            text = fixed
            done.append("repaired mis-decoded characters")
    trimmed, before = text.strip(), None
    while trimmed != before:  # marks and comma come in either order: '"a",' and '"a,"' are both 'a'
        before = trimmed
        if len(trimmed) > 2 and QUOTE_PAIRS.get(trimmed[0]) == trimmed[-1] and not (
                {trimmed[0], trimmed[-1]} & set(trimmed[1:-1])):  # '"a" or "b"' is two quotations, not one
            trimmed = trimmed[1:-1].strip()
            _note(done, "removed the quote marks around it")
        if trimmed.endswith(","):
            trimmed = trimmed.rstrip(", ")
            _note(done, "removed a trailing comma")
    if not trimmed:  # nothing but marks: left for the check that refuses an empty text to see
        return text, []
    return (trimmed if done else text), done
