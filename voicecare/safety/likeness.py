"""How much an utterance is like the red flags people said: the safety screen's second look.

The patterns of safety.yaml decide red flags; people keep finding new ways to say one ("mi
cyaan ketch mi breath", "went out like a light in the queue"). A linear model (scikit-learn's
LinearSVC over word 1-2-grams and character 2-5-grams, TF-IDF), trained on the labelled
phrasings of content/safety_phrasings.yaml, catches many of them. When no
pattern fired but the utterance is ``margin`` more like a sign than like everyday speech, the
screen returns a doubtful finding and the coach asks the sign's question; only an utterance
``act_above`` more like a sign is acted on at once. And when a pattern fired on an utterance
the model finds more like everyday speech (below ``doubt_below``), the coach asks first.

Shaped for start-up time: scikit-learn (and SciPy under it) takes seconds to import on two
cores, so it is used only to fit. The fitted model is exported to plain arrays (the terms,
their IDF weights, the classifier's weights) and kept in the ``WeightsStore`` it is given
(voicecare/text_model.py: this process's memory by default; the user's cache in a real
session, an ``.npz`` named by a hash of the phrasings), so this module does no file I/O;
prediction is a few lines of NumPy here. Weights missing or unreadable are fitted again.
Deterministic: a fixed seed to fit, and prediction is arithmetic.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from voicecare.content.models import SafetyPhrasings
from voicecare.normalize import words
from voicecare.text_model import (
    IN_MEMORY,
    Terms,
    WeightsStore,
    char_ngrams,
    fitted_or_kept,
    key_of,
    linear_arrays,
    linear_parts,
    word_ngrams,
)

logger = logging.getLogger(__name__)

NOT_A_RED_FLAG = "-"
MODEL_VERSION = 1  # bump when the features or the classifier change: old caches are refitted
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)


@dataclass(frozen=True)
class Likeness:
    sign: str
    margin: float  # the sign's score above the everyday class's


@dataclass(frozen=True)
class _Weights:
    classes: tuple[str, ...]
    word_terms: Terms
    char_terms: Terms
    coef: np.ndarray  # classes x (word columns + char columns)
    intercept: np.ndarray

    def scores(self, text: str) -> np.ndarray:
        features = self.word_terms.features(word_ngrams(text, WORD_NGRAMS), 0)
        chars = char_ngrams(text, CHAR_NGRAMS)
        features |= self.char_terms.features(chars, len(self.word_terms.index))
        if not features:
            return self.intercept.copy()
        columns = np.fromiter(features.keys(), dtype=np.int64)
        values = np.fromiter(features.values(), dtype=np.float64)
        return self.coef[:, columns] @ values + self.intercept


class LikenessModel:
    """``like(text)``: the red-flag sign ``text`` is most like, if it is like one enough."""

    def __init__(
        self,
        phrasings: SafetyPhrasings,
        everyday: Iterable[str] = (),
        store: WeightsStore | None = None,
    ) -> None:
        """``everyday``: more that is not a red flag (the content's own intent phrases);
        ``store``: where the fitted weights are kept (None: ``IN_MEMORY``)."""
        self.threshold = float(phrasings.margin)
        doubt, act = phrasings.doubt_below, phrasings.act_above
        self.doubt_below = float(doubt) if doubt is not None else None
        self.act_above = float(act) if act is not None else None
        more = tuple(dict.fromkeys(everyday))
        self._weights = trained(phrasings, more, store) if phrasings.red_flags else None

    def like(self, text: str) -> Likeness | None:
        """The sign ``text`` is most like, if it is ``margin`` more like it than everyday."""
        found = self.likeness(text)
        return found if found is not None and found.margin >= self.threshold else None

    def sure(self, found: Likeness) -> bool:
        """Is ``found`` so like its sign that it is acted on without asking?"""
        return self.act_above is not None and found.margin >= self.act_above

    def doubts(self, text: str) -> bool:
        """Is ``text``, which a pattern found a red flag in, too like everyday speech to act
        on at once ("I fainted with laughter")?"""
        found = self.likeness(text) if self.doubt_below is not None else None
        return found is not None and found.margin < self.doubt_below

    def likeness(self, text: str) -> Likeness | None:
        """The sign ``text`` is most like, and by how much more than like everyday speech
        (negative: more like everyday); None without a model or words."""
        weights = self._weights
        said = model_text(text)
        if weights is None or not said:
            return None
        scores = weights.scores(said)
        everyday = weights.classes.index(NOT_A_RED_FLAG)
        others = [i for i in range(len(weights.classes)) if i != everyday]
        best = max(others, key=lambda i: scores[i])
        return Likeness(sign=weights.classes[best], margin=float(scores[best] - scores[everyday]))


def model_text(text: str) -> str:
    return " ".join(words(text, drop_fillers=False))


def trained(
    phrasings: SafetyPhrasings, everyday: Sequence[str] = (), store: WeightsStore | None = None
) -> _Weights:
    """The model for these phrasings: kept in ``store`` (None: ``IN_MEMORY``), or
    fitted and kept there."""
    fitted_from = [
        MODEL_VERSION,
        sorted(phrasings.red_flags.items()),
        phrasings.not_red_flags,
        list(everyday),
    ]
    return fitted_or_kept(
        store if store is not None else IN_MEMORY,
        key_of("safety/likeness", fitted_from),
        fit=lambda: fit(phrasings, everyday),
        export=linear_arrays,
        restore=lambda saved: _Weights(**linear_parts(saved)),
    )


def training_set(
    phrasings: SafetyPhrasings, everyday: Sequence[str] = ()
) -> tuple[list[str], list[str]]:
    texts = [model_text(t) for t in (*phrasings.not_red_flags, *everyday)]
    labels = [NOT_A_RED_FLAG] * len(texts)
    for sign, said in sorted(phrasings.red_flags.items()):
        texts += [model_text(t) for t in said]
        labels += [sign] * len(said)
    return texts, labels


def fit(phrasings: SafetyPhrasings, everyday: Sequence[str] = ()) -> _Weights:
    """Fit with scikit-learn and export the weights (float32, as they are kept)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    texts, labels = training_set(phrasings, everyday)
    if len(set(labels)) < 2:
        raise ValueError("the likeness model needs red flags and everyday phrasings")
    by_words = TfidfVectorizer(analyzer="word", ngram_range=WORD_NGRAMS, sublinear_tf=True)
    by_chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True, min_df=2
    )
    features = hstack([by_words.fit_transform(texts), by_chars.fit_transform(texts)]).tocsr()
    classifier = LinearSVC(C=1.0, class_weight="balanced", random_state=0)
    classifier.fit(features, labels)
    logger.debug("likeness model: %d phrasings, %d signs", len(texts), len(set(labels)) - 1)
    return _Weights(
        classes=tuple(str(c) for c in classifier.classes_),
        word_terms=Terms.of(by_words),
        char_terms=Terms.of(by_chars),
        coef=classifier.coef_.astype(np.float32).astype(np.float64),
        intercept=classifier.intercept_.astype(np.float64),
    )
