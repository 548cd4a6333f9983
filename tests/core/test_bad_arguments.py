"""SPEC section 6 through the library: every wrong argument is refused with the typed error and one
clear message in the library's words, and the store (a file byte for byte, the memory twin's tables)
is left as it was."""

from __future__ import annotations

import pytest

from natoclaims import core
from natoclaims.errors import InvalidInput, NotFound
from tests.core.conftest import ids
from tests.factories import unchanged

TROOPS = "About 35,000 US troops"
FEWER = "Only 12,000 US troops"
SRC = ["https://example.org/new"]


def add(**fields):
    fields.setdefault("actor", "A")
    fields.setdefault("sources", SRC)
    text = fields.pop("text", "x")
    return lambda s: core.add_claim(s, text, **fields)


def edit(**fields):
    return lambda s: core.edit_claim(s, ids(s, TROOPS), **fields)


INVALID = {
    "add: empty text": (add(text=""), "empty claim text"),
    "add: blank text": (add(text="   "), "empty claim text"),
    "add: empty actor": (add(actor=""), "empty actor"),
    "add: no source": (add(sources=[]), "a claim needs a source: give sources"),
    "add: javascript source": (add(sources=["javascript:alert(1)"]), "only http and https"),
    "add: file source": (add(sources=["file:///etc/passwd"]), "only http and https"),
    "add: bare domain source": (add(sources=["example.org"]), "only http and https"),
    "add: undecodable url": (add(sources=["http://example.org/\udcff"]), "not UTF-8"),
    "add: bracketed host": (add(sources=["http://[x]/a"]), "invalid source URL"),
    "add: port out of range": (add(sources=["http://example.org:99999/a"]), "Port out of range"),
    "add: port not a number": (add(sources=["http://example.org:abc/a"]), "Port could not be cast"),
    "add: unknown status": (add(status="true"), "unknown status"),
    "add: unknown kind": (add(kind="rumour"), "unknown kind"),
    "add: ambiguous date": (add(said_on="03/04/2025"), "ambiguous"),
    "add: a date range with a time": (add(said_on="June 24-25, 2025"), "time of day"),
    "add: future date": (add(said_on="2099-01-01"), "future"),
    "add: no date": (add(said_on="next tuesday-ish"), "cannot read a date from 'next tuesday-ish'"),
    "add: quantity without a value": (add(quantities=["troops"]), "invalid quantity"),
    "add: quantity in words": (add(quantities=["many troops"]), "invalid quantity"),
    "add: unknown unit": (add(quantities=["5 tanks"]), "unknown unit"),
    "add: more measures than quantities": (add(quantities=["5 troops"], measures=["a", "b"]),
                                           "2 measures for 1 quantities"),
    "add: a measure without figures": (add(text="no figures here", measures=["a"]), "measures need quantities"),
    "add: stance without a colon": (add(stances=["nocolon"]), "invalid stance"),
    "add: unknown stance position": (add(stances=["p:maybe"]), "unknown stance position"),
    "add: topic of punctuation": (add(topics=["!!"]), "invalid topic"),
    "add: as_of no date": (add(quantities=["5 troops"], as_of="soon-ish"), "as_of date from 'soon-ish'"),
    "edit: empty text": (edit(text=""), "empty claim text"),
    "edit: unknown kind": (edit(kind="rumour"), "unknown kind"),
    "edit: ambiguous date": (edit(said_on="03/04/2025"), "ambiguous"),
    "edit: javascript source": (edit(add_sources=["javascript:x"]), "only http"),
    "edit: remove an absent topic": (edit(remove_topics=["absent"]), "has no topic 'absent'"),
    "edit: quantity in words": (edit(quantities=["lots"]), "invalid quantity"),
    "edit: a range high to low": (edit(quantities=["800-700 troops"]), "from the lower figure to the higher"),
    "edit: future as_of": (edit(as_of="2099"), "future"),
    "status: unknown status": (lambda s: core.set_status(s, [ids(s, TROOPS)], "true"), "unknown status"),
    "review: unknown verdict": (lambda s: core.review(s, [ids(s, TROOPS)], "true"), "unknown status 'true'"),
    "status: ftp evidence": (lambda s: core.set_status(s, [ids(s, TROOPS)], "false", source="ftp://x"),
                             "only http"),
    "link: to itself": (lambda s: core.link(s, ids(s, TROOPS), "contradicts", ids(s, TROOPS)),
                        "a claim cannot link to itself"),
    "link: unknown relation": (lambda s: core.link(s, ids(s, TROOPS), "refutes", ids(s, FEWER)), "unknown relation"),
    "actor: empty name": (lambda s: core.add_actor(s, "", [], None), "empty actor name"),
    "actor: a name taken": (lambda s: core.add_actor(s, "Donald Trump", [], None),
                            "'Donald Trump' already names the actor 'Donald Trump'"),
    "actor: an alias taken": (lambda s: core.add_alias(s, "Mark Rutte", "Trump"),
                              "'Trump' already names the actor 'Donald Trump'"),
    "source: unclosed bracket": (lambda s: core.add_source(s, "http://[::1"), "invalid source URL"),
    "source: no host": (lambda s: core.add_source(s, "http://:80/a"), "no host"),
}


