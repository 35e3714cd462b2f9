"""Understanding an utterance: safety first, then intent.

Every utterance (typed, a final recognition, what barge-in hears) goes through
``Understanding.match``: the safety screen decides red flags before the intent matcher
scores anything, and the body areas named route what the matcher found (matching/areas.py),
so no similarity score can turn "my back hurts" into a red flag or "I
can't feel my legs" into the legs routine. Pure and deterministic.

Two-pass hearing gives two transcripts of one utterance: the accurate ear's (``text``) and
the fast streaming ear's (``first_pass``). The accurate one decides: a red flag it hears is
acted on at once, and when it heard words, they are what was said -- a red flag or routine
only the fast ear heard is nothing (the restricted fast ear turns noise and out-of-domain
speech into content words: asking about each of its red flags cost far more in false
questions than it caught, see benchmarks/RESULTS.md). When the accurate ear heard nothing at
all, a red flag the fast ear heard becomes a question ("Did you say ...?", the screen's
doubtful path), never an action, and a command it heard stands (the fast ear exists to act
on controls at once) -- but not yes or no, which answer questions.
"""

from __future__ import annotations

from collections.abc import Sequence

from voicecare.content.models import Library
from voicecare.english_words import english_words
from voicecare.generic_words import FUNCTION_WORDS, GENERIC_WORDS
from voicecare.matching import NONE, RED_FLAGS, IntentMatcher, Match
from voicecare.matching.areas import AreaRouter
from voicecare.matching.classifier_fit import learned_matcher
from voicecare.matching.intents import COMMAND_PREFIX, WHERE, command_intent
from voicecare.matching.sources import intent_keywords, intent_phrases, recognition_sentences
from voicecare.matching.tuning import Tuning
from voicecare.normalize import FILLERS, words
from voicecare.safety import Finding, SafetyScreen
from voicecare.settings import MatcherSettings
from voicecare.text_model import IN_MEMORY, WeightsStore
from voicecare.vocabulary import Vocabulary

# A red flag the recognizer's best guess holds is certain only when at least this share of
# its other guesses (n-best) hold one too; below, the coach asks first.
AGREEMENT_NEEDED = 0.5
# The best guess holds no red flag, but one of this many next guesses does: ask.
ALTERNATIVES_ASKED_ABOUT = 3
# An engine's confidence (0-1, 0.5 where it would reject) below this: not understood.
CONFIDENT = 0.5
# Below this a red flag is asked about, not acted on. At 10 dB (natural voices, PocketSphinx,
# benchmarks/RESULTS.md session 14) 5 of 28 false alarms had 0.51-0.59, no red flag acted on
# rightly had less than 0.62; clean, none had less than 0.66.
ACT_ON_RED_FLAG = 0.6
CERTAIN_SCORE = 100.0
DOUBTFUL_SCORE = 50.0
# Answers to a question: the accurate ear must hear them itself.
_ANSWERS = frozenset({command_intent("yes"), command_intent("no")})


