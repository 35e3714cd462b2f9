"""The safety screen: does an utterance describe a red flag? Every utterance passes here
before intent matching (typed text, every final recognition, what barge-in hears).

Separate from the intent matcher on purpose: similarity made "my back hurts" look like "I
fell and hurt my back". The screen fires on a concept's own words in a pattern
(content/safety.yaml), not negated ("no numbness"), not cancelled by an overlapping guard
("fell asleep"), and, for paired signs, with their partner ("stiff neck" with "fever").

Words that fire only once a near-miss is corrected ("numbb") make a doubtful finding: the
coach asks first. With no pattern, the likeness model (likeness.py, trained on
content/safety_phrasings.yaml) may find it like a sign people said: asked about unless very
like one (``act_above``). A red flag in a question, in the past, over, not meant seriously, or
of someone else ("my gran gets dizzy spells") is asked about too. Pure: content in, findings.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jellyfish
from rapidfuzz import fuzz, process

from voicecare.content.models import RedFlags, RedFlagSign, SafetyPhrasings, Urgency
from voicecare.content.patterns import CompiledPattern, compile_pattern, joined
from voicecare.generic_words import GENERIC_WORDS
from voicecare.normalize import FILLERS, words
from voicecare.safety.likeness import LikenessModel
from voicecare.safety.negation import Negation, last_clause
from voicecare.text_model import WeightsStore

logger = logging.getLogger(__name__)

CORRECTION_SCORE = 85.0  # rapidfuzz ratio for a near-miss to stand for a red-flag word
SOUND_ALIKE_SCORE = 70.0  # an English word must also be spelled this close ("pane"/"pain")
MIN_CORRECTED_LENGTH = 4  # shorter words are too easily confused ("arm"/"harm")
MIN_SPELLED_WORDS = 3  # see SafetyScreen.sentences
MIN_IS_STEM = 3  # "as" is not "a is": only longer words get the "X is" reading
_URGENCY_ORDER = {Urgency.EMERGENCY: 0, Urgency.MEDICAL: 1}

Span = tuple[int, int]


@dataclass(frozen=True)
class Finding:
    """A red flag heard in an utterance.

    ``certain`` is False when the words were only close matches (then ``heard_as`` is the
    utterance as corrected, which is what the coach asks about), or when the utterance asks
    about the sign or says it is over (then the coach asks the sign's own question)."""

    sign: str
    urgency: Urgency
    certain: bool
    heard_as: str | None  # None: ask with the sign's own question


@dataclass(frozen=True)
class _Sign:
    content: RedFlagSign
    patterns: tuple[CompiledPattern, ...]
    pairs: tuple[tuple[tuple[CompiledPattern, ...], tuple[CompiledPattern, ...]], ...]
    guards: tuple[CompiledPattern, ...]


_SAY_NOTHING = FILLERS | GENERIC_WORDS  # words that alone describe no symptom


class SafetyScreen:
    """Built once from content; ``check`` is pure and takes microseconds."""

    def __init__(
        self,
        red_flags: RedFlags,
        known_words: Iterable[str] = (),
        phrasings: SafetyPhrasings | None = None,
        everyday: Iterable[str] = (),
        weights: WeightsStore | None = None,
        said_everyday: Iterable[str] = (),
    ) -> None:
        """``known_words``: English and content words (a near miss of one is not corrected
        by spelling); ``phrasings``: what the likeness model learns from (None: patterns
        only), with ``everyday`` phrases that are no red flag (the content's intents), whose
        words are never corrected by sound either ("foam rolling" is not "reeling"), and
        ``said_everyday``, what people said that is no red flag; ``weights``: where the
        likeness model keeps its fitted weights (None: in memory)."""
        self.red_flags = red_flags
        everyday = tuple(everyday)
        if phrasings is not None and not phrasings.red_flags:
            phrasings = None  # no phrasings, no model: the patterns alone
        if phrasings is not None:  # the signs' own examples and counter-examples teach it too
            said = {sign: list(found) for sign, found in phrasings.red_flags.items()}
            for sign in red_flags.signs:
                said.setdefault(sign.id, []).extend(sign.examples)
            phrasings = phrasings.model_copy(
                update={"red_flags": {sign: tuple(found) for sign, found in said.items()}}
            )
            counter = [c for sign in red_flags.signs for c in sign.counter_examples]
            everyday = (*everyday, *counter)
        lists = red_flags.lists

        def compiled(sources: Iterable[str]) -> tuple[CompiledPattern, ...]:
            return tuple(compile_pattern(source, lists) for source in sources)

        signs = [
            _Sign(
                content=sign,
                patterns=compiled(sign.patterns),
                pairs=tuple((compiled(p.patterns), compiled(p.with_)) for p in sign.paired),
                guards=compiled(sign.unless),
            )
            for sign in red_flags.signs
        ]
        self._signs = sorted(signs, key=lambda s: _URGENCY_ORDER[s.content.urgency])
        self._negation = Negation(red_flags.negation)
        self._asking = compiled(red_flags.asking)
        self._still_now = compiled(red_flags.still_now)
        self._resolved = compiled(red_flags.resolved)
        self._not_serious = compiled(red_flags.not_serious)
        self._people = compiled(red_flags.someone_else.people)
        self._not_now = compiled(red_flags.someone_else.not_now)
        self._first_person = frozenset(
            w for text in red_flags.first_person for w in words(text, drop_fillers=False)
        )
        self._spellings = {
            said: words(meant, drop_fillers=False) for said, meant in red_flags.spellings.items()
        }
        self.vocabulary = tuple(sorted(self._red_flag_words(guards=True)))
        self.sign_words = tuple(sorted(self._red_flag_words(guards=False)))
        self._red_flag_set = frozenset(self.vocabulary)
        listed = {w for entries in red_flags.lists.values() for e in entries for w in words(e)}
        self._stems = self._red_flag_set | listed
        self.known_words = frozenset(known_words)
        self._known = self.known_words | self._red_flag_set
        self._by_sound: dict[str, list[str]] = {}
        for word in self.sign_words:
            if len(word) >= MIN_CORRECTED_LENGTH:
                self._by_sound.setdefault(jellyfish.metaphone(word), []).append(word)
        self._everyday_words = frozenset(w for text in everyday for w in words(text))
        everyday = (*everyday, *said_everyday)
        self._likeness = (
            LikenessModel(phrasings, everyday, store=weights) if phrasings is not None else None
        )

    # ---------------------------------------------------------------- public

    @property
    def likeness(self) -> LikenessModel | None:
        """The likeness model (None: the patterns alone)."""
        return self._likeness

    def check(self, text: str, guess: bool = True) -> Finding | None:
        """The most urgent red flag ``text`` describes, or None. ``guess``: also ask about
        an utterance the likeness model finds much like a red flag (not for a recognizer's
        next guesses, which are many and mostly wrong)."""
        tokens = words(text, drop_fillers=False)
        if not tokens:
            return None
        fired = self._fired(tokens)
        if fired is not None:
            sign, end = fired
            clause = " ".join(last_clause(tokens, end))
            doubted = guess and self._likeness is not None and self._likeness.doubts(clause)
            if doubted or self._asked_or_over(tokens, end):
                return Finding(sign.id, sign.urgency, certain=False, heard_as=None)
            return Finding(sign.id, sign.urgency, certain=True, heard_as=" ".join(tokens))
        corrected = self._corrected(tokens)
        if corrected != tokens:
            fired = self._fired(corrected)
            if fired is not None:
                sign = fired[0]
                return Finding(sign.id, sign.urgency, certain=False, heard_as=" ".join(corrected))
        # A guess needs a word that says something: "like" or "and" alone is no symptom
        # (a recognizer hears such words in noise; "and" was once a fever, acted on).
        return self._guessed(text, tokens) if guess and not set(tokens) <= _SAY_NOTHING else None

    def _guessed(self, text: str, tokens: Sequence[str]) -> Finding | None:
        like = self._likeness.like(text) if self._likeness is not None else None
        sign = self.red_flags.sign(like.sign) if like is not None else None
        if like is None or sign is None or self._likeness is None:
            return None
        sure = self._likeness.sure(like) and not self._asked_or_over(tokens, len(tokens))
        if sure and not self._negation.anywhere(tokens, self._patterns_of(sign.id)):
            return Finding(sign.id, sign.urgency, certain=True, heard_as=" ".join(tokens))
        return Finding(sign.id, sign.urgency, certain=False, heard_as=None)

    def sentences(self, per_pattern: int = 1) -> list[tuple[str, ...]]:
        """Ways each sign is said, for a speech recognizer restricted to content: every
        example, and a few sentences spelled out of every pattern. A spelling shorter than
        three words is kept only when it is made of the sign's own words ("numb", "chest
        pain"): a restricted language model weights short sentences as commands, and a list
        word in one ("leg floppy") would then be heard in everything."""
        listed = {w for entries in self.red_flags.lists.values() for e in entries for w in words(e)}
        sentences = [
            words(example, drop_fillers=False)
            for sign in self._signs
            for example in sign.content.examples
        ]
        for sign in self._signs:
            paired = [p for pair in sign.pairs for group in pair for p in group]
            for pattern in [*sign.patterns, *paired]:
                spelled = pattern.sentences(per_pattern)
                sentences.extend(
                    s for s in spelled if len(s) >= MIN_SPELLED_WORDS or not listed & set(s)
                )
        return sentences

    # ------------------------------------------------------------- matching

    def _fired(self, tokens: Sequence[str]) -> tuple[RedFlagSign, int] | None:
        """The most urgent sign the words fire, and where (in ``tokens``) its words end."""
        variants = [tuple(tokens)]
        without_fillers = words(" ".join(tokens))
        if without_fillers != variants[0]:
            variants.append(without_fillers)
        if is_forms := self._with_is(tokens):
            variants.append(is_forms)
        if respelled := self._respelled(tokens):
            variants.append(respelled)
            if is_forms := self._with_is(respelled):
                variants.append(is_forms)
        original = joined(variants[0])
        # a sign guarded in the words as said is not fired by a rewritten reading of them
        # ("the words to thank you" read as "the word is ..."): looked up once, if needed
        guarded = (
            {id(s) for s in self._signs if self._guarded(s, original)} if variants[1:] else set()
        )
        for variant in variants:
            text = joined(variant)
            for sign in self._signs:
                if variant is not variants[0] and id(sign) in guarded:
                    continue
                end = self._sign_fires(sign, variant, text)
                if end is not None:
                    return sign.content, min(end, len(tokens))
        return None

    @staticmethod
    def _guarded(sign: _Sign, text: str) -> bool:
        """A guard of the sign is in the words as said: then a rewritten reading of them
        (fillers dropped, "words" read "word is", dialect respelled) does not fire it."""
        return any(guard.find(text) for guard in sign.guards)

    def _sign_fires(self, sign: _Sign, tokens: Sequence[str], text: str) -> int | None:
        """Where the sign's words end, if it fires."""
        guards = [found.span for guard in sign.guards for found in guard.find(text)]
        end = self._first_hit(sign.patterns, tokens, text, guards)
        if end is not None:
            return end
        for first, second in sign.pairs:
            one = self._first_hit(first, tokens, text, guards)
            other = self._first_hit(second, tokens, text, []) if one is not None else None
            if one is not None and other is not None:
                return max(one, other)
        return None

    def _first_hit(
        self,
        patterns: Iterable[CompiledPattern],
        tokens: Sequence[str],
        text: str,
        guards: Sequence[Span],
    ) -> int | None:
        """The end of the first occurrence not negated nor guarded, or None."""
        for pattern in patterns:
            for found in pattern.find(text):
                if self._negation.negated(tokens, found):
                    continue
                if any(_overlap(found.span, guard) for guard in guards):
                    continue
                return found.end
        return None

    def _patterns_of(self, sign_id: str) -> list[CompiledPattern]:
        return [p for sign in self._signs if sign.content.id == sign_id for p in sign.patterns]

    def _asked_or_over(self, tokens: Sequence[str], end: int) -> bool:
        """A question about a sign ("what causes pins and needles?"), a sign said to be over
        after it ("... but it is back to normal now"; not "... not wearing off"), or not
        meant seriously ("my avatar fainted in the game", "... haha")."""
        text = joined(tokens)
        asked = any(found.start == 0 for p in self._asking for found in p.find(text))
        if asked and not any(pattern.find(text) for pattern in self._still_now):
            return True
        if any(  # "haha", "joking", but not "not joking"
            not self._negation.just_before(tokens, found.start)
            for pattern in self._not_serious
            for found in pattern.find(text)
        ):
            return True
        if self._of_someone_else(text, tokens, end):
            return True
        return any(
            found.start >= end and not self._negation.just_before(tokens, found.start)
            for pattern in self._resolved
            for found in pattern.find(text)
        )

    def _of_someone_else(self, text: str, tokens: Sequence[str], end: int) -> bool:
        """Someone else named before the sign's words, the speaker not between them, and
        theirs not now: "my gran always gets dizzy spells", "my teammate got knocked out on
        saturday" (but "my wife says my face is drooping", "my dad just collapsed")."""
        named = [
            found.start
            for pattern in self._people
            for found in pattern.find(text)
            if found.end <= end and not self._first_person & set(tokens[found.end : end])
        ]
        return bool(named) and any(
            found.start >= min(named) for pattern in self._not_now for found in pattern.find(text)
        )

    def _with_is(self, tokens: Sequence[str]) -> tuple[str, ...] | None:
        """ "room's spinning" normalizes to "rooms spinning": the same words with "X is"
        for an "Xs" whose X is a red-flag or list word ("room is spinning"), or None."""
        changed = False
        result: list[str] = []
        for token in tokens:
            stem = token[:-1]
            if token.endswith("s") and len(stem) >= MIN_IS_STEM and stem in self._stems:
                result += [stem, "is"]
                changed = True
            else:
                result.append(token)
        return tuple(result) if changed else None

    def _respelled(self, tokens: Sequence[str]) -> tuple[str, ...] | None:
        """The words as the patterns spell them: content's ``spellings`` ("doon": down) and
        a dropped final g ("feelin", "breathin's"), or None if nothing changed."""
        result: list[str] = []
        for token in tokens:
            if token in self._spellings:
                result += self._spellings[token]
            elif token.endswith("s") and token[:-1] in self._spellings:
                result += [*self._spellings[token[:-1]], "is"]
            elif token.endswith("in") and token + "g" in self._stems:
                result.append(token + "g")
            elif token.endswith("ins") and token[:-1] + "g" in self._stems:
                result += [token[:-1] + "g", "is"]
            else:
                result.append(token)
        respelled = tuple(result)
        return respelled if respelled != tuple(tokens) else None

    # ----------------------------------------------------------- near misses

    def _corrected(self, tokens: Sequence[str]) -> tuple[str, ...]:
        """Words replaced by the red-flag word they may stand for: a near-miss spelling of
        a word that is not English ("numbb"), or an English word that sounds the same
        ("chest pane", "pins and noodles": what a recognizer makes of a red flag)."""
        corrected = []
        for token in tokens:
            if (
                len(token) < MIN_CORRECTED_LENGTH
                or token in self._red_flag_set
                or token in self._everyday_words
            ):
                corrected.append(token)
            elif token not in self._known:
                best = process.extractOne(
                    token, self.vocabulary, scorer=fuzz.ratio, score_cutoff=CORRECTION_SCORE
                )
                corrected.append(best[0] if best else token)
            else:
                alike = self._by_sound.get(jellyfish.metaphone(token), ())
                best = process.extractOne(
                    token, alike, scorer=fuzz.ratio, score_cutoff=SOUND_ALIKE_SCORE
                )
                corrected.append(best[0] if best else token)
        return tuple(corrected)

    def _red_flag_words(self, guards: bool) -> set[str]:
        """The words of every pattern (and guard): what near misses are corrected to."""
        found: set[str] = set()
        for sign in self._signs:
            groups = [sign.patterns, *(g for pair in sign.pairs for g in pair)]
            if guards:
                groups.append(sign.guards)
            for group in groups:
                for pattern in group:
                    found |= {w for w in pattern.literal_words if len(w) >= MIN_CORRECTED_LENGTH}
        return found


def _overlap(first: Span, second: Span) -> bool:
    return first[0] < second[1] and second[0] < first[1]
