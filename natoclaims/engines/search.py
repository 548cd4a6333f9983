"""Finding claims (SPEC section 3, `search`): word-prefix full text, filters, sorting. Pure."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any, TypeVar
from urllib.parse import urlsplit

from natoclaims.errors import InvalidInput
from natoclaims.model import STATUSES
from natoclaims.model.dates import date_range, parse_date
from natoclaims.model.text import fold, folded_words, haystack

THOUSANDS_RE = re.compile(r"(?<=\d)[,\u00a0\u202f'](?=\d{3}(?!\d))")
NUMBER_TERM_RE = re.compile(r"^\d[\d,\u00a0\u202f']*(?:\.\d+)?$")
TERM_RE = re.compile(r'"([^"]*)"?|(\S+)')
WORD_START_RE = re.compile(r"\w+")


def _word_pattern(word: str) -> tuple[str, str]:
    """A query word as (a substring every match contains, the regex over folded text)."""
    word = fold(word)
    if NUMBER_TERM_RE.match(word):
        number = THOUSANDS_RE.sub("", word)
        integer = number.split(".")[0]
        # "35000" may be written "35,000": only its leading group is sure to appear as is.
        return integer[: len(integer) % 3 or 3], r"(?<![\w.])" + re.escape(number) + r"(?![\w]|[.,]\d)"
    return word, r"(?<!\w)" + re.escape(word)


@dataclass(frozen=True)
class Term:
    """One query term: a plain word (`pattern` None) or a phrase or number (a regex)."""

    literal: str
    pattern: re.Pattern[str] | None = None

    def found_in(self, haystack: str) -> bool:
        """True when the folded text has this term where a word begins."""
        if self.pattern is not None:
            return self.literal in haystack and self.pattern.search(haystack) is not None
        return word_starts(haystack, self.literal)


def word_starts(haystack: str, word: str) -> bool:
    r"""True where a word of `haystack` begins with `word`: a find loop, ~10x faster than `(?<!\w)word`."""
    at = haystack.find(word)
    while at > 0 and (haystack[at - 1].isalnum() or haystack[at - 1] == "_"):
        at = haystack.find(word, at + 1)
    return at >= 0


def compile_query(query: str | None) -> tuple[list[Term], bool]:
    """The terms of a query, and whether any is a number (then separators are dropped from the text)."""
    terms = []
    numeric = False
    for phrase, word in TERM_RE.findall(query or ""):
        words = [w for w in (phrase.split() if phrase else [word]) if w.strip()]
        if not words:
            continue
        has_number = any(NUMBER_TERM_RE.match(w) for w in words)
        numeric = numeric or has_number
        parts = [_word_pattern(w) for w in words]
        if len(words) == 1 and not has_number:
            terms.append(Term(parts[0][0]))
        else:
            terms.append(Term(parts[0][0], re.compile(r"\w*\W+".join(p for _, p in parts))))
    return terms, numeric


def _words(text: str) -> str:
    """Folded words joined by single spaces: 'Pedro  Sánchez!' -> 'pedro sanchez'."""
    return " ".join(folded_words(text))


def source_host_matches(url: str | None, domain: str) -> bool:
    """True when the URL's host is `domain` or a subdomain of it."""
    if not url:
        return False
    host = (urlsplit(url).hostname or "").lower()
    return host == domain or host.endswith("." + domain)


def as_slug(value: str) -> str:
    """A topic, measure or proposition as `add` stores it: 'Article 5' -> 'article-5'."""
    return re.sub(r"[\s_]+", "-", value.strip().lower())


def _domain(text: str) -> str:
    text = text.strip().lower()
    if "//" in text:
        text = urlsplit(text).hostname or ""
    return text.strip(".")