class Understanding:
    """What an utterance means: ``match`` screens it for red flags, then matches intent."""

    def __init__(
        self,
        library: Library,
        settings: MatcherSettings | None = None,
        tuning: Tuning | None = None,
        weights: WeightsStore | None = None,
    ) -> None:
        """``weights``: where the learned models (the intent classifier, the safety screen's
        likeness model) keep their fitted weights; None: this process's memory. A real
        session's shell passes the user's cache (voicecare/shell/fitted_weights.py)."""
        self.library = library
        store = weights if weights is not None else IN_MEMORY
        fuzzy = IntentMatcher(library, settings, tuning)
        learned = fuzzy.settings.learned
        self.matcher = learned_matcher(library, fuzzy, store) if learned else fuzzy
        self.areas = AreaRouter(library)
        known = set(self.matcher.vocabulary) | english_words()
        phrases = [phrase for _, phrase in intent_phrases(library)]
        self._grammar_said = _grammar_said(library, phrases)
        # A command that ends on someone else's name ("thanks mum", "what's left on the
        # meter love") was said to them (examples.yaml ``other_people``, one-word ones).
        self._other_people = frozenset(
            kept[0] for kept in map(words, library.examples.other_people) if len(kept) == 1
        )
        everyday = [" ".join(phrase) for phrase in phrases]
        self.safety = SafetyScreen(
            library.safety.red_flags,
            known,
            library.safety_phrasings,
            everyday,
            weights=store,
            said_everyday=library.examples.out_of_domain,
        )

    @property
    def intents(self) -> tuple[str, ...]:
        """Every intent a match can have (but ``none``)."""
        return (*self.matcher.intents, RED_FLAGS, WHERE)

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """Every word content uses, sorted."""
        return tuple(sorted(set(self.matcher.vocabulary) | set(self.safety.vocabulary)))

    def match(
        self,
        text: str,
        alternatives: Sequence[str] = (),
        first_pass: str | None = None,
        confidence: float | None = None,
    ) -> Match:
        """``alternatives``: the recognizer's other guesses for the same audio, best first
        (empty for typed text). ``first_pass``: the fast ear's text when ``text`` is the
        accurate ear's (two-pass hearing); None with one ear. ``confidence``: the engine's
        (0-1; None: typed, or an engine without one): below ``ACT_ON_RED_FLAG`` a red flag is
        asked about, below ``CONFIDENT`` anything else is not understood."""
        finding = self.safety.check(text)
        if finding is not None:
            others = [self.safety.check(alternative, guess=False) for alternative in alternatives]
            agreeing = sum(other is not None and other.certain for other in others)
            certain = finding.certain and (not others or agreeing / len(others) >= AGREEMENT_NEEDED)
            if confidence is not None and confidence < ACT_ON_RED_FLAG:
                certain = False  # the engine doubts its words: ask before acting
            return _red_flag(text, finding, certain)
        for alternative in alternatives[:ALTERNATIVES_ASKED_ABOUT]:
            other = self.safety.check(alternative, guess=False)
            if other is not None:
                return _red_flag(text, other, certain=False)
        if confidence is not None and confidence < CONFIDENT:
            return Match(text=text, intent=NONE, score=0.0)
        if first_pass is not None and first_pass.strip() and first_pass != text:
            return self._second_pass_decides(text, first_pass)
        if self._says_nothing(text):
            return Match(text=text, intent=NONE, score=0.0)
        return self._intent_of(text)

    def _intent_of(self, text: str) -> Match:
        """The matcher's intent as the areas named route it; a command whose last word is
        one of ``other_people`` is nothing for the coach (said to them)."""
        match = self.areas.route(self.matcher.match(text))
        said = words(text)
        if match.intent.startswith(COMMAND_PREFIX) and said and said[-1] in self._other_people:
            return Match(text=match.text, intent=NONE, score=match.score)
        return match

    def _says_nothing(self, text: str) -> bool:
        """One word of grammar ("you", "off") that is no phrase of content or example as it
        stands: nothing to act on, however close a model finds it to something (a
        recognizer hears such words in noise; "off" ended the session as "switch off").
        Longer sentences of everyday words are meant ("where are we", "how do i use this")."""
        tokens = words(text)
        if len(tokens) != 1 or tokens[0] not in FUNCTION_WORDS:
            return False
        forms = {" ".join(tokens), " ".join(words(text, drop_fillers=False))}
        return not forms & self._grammar_said

    def _second_pass_decides(self, text: str, first_pass: str) -> Match:
        """``text`` (the accurate ear's) holds no red flag; ``first_pass`` differs."""
        if words(text):
            return self._intent_of(text)
        heard_first = self.safety.check(first_pass, guess=False)
        if heard_first is not None:
            return _red_flag(first_pass, heard_first, certain=False)
        fast = self.matcher.match(first_pass)
        if fast.intent.startswith(COMMAND_PREFIX) and fast.intent not in _ANSWERS:
            return fast
        return self._intent_of(text)


# An example of more words than this never comes down to one word of grammar: not read.
_SHORT_EXAMPLE = 3


def _grammar_said(library: Library, phrases: Sequence[tuple[str, ...]]) -> frozenset[str]:
    """What content says that comes down to one word of grammar: such phrases and keywords
    (normalized: "hey there" is "there"), and such examples word for word, fillers kept
    ("hey you" is a greeting, "you" is not). A handful, built at start-up: only the short
    examples are read."""
    said = [*phrases, *(keyword for _, keyword in intent_keywords(library))]
    found = {" ".join(p) for p in said if len(p) == 1 and p[0] in FUNCTION_WORDS}
    for examples in library.examples.intents.values():
        for example in (e for e in examples if len(e.split()) <= _SHORT_EXAMPLE):
            kept = words(example)
            if len(kept) == 1 and kept[0] in FUNCTION_WORDS:
                found.add(" ".join(words(example, drop_fillers=False)))
    return frozenset(found)


def _red_flag(text: str, finding: Finding, certain: bool) -> Match:
    return Match(
        text=text,
        intent=RED_FLAGS,
        score=CERTAIN_SCORE if certain else DOUBTFUL_SCORE,
        sign=finding.sign,
        doubtful=not certain,
        heard_as=finding.heard_as,
    )


def recognition_vocabulary(library: Library) -> Vocabulary:
    """Everything the content expects to hear, for a restricted speech recognizer: intent
    phrases and keywords, and the ways each red flag is said. The words of the red-flag
    examples are emphased, but for body parts and everyday words (they would crowd out the
    rest of the language model)."""
    red_flags = library.safety.red_flags
    sentences = recognition_sentences(library) + SafetyScreen(red_flags).sentences()
    listed = {w for entries in red_flags.lists.values() for e in entries for w in words(e)}
    plain = FILLERS | GENERIC_WORDS | listed
    example_words = {w for s in red_flags.signs for e in s.examples for w in words(e)}
    unique = tuple(dict.fromkeys(s for s in sentences if s))
    return Vocabulary(sentences=unique, emphasised=tuple(sorted(example_words - plain)))
