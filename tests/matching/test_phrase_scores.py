"""The phrase scores as arrays give the very numbers of the plain per-phrase loop, and the
matcher's kept look-ups change no answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicecare.matching import IntentMatcher
from voicecare.matching.evaluation import read_labelled
from voicecare.matching.matcher import TOKENS_KEPT
from voicecare.matching.phrase_scores import PhraseTable
from voicecare.matching.sources import intent_phrases
from voicecare.normalize import words

PROBES = Path(__file__).parent / "data" / "probe_utterances.tsv"


def per_phrase(phrases, token_weights, similar, recall_emphasis):
    """The loop the matcher scored phrases with before the arrays (sessions 1-8)."""
    utterance_weight = sum(token_weights)
    coverage: dict[int, float] = {}
    for sims in similar:
        for word_id, similarity in sims.items():
            coverage[word_id] = max(coverage.get(word_id, 0.0), similarity)
    beta2 = recall_emphasis**2
    best: dict[str, float] = {}
    for intent, ids, weights in phrases:
        covered = sum(w * coverage.get(i, 0.0) for i, w in zip(ids, weights, strict=True))
        explained = 0.0
        for token_weight, sims in zip(token_weights, similar, strict=True):
            explained += token_weight * max((s for i, s in sims.items() if i in ids), default=0.0)
        recall = covered / sum(weights)
        precision = explained / utterance_weight
        if recall <= 0.0 or precision <= 0.0:
            continue
        score = 100.0 * (1 + beta2) * precision * recall / (beta2 * precision + recall)
        best[intent] = max(best.get(intent, 0.0), score)
    return best


# Intents apart ("a" before and after "b"), a token near two words, one near none.
PHRASES = [
    ("a", (0, 1), (1.5, 0.25)),
    ("b", (1, 2, 3), (0.25, 2.0, 1.1)),
    ("a", (3,), (1.1,)),
    ("c", (4,), (0.7,)),
]


@pytest.mark.parametrize(
    ("token_weights", "similar"),
    [
        ([1.5, 2.5], [{0: 1.0}, {}]),
        ([0.25, 1.1, 2.5], [{1: 1.0, 2: 0.85 * 0.8}, {3: 0.7}, {}]),
        ([2.0, 2.0], [{2: 0.3, 3: 0.9}, {2: 0.9, 0: 0.45}]),
        ([2.5], [{}]),
    ],
)
@pytest.mark.parametrize("recall_emphasis", [1.0, 1.3])
def test_the_arrays_score_as_the_loop_did(token_weights, similar, recall_emphasis):
    table = PhraseTable(PHRASES, vocabulary_size=5)
    expected = per_phrase(PHRASES, token_weights, similar, recall_emphasis)
    assert table.best_scores(token_weights, similar, recall_emphasis) == expected


def test_the_same_numbers_on_the_probe_set(matcher: IntentMatcher, library):
    content = [
        (intent, ids, tuple(matcher._weight[i] for i in ids))
        for intent, phrase in intent_phrases(library)
        if (ids := tuple(dict.fromkeys(matcher._word_id[w] for w in phrase)))
    ]
    emphasis = matcher.tuning.recall_emphasis
    scored = 0
    for example in read_labelled(PROBES):
        tokens = words(example.text)
        similar = [matcher._similar_words(t) for t in tokens]
        weights = [matcher._token_weight(t, s) for t, s in zip(tokens, similar, strict=True)]
        expected = per_phrase(content, weights, similar, emphasis) if tokens else {}
        assert matcher._table.best_scores(weights, similar, emphasis) == expected
        scored += bool(expected)
    assert scored > 100


def test_kept_look_ups_change_no_answer(library):
    warm = IntentMatcher(library)
    texts = [e.text for e in read_labelled(PROBES)]
    for text in texts:
        warm.analyse(text)
    cold = IntentMatcher(library)
    for text in texts:
        cold._similar_words.cache_clear()
        assert warm.analyse(text) == cold.analyse(text)


def test_the_look_ups_kept_are_bounded(library):
    matcher = IntentMatcher(library)
    for n in range(TOKENS_KEPT + 50):
        matcher.match(f"my neck word{n}")
    assert matcher._similar_words.cache_info().currsize <= TOKENS_KEPT
