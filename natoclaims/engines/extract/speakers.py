"""Who is speaking: attribution cues around a quotation, and names resolved to the store's actors.

Pure. `Speakers` knows the store's actors (names, aliases, roles, types) and the people an
article has named so far; `attribution()` reads the words around one quotation for a cue
(a said-verb before or after it, "according to", a colon, "in his words") and says who spoke,
how sure it is, and by which cue.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from natoclaims.model.text import fold_name

SAID_VERBS = (
    "said", "says", "say", "told", "tells", "warned", "warns", "added", "adds", "stated", "states", "noted", "notes",
    "emphasized", "emphasised", "stressed", "argued", "argues", "insisted", "insists", "declared", "wrote", "writes",
    "posted", "tweeted", "commented", "observed", "lamented", "admitted", "acknowledged", "claimed", "claims",
    "explained", "asked", "replied", "responded", "announced", "urged", "cautioned", "remarked", "recalled",
    "conceded", "suggested", "underline", "underlines", "acknowledge", "acknowledges", "called", "described", "pledged", "vowed", "predicted", "complained", "insisted",
    "reiterated", "affirmed", "confirmed", "denied", "told reporters", "made clear", "made it clear", "promised",
    "threatened", "boasted", "joked", "mused", "blasted", "slammed", "criticized", "criticised", "accused",
    "countered", "agreed", "thundered", "quipped", "pointed out", "went on", "continued", "underlined", "underscored",
    "highlighted", "maintained", "arguing", "insisting", "crediting", "stressing", "noting", "contended", "speaking", "saying", "telling", "warning", "adding", "calling",
)
_VERB = r"(?:" + "|".join(re.escape(v) for v in sorted(set(SAID_VERBS), key=len, reverse=True)) + r")"
_AUX = r"(?:(?:has|had|have|also|later|then|once|previously|repeatedly|publicly|recently|bluntly|even|would|will|has\s+also)\s+)*"

_NAME_WORD = r"(?:[A-Z][\w’'\-]*(?:\.[A-Z]\.?)*\.?|[A-Z]\.(?:\s?[A-Z]\.)*)"
NAME = _NAME_WORD + r"(?:\s+(?:(?:de|van|von|der|den|da|bin|al|ter|la|le)\s+)?" + _NAME_WORD + r")*"
PRONOUNS = ("he", "she")
ANONYMOUS_NOUNS = (
    "diplomat", "official", "expert", "analyst", "source", "spokesperson", "spokesman", "spokeswoman", "aide",
    "adviser", "advisor", "observer", "lawmaker", "senator", "minister", "officer", "insider", "person",
    "commentator", "strategist", "envoy", "ambassador", "general", "critic", "economist", "researcher", "scholar",
)
TITLE_NOUNS = ("chief", "president", "chancellor", "secretary", "secretary-general", "minister", "spokesman",
               "spokeswoman", "spokesperson", "leader", "head", "premier", "prime minister", "general", "boss")
# A title's words mapped to words of an actor's role ("the Pentagon chief" is a Secretary of Defense).
ROLE_WORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "pentagon": (("defense", "defence"), ("us", "u.s", "american")), "chief": (("secretary", "chief", "head"),),
    "boss": (("secretary", "head", "chief"),), "alliance": (("nato",),), "defence": (("defense", "defence"),),
    "defense": (("defense", "defence"),), "head": (("head", "chairman", "chair", "secretary"),),
    "premier": (("prime",),), "kremlin": (("russia", "russian"),), "elysee": (("france", "french"),),
}
NOT_PEOPLE = frozenset(fold_name(w) for w in (
    "NATO", "U.S.", "US", "USA", "EU", "UN", "UK", "United States", "America", "Europe", "Washington", "Brussels",
    "Moscow", "Kyiv", "Berlin", "Paris", "London", "The", "A", "An", "In", "On", "At", "But", "And", "As", "If", "It",
    "This", "That", "These", "Those", "He", "She", "They", "We", "I", "Yet", "Still", "For", "From", "With", "After",
    "Before", "When", "While", "Meanwhile", "However", "Article", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Alliance", "Pentagon", "Kremlin", "Congress", "Parliament", "Senate",
    "Strait", "Hormuz", "Iran", "Israel", "Russia", "Ukraine", "China", "Germany", "France", "Spain", "Poland",
    "Britain", "Canada", "Italy", "Hungary", "Turkey", "Türkiye", "Lithuania", "Latvia", "Estonia", "Romania",
))
INSTITUTION_WORDS = frozenset((
    "one", "force", "house", "palace", "council", "ministry", "office", "party", "agency", "conference", "summit",
    "union", "commission", "parliament", "government", "department", "court", "bank", "army", "navy", "command",
    "committee", "times", "post", "news", "press", "journal", "institute", "university", "foundation", "company",
    "group", "organization", "organisation", "alliance", "treaty", "strait", "sea", "ocean", "republic", "kingdom",
))
"""Words that make an unknown name an institution, a place or a thing, not a person ("Air Force One")."""
_PREPOSITION = re.compile(r"\b(?:with|of|to|by|for|from|after|before|following|in|at|on|against|beside|about)\s", re.I)
CUE_WINDOW = 1000
"""How far (in characters) before and after a quotation its speaker's cue is looked for: more than a real
sentence holds, and it keeps the work per quotation bounded in a run-on text of thousands of quotes."""
SPEAKER_TAIL = 300
"""How far back from a said-verb or a colon its speaker (a name, its title, a bracketed aside) is looked for."""
TITLE_LOOKBACK = 50
"""How many people named before a title ("the Pentagon chief") are tried for it, newest first."""
_CONNECTORS = re.compile(r"^(?:(?:but|and|yet|still|so|meanwhile|however|even|also|now|then|later|instead)\W+)+", re.I)


@dataclass(frozen=True)
class Attribution:
    """Who spoke (as the text names them), the actor that name resolves to, and how sure the cue is."""

    actor: str
    cue: str
    confidence: float


@dataclass
class Mention:
    at: int
    actor: str
    subject: bool  # the first person named in its sentence, near its start
    title: str = ""  # the words before the name as written ("Spanish Prime Minister" Pedro Sánchez)


def _at(mention: Mention) -> int:
    return mention.at


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


@dataclass
class Speakers:
    """The store's actors, and the people the article has named, for resolving who spoke."""

    actors: Mapping[str, Mapping[str, Any]]
    people: list[Mention] = field(default_factory=list)  # the people named, in the article's order
    subjects: list[Mention] = field(default_factory=list)  # those of them who are their sentence's subject

    def __post_init__(self) -> None:
        self.named: dict[str, str] = {}  # surname -> full name, for people not in the store named in full
        self.names: dict[str, str] = {}
        self.longest = 1  # the most words in a known name: no longer tail of a written name can be one
        surnames: dict[str, set[str]] = {}
        for canonical, record in self.actors.items():
            for name in (canonical, *record.get("aliases", ())):
                self.names.setdefault(fold_name(name), canonical)
                self.longest = max(self.longest, len(name.split()))
            if record.get("type", "person") == "person" and "(" not in canonical:
                surnames.setdefault(fold_name(canonical.split()[-1]), set()).add(canonical)
        for surname, owners in surnames.items():
            if len(owners) == 1:
                self.names.setdefault(surname, owners.pop())

    # -- names --------------------------------------------------------------------------------

    def resolve(self, name: str) -> str | None:
        """The store's actor for a name as written ("Defense Secretary Pete Hegseth's" -> "Pete Hegseth"), or None."""
        name = re.sub(r"[’']s$", "", name.strip(" ,.;:")).strip()
        words = name.split()
        for start in range(max(0, len(words) - self.longest), len(words)):
            found = self.names.get(fold_name(" ".join(words[start:])))
            if found:
                return found
        return None

    def is_person(self, actor: str) -> bool:
        record = self.actors.get(actor)
        if record is not None:
            return cast(bool, record.get("type", "person") == "person")
        return not any(word in INSTITUTION_WORDS for word in actor.lower().split())

    def name(self, written: str) -> tuple[str, bool] | None:
        """The actor a capitalised name stands for, and whether the store knows it; None for a place or institution."""
        written = re.sub(r"[’']s$", "", written.strip(" ,.;:")).strip()
        written = re.split(r"[’']s\s+", written)[-1]  # "NATO's Secretary-General Rutte" is Rutte; "Washington's allies", none
        known = self.resolve(written)
        if known:
            return known, True
        words = [w for w in written.split() if fold_name(w) not in NOT_PEOPLE]
        titles = 0
        while titles < len(words) and fold_name(words[titles]) in _TITLE_WORDS:
            titles += 1
        words = words[titles:]
        if not words or len(words) > 4 or fold_name(" ".join(words)) in NOT_PEOPLE or len(words) == 1 and len(words[0]) < 3:
            return None
        if len(words) == 1:  # one unknown capitalised word: a surname named in full before, else a place or a party
            named = self.named.get(words[0])
            return (named, False) if named else None
        self.named[words[-1]] = " ".join(words)
        return " ".join(words), False

    def anonymous(self, phrase: str) -> str:
        """An unnamed speaker ("one European official") as the store names such a speaker, else "European official (unnamed)"."""
        words = [w for w in phrase.split() if w.lower() not in ("one", "a", "an", "another", "the")]
        described = _cap(" ".join(words))
        noun = words[-1].lower()
        exact = self.names.get(fold_name(f"{described} (unnamed)"))
        if exact:
            return exact
        fits = [name for name in self.actors if name.lower().endswith(f"{noun} (unnamed)")]
        return fits[0] if len(fits) == 1 else f"{described} (unnamed)"

    def titled(self, phrase: str, before: int) -> str | None:
        """The person a title stands for ("the Pentagon chief"): the last one named whose role or name fits, else the store's."""
        words = [w.lower() for w in re.findall(r"[\w-]+", phrase) if w.lower() not in ("the", "a", "an", "u.s", "us")]
        wanted = [set(choices) | {w} for w in words for choices in ROLE_WORDS.get(w, ((w,),))]

        def fits(actor: str, title: str = "") -> bool:
            record = self.actors.get(actor) or {}
            role = set(re.findall(r"[\w-]+", " ".join([record.get("role") or "", *record.get("aliases", ()), title]).lower()))
            return bool(role) and all(choices & role for choices in wanted)

        named = bisect_left(self.people, before, key=_at)
        for mention in reversed(self.people[max(0, named - TITLE_LOOKBACK):named]):
            if fits(mention.actor, mention.title):
                return mention.actor
        matching = [name for name in self.actors if fits(name)]
        return matching[0] if len(matching) == 1 else None

    def pronoun(self, at: int, sentence_start: int) -> str | None:
        """The person "he" or "she" at `at` points back to: the subject of an earlier sentence (or of this one, when
        named at its start), else the last person named."""
        named = bisect_left(self.people, at, key=_at)
        last = self.people[named - 1].actor if named else None
        # newest first; a sentence has one subject at most, so this looks at two subjects at most
        for index in range(bisect_left(self.subjects, at, key=_at) - 1, -1, -1):
            mention = self.subjects[index]
            if mention.at < sentence_start or mention.at - sentence_start < 60:
                return mention.actor
        return last

    def subject(self, start: int, end: int) -> str | None:
        """The person a sentence (`start`..`end`) names as its subject, if it names one."""
        before = bisect_left(self.subjects, end, key=_at)
        if before and self.subjects[before - 1].at >= start:
            return self.subjects[before - 1].actor
        return None

    def note(self, text: str, start: int, end: int) -> None:
        """Record the people named in one sentence, `text[start:end]` (quoted words left out by the caller)."""
        first = True
        for match in re.finditer(NAME, text[start:end]):
            found = self.name(match.group(0))
            if found is None:
                continue
            actor, _known = found
            if not self.is_person(actor):
                continue
            at = start + match.start()
            leading = text[start:at] if first else ""  # once a sentence: a run-on one names thousands
            subject = first and (not leading.strip() or leading.rstrip().endswith(",")
                                 or not _PREPOSITION.search(leading))
            title = " ".join(match.group(0).split()[:-len(actor.split())]) if not _known else ""
            mention = Mention(at, actor, subject, title.lower())
            self.people.append(mention)
            if subject:
                self.subjects.append(mention)
            first = False


