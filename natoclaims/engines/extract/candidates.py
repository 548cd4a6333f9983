"""Candidate claims in an article's text: quotations with their speakers, and reported statements with figures.

Pure: the text, its date and the store's actors and topics in; `Candidate`s out, each with the
cue that attributed it and a confidence. Nothing here reads a file or a store.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from natoclaims.engines.extract.dates import said_on
from natoclaims.engines.extract.quotes import Quotation, quotations
from natoclaims.engines.extract.speakers import CUE_WINDOW, Speakers, attribution
from natoclaims.engines.quantities import extract_quantities

if TYPE_CHECKING:
    from natoclaims.model.shapes import Quantity, Selector

CONTEXT_CHARS = 32
"""How much text before and after a quote its selector keeps (the W3C TextQuoteSelector's prefix and suffix)."""
MAX_SENTENCE = 1200
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’)]?\s+(?=[“\"‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|U\.S|U\.K|No|vs|Jr|Sr|Prof))\.$")
KEYWORD_TOPICS = {
    "troops": ("troop", "troops", "soldiers", "deploy", "deployment", "withdraw", "withdrawal", "drawdown", "bases"),
    "article-5": ("article 5", "mutual defense", "mutual defence", "collective defense", "collective defence",
                  "defend them", "defend any"),
    "defence-spending": ("spending", "gdp", "budget", "pay", "burden-sharing", "burden sharing", "defense outlays"),
    "ukraine": ("ukraine", "kyiv", "zelensky", "zelenskyy"),
    "iran": ("iran", "hormuz", "tehran"),
    "russia": ("russia", "putin", "moscow", "kremlin"),
    "trade": ("trade", "tariff", "tariffs"),
    "nuclear": ("nuclear",),
}
REPORT_CUES = re.compile(r"\b(?:said|says|told|announced|pledged|plans?|planned|promised|called\s+for|demanded|"
                         r"insisted|according\s+to|reported|reports|committed|agreed|proposed|wants)\b", re.I)


@dataclass
class Candidate:
    """One proposed claim, not yet in any store."""

    kind: str
    actor: str
    text: str
    said_on: str | None
    context: str
    quantities: list[Quantity]
    topics: list[str]
    confidence: float
    cue: str
    selector: Selector | None = None
    start: int = field(default=0, repr=False)


@dataclass(frozen=True)
class Sentence:
    """What every quotation in one sentence shares: the sentence as context, its date and its topics."""

    context: str
    said_on: str | None
    topics: list[str]


def sentences(paragraph: str, offset: int, masked: str) -> list[tuple[int, int]]:
    """The sentences of one paragraph as (start, end) offsets; `masked` is the paragraph with quoted words
    blanked, so a full stop inside a quotation does not end its sentence."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(masked):
        if _ABBREVIATION.search(masked[max(0, match.start() - 5):match.start() + 1].rstrip("”\"’)")):
            continue
        spans.append((offset + start, offset + match.start() + (len(match.group(0)) - len(match.group(0).lstrip("”\"’)")))))
        start = match.end()
    spans.append((offset + start, offset + len(paragraph)))
    return [(a, b) for a, b in spans if b > a]


def topics_of(text: str, in_use: Iterable[str] = ()) -> list[str]:
    """Topic slugs a passage is about: the keyword map's, and any topic in use whose words occur in it."""
    lowered = text.lower()
    found = {slug for slug, words in KEYWORD_TOPICS.items()
             if any(re.search(rf"\b{re.escape(word)}\b", lowered) for word in words)}
    for slug in in_use:
        if slug not in found and len(slug) > 3 and re.search(rf"\b{re.escape(slug.replace('-', ' '))}\b", lowered):
            found.add(slug)
    return sorted(found)


def _masked(text: str, quotes: list[Quotation]) -> str:
    """The text with every quotation's words (and marks) blanked out, offsets kept."""
    chars = list(text)
    for quote in quotes:
        end = quote.close_at + 1 if quote.close_at is not None else quote.end
        chars[quote.open_at:end] = "\u2591" * (end - quote.open_at)
    return "".join(chars)


def selector(text: str, start: int, end: int) -> Selector:
    """Where a quote stands in the article text: its exact words, ~32 characters either side, and its offsets."""
    return {"exact": text[start:end], "prefix": text[max(0, start - CONTEXT_CHARS):start],
            "suffix": text[end:end + CONTEXT_CHARS], "start": start, "end": end}


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def find_candidates(text: str, *, published: str | None = None, actors: Mapping[str, Mapping[str, Any]] | None = None,
                    topics_in_use: Iterable[str] = ()) -> list[Candidate]:
    """Every quotation with a speaker, and every reported statement with figures, in the article `text`."""
    speakers = Speakers(actors or {})
    in_use = tuple(topics_in_use)
    quotes = quotations(text)
    masked = _masked(text, quotes)
    opening = [quote.open_at for quote in quotes]
    found: list[Candidate] = []
    previous_paragraph = ""
    last_quote_actor: str | None = None
    offset = 0
    for paragraph in text.split("\n"):
        end_of_paragraph = offset + len(paragraph)
        paragraph_speaker: str | None = None
        for start, end in sentences(paragraph, offset, masked[offset:end_of_paragraph]):
            sentence_masked = masked[start:end]
            inside = quotes[bisect_left(opening, start):bisect_left(opening, end)]
            speakers.note(masked, start, end)
            context = " ".join(text[start:end].split())[:MAX_SENTENCE]
            # one date and one set of topics a sentence, however many quotations it holds
            sentence = Sentence(context, said_on(sentence_masked, published), topics_of(context, in_use)) if inside else None
            for quote in inside:
                assert sentence is not None  # made above whenever the sentence holds quotations
                if quote.continued and last_quote_actor and quote.open_at == start:
                    found.append(_quote(text, quote, "continued quotation", last_quote_actor, 0.85, sentence))
                    continue
                before = masked[max(start, quote.open_at - CUE_WINDOW):quote.open_at]
                close = quote.close_at + 1 if quote.close_at is not None else quote.end
                after = masked[close:min(end, close + CUE_WINDOW)]
                who = attribution(speakers, before, after, start, quote.open_at,
                                  previous_paragraph[-CUE_WINDOW:] if quote.open_at == offset else "")
                if who is None:
                    continue
                confidence = who.confidence
                if who.cue == "sentence subject" and who.actor == paragraph_speaker:
                    confidence = 0.6  # the person quoted just before, in the same paragraph, goes on speaking
                words = _words(text[quote.start:quote.end])
                if words <= 2:  # one or two quoted words are as often a label as speech, less so with a clear cue
                    confidence *= 0.55 if who.cue in ("sentence subject", "colon") else 0.75
                if quote.close_at is None:
                    confidence *= 0.7
                found.append(_quote(text, quote, who.cue, who.actor, round(confidence, 2), sentence))
                last_quote_actor = paragraph_speaker = who.actor
            if not inside:
                report = _report(speakers, text, start, end, sentence_masked, context, published, in_use)
                if report:
                    found.append(report)
        previous_paragraph = paragraph
        offset = end_of_paragraph + 1
    return found


def _quote(text: str, quote: Quotation, cue: str, actor: str, confidence: float, sentence: Sentence) -> Candidate:
    words = text[quote.start:quote.end]
    stripped_start = quote.start + (len(words) - len(words.lstrip()))
    stripped_end = quote.end - (len(words) - len(words.rstrip()))
    while stripped_end > stripped_start + 1 and text[stripped_end - 1] in ", ":  # the sentence's comma, trimmed
        stripped_end -= 1  # as on every path a text enters (text.tidy_pasted), so one quote is one claim
    quoted = text[stripped_start:stripped_end]
    return Candidate(
        kind="quote", actor=actor, text=quoted, said_on=sentence.said_on, context=sentence.context,
        quantities=extract_quantities(quoted), topics=list(sentence.topics), confidence=confidence, cue=cue,
        selector=selector(text, stripped_start, stripped_end), start=stripped_start)


def _report(speakers: Speakers, text: str, start: int, end: int, sentence_masked: str, context: str,
            published: str | None, in_use: tuple[str, ...]) -> Candidate | None:
    """A sentence without quotes that attributes a figure to someone: a `report`."""
    if not REPORT_CUES.search(sentence_masked):
        return None
    figures = extract_quantities(context)
    if not figures:
        return None
    who = attribution(speakers, sentence_masked[-CUE_WINDOW:], "", start, end)
    if who is None:
        return None
    return Candidate(kind="report", actor=who.actor, text=context, said_on=said_on(sentence_masked, published),
                     context=context, quantities=figures, topics=topics_of(context, in_use),
                     confidence=round(min(who.confidence, 0.6), 2), cue=f"figure, {who.cue}", start=start)
