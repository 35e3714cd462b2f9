"""Body areas as first-class understanding: the area a complaint names decides the routine.

The intent matcher scores whole phrases, and "back" appears in phrases of half the routines,
so "knot in my back" could come out as any of them. After matching, the router looks at the
areas named (content: each routine's keywords, and areas.yaml for words that point to more
than one routine):

* a routine's own keyword ("lower back", "traps") leaves the matcher's answer alone;
* an ambiguous area word used as a body part ("my back", "my back is tight"; not "go back")
  gives its routines, the first as the intent and the others as the only alternatives, with
  the area's id, so the coach asks the area's question ("Upper back or lower back?");
* an ambiguous area that is the speaker's own body part ("can you do something for my back",
  "my back is in bits": *my* or *me* before it, and the utterance ends there or goes on as
  a sentence about it, not "my back garden") asks which too, when the matcher found nothing
  else it is sure of;
* a complaint that names no area at all ("I have a knot") becomes ``ask:where`` (from
  nothing, only when the classifier found some meaning in it), unless it is said of a
  thing, another part or in a saying (areas.yaml ``not_muscles``: "the knot in my
  shoelace", "a sore throat", "tying the knot"): that is nothing for the coach.

Pure and deterministic, plain word sequences (no fuzzy matching: the matcher did that).
"""

from __future__ import annotations

from collections.abc import Sequence

from voicecare.content.models import AmbiguousArea, Library
from voicecare.matching.intents import (
    NONE,
    ROUTINE_PREFIX,
    WHERE,
    Alternative,
    Match,
    payload,
    routine_intent,
)
from voicecare.normalize import words

AREA_SCORE = 80.0  # an area named as a body part is as clear as a good phrase match
SURE_SCORE = 75.0  # a topic or command matched this well keeps its meaning
# A complaint that names no area is asked where only when the classifier found something it
# could mean at least this likely (its best intent's probability x 100) -- its "nothing" on
# "these shoes are too tight" or "the past tense of run" (0-5) is right. On the labelled sets
# (session 16) 9 of the 10 sentences this turned from nothing into "where?" were not for
# the coach; the one that was ("i'm stiff as a board") scored 32.
WHERE_LIKELY = 25.0
SHORT = 3  # words: "my back" alone names the area; "my back garden needs mowing" does not
_POSSESSIVES = frozenset(["my", "the", "his", "her", "your", "our", "their", "whole"])
_ONESELF = frozenset(["im", "am", "everything", "everythings", "youre", "feel", "feeling"])
_REQUESTS = frozenset([("you",)])  # "can you do something for my back" asks for a routine
_SIDES = frozenset(["left", "right", "lower", "upper", "bad", "poor", "sore", "dodgy"])
_MINE = frozenset(["my", "me"])  # "me back's gone" in Irish and British speech
_FIRST_PERSON = frozenset(["i", "im", "ive", "id", "ill", "me", "my", "mine", "myself"])
# What follows a body part in a sentence about it ("my back is ...", "my back today"),
# rather than a noun it describes ("my back garden", "my back pocket").
_ABOUT_IT = frozenset(
    [
        "is",
        "s",
        "was",
        "has",
        "have",
        "feels",
        "feel",
        "keeps",
        "today",
        "again",
        "still",
        "really",
        "so",
        "and",
        "please",
        "right",
        "now",
        "this",
        "since",
        "after",
        "from",
        "a",
        "all",
        "just",
        "been",
        "gone",
        "went",
        "getting",
        "giving",
        "playing",
        "acting",
        "are",
    ]
)
# "got my back", "he has my back": the idiom, not the body part
_HELD = frozenset(
    ["got", "has", "have", "had", "having", "watch", "watching", "behind", "off", "on", "against"]
)
_QUESTION_WORDS = frozenset(
    [
        "what",
        "how",
        "why",
        "when",
        "where",
        "which",
        "who",
        "is",
        "are",
        "can",
        "could",
        "should",
        "would",
        "do",
        "does",
        "did",
    ]
)


