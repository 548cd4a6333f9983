"""Figures in claims: parse `--quantity "35000 troops"` and extract figures from text.

Only numbers with a unit are figures: "35,000 troops", "5% of GDP", "€800 billion",
"32 allies". Years, dates, article numbers and ordinals have none, so they are never taken.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

from natoclaims.errors import InvalidInput
from natoclaims.model import MAX_VALUE

if TYPE_CHECKING:
    from natoclaims.model.shapes import Quantity

MULTIPLIERS = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
    "b": 1e9, "trillion": 1e12, "tn": 1e12,
}
CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "us$": "USD", "£": "GBP", "eur": "EUR", "usd": "USD", "gbp": "GBP"}
CURRENCY_WORDS = {"euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD", "pound": "GBP", "pounds": "GBP"}
TROOP_NOUNS = ("troops", "troop", "soldiers", "soldier", "service members", "servicemembers", "personnel", "forces", "marines")
PEOPLE_NOUNS = ("people", "persons", "civilians", "refugees", "residents", "citizens", "workers")
# Plural nouns after a number that are not things counted in a claim about NATO.
NOT_COUNTED = {
    "years", "months", "weeks", "days", "hours", "minutes", "seconds", "decades", "centuries",
    "times", "percent", "points", "am", "pm", "s",
}
UNIT_ALIASES = {
    "troops": "troops", "troop": "troops", "soldiers": "troops",
    "%gdp": "%GDP", "% gdp": "%GDP", "% of gdp": "%GDP", "percent of gdp": "%GDP", "gdp": "%GDP",
    "%": "%", "percent": "%", "pct": "%",
    "eur": "EUR", "€": "EUR", "euro": "EUR", "euros": "EUR",
    "usd": "USD", "$": "USD", "dollar": "USD", "dollars": "USD",
    "gbp": "GBP", "£": "GBP", "pound": "GBP", "pounds": "GBP",
    "people": "people", "persons": "people",
    "count": "count",
}
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "a": 1,
}
FRACTIONS = {
    "one-half": 50.0, "half": 50.0, "one-third": 33.33, "two-thirds": 66.67, "one-quarter": 25.0,
    "three-quarters": 75.0, "a third": 33.33, "a quarter": 25.0,
}
QUALIFIER_WORDS = [
    (r"more than|over|at least|upwards of|in excess of|exceeding|above|no fewer than|no less than", "at-least"),
    (r"less than|fewer than|under|at most|no more than|below|up to", "at-most"),
    (r"some|about|around|approximately|roughly|nearly|near|almost|close to|an estimated|estimated|"
     r"circa|approx\.?|~|just over|just under|more or less", "approx"),
]

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
MULT = r"(?:\s?(?P<mult>thousand|million|billion|trillion|bn|mn|tn|k|m|b)\b)?"
# Numbers are found first (a cheap scan); the words just before one say its qualifier and currency.
FIGURE_RE = re.compile(
    r"(?<![\w.,/-])(?P<num>" + NUMBER + r"|(?:" + "|".join(WORD_NUMBERS) + r")\b)" + MULT + r"(?![\w/]|[.,]\d|-\d)",
    re.IGNORECASE,
)
PREFIX_RE = re.compile(
    r"(?:(?<!\w)(?P<qual>" + "|".join(p for p, _ in QUALIFIER_WORDS) + r")\s+)?"
    r"(?P<cur>€|£|US\$|\$|\b(?:EUR|USD|GBP)\s?)?$",
    re.IGNORECASE,
)
RANGE_RE = re.compile(
    r"\bbetween\s+(?P<low>" + NUMBER + r")\s?(?P<u1>%|percent)?\s+and\s+(?P<high>" + NUMBER + r")"
    r"|(?<![\w.,])(?P<low2>" + NUMBER + r")\s?(?:-|–|to)\s?(?P<high2>" + NUMBER + r")(?=\s?(?:%|percent))",
    re.IGNORECASE,
)
# "between 700 and 800 troops", "700-800 troops", "900 to 1,000 soldiers": two bounds sharing the unit after them.
COUNT_RANGE_RE = re.compile(
    r"(?<![\w.,/-])(?:(?P<between>between)\s+)?(?P<low>" + NUMBER + r")\s?(?P<sep>-|–|to|and)\s?(?P<high>" + NUMBER + r")"
    r"(?:\s?(?P<mult>thousand|million|billion))?(?![\w/]|[.,]\d|-\d)",
    re.IGNORECASE,
)
FRACTION_RE = re.compile(r"\b(" + "|".join(map(re.escape, FRACTIONS)) + r")\b", re.IGNORECASE)
MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
PERCENT_RE = re.compile(r"\s?(?:%|percent\b|per cent\b)", re.I)
NOT_A_FIGURE_BEFORE_RE = re.compile(r"\b(?:article|art\.|no\.|number|#|chapter|section|page|paragraph|" + MONTHS + r")\s*$", re.I)
GDP_NEAR_RE = re.compile(r"\W{0,3}(?:of\s+(?:their\s+|its\s+|the\s+)?(?:\w+\s+)?)?(?:GDP|gross domestic product|economic output)", re.I)
YEAR_RE = re.compile(r"^(1[89]\d\d|20\d\d|2100)$")


def _number(text: str) -> float:
    text = text.lower().replace(",", "")
    if text in WORD_NUMBERS:
        return float(WORD_NUMBERS[text])
    return float(text)


def _plain(value: float) -> int | float:
    """An int when the value is whole, so 35000.0 is written 35000."""
    return int(value) if float(value).is_integer() else round(value, 6)


def normalise_unit(text: str) -> str:
    """A unit as written ('euros', '% of GDP', 'soldiers') to one of the SPEC units."""
    key = re.sub(r"\s+", " ", text.strip().lower())
    if key in UNIT_ALIASES:
        return UNIT_ALIASES[key]
    raise InvalidInput(f"unknown unit {text!r}: use one of troops, %GDP, %, EUR, USD, GBP, people, count")


QUANTITY_RE = re.compile(
    r"^\s*(?:(?P<qual>>=|<=|[~<>])|(?P<words>" + "|".join(p for p, _ in QUALIFIER_WORDS) + r")\s+)?"
    r"\s*(?P<cur>€|£|\$)?\s*(?P<num>[+-]?(?:" + NUMBER + r"))"
    r"(?:\s*(?P<mult>thousand|million|billion|trillion|bn|k|m)\b)?\s*(?P<unit>.*?)\s*$",
    re.IGNORECASE,
)
QUANTITY_RANGE_RE = re.compile(
    r"^\s*(?:between\s+)?(?P<cur>€|£|\$)?\s*(?P<low>" + NUMBER + r")\s*(?:-|–|to|and)\s*"
    r"(?P<rest>(?:€|£|\$)?\s*(?:" + NUMBER + r")\b.*)$",
    re.IGNORECASE,
)


def parse_quantity(text: str, measure: str | None = None) -> Quantity:
    """'35000 troops', '5 %GDP', '€800 billion', '~12,000 troops', 'about 750 troops' -> a quantity record."""
    match = QUANTITY_RE.match(text or "")
    if not match:
        raise InvalidInput(f"invalid quantity {text!r}: write VALUE UNIT, e.g. '35000 troops' or '5 %GDP'")
    value = float(match["num"].replace(",", "")) * MULTIPLIERS.get((match["mult"] or "").lower(), 1)
    unit_text = match["unit"] or (match["cur"] or "")
    if not unit_text:
        raise InvalidInput(f"invalid quantity {text!r}: give a unit (troops, %GDP, %, EUR, USD, GBP, people, count)")
    if match["words"]:
        qualifier = _qualifier(match["words"])
    else:
        qualifier = {"~": "approx", ">": "at-least", ">=": "at-least", "<": "at-most", "<=": "at-most"}.get(
            match["qual"] or "", "exact"
        )
    from natoclaims.model import check_quantity

    return check_quantity({
        "value": _plain(value), "unit": normalise_unit(unit_text), "measure": measure,
        "qualifier": qualifier, "as_of": None,
    })


def parse_quantities(text: str, measure: str | None = None) -> list[Quantity]:
    """One `--quantity` as its figures: a range ('700-800 troops', 'between 700 and 800 troops')
    is two bounds, `at-least` the low and `at-most` the high, with the same unit and measure."""
    match = QUANTITY_RANGE_RE.match(text or "")
    if not match:
        return [parse_quantity(text, measure)]
    rest = match["rest"] if match["rest"][:1] in "€£$" else f"{match['cur'] or ''}{match['rest']}"
    high = parse_quantity(rest, measure)
    if high["qualifier"] != "exact":
        raise InvalidInput(f"invalid quantity {text!r}: a range's bounds are plain numbers")
    low_text = f"{match['cur'] or ''}{match['low']}"
    # The multiplier and unit written once after the high bound apply to both: "2-3 million people".
    tail = re.match(r"(?:€|£|\$)?\s*(?:" + NUMBER + r")(?P<tail>.*)$", rest)
    assert tail is not None  # QUANTITY_RANGE_RE required a number there
    low = parse_quantity(low_text + tail["tail"], measure)
    if low["value"] >= high["value"]:
        raise InvalidInput(f"invalid quantity {text!r}: a range goes from the lower figure to the higher")
    return [{**low, "qualifier": "at-least"}, {**high, "qualifier": "at-most"}]


def _qualifier(words: str | None) -> str:
    if not words:
        return "exact"
    words = words.strip().lower()
    for pattern, qualifier in QUALIFIER_WORDS:
        if re.fullmatch(pattern, words):
            return qualifier
    return "exact"


def _unit_after(text: str, end: int, is_percent: bool) -> str | None:
    """The unit a figure has from the words that follow it, or None when it has none."""
    after = text[end:end + 60]
    if is_percent:
        return "%GDP" if GDP_NEAR_RE.match(after) else "%"
    lowered = after.lower()
    noun = re.match(r"[”\"’']?[\s-]+(?:(?:u\.s\.|us|american|additional|more|new|extra|german|british|french|european|"
                    r"nato|allied|active-duty|combat|rotational|permanent|of\s+(?:the|its|their))\s+){0,3}"
                    r"([a-z][a-z-]*(?:\s+members)?)", lowered)
    if not noun:
        return None
    word = noun.group(1)
    if word in TROOP_NOUNS:
        return "troops"
    if word in PEOPLE_NOUNS:
        return "people"
    if word in CURRENCY_WORDS:
        return CURRENCY_WORDS[word]
    if word.endswith("s") and len(word) > 2 and word not in NOT_COUNTED and after[:1] == " " and noun.start(1) == 1:
        return "count"
    return None


def extract_quantities(text: str) -> list[Quantity]:
    """Every figure with a unit in `text`, in order; never a year, date, article number or ordinal."""
    found: list[tuple[int, Quantity]] = []
    covered = bytearray(len(text))  # characters already part of a range or fraction: O(1) overlap checks

    def add(start: int, end: int, value: float, unit: str, qualifier: str) -> None:
        if 1 in covered[start:end] or not abs(value) <= MAX_VALUE:  # too large to be a figure (or inf)
            return
        covered[start:end] = b"\x01" * (end - start)
        found.append((start, {"value": _plain(value), "unit": unit, "measure": None,
                              "qualifier": qualifier, "as_of": None}))

    lowered = text.lower()
    # Ranges are only taken in percentages, fractions only where one is named: skip the scans otherwise.
    ranges = RANGE_RE.finditer(text) if "%" in text or "percent" in lowered else ()
    fractions = FRACTION_RE.finditer(text) if any(w in lowered for w in ("half", "third", "quarter")) else ()
    unit: str | None  # in each pass below; None where no unit follows a figure
    for match in ranges:
        low = match["low"] or match["low2"]
        high = match["high"] or match["high2"]
        percent = PERCENT_RE.match(text, match.end())
        if match["low"] and not percent and not match["u1"]:
            continue
        end = percent.end() if percent else match.end()
        unit = "%GDP" if GDP_NEAR_RE.match(text, end) else "%"
        if abs(_number(high)) <= MAX_VALUE:
            add(match.start(), end, _number(low), unit, "at-least")
            found.append((match.start() + 1, {"value": _plain(_number(high)), "unit": unit, "measure": None,
                                              "qualifier": "at-most", "as_of": None}))

    counted = COUNT_RANGE_RE.finditer(text) if any(c.isdigit() for c in text) else ()
    for match in counted:
        if (match["sep"].lower() == "and") != bool(match["between"]):
            continue  # "700 and 800" is a range only after "between"; "between 700 to 800" is not English
        mult = MULTIPLIERS.get((match["mult"] or "").lower(), 1)
        low, high = _number(match["low"]) * mult, _number(match["high"]) * mult
        unit = _unit_after(text, match.end(), False)
        if unit is None or low >= high or (unit == "count" and (YEAR_RE.match(match["low"]) or YEAR_RE.match(match["high"]))):
            continue
        if abs(high) <= MAX_VALUE and 1 not in covered[match.start():match.end()]:
            add(match.start(), match.end(), low, unit, "at-least")
            found.append((match.start() + 1, {"value": _plain(high), "unit": unit, "measure": None,
                                              "qualifier": "at-most", "as_of": None}))

    for match in fractions:
        add(match.start(), match.end(), FRACTIONS[match.group(1).lower()], "%", "approx")

    for match in FIGURE_RE.finditer(text):
        raw = match["num"]
        start, end = match.start("num"), match.end()
        prefix = PREFIX_RE.search(text[max(0, start - 30):start])
        assert prefix is not None  # every part of it is optional
        if NOT_A_FIGURE_BEFORE_RE.search(text[max(0, start - 12):start]):
            continue
        mult = MULTIPLIERS.get((match["mult"] or "").lower(), 1)
        if match["mult"] and match["mult"].lower() in ("m", "b", "k") and not prefix["cur"]:
            mult = 1  # a bare "m" or "b" after a number is rarely a multiplier without a currency
            end = match.end("num")
        value = _number(raw) * mult
        percent = PERCENT_RE.match(text, end)
        if prefix["cur"]:
            unit = CURRENCY_SYMBOLS[prefix["cur"].strip().lower()]
        elif percent:
            end = percent.end()
            unit = _unit_after(text, end, True)
        else:
            unit = _unit_after(text, end, False)
            if unit in ("EUR", "USD", "GBP"):
                pass
            elif raw.lower() in WORD_NUMBERS and unit not in ("troops", "people") and not match["mult"]:
                continue  # "two allies", "a few countries": words, not reported figures
            elif unit is None or (YEAR_RE.match(raw) and unit == "count"):
                continue
        if unit is None:
            continue
        add(start - len(prefix.group()), end, value, unit, _qualifier(prefix["qual"]))

    return [q for _, q in sorted(found, key=lambda item: item[0])]


# -- where a figure stands in its text: negated, and of which place -------------------------------

# Words that deny the figure after them ("no country spends 5%", "not 35,000"); the bounds
# "no more than" and "not less than" are qualifiers, not denials.
NEGATION_RE = re.compile(
    r"\b(?:no|not|never|none|nor|neither|nobody|nothing|without)\b(?!\s+(?:more|less|fewer)\s+than)|n't\b", re.I)
CLAUSE_END_RE = re.compile(r"[.;:!?](?!\d)|\bbut\b|\bwhile\b|\bwhereas\b|,\s+and\b", re.I)
AFTER_END_RE = re.compile(CLAUSE_END_RE.pattern + r"|,", re.I)  # a place after the figure is in its phrase
PLACES = {
    "germany": "germany", "german": "germany", "berlin": "germany", "poland": "poland", "polish": "poland",
    "europe": "europe", "european": "europe", "baltics": "baltics", "baltic": "baltics", "estonia": "estonia",
    "latvia": "latvia", "lithuania": "lithuania", "romania": "romania", "italy": "italy", "spain": "spain",
    "france": "france", "french": "france", "britain": "uk", "uk": "uk", "british": "uk", "greece": "greece",
    "belgium": "belgium", "norway": "norway", "finland": "finland", "sweden": "sweden", "canada": "canada",
    "hungary": "hungary", "turkey": "turkey", "netherlands": "netherlands", "denmark": "denmark",
    "ukraine": "ukraine", "russia": "russia", "asia": "asia", "japan": "japan", "korea": "korea",
}
PLACE_RE = re.compile(r"\b(" + "|".join(sorted(PLACES, key=len, reverse=True)) + r")\b", re.I)


def figure_positions(text: str, quantity: Quantity) -> list[int]:
    """Where a figure's number is written in `text` ('35,000', '35000', '35 000', '5%'), as offsets."""
    value = quantity["value"]
    whole = float(value).is_integer()
    spelt = ({f"{int(value):,}", str(int(value)), f"{int(value):,}".replace(",", " "), f"{int(value)}.0"} if whole
             else {f"{value:g}"})
    for size, word in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if abs(value) >= size and (value / size) * 100 == int((value / size) * 100):
            spelt.add(f"{value / size:g} {word}")
            spelt.add(f"{value / size:g}{'bn' if size == 1e9 else 'm' if size == 1e6 else 'k'}")
    pattern = r"(?<![\d.,])(?:" + "|".join(map(re.escape, sorted(spelt, key=len, reverse=True))) + r")(?![\d]|[.,]\d)"
    return [m.start() for m in re.finditer(pattern, text, re.I)]


