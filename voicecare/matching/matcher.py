"""Match an utterance to one intent using the phrases, keywords and red-flag triggers in content.

The score is a soft, weighted word overlap (a "soft TF-IDF") between the utterance and each
content phrase:

* every word carries an IDF weight computed over intents, so "neck" counts far more than "my";
* an utterance word matches a content word exactly, or nearly (rapidfuzz ``fuzz.ratio`` for
  near-miss spellings such as "soldier"/"shoulder"), or by sound (the same metaphone key, for
  recognizer sound-alikes), with a discount for anything less than exact;
* a phrase's score is the F-measure of how much of the phrase the utterance covers and how
  much of the utterance the phrase explains (unknown words lower the latter, which is what
  rejects "play some music");
* body-area keywords lift their routine; red-flag triggers override everything.

Everything that depends only on content is computed once, at construction.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jellyfish
from rapidfuzz import fuzz, process

from voicecare.content.models import Library
from voicecare.matching.intents import (
    NONE,
    RED_FLAGS,
    Alternative,
    Match,
    command_intent,
    info_intent,
    routine_intent,
)
from voicecare.matching.normalize import words
from voicecare.settings import MatcherSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tuning:
    """Shape of the score; calibrated together with the thresholds on the dev split."""

    near_miss_cutoff: float = 75.0  # fuzz.ratio needed for a near-miss word
    near_miss_factor: float = 0.85  # a near-miss counts this much of its ratio
    min_fuzzy_length: int = 4  # shorter words only match exactly or by sound
    phonetic_similarity: float = 0.7  # same metaphone key, different spelling
    unknown_word_weight: float = 1.6  # weight of a word no content phrase uses
    recall_emphasis: float = 1.0  # beta of the F-measure (>1 favours covering the phrase)
    keyword_floor: float = 62.0  # a routine whose body-area keyword was said scores at least
    keyword_bonus: float = 12.0  # ...and this much more than its phrases alone
    trigger_similarity: float = 0.9  # how exact red-flag trigger words must be


@dataclass(frozen=True)
class _Phrase:
    intent: str
    word_ids: tuple[int, ...]
    weights: tuple[float, ...]
    total_weight: float


@dataclass(frozen=True)
class _Trigger:
    sign: str
    word_ids: tuple[int, ...]


class IntentMatcher:
    """Pure and deterministic: the same content and text always give the same match."""

    def __init__(
        self,
        library: Library,
        settings: MatcherSettings | None = None,
        tuning: Tuning | None = None,
    ) -> None:
        self.settings = settings or MatcherSettings()
        self.tuning = tuning or Tuning()
        sources = list(_intent_phrases(library))
        self._vocabulary: list[str] = []
        self._word_id: dict[str, int] = {}
        for _, phrase in sources:
            for word in phrase:
                self._intern(word)
        keyword_sources = list(_intent_keywords(library))
        for _, keyword in keyword_sources:
            for word in keyword:
                self._intern(word)
        trigger_sources = [
            (sign.id, words(trigger, drop_fillers=False))
            for sign in library.safety.red_flags.signs
            for trigger in sign.triggers
        ]
        for _, trigger in trigger_sources:
            for word in trigger:
                self._intern(word)

        self._weight = self._idf(sources)
        self._phrases = [
            _Phrase(
                intent=intent,
                word_ids=ids,
                weights=tuple(self._weight[i] for i in ids),
                total_weight=sum(self._weight[i] for i in ids),
            )
            for intent, phrase in sources
            if (ids := tuple(dict.fromkeys(self._word_id[w] for w in phrase)))
        ]
        self._phrases_with_word: dict[int, list[int]] = defaultdict(list)
        for index, phrase in enumerate(self._phrases):
            for word_id in phrase.word_ids:
                self._phrases_with_word[word_id].append(index)
        # Longest keywords first, so "shoulder blade" claims its words before "shoulder".
        self._keywords = sorted(
            ((intent, tuple(self._word_id[w] for w in kw)) for intent, kw in keyword_sources),
            key=lambda item: -len(item[1]),
        )
        self._triggers = [
            _Trigger(sign, tuple(self._word_id[w] for w in trigger))
            for sign, trigger in trigger_sources
            if trigger
        ]
        self._by_sound: dict[str, list[int]] = defaultdict(list)
        for word_id, word in enumerate(self._vocabulary):
            if len(word) >= 3:
                self._by_sound[jellyfish.metaphone(word)].append(word_id)
        self.intents: tuple[str, ...] = tuple(dict.fromkeys(i for i, _ in sources))

    # ------------------------------------------------------------------ public

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """Every word content uses, sorted (for restricting speech recognizers)."""
        return tuple(sorted(self._vocabulary))

    def match(self, text: str) -> Match:
        tokens = words(text)
        if not tokens:
            return Match(text=text, intent=NONE, score=0.0)
        similar = [self._similar_words(token) for token in tokens]
        sign = self._fired_trigger(similar)
        if sign is not None:
            return Match(text=text, intent=RED_FLAGS, score=100.0, sign=sign)
        ranked = self.rank(tokens, similar)
        return self._decide(text, ranked)

    def scores(self, text: str) -> list[tuple[str, float]]:
        """Every intent with a score above zero, best first (for diagnostics)."""
        tokens = words(text)
        return self.rank(tokens, [self._similar_words(t) for t in tokens])

    # ---------------------------------------------------------------- scoring

    def rank(
        self, tokens: Sequence[str], similar: Sequence[dict[int, float]]
    ) -> list[tuple[str, float]]:
        tuning = self.tuning
        token_weights = [self._token_weight(token, sims) for token, sims in zip(tokens, similar)]
        utterance_weight = sum(token_weights)
        candidates: set[int] = set()
        for sims in similar:
            for word_id in sims:
                candidates.update(self._phrases_with_word.get(word_id, ()))
        best: dict[str, float] = {}
        beta2 = tuning.recall_emphasis**2
        for index in candidates:
            phrase = self._phrases[index]
            covered = 0.0
            for word_id, weight in zip(phrase.word_ids, phrase.weights):
                covered += weight * max((s.get(word_id, 0.0) for s in similar), default=0.0)
            explained = 0.0
            for token_weight, sims in zip(token_weights, similar):
                explained += token_weight * max(
                    (sims.get(word_id, 0.0) for word_id in phrase.word_ids), default=0.0
                )
            recall = covered / phrase.total_weight
            precision = explained / utterance_weight
            if recall <= 0.0 or precision <= 0.0:
                continue
            f_score = (1 + beta2) * precision * recall / (beta2 * precision + recall)
            score = 100.0 * f_score
            if score > best.get(phrase.intent, 0.0):
                best[phrase.intent] = score
        for intent in self._keyword_hits(similar):
            boosted = max(best.get(intent, 0.0), tuning.keyword_floor) + tuning.keyword_bonus
            best[intent] = min(100.0, boosted)
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))

    def _decide(self, text: str, ranked: list[tuple[str, float]]) -> Match:
        threshold = self.settings.reject_below
        margin = self.settings.ambiguity_margin
        if not ranked or ranked[0][1] < threshold:
            score = ranked[0][1] if ranked else 0.0
            return Match(text=text, intent=NONE, score=score)
        top_intent, top_score = ranked[0]
        # Safety comes first: a red flag close to the top wins.
        for intent, score in ranked[1:]:
            if intent == RED_FLAGS and score >= threshold and score >= top_score - margin:
                return Match(text=text, intent=RED_FLAGS, score=score)
        alternatives = tuple(
            Alternative(intent, score)
            for intent, score in ranked[1:3]
            if score >= threshold and score >= top_score - margin
        )
        return Match(text=text, intent=top_intent, score=top_score, alternatives=alternatives)

    # ----------------------------------------------------------------- words

    def _intern(self, word: str) -> int:
        if word not in self._word_id:
            self._word_id[word] = len(self._vocabulary)
            self._vocabulary.append(word)
        return self._word_id[word]

    def _idf(self, sources: Iterable[tuple[str, tuple[str, ...]]]) -> list[float]:
        intents_with: dict[int, set[str]] = defaultdict(set)
        intents: set[str] = set()
        for intent, phrase in sources:
            intents.add(intent)
            for word in phrase:
                intents_with[self._word_id[word]].add(intent)
        total = len(intents)
        return [
            math.log(1.0 + total / max(1, len(intents_with.get(word_id, ()))))
            for word_id in range(len(self._vocabulary))
        ]

    def _similar_words(self, token: str) -> dict[int, float]:
        """Content words this token may stand for, with a similarity in (0, 1]."""
        tuning = self.tuning
        found: dict[int, float] = {}
        exact = self._word_id.get(token)
        if exact is not None:
            found[exact] = 1.0
        if len(token) >= tuning.min_fuzzy_length:
            for _, ratio, word_id in process.extract(
                token,
                self._vocabulary,
                scorer=fuzz.ratio,
                score_cutoff=tuning.near_miss_cutoff,
                limit=4,
            ):
                if word_id != exact and len(self._vocabulary[word_id]) >= tuning.min_fuzzy_length:
                    found[word_id] = max(
                        found.get(word_id, 0.0), tuning.near_miss_factor * ratio / 100.0
                    )
        if len(token) >= 3:
            for word_id in self._by_sound.get(jellyfish.metaphone(token), ()):
                if word_id != exact:
                    found[word_id] = max(found.get(word_id, 0.0), tuning.phonetic_similarity)
        return found

    def _token_weight(self, token: str, sims: dict[int, float]) -> float:
        word_id = self._word_id.get(token)
        if word_id is not None:
            return self._weight[word_id]
        if sims:
            best = max(sims, key=sims.__getitem__)
            return self._weight[best]
        return self.tuning.unknown_word_weight

    def _keyword_hits(self, similar: Sequence[dict[int, float]]) -> list[str]:
        claimed = [False] * len(similar)
        hits: list[str] = []
        for intent, keyword in self._keywords:
            for start in range(len(similar) - len(keyword) + 1):
                span = range(start, start + len(keyword))
                if any(claimed[i] for i in span):
                    continue
                if all(
                    similar[start + k].get(word_id, 0.0) >= self.tuning.phonetic_similarity
                    for k, word_id in enumerate(keyword)
                ):
                    for i in span:
                        claimed[i] = True
                    if intent not in hits:
                        hits.append(intent)
                    break
        return hits

    def _fired_trigger(self, similar: Sequence[dict[int, float]]) -> str | None:
        needed = self.tuning.trigger_similarity
        for trigger in self._triggers:
            if all(any(s.get(word_id, 0.0) >= needed for s in similar) for word_id in trigger.word_ids):
                return trigger.sign
        return None


def _intent_phrases(library: Library) -> Iterable[tuple[str, tuple[str, ...]]]:
    for routine in library.routines:
        for phrase in routine.phrases:
            yield routine_intent(routine.id), words(phrase)
    for topic in library.topics:
        for phrase in topic.phrases:
            yield info_intent(topic.id), words(phrase)
    for phrase in library.safety.red_flags.phrases:
        yield RED_FLAGS, words(phrase)
    for command in library.commands:
        for phrase in command.phrases:
            yield command_intent(command.id), words(phrase)


def _intent_keywords(library: Library) -> Iterable[tuple[str, tuple[str, ...]]]:
    for routine in library.routines:
        for keyword in routine.keywords:
            if kw := words(keyword, drop_fillers=False):
                yield routine_intent(routine.id), kw
    for topic in library.topics:
        for keyword in topic.keywords:
            if kw := words(keyword, drop_fillers=False):
                yield info_intent(topic.id), kw