def argument_date(text: str, argument: str, today: date | None = None) -> str:
    """The date a function's argument gives ('since', 'as_of'), its errors naming it ("cannot read a since
    date from 'x'"); they carry `about="argument-date"`, so that a caller can name it its own way."""
    phrase = f"{argument} date"
    try:
        return parse_date(text, today, phrase)
    except InvalidInput as exc:
        raise InvalidInput(str(exc), about="argument-date", message=str(exc), phrase=phrase, argument=argument) from None


TUPLE_FIELDS = ("actors", "topics", "statuses", "kinds", "source_domains", "evidence_domains", "measures")


@dataclass(frozen=True)
class Filters:
    """What `search`, `export`, `timeline` and `contradictions` select by. Repeated values OR, fields AND."""

    query: str | None = None
    actors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    source_domains: tuple[str, ...] = ()
    evidence_domains: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    only_ids: frozenset[str] | None = None

    def __post_init__(self) -> None:
        # One value given bare is that one value: Filters(actors="Trump") is Filters(actors=("Trump",)),
        # never a filter on the letters of 'Trump'; a list or set is taken as a tuple of its values.
        for name in TUPLE_FIELDS:
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, (value,))
            elif not isinstance(value, tuple):
                try:
                    object.__setattr__(self, name, tuple(value))
                except TypeError:
                    raise TypeError(f"Filters.{name} takes a string or strings, not {type(value).__name__}") from None
        only_ids: Any = self.only_ids  # typed a frozenset, but a caller may pass one id or any iterable of them
        if isinstance(only_ids, str):
            object.__setattr__(self, "only_ids", frozenset((only_ids,)))
        elif only_ids is not None and not isinstance(only_ids, frozenset):
            object.__setattr__(self, "only_ids", frozenset(only_ids))

    def date_bounds(self, today: date | None = None) -> tuple[date | None, date | None]:
        since = date_range(argument_date(self.since, "since", today))[0] if self.since else None
        until = date_range(argument_date(self.until, "until", today))[1] if self.until else None
        return since, until


def _words_test(words: list[str]) -> Callable[[Mapping[str, Any]], bool]:
    """Plain words only (the usual query): no regex, one loop, the hot path at 100k claims."""
    def text_ok(claim: Mapping[str, Any]) -> bool:
        folded = haystack(claim)
        for word in words:
            if not word_starts(folded, word):
                return False
        return True

    return text_ok


def _terms_test(terms: list[Term], numeric: bool) -> Callable[[Mapping[str, Any]], bool]:
    """Phrases and numbers: regexes, after a cheap substring check."""
    def text_ok(claim: Mapping[str, Any]) -> bool:
        folded = haystack(claim)
        if numeric:
            if not all(term.literal in folded for term in terms):
                return False
            folded = THOUSANDS_RE.sub("", folded)
        return all(term.found_in(folded) for term in terms)

    return text_ok


Record = TypeVar("Record", bound=Mapping[str, Any])


def actor_test(values: Iterable[str], aliases: dict[str, list[str]]) -> Callable[[str], bool]:
    """Whether a claim's actor is one the `actors` filter asks for: a name or alias picks its actor;
    other words pick every actor having all those whole words (in a name or an alias)."""
    exact: set[str] = set()
    partial: list[set[str]] = []
    for value in values:
        folded = _words(value)
        named = {name for name in aliases if folded in (_words(n) for n in (name, *aliases[name]))}
        if named:
            exact |= named
        else:
            partial.append(set(folded.split()))
    verdicts: dict[str, bool] = {}

    def actor_ok(name: str) -> bool:
        if name not in verdicts:
            words = [set(_words(n).split()) for n in (name, *aliases.get(name, ()))]
            verdicts[name] = name in exact or any(p <= w for p in partial for w in words)
        return verdicts[name]

    return actor_ok


