"""Intent classification that generalizes: a linear model joined to the hand-tuned matcher.

The hand-tuned matcher (matcher.py) knows the content's words and corrects recognizer slips
against them (near-miss spellings, sound-alikes), but its scores were tuned by hand and stop
improving. The classifier learns from examples instead: every content phrase and keyword,
and content/examples.yaml (what people said per intent, and out-of-domain speech, which it
learns as the class ``none``). Its features are TF-IDF word 1-2-grams and character 2-4-grams
(inside words) of the utterance, *stacked* with the matcher's per-intent scores and its own
"not for me" verdict, so the fuzzy and phonetic correction feeds the model: "my soldiers are
so tight" has no n-gram of "shoulders", but the matcher's shoulders score says it.

The model is scikit-learn's LinearSVC; its decision values become probabilities by
temperature scaling (CalibratedClassifierCV, method "temperature", fitted on held-out
folds of the training data), so the top probability means what it says and sets the bands:

* at least ``ACT``: confident, the intent alone (the coach acts);
* between ``REJECT`` and ``ACT``: unsure, the intent with the runners-up above
  ``ALTERNATIVE`` as alternatives (the coach asks which routine was meant);
* below ``REJECT``, or ``none`` on top: not understood; so is what the matcher found
  nothing in ("pause the video") unless the model is ``OVERRULE`` sure. In a sentence of
  ``LONG`` words or more (a command wrapped in an aside: "hang on the kettle's boiling")
  the matcher's coverage says little, so ``OVERRULE_LONG`` is enough; a short slip of the
  recognizer ("too" for "skip", a partial result) still needs ``OVERRULE``.

When the matcher itself saw two intents named alike ("my neck and shoulders are tight"),
they stay each other's alternatives, so the coach asks.

Shaped for start-up time as the safety screen's likeness model is (voicecare/text_model.py,
which they share): scikit-learn takes seconds to import, so it is used only to fit
(classifier_fit.py). The fitted model is plain arrays (terms, IDF weights, coefficients, the
temperature), kept in the ``WeightsStore`` the understanding is given (in a real session the
user's cache, an ``.npz`` named by a hash of everything it was fitted from and the
scikit-learn version, no pickle); weights missing or unreadable are fitted again.
Prediction is a few lines of NumPy.
Deterministic: fixed seeds to fit, arithmetic to predict.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from voicecare.content.models import Library
from voicecare.matching.intents import COMMAND_PREFIX, NONE, Alternative, Match
from voicecare.matching.matcher import IntentMatcher
from voicecare.normalize import words
from voicecare.text_model import Terms, char_ngrams, word_ngrams

logger = logging.getLogger(__name__)

WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 4)
ACT = 0.7  # top probability at or above this: act on it
REJECT = 0.5  # below this: not understood
OVERRULE = 0.9  # what the matcher rejected is understood only this surely...
OVERRULE_LONG = 0.5  # ...or this surely in a sentence of at least LONG words
LONG = 4
ALTERNATIVE = 0.15  # an unsure match offers runners-up this likely
MOST_ALTERNATIVES = 2
SHORT_COMMAND = 2  # words: a command phrase this short is also learned said to other things


@dataclass(frozen=True)
class Weights:
    """The fitted model as plain arrays. ``scored``: the matcher's intents, in the order of
    the matcher-score columns that follow the n-gram columns (then one for its ``none``)."""

    classes: tuple[str, ...]
    scored: tuple[str, ...]
    word_terms: Terms
    char_terms: Terms
    coef: np.ndarray  # classes x (word + char + scored + 1 columns)
    intercept: np.ndarray
    temperature: float  # probabilities: softmax(temperature * decision values)

    def __post_init__(self) -> None:
        # One row per feature, contiguous: an utterance's few columns are gathered fast.
        object.__setattr__(self, "_by_feature", np.ascontiguousarray(self.coef.T))
        object.__setattr__(self, "_scored_column", {i: c for c, i in enumerate(self.scored)})

    def probabilities(
        self, said: str, matched: Match, ranked: Sequence[tuple[str, float]]
    ) -> np.ndarray:
        """Each class's probability (in ``classes`` order) for ``said`` (model_text)."""
        features = self.word_terms.features(word_ngrams(said, WORD_NGRAMS), 0)
        offset = len(self.word_terms.index)
        features |= self.char_terms.features(char_ngrams(said, CHAR_NGRAMS), offset)
        offset += len(self.char_terms.index)
        columns = list(features.keys())
        values = list(features.values())
        scored_column = self._scored_column  # type: ignore[attr-defined]
        for column, value in matcher_features(self.scored, matched, ranked, scored_column).items():
            columns.append(offset + column)
            values.append(value)
        decision = self.intercept.copy()
        if columns:
            rows = self._by_feature[np.asarray(columns, dtype=np.int64)]  # type: ignore[attr-defined]
            decision += np.asarray(values) @ rows
        logits = self.temperature * decision
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()


def matcher_features(
    scored: Sequence[str],
    matched: Match,
    ranked: Sequence[tuple[str, float]],
    column: Mapping[str, int] | None = None,
) -> dict[int, float]:
    """The matcher's view as sparse columns: each intent's score / 100, and 1 in the last
    column (``len(scored)``) when the matcher found nothing for it. ``column``: each of
    ``scored``'s index in it, if the caller keeps one."""
    if column is None:
        column = {intent: i for i, intent in enumerate(scored)}
    found = {column[i]: s / 100.0 for i, s in ranked if i in column and s > 0}
    if matched.intent == NONE:
        found[len(scored)] = 1.0
    return found


