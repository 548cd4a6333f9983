"""`find` through every field of `Filters` (and `search_filters`, which builds them from a person's
words) on the newsroom, in memory and in a file: each field selects, repeated values OR, fields AND."""

from __future__ import annotations

import pytest

from natoclaims import core
from natoclaims.core import Filters
from tests.core.conftest import ids

TROOPS = "About 35,000 US troops"
FEWER = "Only 12,000 US troops"
SPENDING = "Allies will spend"
ALL = {TROOPS, FEWER, SPENDING}


def found(store, filters, **options):
    return {text for text in ALL for c in core.find(store, filters, **options) if c["text"].startswith(text)}


SELECTS = {
    "nothing": (Filters(), ALL),
    "a word of the text": (Filters(query="Germany"), {TROOPS, FEWER}),
    "a word in another case": (Filters(query="gdp"), {SPENDING}),
    "a word no claim has": (Filters(query="submarine"), set()),
    "an actor by name": (Filters(actors="Mark Rutte"), {FEWER, SPENDING}),
    "an actor by alias": (Filters(actors="Trump"), {TROOPS}),
    "two actors": (Filters(actors=("Trump", "Mark Rutte")), ALL),
    "an unknown actor": (Filters(actors="Nobody"), set()),
    "a topic": (Filters(topics="troops"), {TROOPS, FEWER}),
    "two topics": (Filters(topics=("troops", "defence-spending")), ALL),
    "an unused topic": (Filters(topics="nuclear"), set()),
    "a status every claim has": (Filters(statuses="unverified"), ALL),
    "a status no claim has": (Filters(statuses="false"), set()),
    "a kind every claim has": (Filters(kinds="paraphrase"), ALL),
    "a kind no claim has": (Filters(kinds="quote"), set()),
    "since a day": (Filters(since="2025-06-01"), {SPENDING}),
    "until a month": (Filters(until="2025-03"), {TROOPS, FEWER}),
    "since and until one day": (Filters(since="2025-06-24", until="2025-06-24"), {SPENDING}),
    "until before any claim": (Filters(until="2024"), set()),
    "a source domain": (Filters(source_domains="example.org"), ALL),
    "another source domain": (Filters(source_domains="nato.int"), set()),
    "a measure": (Filters(measures="us-troops-germany"), {TROOPS, FEWER}),
    "an unused measure": (Filters(measures="tanks"), set()),
    "an evidence domain before any review": (Filters(evidence_domains="example.org"), set()),
    "actor and topic": (Filters(actors="Mark Rutte", topics="troops"), {FEWER}),
    "query and actor that never meet": (Filters(query="GDP", actors="Trump"), set()),
}


@pytest.mark.parametrize("filters, expected", SELECTS.values(), ids=SELECTS.keys())
def test_each_filter_selects_its_claims(any_newsroom, filters, expected):
    assert found(any_newsroom, filters) == expected


def test_only_ids_selects_those_claims(any_newsroom):
    chosen = frozenset({ids(any_newsroom, TROOPS), ids(any_newsroom, SPENDING)})
    assert found(any_newsroom, Filters(only_ids=chosen)) == {TROOPS, SPENDING}


def test_only_ids_given_one_id_is_that_id(any_newsroom):
    assert found(any_newsroom, Filters(only_ids=ids(any_newsroom, FEWER))) == {FEWER}


def test_a_bare_string_is_one_value_not_its_letters():
    assert Filters(actors="Trump").actors == ("Trump",)
    assert Filters(topics=["a", "b"]).topics == ("a", "b")


def test_a_filter_of_a_number_is_a_type_error():
    with pytest.raises(TypeError, match="Filters.actors takes a string or strings, not int"):
        Filters(actors=5)


def test_has_contradictions_keeps_the_claims_that_disagree(any_newsroom):
    assert found(any_newsroom, Filters(), has_contradictions=True) == {TROOPS, FEWER}


def test_has_contradictions_and_only_ids_meet(any_newsroom):
    assert found(any_newsroom, Filters(only_ids=ids(any_newsroom, FEWER)), has_contradictions=True) == {FEWER}


def test_sorted_by_date_reversed_and_limited(any_newsroom):
    newest = core.find(any_newsroom, Filters(), sort="date", reverse=True, limit=1)
    assert [c["text"][:len(SPENDING)] for c in newest] == [SPENDING]


def test_a_limit_of_zero_finds_nothing(any_newsroom):
    assert core.find(any_newsroom, Filters(), limit=0) == []


def test_an_evidence_domain_selects_the_reviewed_claim(any_newsroom):
    core.review(any_newsroom, [ids(any_newsroom, FEWER)], "false", evidence=["https://www.nato.int/facts"])
    assert found(any_newsroom, Filters(evidence_domains="nato.int")) == {FEWER}
    assert found(any_newsroom, Filters(statuses="false")) == {FEWER}


WORDS = {
    "a status in capitals": (dict(statuses=["FALSE"]), ("statuses", ("false",))),
    "a kind with a capital": (dict(kinds=["Quote"]), ("kinds", ("quote",))),
    "a status with spaces": (dict(statuses=[" verified "]), ("statuses", ("verified",))),
    "an empty query": (dict(query=""), ("query", None)),
}


@pytest.mark.parametrize("given, field", WORDS.values(), ids=WORDS.keys())
def test_search_filters_reads_a_persons_words(given, field):
    name, value = field
    assert getattr(core.search_filters(**given), name) == value


def test_unknown_filter_values_names_what_the_store_does_not_have(any_newsroom):
    unknown = core.unknown_filter_values(any_newsroom, Filters(topics=("troops", "nuclear"), measures="tanks"))
    assert any("nuclear" in line for line in unknown) and any("tanks" in line for line in unknown)
    assert not any("'troops'" in line for line in unknown)


def test_unknown_filter_values_of_known_values_is_empty(any_newsroom):
    assert core.unknown_filter_values(any_newsroom, Filters(topics="troops", measures="us-troops-germany")) == []
