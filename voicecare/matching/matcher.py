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
* body-area keywords lift their routine.

Red flags are not scored here: the safety screen (voicecare/safety) has decided them before
an utterance reaches the matcher (see voicecare/understanding.py).

Everything that depends only on content is computed once, at construction: the phrases as
arrays (phrase_scores.py, the inner loop), and each token's similar words are kept as they
are first looked up (they depend on the token alone; the most recent ``TOKENS_KEPT``).
"""

from __future__ import annotations

import functools
import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

import jellyfish
from rapidfuzz import fuzz, process

from voicecare.content.models import Library
from voicecare.generic_words import GENERIC_WORDS
from voicecare.matching.intents import COMMAND_PREFIX, NONE, Alternative, Match
from voicecare.matching.phrase_scores import PhraseTable
from voicecare.matching.sources import (
    intent_keywords,
    intent_phrases,
    variants,
)
from voicecare.matching.tuning import Tuning
from voicecare.normalize import words
from voicecare.settings import MatcherSettings

logger = logging.getLogger(__name__)

TOKENS_KEPT = 4096  # the similar words of this many recent distinct tokens are kept


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
        sources = list(intent_phrases(library))
        self._vocabulary: list[str] = []
        self._word_id: dict[str, int] = {}
        for _, phrase in sources:
            for word in phrase:
                self._intern(word)
        keyword_sources = list(intent_keywords(library))
        for _, keyword in keyword_sources:
            for word in keyword:
                self._intern(word)

        self._weight = self._idf(sources)
        phrases = [
            (intent, ids, tuple(self._weight[i] for i in ids))
            for intent, phrase in sources
            if (ids := tuple(dict.fromkeys(self._word_id[w] for w in phrase)))
        ]
        self._table = PhraseTable(phrases, len(self._vocabulary))
        # Longest keywords first, so "shoulder blade" claims its words before "shoulder".
        self._keywords_starting_with: dict[int, list[tuple[str, tuple[int, ...]]]] = defaultdict(
            list
        )
        for intent, keyword in keyword_sources:
            ids = tuple(self._word_id[w] for w in keyword)
            self._keywords_starting_with[ids[0]].append((intent, ids))
        self._by_sound: dict[str, list[int]] = defaultdict(list)
        for word_id, word in enumerate(self._vocabulary):
            if len(word) >= self.tuning.min_phonetic_length:
                self._by_sound[jellyfish.metaphone(word)].append(word_id)
        self.intents: tuple[str, ...] = tuple(dict.fromkeys(i for i, _ in sources))
        self._meaningful = [
            word not in GENERIC_WORDS and self._weight[word_id] >= self.tuning.informative_weight
            for word_id, word in enumerate(self._vocabulary)
        ]
        # A token's look-up (rapidfuzz over the vocabulary, metaphone) depends on it alone,
        # and people repeat words: each is looked up once (until TOKENS_KEPT others came).
        self._similar_words = functools.lru_cache(maxsize=TOKENS_KEPT)(self._find_similar)

    # ------------------------------------------------------------------ public

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """Every word content uses, sorted (for restricting speech recognizers)."""
        return tuple(sorted(self._vocabulary))

    def forget_words(self) -> None:
        """Drop the similar words kept per token (a benchmark's coldest case)."""
        self._similar_words.cache_clear()

    def match(self, text: str) -> Match:
        return self.analyse(text)[0]

    def analyse(
        self, text: str, tokens: Sequence[str] | None = None
    ) -> tuple[Match, list[tuple[str, float]]]:
        """The match, and every intent's score (best first) that it was decided on.
        ``tokens``: ``words(text)``, if the caller has them already."""
        if tokens is None:
            tokens = words(text)
        if not tokens:
            return Match(text=text, intent=NONE, score=0.0), []
        similar = [self._similar_words(token) for token in tokens]
        ranked = self.rank(tokens, similar)
        best_score = ranked[0][1] if ranked else 0.0
        if best_score < self.tuning.whole_phrase_score and not self._in_domain(tokens, similar):
            return Match(text=text, intent=NONE, score=best_score), ranked
        return self._decide(text, ranked), ranked

    def scores(self, text: str) -> list[tuple[str, float]]:
        """Every intent with a score above zero, best first (for diagnostics)."""
        tokens = words(text)
        return self.rank(tokens, [self._similar_words(t) for t in tokens])

    # ---------------------------------------------------------------- scoring

    def rank(
        self, tokens: Sequence[str], similar: Sequence[dict[int, float]]
    ) -> list[tuple[str, float]]:
        tuning = self.tuning
        token_weights = [
            self._token_weight(token, sims) for token, sims in zip(tokens, similar, strict=False)
        ]
        utterance_weight = sum(token_weights)
        best = self._table.best_scores(token_weights, similar, tuning.recall_emphasis)
        hits = self._keyword_hits(similar)
        if hits:
            in_domain = sum(
                weight * max(sims.values(), default=0.0)
                for weight, sims in zip(token_weights, similar, strict=False)
            )
            in_domain_share = in_domain / utterance_weight
            for intent, exactness in hits.items():
                phrase_score = best.get(intent, 0.0)
                # Between two keyword hits, the better phrase match breaks the tie.
                keyword_score = (
                    tuning.keyword_score * in_domain_share * exactness
                    + tuning.keyword_tie_break * phrase_score
                )
                lifted = phrase_score + tuning.keyword_bonus
                best[intent] = min(100.0, max(lifted, keyword_score))
        foreign = self._foreign_words(tokens, similar)
        if foreign:
            # Commands steer the session and are made of everyday words; a foreign word
            # means they steer something else ("pause the video", "skip this song").
            penalty = tuning.command_foreign_penalty * foreign
            for intent in best:
                if intent.startswith(COMMAND_PREFIX):
                    best[intent] = max(0.0, best[intent] - penalty)
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))

    def _in_domain(self, tokens: Sequence[str], similar: Sequence[dict[int, float]]) -> bool:
        """Is this said to the coach? Yes if a word that means something here was heard
        ("knot", not "how" or "are"), or if every word is either a content word or an
        everyday one ("go on then"); a single foreign word ("toaster") is not enough."""
        needed = self.tuning.in_domain_similarity
        heard_meaningful = any(
            similarity >= needed and self._meaningful[word_id]
            for sims in similar
            for word_id, similarity in sims.items()
        )
        if heard_meaningful:
            return True
        # One everyday word alone ("that", "so") is what a recognizer makes of a cough or of
        # VoiceCare's own voice; it means something only as a whole phrase ("yes", "next").
        return len(tokens) > 1 and self._foreign_words(tokens, similar) == 0

    def _foreign_words(self, tokens: Sequence[str], similar: Sequence[dict[int, float]]) -> int:
        """How many words are neither content words (nor close to one) nor everyday words:
        "song" in "skip this song", "christmas" in "how much longer until christmas"."""
        needed = self.tuning.in_domain_similarity
        return sum(
            1
            for token, sims in zip(tokens, similar, strict=False)
            if token not in GENERIC_WORDS and max(sims.values(), default=0.0) < needed
        )

    def _decide(self, text: str, ranked: list[tuple[str, float]]) -> Match:
        threshold = self.settings.reject_below
        margin = self.settings.ambiguity_margin
        if not ranked or ranked[0][1] < threshold:
            score = ranked[0][1] if ranked else 0.0
            return Match(text=text, intent=NONE, score=score)
        top_intent, top_score = ranked[0]
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

    def _find_similar(self, token: str) -> dict[int, float]:
        """Content words this token may stand for, with a similarity in (0, 1]. Depends on
        the token alone (and content), so ``_similar_words`` keeps the answers: read-only."""
        tuning = self.tuning
        found: dict[int, float] = {}
        exact = self._word_id.get(token)
        factor = 1.0
        if exact is not None:
            found[exact] = 1.0
            factor = tuning.known_word_factor
        if len(token) >= tuning.min_fuzzy_length:
            for _, ratio, word_id in process.extract(
                token,
                self._vocabulary,
                scorer=fuzz.ratio,
                score_cutoff=tuning.near_miss_cutoff,
                limit=4,
            ):
                if word_id != exact and len(self._vocabulary[word_id]) >= tuning.min_fuzzy_length:
                    similarity = factor * tuning.near_miss_factor * ratio / 100.0
                    found[word_id] = max(found.get(word_id, 0.0), similarity)
        for variant in variants(token):
            word_id = self._word_id.get(variant)
            if word_id is not None and word_id != exact:
                found[word_id] = max(found.get(word_id, 0.0), tuning.variant_similarity)
        if len(token) >= tuning.min_phonetic_length:
            for word_id in self._by_sound.get(jellyfish.metaphone(token), ()):
                if word_id != exact:
                    similarity = factor * tuning.phonetic_similarity
                    found[word_id] = max(found.get(word_id, 0.0), similarity)
        return found

    def _token_weight(self, token: str, sims: dict[int, float]) -> float:
        word_id = self._word_id.get(token)
        if word_id is not None:
            return self._weight[word_id]
        if sims:
            best = max(sims, key=sims.__getitem__)
            return self._weight[best]
        if token in GENERIC_WORDS:
            return self.tuning.unknown_generic_weight
        return self.tuning.unknown_word_weight

    def _keyword_hits(self, similar: Sequence[dict[int, float]]) -> dict[str, float]:
        """Intents whose keyword was said, with how exactly (the weakest word's similarity).

        A word belongs to one keyword at most, the longest keywords choosing first."""
        needed = self.tuning.keyword_similarity
        found: list[tuple[int, int, str, float]] = []  # (length, start, intent, exactness)
        for start, sims in enumerate(similar):
            for first_id, first_similarity in sims.items():
                if first_similarity < needed:
                    continue
                for intent, keyword in self._keywords_starting_with.get(first_id, ()):
                    if start + len(keyword) > len(similar):
                        continue
                    exactness = min(
                        similar[start + k].get(word_id, 0.0) for k, word_id in enumerate(keyword)
                    )
                    if exactness >= needed:
                        found.append((len(keyword), start, intent, exactness))
        found.sort(key=lambda hit: (-hit[0], hit[1]))
        claimed = [False] * len(similar)
        hits: dict[str, float] = {}
        for length, start, intent, exactness in found:
            span = range(start, start + length)
            if any(claimed[i] for i in span):
                continue
            for i in span:
                claimed[i] = True
            hits[intent] = max(hits.get(intent, 0.0), exactness)
        return hits