def model_text(text: str) -> str:
    return " ".join(words(text))


def training_set(library: Library) -> tuple[list[str], list[str]]:
    """Texts (model_text) and their intents: phrases, keywords, examples; out-of-domain
    examples as ``none``. Empty texts are left out."""
    from voicecare.matching.sources import intent_keywords, intent_phrases

    phrases = [(intent, " ".join(phrase)) for intent, phrase in intent_phrases(library)]
    pairs = list(phrases)
    pairs += [(intent, " ".join(keyword)) for intent, keyword in intent_keywords(library)]
    pairs += [(i, model_text(t)) for i, said in library.examples.intents.items() for t in said]
    pairs += [(NONE, model_text(t)) for t in library.examples.out_of_domain]
    pairs += _wrapped_commands(library, phrases)
    kept = [(intent, text) for intent, text in pairs if text]
    return [text for _, text in kept], [intent for intent, _ in kept]


def _wrapped_commands(
    library: Library, phrases: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Each command phrase once with an aside after it and once with one before it
    (examples.yaml ``asides``, taken in turn: deterministic), and the asides alone as
    ``none``: "hang on the kettles boiling" is still a pause. A short one is also learned
    said to one of ``other_things``, as ``none``: "pause the telly" is not for VoiceCare;
    and said to one of ``other_people``, as ``none``: "bye love" is said to someone else.
    ``phrases`` are the content's (intent, phrase text) pairs, as ``training_set`` has them."""
    asides = [a for a in (model_text(t) for t in library.examples.asides) if a]
    if not asides:
        return []
    commands = [(intent, text) for intent, text in phrases if intent.startswith(COMMAND_PREFIX)]
    things = [t for t in (model_text(t) for t in library.examples.other_things) if t]
    people = [t for t in (model_text(t) for t in library.examples.other_people) if t]
    pairs = [(NONE, a) for a in asides]
    for n, (intent, phrase) in enumerate(commands):
        after, before = asides[(2 * n) % len(asides)], asides[(2 * n + 1) % len(asides)]
        pairs += [(intent, f"{phrase} {after}"), (intent, f"{before} {phrase}")]
        if len(phrase.split()) <= SHORT_COMMAND:
            if things:
                pairs.append((NONE, f"{phrase} {things[n % len(things)]}"))
            if people:
                pairs.append((NONE, f"{phrase} {people[n % len(people)]}"))
    return pairs


class LearnedMatcher:
    """The matcher the understanding uses: the classifier, fed by the hand-tuned matcher.
    Same interface as :class:`IntentMatcher` (``match``, ``scores``, ``vocabulary``...)."""

    def __init__(self, matcher: IntentMatcher, weights: Weights) -> None:
        self.fuzzy = matcher
        self.settings = matcher.settings
        self.tuning = matcher.tuning
        self.intents = matcher.intents
        self._weights = weights
        self._none = weights.classes.index(NONE) if NONE in weights.classes else -1

    @property
    def vocabulary(self) -> tuple[str, ...]:
        return self.fuzzy.vocabulary

    def probabilities(self, text: str) -> list[tuple[str, float]]:
        """Every class (``none`` too) with its probability, best first."""
        said = model_text(text)
        if not said:
            return [(NONE, 1.0)]
        matched, ranked = self.fuzzy.analyse(text)
        p = self._weights.probabilities(said, matched, ranked)
        order = sorted(range(len(p)), key=lambda i: (-p[i], self._weights.classes[i]))
        return [(self._weights.classes[i], float(p[i])) for i in order]

    def scores(self, text: str) -> list[tuple[str, float]]:
        """Every intent (not ``none``) with its probability x 100, best first."""
        return [(i, 100.0 * p) for i, p in self.probabilities(text) if i != NONE and p > 0]

    def match(self, text: str) -> Match:
        tokens = words(text)
        said = " ".join(tokens)  # model_text(text)
        if not said:
            return Match(text=text, intent=NONE, score=0.0)
        matched, scores = self.fuzzy.analyse(text, tokens)
        p = self._weights.probabilities(said, matched, scores)
        classes = self._weights.classes
        # Most likely first, ties by name: sorting (-p, class) pairs compares no keys in Python.
        ordered = sorted(zip((-p).tolist(), classes, strict=True))
        ranked = [(intent, -minus) for minus, intent in ordered]
        top, chance = ranked[0]
        overrule = OVERRULE_LONG if len(tokens) >= LONG else OVERRULE
        doubted = matched.intent == NONE and chance < overrule  # the matcher found nothing
        if top == NONE or chance < REJECT or doubted:
            best = next((q for i, q in ranked if i != NONE), 0.0)
            return Match(text=text, intent=NONE, score=100.0 * best)
        likely = dict(ranked)
        others: list[str] = []
        if chance < ACT:
            others = [i for i, q in ranked[1:] if i != NONE and q >= ALTERNATIVE]
        # The matcher saw two intents named alike ("my neck and shoulders"): ask about both.
        tied = (matched.intent, *(a.intent for a in matched.alternatives))
        if matched.alternatives and top in tied:
            others = [i for i in tied if i != top] + [i for i in others if i not in tied]
        alternatives = tuple(
            Alternative(i, 100.0 * likely.get(i, 0.0)) for i in others[:MOST_ALTERNATIVES]
        )
        return Match(text=text, intent=top, score=100.0 * chance, alternatives=alternatives)
