"""Properties of the pure engines, checked by Hypothesis against definitions written out here."""

from datetime import date, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from natoclaims.engines.quantities import extract_quantities
from natoclaims.engines.search import Filters, select
from natoclaims.model import KINDS, STATUSES, check_quantity
from natoclaims.model.text import CONTROL_RE, escape_controls
from tests.conftest import examples

sort_claim = st.fixed_dictionaries({
    "id": st.text("abc", min_size=1, max_size=3), "actor": st.sampled_from(["Trump", "Rutte", "Vance"]),
    "said_on": st.none() | st.sampled_from(["2025", "2025-03", "2025-03-02", "2024"]),
    "status": st.sampled_from(["unverified", "false", "verified"]), "created_at": st.sampled_from(["t1", "t2"]),
})


@given(claims=st.lists(sort_claim, unique_by=lambda c: c["id"]), by=st.sampled_from(["date", "actor", "status", "created"]),
       reverse=st.booleans())
def test_sort_passes_equal_one_sort_on_the_whole_key(claims, by, reverse):
    from natoclaims.engines.search import SORTERS, sort_claims

    def whole_key(claim):
        return (*(key(claim) for key in SORTERS[by]), claim["id"])

    assert sort_claims(claims, by, reverse) == sorted(claims, key=whole_key, reverse=reverse)


# The actors table: canonical names and their aliases. Claims may also name an actor not in it.
ACTORS = {"Donald Trump": ["Trump", "President Trump"], "Mark Rutte": ["Rutte"], "Pedro Sánchez": [],
          "Keir Starmer": ["Starmer", "UK Prime Minister"]}
TOPICS = ["troops", "article-5", "defence-spending", "iran"]

# A date at year, month or day precision, as the store keeps it: '2024', '2024-02', '2024-02-29'.
dates = st.builds(lambda day, length: day.isoformat()[:length],
                  st.dates(date(2019, 1, 1), date(2024, 12, 31)), st.sampled_from([4, 7, 10]))
claim_lists = st.lists(st.fixed_dictionaries({
    "id": st.text("abcdefghjk", min_size=6, max_size=6),
    "actor": st.sampled_from([*ACTORS, "Unknown speaker"]),
    "topics": st.lists(st.sampled_from(TOPICS), unique=True, max_size=2),
    "status": st.sampled_from(STATUSES), "kind": st.sampled_from(KINDS), "said_on": st.none() | dates,
    "text": st.just("a claim"), "context": st.none(), "notes": st.none(),
    "sources": st.just([{"url": "https://a.org/x", "title": None, "outlet": None, "published": None}]),
    "quantities": st.just([]),
}), max_size=8, unique_by=lambda c: c["id"])


@st.composite
def claims_and_filters(draw):
    """Claims, and filters whose values are mostly ones the claims use, so that most filters select some."""
    chosen = draw(claim_lists)

    def values(vocabulary, used):
        """No filter on this field half the time, otherwise one or two values."""
        pick = st.sampled_from(sorted(used)) | st.sampled_from(vocabulary) if used else st.sampled_from(vocabulary)
        return draw(st.just(()) | st.lists(pick, unique=True, min_size=1, max_size=2).map(tuple))

    bound = dates
    said = sorted({c["said_on"] for c in chosen if c["said_on"]})
    if said:  # a claim's own date, at its precision or a coarser one: '2024-02-10' -> '2024-02' or '2024'
        bound |= st.builds(lambda day, length: day[:length], st.sampled_from(said), st.sampled_from([4, 7, 10]))
    return chosen, Filters(
        actors=values(list(ACTORS), {c["actor"] for c in chosen} & set(ACTORS)),
        topics=values(TOPICS, {t for c in chosen for t in c["topics"]}),
        statuses=values(STATUSES, {c["status"] for c in chosen}),
        kinds=values(KINDS, {c["kind"] for c in chosen}),
        since=draw(st.none() | bound),
        until=draw(st.none() | bound),
    )