def _clause_before(text: str, at: int) -> str:
    before = text[max(0, at - 60):at]
    ends = list(CLAUSE_END_RE.finditer(before))
    return before[ends[-1].end():] if ends else before


def negated(text: str, quantity: Quantity) -> bool:
    """True when the figure is denied where it is written ("no NATO country spends 5%", "not
    35,000"): not a value the claim asserts. A figure not found in the text is taken as asserted."""
    positions = figure_positions(text, quantity)
    return bool(positions) and all(NEGATION_RE.search(_clause_before(text, at)) for at in positions)


def figure_clauses(text: str, quantity: Quantity) -> list[tuple[str, str]]:
    """For each place the figure is written: the words of its clause before it, and its phrase
    after it (up to a comma or the clause's end)."""
    clauses = []
    for at in figure_positions(text, quantity):
        before = _clause_before(text, at)
        rest = text[at:at + 100]
        rest = rest[len(cast(re.Match[str], re.match(r"[\d.,\s]*", rest)).group()):]  # past the number itself
        end = AFTER_END_RE.search(rest)
        clauses.append((before, rest[:end.start()] if end else rest))
    return clauses


def places(text: str, quantity: Quantity | None = None) -> frozenset[str]:
    """The places a figure is about, e.g. {'germany'} for "35,000 troops in Germany": those named
    in its phrase after it, else in its clause before it; the whole text's when the figure is not
    found, or none is given."""
    clauses = figure_clauses(text, quantity) if quantity is not None else []
    if not clauses:
        return frozenset(PLACES[m.lower()] for m in PLACE_RE.findall(text))
    found: set[str] = set()
    for before, after in clauses:
        named = PLACE_RE.findall(after) or PLACE_RE.findall(before)
        found |= {PLACES[m.lower()] for m in named}
    return frozenset(found)

