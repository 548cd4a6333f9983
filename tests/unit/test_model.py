"""The record model: ids, dates with precision, URLs, vocabularies, whole-record validation."""

from datetime import date

import pytest

from natoclaims.errors import InvalidInput, NotFound
from natoclaims.model import (
    ID_RE,
    check_claim,
    check_url,
    new_id,
    parse_stance,
    resolve_id,
    slug,
)
from natoclaims.model.dates import date_range, parse_date

TODAY = date(2026, 11, 22)


def test_new_ids_start_with_a_letter_and_are_random():
    ids = {new_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(ID_RE.match(i) and len(i) == 8 for i in ids)
    assert {i[0] for i in ids} > {"a", "b"}  # not a counter: many first letters


def test_new_id_avoids_taken_ids():
    taken = {new_id() for _ in range(100)}
    assert new_id(taken) not in taken


@pytest.mark.parametrize("prefix, expected", [("abcd1234", "abcd1234"), ("abcd1", "abcd1234"), ("ABCD12", "abcd1234")])
def test_resolve_id_by_unique_prefix(prefix, expected):
    assert resolve_id(prefix, {"abcd1234": 1, "abce9999": 2}) == expected


@pytest.mark.parametrize("prefix, reason", [("abc", "at least 4"), ("abcz", "no claim"), ("abcd", "ambiguous")])
def test_resolve_id_refuses_short_unknown_or_ambiguous(prefix, reason):
    with pytest.raises(NotFound, match=reason):
        resolve_id(prefix, {"abcd1234": 1, "abcd9999": 2})


@pytest.mark.parametrize("text, expected", [
    ("2025", "2025"), ("2025-03", "2025-03"), ("2025-03-06", "2025-03-06"),
    ("early March 2025", "2025-03"), ("Feb 14, 2025", "2025-02-14"), ("March 2025", "2025-03"),
    ("mid-March 2025", "2025-03"), ("late 2024", "2024"), ("6th March 2025", "2025-03-06"),
    ("on 6 March 2025", "2025-03-06"), ("13/04/2025", "2025-04-13"), ("2025/03/06", "2025-03-06"),
    ("2026-11-23", "2026-11-23"), ("2026-11", "2026-11"),
])
def test_parse_date_keeps_precision(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text, reason", [
    ("03/04/2025", "ambiguous"), ("03/04/25", "ambiguous"), ("June 24-25, 2025", "time of day"),
    ("12:30 March 3 2025", "time of day"), ("2026-11-24", "future"), ("2027", "future"), ("2026-12", "future"),
    ("blah", "cannot read"), ("hello 2025", "did not understand"), ("March 6", "no year"),
    ("2025-02-30", "has no day 30"), ("2025-13", "no month 13"), ("", "empty"), ("   ", "empty"),
])
def test_parse_date_refuses(text, reason):
    with pytest.raises(InvalidInput, match=reason):
        parse_date(text, TODAY)


def ranges_overlap(a, b):
    return date_range(a)[0] <= date_range(b)[1] and date_range(b)[0] <= date_range(a)[1]


def test_date_ranges_and_overlap_by_precision():
    assert date_range("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert date_range("2025") == (date(2025, 1, 1), date(2025, 12, 31))
    assert ranges_overlap("2025", "2025-03")
    assert ranges_overlap("2025-03", "2025-03-15")
    assert not ranges_overlap("2025-03", "2025-05")
    assert not ranges_overlap("2024", "2025-01-01")


@pytest.mark.parametrize("url", ["https://nato.int/x", "http://www.defense.gov/News?id=1"])
def test_http_urls_accepted(url):
    assert check_url(url) == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x.org/a", "nato.int",
                                 "https://", "data:text/html,hi", "https://a b.org", ""])
def test_other_urls_refused(url):
    with pytest.raises(InvalidInput):
        check_url(url)


def test_slug_and_stance():
    assert slug("Article 5") == "article-5"
    assert parse_stance("us-defends-all-allies:against") == {"proposition": "us-defends-all-allies", "position": "against"}
    for bad in ("nocolon", "x:maybe", ":for"):
        with pytest.raises(InvalidInput):
            parse_stance(bad)