_TITLE_WORDS = frozenset(("president", "vice", "prime", "minister", "chancellor", "secretary", "secretary-general",
                          "general", "defense", "defence", "foreign", "former", "senator", "sir", "mr", "mrs", "ms",
                          "dr", "u.s", "u.s.", "us", "uk", "nato", "german", "french", "british", "spanish", "lithuanian",
                          "polish", "conference", "head", "chairman", "chief", "state", "king", "queen", "pope",
                          "commissioner", "ambassador", "envoy", "spokesman", "spokeswoman", "representative"))

_ANON = r"(?:one|a|an|another)\s+(?:[\w-]+\s+){0,3}?(?:" + "|".join(ANONYMOUS_NOUNS) + r")s?"
_TITLED = r"(?:the\s+)?(?:[\w.-]+\s+){0,2}?(?:" + "|".join(TITLE_NOUNS) + r")"
SPEAKER = rf"(?P<speaker>{NAME}|{_ANON}|{_TITLED}|[Hh]e|[Ss]he)"
SPEAKER_AT_END = re.compile(rf"(?:^|[\s(—–-]){SPEAKER}(?:[’']s)?\s*,?\s*(?:\(.*?\)\s*)?{_AUX}$")
AFTER_QUOTE = re.compile(rf"^\W{{0,3}}\s*(?:as\s+)?{SPEAKER}\s+{_AUX}(?P<verb>{_VERB})\b")
AFTER_QUOTE_INVERTED = re.compile(rf"^\W{{0,3}}\s*(?P<verb>said|says|added|wrote|warned|asked|noted|told\s+\w+)\s+{SPEAKER}\b")
VERB_BEFORE = re.compile(rf"\b(?P<verb>{_VERB})\b")
ACCORDING_TO = re.compile(rf"\b(?:[Aa]ccording\s+to|[Ii]n\s+the\s+words\s+of|[Qq]uoting)\s+(?:the\s+(?=[A-Z]))?{SPEAKER}")
HIS_WORDS = re.compile(r"\b(?:in|to\s+use)\s+(?P<speaker>his|her)\s+(?:own\s+)?words\b", re.I)
MADE_TO_SAY = re.compile(r"\b(?P<speaker>him|her)\s+to\s+(?:say|tell\s+\w+|add|insist|warn|declare|reply)\b")
IN_STATEMENT = re.compile(rf"{SPEAKER}\s+{_AUX}(?:said\s+)?in\s+a\s+(?:statement|post|interview|speech|letter|tweet)\b")
_IN_A = re.compile(r"in\s+a\s+(?:statement|post|interview|speech|letter|tweet)\b")


