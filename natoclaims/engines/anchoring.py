"""Anchoring quotes in an article's text, and telling how faithfully the text holds them. Pure.

A quote is anchored by the W3C Web Annotation TextQuoteSelector (`exact`, `prefix`, `suffix`)
and TextPositionSelector (`start`, `end`) on the article's extracted text. It is found again as
Hypothesis' client finds an annotation (`src/annotator/anchoring/match-quote.ts`): the position
first, then the exact text, then a fuzzy match scored by how well the quote, its prefix and its
suffix match and how near the old position it is. What cannot be found is `missing`, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from natoclaims.model.vocabulary import Match

CONTEXT = 32
"""Characters of prefix and suffix kept around a quote."""

# Hypothesis' weights: the quote counts most, then its context, then closeness to the old position.
_QUOTE_WEIGHT, _PREFIX_WEIGHT, _SUFFIX_WEIGHT, _POSITION_WEIGHT = 50, 20, 20, 2

_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})
# What normalising changes: whitespace other than one plain space, ellipses, zero-width spaces.
_SPECIAL = re.compile("[^\\S ]\\s*| \\s+|\u2026|\u200b")
_WORD = re.compile(r"\w+(?:'\w+)*")
_END_PUNCTUATION = " \t\n.,;:!?'\"-()[]"


@dataclass(frozen=True)
class Anchor:
    """Where a quote was found and how faithfully: `selector` on the text, `match` its class."""

    match: str
    selector: dict[str, Any] | None = None

    @property
    def found(self) -> str | None:
        """The source's words at the anchor."""
        return self.selector["exact"] if self.selector else None


def selector(text: str, start: int, end: int) -> dict[str, Any]:
    """The TextQuoteSelector and TextPositionSelector of `text[start:end]`, with ~32 characters of context."""
    return {"exact": text[start:end], "prefix": text[max(0, start - CONTEXT):start],
            "suffix": text[end:end + CONTEXT], "start": start, "end": end}


def anchor(quote: str, text: str, previous: dict[str, Any] | None = None) -> Anchor:
    """Find `quote` in `text` and classify it: exact, normalised, altered or missing.

    `previous` is the quote's selector on an earlier copy (or this one): its position is tried
    first and its prefix and suffix pick among several candidates.
    """
    quote = quote.strip()
    if not quote:
        return Anchor(Match.missing)
    context = previous or {}
    hint = context.get("start") if isinstance(context.get("start"), int) else None
    if hint is not None and text[hint:hint + len(quote)] == quote:
        return Anchor(Match.exact, selector(text, hint, hint + len(quote)))
    spans = _occurrences(text, quote)
    if spans:
        return Anchor(Match.exact, selector(text, *_best(text, spans, len(quote), context)))
    spans = _normalised_occurrences(text, quote)
    if spans:
        return Anchor(Match.normalised, selector(text, *_best(text, spans, len(quote), context)))
    spans = _altered_passages(text, quote)
    if spans:
        return Anchor(Match.altered, selector(text, *_best(text, spans, len(quote), context, scored=True)))
    return Anchor(Match.missing)


def _occurrences(text: str, quote: str) -> list[tuple[int, int, float]]:
    spans = []
    at = text.find(quote)
    while at != -1:
        spans.append((at, at + len(quote), 1.0))
        at = text.find(quote, at + 1)
    return spans


@lru_cache(maxsize=8)
def normalise(text: str) -> tuple[str, list[int]]:
    """`text` with case, typographic quotes and apostrophes, dashes, ellipses and whitespace runs
    made plain, and for each of its characters the index of the one it came from in `text`."""
    plain = text.translate(_TYPOGRAPHY)  # one character for one, so indexes still match
    lower = plain.lower()
    if len(lower) != len(plain):  # a letter whose lower case is longer (İ) keeps its case
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in plain)
    out: list[str] = []
    where: list[int] = []
    at = 0
    for special in _SPECIAL.finditer(lower):
        start, end = special.span()
        out.append(lower[at:start])
        where.extend(range(at, start))
        piece = special.group()
        if piece == "\u2026":
            out.append("...")
            where.extend((start, start, start))
        elif piece != "\u200b":
            out.append(" ")
            where.append(start)
        at = end
    out.append(lower[at:])
    where.extend(range(at, len(lower)))
    return "".join(out), where


