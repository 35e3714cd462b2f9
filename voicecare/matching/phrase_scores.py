"""The phrase half of the matcher's score (matcher.py), computed over every phrase at once.

Every content phrase gets the F-measure of how much of it the utterance covers (recall) and
how much of the utterance it explains (precision); each intent keeps its best phrase. This is
the matcher's inner loop, so it is kept as NumPy arrays built once per content: a word x
phrase membership matrix and each phrase's word ids and IDF weights, padded to one length.

The arithmetic is the one the per-phrase loop did, in the same order (each sum runs over
tokens, or over the phrase's words, left to right; NumPy's elementwise float64 operations
round as Python's floats do), so the scores are the same numbers, not merely close ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class PhraseTable:
    """The phrases of every intent, as arrays (``phrases``: (intent, word ids, weights))."""

    def __init__(
        self,
        phrases: Sequence[tuple[str, tuple[int, ...], tuple[float, ...]]],
        vocabulary_size: int,
    ) -> None:
        self.intents: tuple[str, ...] = tuple(dict.fromkeys(intent for intent, _, _ in phrases))
        column = {intent: i for i, intent in enumerate(self.intents)}
        # Each intent's phrases side by side (a stable sort), so one reduceat finds its best.
        phrases = sorted(phrases, key=lambda phrase: column[phrase[0]])
        intent_of = [column[intent] for intent, _, _ in phrases]
        self._first_phrase = np.flatnonzero(np.diff(intent_of, prepend=-1))
        longest = max((len(ids) for _, ids, _ in phrases), default=1)
        # Word ids padded with ``vocabulary_size``: a coverage slot that is always 0.
        self._word_ids = np.full((len(phrases), longest), vocabulary_size, dtype=np.intp)
        self._weights = np.zeros((len(phrases), longest))
        self._membership = np.zeros((vocabulary_size, len(phrases)))
        for index, (_, ids, weights) in enumerate(phrases):
            self._word_ids[index, : len(ids)] = ids
            self._weights[index, : len(ids)] = weights
            self._membership[list(ids), index] = 1.0
        # Python's sum, as the phrase loop had it (left to right from 0).
        self._total_weight = np.array([sum(weights) for _, _, weights in phrases])
        self._vocabulary_size = vocabulary_size

    def best_scores(
        self,
        token_weights: Sequence[float],
        similar: Sequence[dict[int, float]],
        recall_emphasis: float,
    ) -> dict[str, float]:
        """Each intent's best phrase score (0-100), for intents with one above zero.

        ``similar``: per token, the content words it may stand for, with a similarity."""
        utterance_weight = sum(token_weights)
        membership = self._membership
        explained = np.zeros(membership.shape[1])
        coverage: dict[int, float] = {}  # each content word's best token
        for token_weight, sims in zip(token_weights, similar, strict=False):
            if not sims:
                continue
            if len(sims) == 1:
                ((word_id, similarity),) = sims.items()
                strongest = membership[word_id] * similarity
            else:
                values = np.array(list(sims.values()))
                strongest = (membership[list(sims)] * values[:, None]).max(axis=0)
            explained += token_weight * strongest
            for word_id, similarity in sims.items():
                if similarity > coverage.get(word_id, 0.0):
                    coverage[word_id] = similarity
        candidates = explained.nonzero()[0]
        if not len(candidates):
            return {}
        covers = np.zeros(self._vocabulary_size + 1)
        covers[list(coverage)] = list(coverage.values())
        # Covered weight: the sum over the phrase's words, left to right (accumulate is).
        parts = self._weights[candidates] * covers[self._word_ids[candidates]]
        covered = np.add.accumulate(parts, axis=1)[:, -1]
        recall = covered / self._total_weight[candidates]
        precision = explained[candidates] / utterance_weight
        beta2 = recall_emphasis**2
        score = 100.0 * (1 + beta2) * precision * recall / (beta2 * precision + recall)
        # Every phrase's score (0 for the others), and each intent's best: a phrase with
        # nothing covered scores 0 and is left out with them (precision is above 0 here).
        scores = np.zeros(len(explained))
        scores[candidates] = score
        best = np.maximum.reduceat(scores, self._first_phrase).tolist()
        return {self.intents[i]: value for i, value in enumerate(best) if value > 0.0}