def speaker_of(speakers: Speakers, phrase: str, at: int, sentence_start: int) -> tuple[str, float] | None:
    """The actor a speaker phrase names, and how much that resolution is worth (1.0: a known name)."""
    bare = phrase.strip()
    lowered = bare.lower()
    if lowered in PRONOUNS or lowered in ("his", "her", "him"):
        actor = speakers.pronoun(at, sentence_start)
        return (actor, 0.9) if actor else None
    if re.fullmatch(_ANON, bare, re.I):
        return speakers.anonymous(bare), 0.85
    if re.fullmatch(_TITLED, bare, re.I):
        actor = speakers.titled(bare, at)
        return (actor, 0.85) if actor else None
    found = speakers.name(bare)
    if found is None:
        return None
    actor, known = found
    return actor, 1.0 if known else 0.9


def attribution(speakers: Speakers, before: str, after: str, sentence_start: int, quote_at: int,
                previous_paragraph: str = "") -> Attribution | None:
    """Who said the quotation standing between `before` and `after` (its sentence, quoted words masked, each at most
    CUE_WINDOW characters: `before` ends at `quote_at` and starts at `sentence_start` unless the sentence is longer)."""
    before_at = quote_at - len(before)
    whole = before_at == sentence_start  # else the clipped start of `before` is no clause's start
    tries: list[tuple[re.Match[str] | None, str, float, int]] = []
    match = AFTER_QUOTE.search(after)
    tries.append((match, "said-verb after", 0.95, quote_at))
    tries.append((AFTER_QUOTE_INVERTED.search(after), "said-verb after", 0.95, quote_at))
    verbs = list(VERB_BEFORE.finditer(before))
    for verb in reversed(verbs[-2:]):
        left = before[:verb.start()]
        if verb.group("verb").endswith("ing"):  # "..., arguing that": the sentence's subject speaks
            actor = speakers.subject(sentence_start, quote_at)
            if actor:
                return Attribution(actor, "said-verb (participle)", 0.8)
            continue
        speaker = _speaker_at_end(left)
        if speaker:
            between = before[verb.end():]
            # a partial quote in reported speech ("warned allies that “realities” will ...") is as good a cue,
            # but a verb far from the quote may govern another clause
            near = len(between) < 120
            tries.append((speaker, "said-verb before" if near else "said-verb, far", 0.9 if near else 0.6,
                          before_at + speaker.start("speaker")))
            break
    according = ACCORDING_TO.search(before) or ACCORDING_TO.search(after)
    tries.append((according, "according to", 0.85, sentence_start))
    tries.append((_in_statement(before) or _in_statement(after), "in a statement", 0.85, sentence_start))
    tries.append((HIS_WORDS.search(before) if "words" in before.casefold() else None, "in his words", 0.8, sentence_start))
    made = MADE_TO_SAY.search(before)
    tries.append((made, "asked to say", 0.8, before_at + (made.start() if made else 0)))
    colon_clause = None
    if before.rstrip().endswith(":"):
        colon_clause = before.rstrip()[:-1]
    elif not before.strip() and previous_paragraph.rstrip().endswith(":"):
        colon_clause = previous_paragraph.rstrip()[:-1]
    if colon_clause is not None:  # "..., Alberto Núñez Feijóo: “...”", else the clause's subject
        named = _speaker_at_end(colon_clause)
        opening = _subject(colon_clause) if whole else None
        tries.append((named if named and named.group("speaker")[:1].isupper() else opening, "colon", 0.8, sentence_start))
    for found, cue, confidence, at in tries:
        if found is None:
            continue
        resolved = speaker_of(speakers, found.group("speaker"), at, sentence_start)
        if resolved:
            return Attribution(resolved[0], cue, round(confidence * resolved[1], 2))
    subject = _subject(before) if whole else None
    if subject is not None:
        resolved = speaker_of(speakers, subject.group("speaker"), sentence_start, sentence_start)
        if resolved:
            return Attribution(resolved[0], "sentence subject", round(0.45 * resolved[1], 2))
    return None


def _speaker_at_end(clause: str) -> re.Match[str] | None:
    """The speaker ending a clause ("..., Alberto Núñez Feijóo"), looked for in its tail only."""
    return SPEAKER_AT_END.search(clause, max(0, len(clause) - SPEAKER_TAIL))


def _in_statement(text: str) -> re.Match[str] | None:
    """ "X said in a statement": the costly search only where the cheap one finds "in a statement"."""
    return IN_STATEMENT.search(text) if _IN_A.search(text) else None


def _subject(clause: str) -> re.Match[str] | None:
    """The subject of a clause: a pronoun or a name opening it (after "But", "Yet", a leading phrase and its comma)."""
    last = clause.split(". ")[-1]
    last = re.sub(r"^[^,]{0,80},\s+(?=(?:he|she)\b)", "", last)
    last = _CONNECTORS.sub("", last.strip())
    return re.match(rf"{SPEAKER}(?:[’']s)?\s+(?:\(.*?\)\s*)?(?:[a-z]+\s+){{0,3}}", last)
