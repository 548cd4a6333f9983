"""When a statement was made, from the article's date and what the sentence says ("on Thursday", "last month").

Pure: a sentence and the article's ISO date (any precision) in, an ISO date at the precision the
text supports out. With no article date, only a phrase that names its own year gives a date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import cast

MONTHS = {name: number for number, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), start=1)}
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_MONTH = re.compile(r"\b(?:(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+" + _MONTH + r"|" + _MONTH.replace("month", "month2")
                        + r"\s+(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\b)(?:,?\s+(?P<year>(?:19|20)\d\d))?", re.I)
_MONTH_YEAR = re.compile(r"\b(?:in\s+(?:(?:early|mid|late)[\s-]+)?)?" + _MONTH + r"(?:\s+(?P<year>(?:19|20)\d\d))?\b", re.I)
_WEEKDAY = re.compile(r"\b(?:on|last|this)\s+(?P<weekday>" + "|".join(WEEKDAYS) + r")\b", re.I)
_RELATIVE = re.compile(r"\b(?P<phrase>yesterday|today|on\s+sunday|last\s+(?:week|month|year)|this\s+(?:week|month|year)|"
                       r"earlier\s+this\s+(?:week|month|year))\b", re.I)
_YEAR = re.compile(r"\bin\s+(?P<year>(?:19|20)\d\d)\b")
_MAY_VERB = re.compile(r"\bmay\s+(?:well|be|have|not|also|still|mark|lead|need|take|come|go|not)\b", re.I)


def _article_day(published: str | None) -> date | None:
    if published and len(published) >= 10:
        try:
            return date.fromisoformat(published[:10])
        except ValueError:
            return None
    return None


def _year_for(month: int, published: str | None) -> int | None:
    """The year of a month named without one: the article's, or the year before if that month is still to come."""
    if not published:
        return None
    year = int(published[:4])
    if len(published) >= 7 and month > int(published[5:7]):
        return year - 1
    return year


def said_on(sentence: str, published: str | None) -> str | None:
    """The date a sentence puts its statement on, else the article's date, else None."""
    today = _article_day(published)
    for match in _DAY_MONTH.finditer(sentence):
        month = MONTHS[(match["month"] or match["month2"]).lower()]
        day = int(match["day"] or match["day2"])
        year = int(match["year"]) if match["year"] else _year_for(month, published)
        if year and 1 <= day <= 31:
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                continue
    if today:
        weekday = _WEEKDAY.search(sentence)
        if weekday:
            back = (today.weekday() - WEEKDAYS.index(weekday["weekday"].lower())) % 7
            return (today - timedelta(days=back or (7 if weekday.group(0).lower().startswith("last") else 0))).isoformat()
        relative = _RELATIVE.search(sentence)
        if relative:
            phrase = " ".join(relative["phrase"].lower().split())
            if phrase == "yesterday":
                return (today - timedelta(days=1)).isoformat()
            if phrase == "today":
                return today.isoformat()
            if phrase == "last week":
                return (today - timedelta(days=7)).isoformat()[:7]
            if phrase == "last month":
                first = today.replace(day=1) - timedelta(days=1)
                return first.isoformat()[:7]
            if phrase == "last year":
                return str(today.year - 1)
            if phrase.endswith("month"):
                return today.isoformat()[:7]
            if phrase.endswith("year"):
                return str(today.year)
            if phrase.endswith("week"):
                return today.isoformat()[:7]
    for match in _MONTH_YEAR.finditer(sentence):
        word = match["month"].lower()
        if word == "may" and (_MAY_VERB.match(sentence, match.start("month")) or not match.group(0)[:1].isupper()
                              and not match["year"]):
            continue  # the verb, not the month
        if not match.group(0).lower().startswith("in") and not match["year"]:
            continue  # a bare month name without "in" is too often something else ("March" the verb, a name)
        month = MONTHS[word]
        year = int(match["year"]) if match["year"] else _year_for(month, published)
        if year:
            return f"{year:04d}-{month:02d}"
    for stated in _YEAR.finditer(sentence):
        if not published or stated["year"] <= published[:4]:  # a later year is a plan or a target, not when it was said
            return cast(str, stated["year"])
    return published