class AreaRouter:
    def __init__(self, library: Library) -> None:
        self.areas = library.areas
        keywords = [
            (words(keyword, drop_fillers=False), routine.id)
            for routine in library.routines
            for keyword in routine.keywords
        ]
        self._keywords = sorted((k for k in keywords if k[0]), key=lambda k: -len(k[0]))
        area_words = [
            (words(word, drop_fillers=False), area)
            for area in self.areas.ambiguous
            for word in area.words
        ]
        self._area_words = sorted((a for a in area_words if a[0]), key=lambda a: -len(a[0]))
        self._complaints = frozenset(
            w for text in self.areas.complaint_words for w in words(text, drop_fillers=False)
        )
        not_muscles = [
            p for p in (words(t, drop_fillers=False) for t in self.areas.not_muscles) if p
        ]
        # "my scarf's got a knot" reads "scarfs": a one-word thing with "'s" is the thing
        possessives = [(p[0] + "s",) for p in not_muscles if len(p) == 1 and not p[0].endswith("s")]
        self._not_muscles = [*not_muscles, *possessives]
        self._sayings = [p for p in (words(t, drop_fillers=False) for t in self.areas.sayings) if p]
        # what no complaint about a routine's area is said in ("such a pain in the neck")
        self._no_complaint = [*self._sayings, *(p for p in not_muscles if len(p) > 1)]
        self._others = frozenset(w for t in self.areas.others for w in words(t))
        self._things = frozenset(w for t in self.areas.things for w in words(t))

    def route(self, match: Match) -> Match:
        """``match`` as the areas it names decide (red flags never come here). Questions
        ("what causes a knot in your back?") and what the matcher is sure of keep their
        meaning."""
        tokens = words(match.text, drop_fillers=False)
        said = words(match.text)
        if not said or (said[0] in _QUESTION_WORDS and said[1:2] not in _REQUESTS):
            return match
        wanted = match.intent == WHERE or match.intent.startswith(ROUTINE_PREFIX)
        if wanted and any(_occurs(p, tokens) for p in self._sayings):  # "cold shoulder"
            return Match(text=match.text, intent=NONE, score=match.score)
        complaint = any(token in self._complaints for token in tokens)
        keywords, areas = self._parts_named(tokens)
        if keywords:
            if self._not_own(tokens, keywords):  # "the dog's shoulder", "the chair legs"
                return Match(text=match.text, intent=NONE, score=match.score) if wanted else match
            return self._complained_of(match, tokens, keywords) if complaint else match
        sure = match.score >= SURE_SCORE and not match.intent.startswith(ROUTINE_PREFIX)
        if areas and self._not_own(tokens, areas) and (wanted or match.intent == NONE):
            return Match(text=match.text, intent=NONE, score=match.score)
        for start, area in areas:
            named = start and tokens[start - 1] in _POSSESSIVES and len(tokens) <= SHORT
            if (complaint and not sure) or named:
                return self._ask_which(match, area)
            if not sure and _own_body_part(tokens, start, area) and _unsure_of(match, area):
                return self._ask_which(match, area)
        # A routine the matcher found by a near miss ("my soldiers are tight") stays.
        unplaced = match.intent == NONE or (
            not match.intent.startswith(ROUTINE_PREFIX) and match.score < SURE_SCORE
        )
        if complaint and not areas:
            if self._of_no_muscle(tokens):  # "the knot in my shoelace"
                if match.intent == WHERE or unplaced:
                    return Match(text=match.text, intent=NONE, score=match.score)
            elif unplaced and (match.intent != NONE or match.score >= WHERE_LIKELY):
                return Match(text=match.text, intent=WHERE, score=match.score)
        return match

    def _of_no_muscle(self, tokens: Sequence[str]) -> bool:
        """A saying of ``not_muscles`` is named ("tying the knot"), or a thing or a part
        ("a knot in my shoelace") when the complaint is not said of oneself ("tying my
        shoelaces is a mission, everything's stiff")."""
        named = [p for p in self._not_muscles if _occurs(p, tokens)]
        return any(len(p) > 1 for p in named) or (bool(named) and not self._of_oneself(tokens))

    def _of_others(self, tokens: Sequence[str], found: Sequence[tuple[int, object]]) -> bool:
        """Every body part found is someone else's: ``others`` comes right before it, or
        before its side ("his left shoulder")."""

        def owner(start: int) -> str:
            before = start - 1
            if before > 0 and tokens[before] in _SIDES:
                before -= 1
            return tokens[before] if before >= 0 else ""

        return all(owner(start) in self._others for start, _ in found)

    def _complained_of(
        self, match: Match, tokens: Sequence[str], keywords: Sequence[tuple[int, object]]
    ) -> Match:
        """A complaint (the caller found a complaint word) about one routine's area that the
        classifier found nothing sure in, but some meaning (``WHERE_LIKELY``): that routine
        ("got a knot in the shoulder"); not in a saying or of no muscle ("such a pain in the
        neck")."""
        routines = {str(owner) for _, owner in keywords}
        if (
            match.intent != NONE
            or match.score < WHERE_LIKELY
            or len(routines) != 1
            or any(_occurs(p, tokens) for p in self._no_complaint)
        ):
            return match
        return Match(text=match.text, intent=routine_intent(routines.pop()), score=match.score)

    def named(self, match: Match) -> Match | None:
        """The answer to "Where is the knot?" by the area it names, however it says it ("the
        neck", "it's the leg", "my back": that area's question): None when it names none or
        only someone else's or a thing's."""
        tokens = words(match.text, drop_fillers=False)
        found, areas = self._parts_named(tokens)
        if not (found or areas) or self._not_own(tokens, [*found, *areas]):
            return None
        if found:
            routine = str(min(found, key=lambda f: f[0])[1])
            return Match(text=match.text, intent=routine_intent(routine), score=AREA_SCORE)
        return self._ask_which(match, min(areas, key=lambda a: a[0])[1])

    def _parts_named(
        self, tokens: Sequence[str]
    ) -> tuple[list[tuple[int, object]], list[tuple[int, object]]]:
        """The routines' keywords found, then the area words in what the keywords left."""
        claimed = [False] * len(tokens)
        keywords = _claim(tokens, self._keywords, claimed)
        return keywords, _claim(tokens, self._area_words, claimed)

    def _not_own(self, tokens: Sequence[str], found: Sequence[tuple[int, object]]) -> bool:
        """Every body part found is someone else's or a thing's."""
        return self._of_others(tokens, found) or self._of_things(tokens, found)

    def _of_things(self, tokens: Sequence[str], found: Sequence[tuple[int, object]]) -> bool:
        """Every body part found is a thing's (areas.yaml ``things``): the thing right
        before it ("the chair arms"), right after it with "of" ("the legs of the table"), or
        earlier in a sentence in which the speaker says nothing of themselves ("the race has
        three legs left")."""
        if not self._things:
            return False
        mine = any(token in _FIRST_PERSON for token in tokens)

        def of_thing(start: int) -> bool:
            before = tokens[start - 1] if start > 0 else ""
            after = tokens[start + 1 : start + 4]
            if before in self._things:
                return True
            if after and after[0] == "of" and any(t in self._things for t in after[1:]):
                return True
            return not mine and any(t in self._things for t in tokens[:start])

        return all(of_thing(start) for start, _ in found)

    def _of_oneself(self, tokens: Sequence[str]) -> bool:
        """A complaint word comes at most three words after "I am", "everything"...: the
        speaker speaks of their own body ("I'm all stiff from the kitchen table")."""
        return any(
            token in self._complaints and any(t in _ONESELF for t in tokens[max(0, i - 3) : i])
            for i, token in enumerate(tokens)
        )

    def answer(self, area_id: str | None, text: str) -> str | None:
        """The routine an answer to the area's question picks ("upper" -> upper-back)."""
        area = self.areas.area(area_id)
        if area is None:
            return None
        for token in words(text, drop_fillers=False):
            if token in area.answers:
                return area.answers[token]
        return None

    def _ask_which(self, match: Match, area: AmbiguousArea) -> Match:
        routines = list(area.routines)
        best = payload(match.intent)
        if best in routines:  # the matcher's favourite first
            routines.remove(best)
            routines.insert(0, best)
        score = max(match.score, AREA_SCORE)
        return Match(
            text=match.text,
            intent=routine_intent(routines[0]),
            score=score,
            alternatives=tuple(Alternative(routine_intent(r), score) for r in routines[1:]),
            area=area.id,
        )


