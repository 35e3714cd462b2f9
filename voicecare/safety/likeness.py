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
their IDF weights, the classifier's weights) and kept in the user's cache as an ``.npz``
named by a hash of the phrasings (no pickle); prediction is a few lines of NumPy here. A
cache that is missing or unreadable is fitted again. Deterministic: a fixed seed to fit, and
prediction is arithmetic.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicecare.cache import user_cache_path
from voicecare.content.models import SafetyPhrasings
from voicecare.normalize import words
from voicecare.text_model import Terms, char_ngrams, keep_arrays, read_arrays, word_ngrams

logger = logging.getLogger(__name__)

NOT_A_RED_FLAG = "-"
MODEL_VERSION = 1  # bump when the features or the classifier change: old caches are refitted
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
_TRAINED: dict[str, _Weights] = {}


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

    def __init__(self, phrasings: SafetyPhrasings, everyday: Iterable[str] = ()) -> None:
        """``everyday``: more that is not a red flag (the content's own intent phrases)."""
        self.threshold = float(phrasings.margin)
        doubt, act = phrasings.doubt_below, phrasings.act_above
        self.doubt_below = float(doubt) if doubt is not None else None
        self.act_above = float(act) if act is not None else None
        more = tuple(dict.fromkeys(everyday))
        self._weights = trained(phrasings, more) if phrasings.red_flags else None

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


def trained(phrasings: SafetyPhrasings, everyday: Sequence[str] = ()) -> _Weights:
    """The model for these phrasings: from this process, the user's cache, or fitted."""
    key = hashlib.sha256(
        json.dumps(
            [
                MODEL_VERSION,
                sorted(phrasings.red_flags.items()),
                phrasings.not_red_flags,
                list(everyday),
            ],
            sort_keys=True,
        ).encode()
    ).hexdigest()[:20]
    if key not in _TRAINED:
        path = user_cache_path("safety") / f"likeness-{key}.npz"
        _TRAINED[key] = _read(path) or _fit_and_keep(phrasings, everyday, path)
    return _TRAINED[key]


def _read(path: Path) -> _Weights | None:
    saved = read_arrays(path)
    try:
        return (
            _Weights(
                classes=tuple(str(c) for c in saved["classes"]),
                word_terms=Terms.kept(saved["word_terms"], saved["word_idf"]),
                char_terms=Terms.kept(saved["char_terms"], saved["char_idf"]),
                coef=saved["coef"].astype(np.float64),
                intercept=saved["intercept"].astype(np.float64),
            )
            if saved is not None
            else None
        )
    except KeyError:  # kept by another version: fit again
        return None


def _fit_and_keep(phrasings: SafetyPhrasings, everyday: Sequence[str], path: Path) -> _Weights:
    weights = fit(phrasings, everyday)
    keep_arrays(
        path,
        classes=np.array(weights.classes),
        word_terms=weights.word_terms.ordered(),
        word_idf=weights.word_terms.idf,
        char_terms=weights.char_terms.ordered(),
        char_idf=weights.char_terms.idf,
        coef=weights.coef.astype(np.float32),
        intercept=weights.intercept,
    )
    return weights


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