def days(value):
    """The first and last day a date covers at its precision: '2024-02' -> Feb 1 .. Feb 29."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(*parts), date(*parts)
    if len(parts) == 2:
        year, month = parts
        next_month = date(year + month // 12, month % 12 + 1, 1)
        return date(year, month, 1), next_month - timedelta(days=1)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def wanted(claim, f):
    """The definition: every field given must match (any of its values); dates overlap since..until."""
    if f.actors and claim["actor"] not in f.actors:
        return False
    if f.topics and not set(f.topics) & set(claim["topics"]):
        return False
    if f.statuses and claim["status"] not in f.statuses:
        return False
    if f.kinds and claim["kind"] not in f.kinds:
        return False
    if f.since or f.until:
        if claim["said_on"] is None:
            return False
        first, last = days(claim["said_on"])
        if f.since and last < days(f.since)[0]:
            return False
        if f.until and first > days(f.until)[1]:
            return False
    return True


@settings(max_examples=examples(200), deadline=None)
@given(case=claims_and_filters())
def test_select_keeps_exactly_the_claims_the_definition_wants_in_store_order(case):
    chosen, f = case
    assert select(chosen, f, ACTORS) == [c for c in chosen if wanted(c, f)]


CONTROLS = [chr(c) for c in range(0x2070) if CONTROL_RE.match(chr(c))]


@settings(max_examples=examples(200), deadline=None)
@given(st.text(st.characters() | st.sampled_from(CONTROLS)))
def test_escaped_text_has_no_control_characters(text):
    assert CONTROL_RE.search(escape_controls(text)) is None


@settings(max_examples=examples(200), deadline=None)
@given(st.text(st.characters().filter(lambda c: not CONTROL_RE.match(c))))
def test_text_without_control_characters_is_not_changed_by_escaping(text):
    assert escape_controls(text) == text


# Text made of the pieces figures are written with, so that most examples contain some.
FIGURE_PIECES = [
    "35,000", "12000", "5", "2.1", "0", "1.5", "99999999999999999", "1" + "0" * 400, "two", "twenty", "a",
    "troops", "soldiers", "U.S.", "people", "allies", "countries", "years", "%", "percent", "per cent", "of GDP",
    "GDP", "€", "$", "£", "US$", "EUR", "billion", "bn", "trillion", "million", "k", "m", "some", "about", "nearly",
    "more than", "at least", "fewer than", "up to", "between", "and", "to", "-", "–", "half", "two-thirds",
    "a third", "Article", "March", "2025", "1990s", "#", ",", ".", "/", "(", ")", "\u201d", "\u00a0",
]
figure_text = st.lists(st.tuples(st.sampled_from(FIGURE_PIECES), st.sampled_from([" ", "", "-", ", "])),
                       max_size=12).map(lambda parts: "".join(piece + gap for piece, gap in parts))


@settings(max_examples=examples(200), deadline=None)
@given(st.text() | figure_text)
def test_extracting_figures_never_raises(text):
    extract_quantities(text)


@settings(max_examples=examples(200), deadline=None, report_multiple_bugs=False)
@given(st.text() | figure_text)
@example("They sent 99999999999999999 troops")
def test_every_extracted_figure_passes_check_quantity(text):
    for figure in extract_quantities(text):
        check_quantity(figure)


@settings(max_examples=examples(300), deadline=None)
@given(st.from_regex(r"(?i:https?)://[A-Za-z0-9.-]{1,12}(:[0-9]{1,5})?(/[a-zA-Z0-9_./%-]{0,12})?(\?[a-z_=&0-9]{0,12})?(#[a-z]{0,4})?",
                     fullmatch=True))
def test_normalise_url_fast_path_agrees_with_parsing(url):
    from natoclaims.model import fields

    assert fields.normalise_url(url) == fields._normalise_parsed(url)
    assert fields.normalise_url(fields.normalise_url(url)) == fields.normalise_url(url)  # a normal form is stable