def _own_body_part(tokens: Sequence[str], start: int, area: AmbiguousArea) -> bool:
    """``tokens[start]`` starts one of ``area``'s words said of the speaker's own body:
    "my back", "for me back", followed by nothing or by a sentence about it."""
    if start == 0 or tokens[start - 1] not in _MINE:
        return False
    if start >= 2 and tokens[start - 2] in _HELD:
        return False
    size = next(
        (
            len(w)
            for w in map(str.split, area.words)
            if tuple(tokens[start : start + len(w)]) == tuple(w)
        ),
        1,
    )
    after = start + size
    return after == len(tokens) or tokens[after] in _ABOUT_IT


def _occurs(phrase: Sequence[str], tokens: Sequence[str]) -> bool:
    size = len(phrase)
    return any(tuple(tokens[i : i + size]) == tuple(phrase) for i in range(len(tokens) - size + 1))


def _unsure_of(match: Match, area: AmbiguousArea) -> bool:
    """The matcher found nothing, asked where, or found one of ``area``'s routines or
    another routine by a weak likeness (none of its keywords was said: they return first)."""
    if match.intent in (NONE, WHERE) or payload(match.intent) in area.routines:
        return True
    return match.intent.startswith(ROUTINE_PREFIX) and match.score < SURE_SCORE


def _claim(
    tokens: Sequence[str], phrases: Sequence[tuple[tuple[str, ...], object]], claimed: list[bool]
) -> list[tuple[int, object]]:
    """Where each phrase occurs in ``tokens`` on words no longer phrase has claimed (longest
    phrases first), claiming them; (start, owner) in the order found."""
    found = []
    for phrase, owner in phrases:
        size = len(phrase)
        for start in range(len(tokens) - size + 1):
            span = range(start, start + size)
            if tuple(tokens[start : start + size]) == phrase and not any(claimed[i] for i in span):
                for i in span:
                    claimed[i] = True
                found.append((start, owner))
    return found