CHANGE_RE = re.compile(r"(?:\bby|\bcut of|\breduction of|\bincrease of|\bdrawdown of|\bwithdrawal of|"
                       r"\bwithdraw(?:s|ing|n)?|\bpull(?:s|ing)? out|\bpulled out|\bredeploy(?:s|ing|ed)?)\s+"
                       r"(?:(?:" + "|".join(p for p, _ in QUALIFIER_WORDS) + r")\s+)?(?:€|£|US\$|\$)?$", re.I)
# The change named after its size: "the 35,000-troop withdrawal", "a 9,500 troop cut".
CHANGE_AFTER_RE = re.compile(r"[\d,. ]+(?:-| )(?:\w+[- ])?(?:withdrawal|cut|reduction|drawdown|pull-?out)\b", re.I)
TARGET_RE = re.compile(r"\b(?:must|should|targets?|goals?|aims?|aiming|pledge\w*|demand\w*|commit\w*|benchmark|"
                       r"threshold|guideline|calls? for|called for|urg\w+|requir\w+|earmark\w*)\b", re.I)
YEAR_NAMED_RE = re.compile(r"\b(?:in|by|for|since|until|of)\s+((?:19|20)\d\d)\b|\b(next|last|this)\s+year\b", re.I)


def is_change(text: str, quantity: Quantity) -> bool:
    """True when the figure is an amount of change ("cut by 9,500 troops", "a cut of about 800"),
    not a level: a change and a level are never the same quantity."""
    positions = figure_positions(text, quantity)
    return bool(positions) and all(CHANGE_RE.search(text[max(0, at - 40):at]) or CHANGE_AFTER_RE.match(text, at)
                                   for at in positions)


def year_named(text: str, quantity: Quantity, said_in: int | None) -> int | None:
    """The year a figure's own clause names for it ("2.2% in 2022", "4.8 percent next year"),
    else None; `said_in` is the year the claim was made, for 'next year' and 'last year'."""
    for before, after in figure_clauses(text, quantity):
        match = YEAR_NAMED_RE.search(after) or YEAR_NAMED_RE.search(before)
        if match and match.group(1):
            return int(match.group(1))
        if match and said_in is not None:
            return said_in + {"next": 1, "last": -1, "this": 0}[match.group(2).lower()]
    return None


def is_target(text: str, quantity: Quantity) -> bool:
    """True when the figure is a goal, demand or threshold ("must spend 5%", "the 2% benchmark"),
    not a level reached: a target and a level are not the same quantity."""
    return any(TARGET_RE.search(before) or TARGET_RE.search(after) for before, after in figure_clauses(text, quantity))