def required_prefixes(query: str | None) -> list[str]:
    """Word starts every claim a query matches has: the leading run of word characters of each of
    its folded words (a number's leading digit group). The index narrows a search with them; the
    matcher (`select`) decides."""
    prefixes = []
    for phrase, word in TERM_RE.findall(query or ""):
        for each in phrase.split() if phrase else [word]:
            literal = _word_pattern(each)[0] if each.strip() else ""
            start = WORD_START_RE.match(literal)
            if start:
                prefixes.append(start.group())
    return prefixes


def select(
    claims: Iterable[Record],
    filters: Filters,
    actor_aliases: dict[str, list[str]] | None = None,
) -> list[Record]:
    """The claims that pass every filter, in store order."""
    tests: list[Callable[[Mapping[str, Any]], bool]] = []
    aliases = actor_aliases or {}

    if filters.only_ids is not None:
        only = filters.only_ids
        tests.append(lambda c: c["id"] in only)
    if filters.actors:
        actor_ok = actor_test(filters.actors, aliases)
        tests.append(lambda c: actor_ok(c["actor"]))
    if filters.topics:
        topics = {as_slug(t) for t in filters.topics}
        tests.append(lambda c: not topics.isdisjoint(c["topics"]))
    if filters.statuses:
        statuses = {s.strip().lower() for s in filters.statuses}
        tests.append(lambda c: c["status"] in statuses)
    if filters.kinds:
        kinds = {k.strip().lower() for k in filters.kinds}
        tests.append(lambda c: c["kind"] in kinds)
    since, until = filters.date_bounds()
    if since or until:
        def date_ok(claim: Mapping[str, Any]) -> bool:
            if not claim["said_on"]:
                return False
            start, end = date_range(claim["said_on"])
            return (since is None or end >= since) and (until is None or start <= until)

        tests.append(date_ok)
    if filters.source_domains:
        domains = [_domain(d) for d in filters.source_domains]
        tests.append(lambda c: any(source_host_matches(s["url"], d) for s in c["sources"] for d in domains))
    if filters.evidence_domains:
        evidence_domains = [_domain(d) for d in filters.evidence_domains]
        tests.append(lambda c: any(source_host_matches(e["url"], d) for r in c["reviews"] for e in r["evidence"]
                                   for d in evidence_domains))
    if filters.measures:
        measures = {as_slug(m) for m in filters.measures}
        tests.append(lambda c: any(q["measure"] in measures for q in c["quantities"]))
    terms, numeric = compile_query(filters.query)
    if terms:
        plain = not numeric and all(term.pattern is None for term in terms)
        tests.append(_words_test([t.literal for t in terms]) if plain else _terms_test(terms, numeric))
    # One pass per test, cheapest first and the text last: far less per-claim overhead than all().
    selected = claims if isinstance(claims, list) else list(claims)
    for test in tests:
        selected = [c for c in selected if test(c)]
    return selected


UNDATED = "~"  # sorts after every ISO date, so undated claims come last

# Each order as its keys, most significant first; the claim id breaks every tie.
SORTERS: dict[str, list[Callable[[Mapping[str, Any]], Any]]] = {
    "date": [lambda c: c["said_on"] or UNDATED, itemgetter("created_at")],
    "actor": [lambda c: fold(c["actor"]), lambda c: c["said_on"] or UNDATED],
    "status": [lambda c: STATUSES.index(c["status"]), lambda c: c["said_on"] or UNDATED],
    "created": [itemgetter("created_at")],
}


def sort_claims(claims: list[Record], by: str = "date", reverse: bool = False) -> list[Record]:
    """Claims ordered by date (undated last), actor, status or creation time."""
    # One stable sort per key, least significant first: the same order as one sort on a tuple
    # of the keys, without building a tuple per claim (twice as fast at 100k claims).
    if by not in SORTERS:
        raise InvalidInput(f"unknown sort {by!r}: use one of {', '.join(SORTERS)}")
    ordered = sorted(claims, key=itemgetter("id"), reverse=reverse)
    for key in reversed(SORTERS[by]):
        ordered.sort(key=key, reverse=reverse)
    return ordered
