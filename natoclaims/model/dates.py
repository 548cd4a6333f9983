"""Dates with their precision (SPEC section 1): '2025', '2025-03' and '2025-03-06' are different values.

Free text is read by dateutil ("early March 2025" -> 2025-03); ambiguous numeric dates, times of
day, dates without a year and dates in the future are refused. Pure.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from natoclaims.errors import InvalidInput

ISO_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# Day and month as numbers in either order, with any separators: "03/04/2025", "1 2 2025", "1/2 2025".
NUMERIC_DATE_RE = re.compile(r"^\s*(\d{1,2})[\s,/.\-]+(\d{1,2})[\s,/.\-]+(\d{1,4})\s*$")

# Words dateutil may skip in free-text dates without changing their meaning.
DATE_FILLER_WORDS = {
    "early", "mid", "late", "on", "in", "of", "the", "around", "about", "circa", "c", "ca",
    "beginning", "start", "end", "middle", "approximately", "at",
}


def _iso_date(text: str) -> str | None:
    """`text` if it is a valid ISO date at year, month or day precision, else None."""
    match = ISO_DATE_RE.match(text)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    if not year:
        raise InvalidInput(f"invalid date {text!r}: there is no year 0")
    if month is not None and not 1 <= month <= 12:
        raise InvalidInput(f"invalid date {text!r}: no month {month} (months are 01 to 12)")
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        raise InvalidInput(f"invalid date {text!r}: {year}-{month:02} has no day {day}") from None
    return text


def date_range(value: str) -> tuple[date, date]:
    """The first and last day an ISO date at its precision covers: '2025-03' -> Mar 1..Mar 31."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
    day = date(parts[0], parts[1], parts[2])
    return day, day


def parse_date(text: str, today: date | None = None, what: str = "date") -> str:
    """Free text to an ISO date keeping its precision: 'early March 2025' -> '2025-03'.

    Refuses ambiguous numeric dates ('03/04/2025'), times of day, dates without a year
    and dates after tomorrow.
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"empty {what}")
    return _parse_date(text.strip(), today or date.today(), what)


@lru_cache(maxsize=4096)
def _parse_date(text: str, today: date, what: str) -> str:
    """`parse_date` of stripped text: a store repeats a few thousand dates across 100k claims."""
    result = _iso_date(text)
    if result is None:
        result = _numeric_date(text, what)
    if result is None:
        result = _free_text_date(text, what)
    if date_range(result)[0] > today + timedelta(days=1):
        raise InvalidInput(f"{what} {text!r} is in the future")
    return result


def _numeric_date(text: str, what: str) -> str | None:
    """DD/MM/YYYY or MM/DD/YYYY when only one reading is possible."""
    match = NUMERIC_DATE_RE.match(text)
    if not match:
        return None
    first, second, year = (int(g) for g in match.groups())
    if len(match.group(3)) != 4 or not year:
        raise InvalidInput(f"ambiguous {what} {text!r}: write it as YYYY-MM-DD")
    readings = set()
    for day, month in ((first, second), (second, first)):
        try:
            readings.add(date(year, month, day))
        except ValueError:
            pass
    if len(readings) != 1:
        raise InvalidInput(f"ambiguous {what} {text!r}: day and month could be either way; write it as YYYY-MM-DD")
    return readings.pop().isoformat()


def _free_text_date(text: str, what: str) -> str:
    """Parse with dateutil twice, with different defaults, to see which parts the text gave."""
    from dateutil import parser

    first_default = datetime(1904, 1, 1, 0, 0, 0)
    second_default = datetime(1908, 2, 28, 13, 37, 59)
    try:
        first, skipped = parser.parse(text, default=first_default, fuzzy_with_tokens=True)
        second, _ = parser.parse(text, default=second_default, fuzzy_with_tokens=True)
    except (ValueError, OverflowError, parser.ParserError):
        raise InvalidInput(f"cannot read a {what} from {text!r}: try YYYY-MM-DD, 'March 2025' or '2025'") from None
    words = {w for token in skipped for w in re.findall(r"[a-z]+", token.lower())}
    if words - DATE_FILLER_WORDS:
        unread = " ".join(sorted(words - DATE_FILLER_WORDS))
        raise InvalidInput(f"cannot read a {what} from {text!r}: did not understand {unread!r}")
    if first.tzinfo or second.tzinfo or first.hour == second.hour or first.minute == second.minute:
        raise InvalidInput(f"{what} {text!r} reads as a time of day: give a single date such as 2025-06-24")
    if first.year != second.year:
        raise InvalidInput(f"{what} {text!r} has no year")
    if first.month != second.month:
        return f"{first.year:04d}"
    if first.day != second.day:
        return f"{first.year:04d}-{first.month:02d}"
    return first.date().isoformat()


def check_date(value: Any, what: str, today: date | None = None) -> str | None:
    """A stored or imported date: None, or ISO at year/month/day precision (free text is parsed)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be a date string, not {type(value).__name__}")
    if today is None and value in _PAST_ISO_DATES:
        return value
    result = parse_date(value, today, what)
    if today is None and result == value:
        _PAST_ISO_DATES.add(value)
    return result


# Stored dates already accepted as of the real today: they stay accepted as the days go on
# (a store of 100k claims repeats a few thousand of them).
_PAST_ISO_DATES: set[str] = set()
