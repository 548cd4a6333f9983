"""Anchoring quotes in an article's text and classifying them (pure)."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from natoclaims.engines.anchoring import CONTEXT, anchor, differences, normalise, selector
from tests.conftest import examples

ARTICLE = (
    "Home | World | Sport\n\n"
    "NATO Secretary General Mark Rutte said on Tuesday that allies must spend more.\n\n"
    "\u201cWe will defend every inch of allied territory,\u201d Rutte told reporters in Brussels, adding that "
    "the posture was \u201crock solid\u201d \u2014 and that he didn\u2019t expect any ally to leave.\n\n"
    "Later he said: \u201cWe will defend every inch of allied territory\u201d once more, for the cameras."
)


def test_exact_quote_gets_both_selectors_with_context():
    found = anchor("We will defend every inch of allied territory", ARTICLE)
    assert found.match == "exact"
    sel = found.selector
    assert ARTICLE[sel["start"]:sel["end"]] == sel["exact"] == "We will defend every inch of allied territory"
    assert sel["prefix"] == ARTICLE[sel["start"] - CONTEXT:sel["start"]] and len(sel["suffix"]) == CONTEXT


def test_typography_case_spacing_and_end_punctuation_are_normalised():
    found = anchor("the posture was \"Rock  solid\" - and that he didn't expect any ally to leave,", ARTICLE)
    assert found.match == "normalised"
    assert found.selector["exact"] == "the posture was \u201crock solid\u201d \u2014 and that he didn\u2019t expect any ally to leave"


def test_ellipsis_character_matches_three_dots():
    assert anchor("wait\u2026 and see", "They said: wait... and see.").match == "normalised"


def test_a_changed_word_is_altered_and_the_source_words_are_found():
    found = anchor("We will defend every metre of allied territory", ARTICLE)
    assert found.match == "altered"
    assert found.found == "We will defend every inch of allied territory"
    runs = differences("We will defend every metre of allied territory", found.found)
    assert ("replace", "metre", "inch") in runs
    assert [r for r in runs if r[0] != "equal"] == [("replace", "metre", "inch")]


def test_words_not_in_the_article_are_missing_never_guessed():
    found = anchor("NATO is obsolete and America will leave it tomorrow", ARTICLE)
    assert found.match == "missing" and found.selector is None
    assert anchor("   ", ARTICLE).match == "missing"


def test_fewer_than_half_the_words_in_order_is_missing():
    assert anchor("We will never ever abandon the beautiful Baltic coast", ARTICLE).match == "missing"


def test_position_first_then_prefix_and_suffix_pick_among_repeats():
    quote = "We will defend every inch of allied territory"
    first, second = ARTICLE.find(quote), ARTICLE.rfind(quote)
    assert anchor(quote, ARTICLE, selector(ARTICLE, second, second + len(quote))).selector["start"] == second
    assert anchor(quote, ARTICLE).selector["start"] == first
    # A copy with a paragraph inserted before both: the old context still picks the second one.
    newer = "Editor's note: this story was updated.\n\n" + ARTICLE
    old = selector(ARTICLE, second, second + len(quote))
    again = anchor(quote, newer, old)
    assert again.match == "exact" and again.selector["start"] == second + len(newer) - len(ARTICLE)
    assert again.selector["prefix"] == old["prefix"]


def test_normalise_maps_back_to_the_original_characters():
    text = "A \u201cquote\u201d\u2026  with\u00a0SPACES \u2014 done"
    plain, where = normalise(text)
    assert plain == 'a "quote"... with spaces - done'
    assert len(where) == len(plain) and all(0 <= i < len(text) for i in where)


words = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu")), min_size=2, max_size=8)


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(words, min_size=3, max_size=40), st.data())
def test_any_passage_of_a_text_anchors_exact_where_it_is(all_words, data):
    text = " ".join(all_words)
    start = data.draw(st.integers(0, len(all_words) - 2))
    end = data.draw(st.integers(start + 1, len(all_words)))
    quote = " ".join(all_words[start:end])
    found = anchor(quote, text)
    assert found.match == "exact"
    assert text[found.selector["start"]:found.selector["end"]] == quote


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(words, min_size=6, max_size=30), st.text(min_size=1, max_size=200))
def test_a_quote_stays_exact_after_text_is_inserted_before_it(all_words, inserted):
    text = " ".join(all_words)
    quote = " ".join(all_words[-4:])
    before = anchor(quote, text)
    newer = inserted + "\n\n" + text
    after = anchor(quote, newer, before.selector)
    assert after.match == "exact"
    assert newer[after.selector["start"]:after.selector["end"]] == quote


@settings(max_examples=examples(200), deadline=None)
@given(st.text(alphabet=st.sampled_from("aBc .,\n\t\r\u00a0\u2009\u2026\u2018\u2019\u201c\u201d\u2014\u2013-'\"Éé"),
               max_size=60))
def test_normalise_is_plain_folding_with_an_index_for_every_character(text):
    plain, where = normalise(text)
    folded = text.translate(str.maketrans("\u00a0\u2009\u2018\u2019\u201c\u201d\u2014\u2013", "  ''\"\"--"))
    assert plain == re.sub(r"\s+", " ", folded.replace("\u2026", "...")).lower()
    assert len(where) == len(plain) and where == sorted(where)
    for char, index in zip(plain, where, strict=True):
        assert char == " " or char == "." or char in folded[index].lower()