def _normalised_occurrences(text: str, quote: str) -> list[tuple[int, int, float]]:
    plain_quote = normalise(quote)[0].strip(_END_PUNCTUATION)
    if not plain_quote:
        return []
    plain, where = normalise(text)
    spans = []
    at = plain.find(plain_quote)
    while at != -1:
        end = at + len(plain_quote)
        spans.append((where[at], where[end - 1] + 1, 1.0))
        at = plain.find(plain_quote, at + 1)
    return spans


@lru_cache(maxsize=8)
def words(text: str) -> list[tuple[str, int, int]]:
    """The words of `text` (normalised) with where each starts and ends in `text`."""
    plain, where = normalise(text)
    return [(m.group(), where[m.start()], where[m.end() - 1] + 1) for m in _WORD.finditer(plain)]


def _altered_passages(text: str, quote: str) -> list[tuple[int, int, float]]:
    """Passages of about the quote's length holding at least half of its words in order, each
    trimmed to its first and last shared word, with the share of the quote's words it holds."""
    from rapidfuzz.distance import LCSseq

    wanted = [w for w, _, _ in words(quote)]
    if not wanted:
        return []
    have = words(text)
    tokens = [w for w, _, _ in have]
    width = len(wanted) + len(wanted) // 4 + 1
    needed = (len(wanted) + 1) // 2
    vocabulary = set(wanted)
    spans: dict[tuple[int, int], float] = {}
    for first in range(len(tokens)):
        if tokens[first] not in vocabulary:
            continue
        window = tokens[first:first + width]
        shared = LCSseq.similarity(wanted, window)
        if shared < needed:
            continue
        last = first + max(i for i, token in enumerate(window) if token in vocabulary)
        spans[(have[first][1], have[last][2])] = shared / len(wanted)
    return [(start, end, share) for (start, end), share in spans.items()]


def _best(text: str, spans: list[tuple[int, int, float]], length: int, context: dict[str, Any],
          *, scored: bool = False) -> tuple[int, int]:
    """The candidate Hypothesis would pick: quote, prefix, suffix and position scores, weighted."""
    if len(spans) == 1 and not scored:
        return spans[0][:2]
    from rapidfuzz.fuzz import ratio

    prefix, suffix, hint = context.get("prefix"), context.get("suffix"), context.get("start")

    def score(span: tuple[int, int, float]) -> float:
        start, end, share = span
        total = _QUOTE_WEIGHT * share
        if prefix:
            total += _PREFIX_WEIGHT * ratio(text[max(0, start - len(prefix)):start], prefix) / 100
        else:
            total += _PREFIX_WEIGHT
        if suffix:
            total += _SUFFIX_WEIGHT * ratio(text[end:end + len(suffix)], suffix) / 100
        else:
            total += _SUFFIX_WEIGHT
        if isinstance(hint, int):
            total += _POSITION_WEIGHT * (1 - abs(start - hint) / max(1, len(text)))
        else:
            total += _POSITION_WEIGHT
        return total - abs((end - start) - length) / max(1, length) if scored else total

    return max(spans, key=score)[:2]


def differences(claim: str, found: str) -> list[tuple[str, str, str]]:
    """The claim's words beside the source's: (operation, claim's words, source's words) runs,
    operation 'equal', 'replace', 'delete' (only in the claim) or 'insert' (only in the source)."""
    from rapidfuzz.distance import Levenshtein

    ours = claim.split()
    theirs = found.split()
    plain_ours = [normalise(w)[0].strip(_END_PUNCTUATION) for w in ours]
    plain_theirs = [normalise(w)[0].strip(_END_PUNCTUATION) for w in theirs]
    runs = []
    for op in Levenshtein.opcodes(plain_ours, plain_theirs):
        runs.append((op.tag, " ".join(ours[op.src_start:op.src_end]), " ".join(theirs[op.dest_start:op.dest_end])))
    return runs
