"""Fitting the intent classifier (classifier.py) with scikit-learn, and keeping it.

``learned_matcher(library, matcher, store)`` is what the understanding calls: the fitted
weights come from the ``WeightsStore`` it is given (voicecare/text_model.py: this process's
memory by default; in a real session the user's cache, an ``.npz`` of plain arrays), keyed by
a hash of the training set, the matcher's tuning, the model's version and scikit-learn's, or
are fitted and kept there. No file I/O here; scikit-learn is imported only to fit. Weights
that cannot be read or kept cost a fit, never an error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import Any

import numpy as np

from voicecare.content.models import Library
from voicecare.matching.classifier import (
    CHAR_NGRAMS,
    WORD_NGRAMS,
    LearnedMatcher,
    Weights,
    matcher_features,
    training_set,
)
from voicecare.matching.matcher import IntentMatcher
from voicecare.text_model import (
    IN_MEMORY,
    Arrays,
    Terms,
    WeightsStore,
    fitted_or_kept,
    key_of,
    linear_arrays,
    linear_parts,
)

logger = logging.getLogger(__name__)

MODEL_VERSION = 1  # bump when features, model or fitting change: old caches are refitted
SVM_C = 0.5
CHAR_MIN_DF = 2
CALIBRATION_FOLDS = 3


def learned_matcher(
    library: Library, matcher: IntentMatcher, store: WeightsStore | None = None
) -> LearnedMatcher:
    """The classifier fed by ``matcher``, its weights kept in ``store`` (None:
    ``IN_MEMORY``) or fitted and kept there."""
    texts, labels = training_set(library)
    weights = fitted_or_kept(
        store if store is not None else IN_MEMORY,
        key(texts, labels, matcher),
        fit=lambda: fit(texts, labels, matcher),
        export=export,
        restore=restore,
    )
    return LearnedMatcher(matcher, weights)


def fit(texts: Sequence[str], labels: Sequence[str], matcher: IntentMatcher) -> Weights:
    """Fit with scikit-learn and export the weights (float32, as they are kept)."""
    return fitted(texts, labels, matcher)[0]


def fitted(
    texts: Sequence[str], labels: Sequence[str], matcher: IntentMatcher
) -> tuple[Weights, Any, Callable[[Sequence[str]], Any]]:
    """The exported weights, the scikit-learn model they came from, and its features of
    texts (so a test can hold the two side by side)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import LinearSVC

    scored = tuple(matcher.intents)
    by_words = TfidfVectorizer(analyzer="word", ngram_range=WORD_NGRAMS, sublinear_tf=True)
    by_chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True, min_df=CHAR_MIN_DF
    )
    by_words.fit(texts)
    by_chars.fit(texts)

    def features_of(said: Sequence[str]) -> Any:
        rows, columns, values = [], [], []
        for row, text in enumerate(said):
            matched, ranked = matcher.analyse(text)
            for column, value in matcher_features(scored, matched, ranked).items():
                rows.append(row)
                columns.append(column)
                values.append(value)
        by_matcher = csr_matrix((values, (rows, columns)), shape=(len(said), len(scored) + 1))
        return hstack([by_words.transform(said), by_chars.transform(said), by_matcher]).tocsr()

    features = features_of(texts)
    svm = LinearSVC(C=SVM_C, random_state=0)
    smallest = min(labels.count(label) for label in set(labels))
    folds = min(CALIBRATION_FOLDS, smallest)
    temperature = 1.0
    model: Any = svm
    if folds >= 2:
        calibrated = CalibratedClassifierCV(
            svm,
            method="temperature",
            cv=StratifiedKFold(folds, shuffle=True, random_state=0),
            ensemble=False,
        ).fit(features, list(labels))
        model = calibrated
        pair = calibrated.calibrated_classifiers_[0]
        svm, temperature = pair.estimator, float(pair.calibrators[0].beta_)
        classes = tuple(str(c) for c in calibrated.classes_)
    else:  # too few examples of some intent to calibrate on held-out folds
        svm.fit(features, list(labels))
        classes = tuple(str(c) for c in svm.classes_)
    logger.debug("intent classifier: %d texts, %d classes", len(texts), len(classes))
    weights = Weights(
        classes=classes,
        scored=scored,
        word_terms=Terms.of(by_words),
        char_terms=Terms.of(by_chars),
        coef=svm.coef_.astype(np.float32).astype(np.float64),
        intercept=svm.intercept_.astype(np.float64),
        temperature=temperature,
    )
    return weights, model, features_of


def key(texts: Sequence[str], labels: Sequence[str], matcher: IntentMatcher) -> str:
    """The store's key of the weights fitted from these."""
    try:
        sklearn_version = metadata.version("scikit-learn")
    except metadata.PackageNotFoundError:
        sklearn_version = "none"
    fitted_from = [
        MODEL_VERSION,
        sklearn_version,
        list(texts),
        list(labels),
        list(matcher.intents),
        repr(matcher.tuning),
        repr(matcher.settings),
    ]
    return key_of("matching/intents", fitted_from)


def export(weights: Weights) -> Arrays:
    """The arrays ``weights`` are kept as."""
    return {
        **linear_arrays(weights),
        "scored": np.array(weights.scored),
        "temperature": np.array(weights.temperature),
    }


def restore(saved: Arrays) -> Weights:
    """``export``'s arrays read back (KeyError, ValueError...: arrays of another shape)."""
    return Weights(
        **linear_parts(saved),
        scored=tuple(str(c) for c in saved["scored"]),
        temperature=float(saved["temperature"]),
    )