def minimal(**extra):
    return {"text": "t", "actor": "A", "sources": [{"url": "https://a.org"}], **extra}


def test_check_claim_fills_defaults():
    claim = check_claim(minimal(), now="2025-01-01T00:00:00Z")
    assert claim["kind"] == "paraphrase" and claim["status"] == "unverified"
    assert claim["topics"] == claim["quantities"] == claim["stances"] == claim["links"] == claim["history"] == []
    assert claim["sources"] == [{"id": None, "url": "https://a.org", "title": None, "outlet": None, "published": None}]
    assert claim["reviews"] == []
    assert claim["created_at"] == claim["updated_at"] == "2025-01-01T00:00:00Z"


@pytest.mark.parametrize("record, reason", [
    ({"actor": "A", "sources": [{"url": "https://a.org"}]}, "missing required field 'text'"),
    (minimal(text=""), "empty claim text"),
    (minimal(text=5), "must be a string"),
    (minimal(sources=[]), "at least one source"),
    (minimal(sources=[{"outlet": "x"}]), "URL or a title"),
    (minimal(sources=[{"url": "javascript:x"}]), "only http"),
    (minimal(status="true"), "unknown status"),
    (minimal(kind="rumour"), "unknown kind"),
    (minimal(colour="red"), "unknown field 'colour'"),
    (minimal(id="1abc234"), "invalid id"),
    (minimal(id="abcdefg", links=[{"relation": "supports", "to": "abcdefg"}]), "itself"),
    (minimal(quantities=[{"value": "many", "unit": "troops"}]), "must be a number"),
    (minimal(quantities=[{"value": 5, "unit": "tanks"}]), "unknown unit"),
    (minimal(said_on="03/04/2025"), "ambiguous"),
    (minimal(topics="troops"), "must be a list"),
])
def test_check_claim_refuses(record, reason):
    with pytest.raises(InvalidInput, match=reason):
        check_claim(record, now="2025-01-01T00:00:00Z")


@pytest.mark.parametrize("topics, expected", [
    (["troops", "article-5"], ["troops", "article-5"]),  # as stored: taken as it is
    (["Article 5", "article-5", "troops"], ["article-5", "troops"]),
    (["a\nb"], ["a-b"]),  # a line break inside one topic is not two topics
    (["a", "a"], ["a"]),
    ([], []),
])
def test_topics_are_slugs_once_each(topics, expected):
    claim = check_claim(minimal(topics=topics), now="2025-01-01T00:00:00Z")
    assert claim["topics"] == expected and claim["topics"] is not topics


@pytest.mark.parametrize("value, reason", [
    (True, "must be a number"), (float("nan"), "must be a number"), (float("inf"), "must be a number"),
    (-float("inf"), "must be a number"), (10**15 + 1, "too large"), (-1e16, "too large"), ([5], "must be a number"),
])
def test_quantity_values_must_be_finite_numbers_of_sane_size(value, reason):
    with pytest.raises(InvalidInput, match=reason):
        check_claim(minimal(quantities=[{"value": value, "unit": "troops"}]), now="2025-01-01T00:00:00Z")
    assert check_claim(minimal(quantities=[{"value": 10**15, "unit": "troops"}]), now="x")["quantities"][0]["value"] == 10**15


def test_a_stored_date_accepted_today_is_still_refused_against_an_earlier_today():
    from datetime import date

    from natoclaims.model.dates import check_date

    assert check_date("2025-06", "said_on date") == "2025-06"
    assert check_date("2025-06", "said_on date") == "2025-06"  # the second time from memory
    with pytest.raises(InvalidInput, match="in the future"):
        check_date("2025-06", "said_on date", date(2024, 1, 1))
    with pytest.raises(InvalidInput, match="no year 0"):
        check_date("0000", "said_on date")
    with pytest.raises(InvalidInput, match="must be a date string"):
        check_date(["2025"], "said_on date")