@pytest.mark.parametrize("call, message", INVALID.values(), ids=INVALID.keys())
def test_a_wrong_argument_is_invalid_input_and_changes_nothing(any_newsroom, call, message):
    with unchanged(any_newsroom), pytest.raises(InvalidInput, match=message):
        call(any_newsroom)


NOT_FOUND = {
    "edit a claim that is not there": (lambda s: core.edit_claim(s, "nosuch99", text="x"), "no claim with id"),
    "a status for one of two": (lambda s: core.set_status(s, [ids(s, TROOPS), "nosuch99"], "false"),
                                "no claim with id 'nosuch99'"),
    "remove one real, one not": (lambda s: core.remove_claims(s, [ids(s, TROOPS), "nosuch99"]),
                                 "no claim with id 'nosuch99'"),
    "unlink claims never linked": (lambda s: core.unlink(s, ids(s, TROOPS), ids(s, FEWER)), "no link between"),
    "get an unknown actor": (lambda s: core.get_actor(s, "Nobody Known"), "no actor"),
}


@pytest.mark.parametrize("call, message", NOT_FOUND.values(), ids=NOT_FOUND.keys())
def test_what_is_not_there_is_not_found_and_changes_nothing(any_newsroom, call, message):
    with unchanged(any_newsroom), pytest.raises(NotFound, match=message):
        call(any_newsroom)


FILTERS = {
    "ambiguous since": (dict(since="03/04/2025"), "ambiguous"),
    "until no date": (dict(until="whenever"), "date"),
    "unknown status": (dict(statuses=["maybe"]), "unknown status"),
    "unknown kind": (dict(kinds=["rumour"]), "unknown kind"),
}


@pytest.mark.parametrize("given, message", FILTERS.values(), ids=FILTERS.keys())
def test_search_filters_refuse_before_the_store_is_read(given, message):
    with pytest.raises(InvalidInput, match=message):
        core.search_filters(**given)


def test_unknown_sort_is_refused(any_newsroom):
    with pytest.raises(InvalidInput, match="unknown sort 'colour': use one of date, actor, status, created"):
        core.find(any_newsroom, core.Filters(), sort="colour")


def test_a_measure_for_a_claim_without_figures_is_refused(any_newsroom):
    claim = core.add_claim(any_newsroom, "no figures here", actor="A", sources=SRC).claim["id"]
    with unchanged(any_newsroom), pytest.raises(InvalidInput, match="states no figures"):
        core.edit_claim(any_newsroom, claim, measures=["a"])
