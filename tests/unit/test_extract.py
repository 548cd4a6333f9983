"""The extraction engine: quotations, speakers, dates, candidates (pure, no store)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from natoclaims.engines.extract import Speakers, find_candidates, quotations, said_on
from tests.conftest import examples

ACTORS = {
    "Pete Hegseth": {"name": "Pete Hegseth", "aliases": ["Hegseth", "Defense Secretary Hegseth"],
                     "role": "US Secretary of Defense", "type": "person"},
    "Mark Rutte": {"name": "Mark Rutte", "aliases": ["Rutte"], "role": "NATO Secretary General", "type": "person"},
    "Donald Trump": {"name": "Donald Trump", "aliases": ["Trump", "President Trump"], "role": "President of the United States",
                     "type": "person"},
    "White House": {"name": "White House", "aliases": ["the White House"], "role": None, "type": "government"},
    "European official (unnamed)": {"name": "European official (unnamed)", "aliases": [], "role": None, "type": "person"},
}


def found(text: str, published: str | None = "2025-06-05") -> list[tuple[str, str, str]]:
    return [(c.kind, c.actor, c.text) for c in find_candidates(text, published=published, actors=ACTORS)]


# -- quotations --------------------------------------------------------------------------------

def test_apostrophes_do_not_open_quotes() -> None:
    assert quotations("Europe's allies don't pay, Trump's aides say.") == []


def test_nested_quotes_are_part_of_the_outer_quote() -> None:
    text = "“He told me ‘no deal’ twice,” Rutte said."
    (quote,) = quotations(text)
    assert text[quote.start:quote.end] == "He told me ‘no deal’ twice,"
    assert found(text) == [("quote", "Mark Rutte", "He told me ‘no deal’ twice")]


def test_a_quote_that_never_closes_ends_with_its_paragraph() -> None:
    text = "Rutte said: “We will do more\nThe next paragraph has no quote."
    (quote,) = quotations(text)
    assert quote.close_at is None and text[quote.start:quote.end] == "We will do more"


def test_a_quote_continued_in_the_next_paragraph_keeps_its_speaker() -> None:
    text = "“We are ready to spend more,” Rutte said. “And we will.\n“Nobody should doubt it,” he said later."
    assert ("quote", "Mark Rutte", "We will.") not in found(text)
    text = "Rutte said: “We are ready to spend more.\n“Nobody should doubt it.”"
    kinds = found(text)
    assert ("quote", "Mark Rutte", "Nobody should doubt it.") in kinds


# -- speakers ------------------------------------------------------------------------------------

def test_three_names_for_one_actor() -> None:
    speakers = Speakers(ACTORS)
    assert speakers.resolve("Hegseth") == "Pete Hegseth"
    assert speakers.resolve("Defense Secretary Pete Hegseth") == "Pete Hegseth"
    assert speakers.titled("the Pentagon chief", 0) == "Pete Hegseth"


def test_said_verb_after_and_before_according_to_and_told_reporters() -> None:
    assert found("“It cannot be reliance,” Hegseth told reporters.") == [("quote", "Pete Hegseth", "It cannot be reliance")]
    assert found("“It cannot be reliance,” said Defense Secretary Pete Hegseth.")[0][1] == "Pete Hegseth"
    assert found("Rutte warned that “Europe must do more” on defence.") == [("quote", "Mark Rutte", "Europe must do more")]
    assert found("According to the White House, allies were “tested and they failed.”")[0][1] == "White House"
    assert found("The Pentagon chief said “allies must pay” this year.")[0][1] == "Pete Hegseth"


def test_a_colon_and_a_pronoun_point_back_to_the_speaker() -> None:
    text = "Trump did not hold back. After meeting Mark Rutte, he posted a message:\n“NATO WASN’T THERE WHEN WE NEEDED THEM.”"
    assert found(text) == [("quote", "Donald Trump", "NATO WASN’T THERE WHEN WE NEEDED THEM.")]


def test_him_to_say_points_back() -> None:
    text = "Trump was asked about article 5, prompting him to say he was “committed to saving lives” again."
    (candidate,) = find_candidates(text, published=None, actors=ACTORS)
    assert (candidate.actor, candidate.text, candidate.cue) == ("Donald Trump", "committed to saving lives", "asked to say")


def test_unnamed_speakers_take_the_stores_name_for_them() -> None:
    text = "As one European official warned, “a NATO without U.S. leadership will be left rudderless”."
    assert found(text)[0][1] == "European official (unnamed)"
    assert found("“We are worried,” one diplomat said.")[0][1] == "Diplomat (unnamed)"


def test_unknown_names_are_kept_as_written() -> None:
    assert found("“We will pay,” Pedro Sánchez said.")[0][1] == "Pedro Sánchez"


def test_a_title_points_back_to_the_unknown_person_it_was_written_before() -> None:
    text = ("Spanish Prime Minister Pedro Sánchez spoke out on Sunday.\n"
            "“We will not spend 5%,” the Spanish prime minister said in an interview.")
    assert found(text)[0][1] == "Pedro Sánchez"


def test_a_name_right_before_a_colon_is_the_speaker() -> None:
    text = "The first to comment has been the leader of the opposition, Alberto Núñez Feijóo: “Propaganda.”"
    assert found(text) == [("quote", "Alberto Núñez Feijóo", "Propaganda.")]


def test_scare_quotes_without_a_speaker_are_not_candidates() -> None:
    assert found("Some countries drew distinctions between “defensive” and “offensive” missions.") == []
    assert found("Washington’s European partners have long feared being “cut adrift” by America.") == []


def test_a_reported_figure_is_a_report() -> None:
    (candidate,) = find_candidates("Trump said allies must spend 5% of GDP on defence.", published="2025-06-05",
                                   actors=ACTORS)
    assert candidate.kind == "report" and candidate.actor == "Donald Trump"
    assert candidate.quantities[0]["value"] == 5 and candidate.quantities[0]["unit"] == "%GDP"
    assert "defence-spending" in candidate.topics


def test_selector_points_into_the_text() -> None:
    text = "Intro.\n“It cannot be reliance,” Hegseth said on Thursday."
    (candidate,) = find_candidates(text, published="2025-06-06", actors=ACTORS)
    selector = candidate.selector
    assert selector is not None and text[selector["start"]:selector["end"]] == selector["exact"] == candidate.text
    assert text[:selector["start"]].endswith(selector["prefix"]) and text[selector["end"]:].startswith(selector["suffix"])
    assert candidate.said_on == "2025-06-05" and candidate.context == "“It cannot be reliance,” Hegseth said on Thursday."


# -- dates ---------------------------------------------------------------------------------------

def test_relative_dates() -> None:
    assert said_on("he said on Thursday", "2025-06-06") == "2025-06-05"
    assert said_on("he said on Friday", "2025-06-06") == "2025-06-06"
    assert said_on("he said last month", "2025-06-06") == "2025-05"
    assert said_on("he said in early March", "2025-06-06") == "2025-03"
    assert said_on("he said in November", "2025-06-06") == "2024-11"
    assert said_on("he said on 3 March", "2025-06-06") == "2025-03-03"
    assert said_on("it may well mark the end", "2025-06-06") == "2025-06-06"
    assert said_on("he said yesterday", None) is None
    assert said_on("he said in March 2024", None) == "2024-03"
    assert said_on("he said allies will get there in 2035", "2025-06-06") == "2025-06-06"
    assert said_on("he recalled what happened in 2014", "2025-06-06") == "2014"


# -- any text ------------------------------------------------------------------------------------

@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.sampled_from(["“", "”", "‘", "’", '"', "'", " ", "\n", ".", ",", ":", "a", "Z", "Hegseth", "said",
                                  " he ", "Trump", "the Pentagon chief", "one official", "5%", "on Thursday"]),
                max_size=80).map("".join))
def test_any_text_gives_candidates_whose_selectors_hold(text: str) -> None:
    for candidate in find_candidates(text, published="2025-01-01", actors=ACTORS):
        assert candidate.text and candidate.actor
        assert 0 < candidate.confidence <= 1
        if candidate.selector:
            assert text[candidate.selector["start"]:candidate.selector["end"]] == candidate.text


# -- hostile input: the work grows with the text, not with its square ----------------------------

def run_on(quotes: int) -> str:
    """One paragraph of `quotes` quotations with speakers and no full stop, as a hostile page has."""
    return ", ".join(f"“we pay {i}” said Mark Rutte, then he said “we will {i}” with Pete Hegseth"
                     for i in range(quotes // 2))


def characters_examined(monkeypatch, text: str) -> int:
    """How many characters the speaker cues, dates and topics of all quotations in `text` were looked for in."""
    from natoclaims.engines.extract import candidates

    seen = [0]

    def counting(real):
        def wrapper(*args, **kwargs):
            seen[0] += sum(len(a) for a in args if isinstance(a, str))
            return real(*args, **kwargs)
        return wrapper

    for name in ("attribution", "said_on", "topics_of"):
        monkeypatch.setattr(candidates, name, counting(getattr(candidates, name)))
    assert len(find_candidates(text, published="2025-06-05", actors=ACTORS)) == quotes_in(text)
    return seen[0]


def quotes_in(text: str) -> int:
    return text.count("“")


def test_many_quotations_in_one_sentence_take_linear_work(monkeypatch) -> None:
    small, large = characters_examined(monkeypatch, run_on(100)), characters_examined(monkeypatch, run_on(400))
    assert large <= 4.5 * small  # a quotation's cues, date and topics are looked for near it, not in all before it


def test_a_long_run_of_capitalised_words_is_resolved_in_linear_work(monkeypatch) -> None:
    from natoclaims.engines.extract import speakers

    def folded(words: int) -> int:
        seen = [0]
        real = speakers.fold_name

        def counting(name: str) -> str:
            seen[0] += len(name)
            return real(name)

        monkeypatch.setattr(speakers, "fold_name", counting)
        Speakers(ACTORS).resolve(" ".join(["Word"] * words))
        monkeypatch.setattr(speakers, "fold_name", real)
        return seen[0]

    assert folded(4000) <= 4.5 * folded(1000)  # only tails as long as the longest known name are looked up


def test_he_points_back_past_thousands_of_names_without_walking_them(monkeypatch) -> None:
    from natoclaims.engines.extract import speakers

    def reads(quotes: int) -> int:
        seen = [0]

        class Counted(speakers.Mention):
            def __getattribute__(self, name: str):
                seen[0] += name == "at"
                return super().__getattribute__(name)

        monkeypatch.setattr(speakers, "Mention", Counted)
        many = " ".join(f"Then with Anna Berg{i}, “we pay {i}” he said." for i in range(quotes))
        assert {actor for _, actor, _ in found(f"Mark Rutte spoke. {many}")} == {"Mark Rutte"}
        return seen[0]

    assert reads(1200) <= 6 * reads(300)  # bisection among the people named, not a walk back through all of them


def test_a_source_without_url_or_title_is_named_by_the_first_words_only() -> None:
    from natoclaims.core.extract import article_source
    from natoclaims.formats.articles import Article

    split = []

    class Text(str):
        def split(self, sep=None, maxsplit=-1):
            split.append(maxsplit)
            return super().split(sep, maxsplit)

    text = Text("Rutte said “we pay” today. " + "More words follow here. " * 1000)
    assert article_source(Article(text=text, media_type="text/plain"))["title"] == \
        "Rutte said “we pay” today. More words follow here. More words follow ..."
    assert split == [12]  # once a candidate: splitting the whole article each time is quadratic in the quotes
