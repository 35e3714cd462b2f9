"""The n-grams and TF-IDF features of an exported linear text model are scikit-learn's; the
fitted-weights stores and the one fit-or-read path."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from voicecare.text_model import (
    MemoryStore,
    Terms,
    char_ngrams,
    fitted_or_kept,
    key_of,
    linear_arrays,
    linear_parts,
    word_ngrams,
)

TEXTS = ["my arm is numb", "a", "I can't feel my legs at all", "x yz  legs legs", "ok"]


@pytest.mark.parametrize(("analyzer", "ngrams"), [("word", (1, 2)), ("char_wb", (2, 5))])
def test_n_grams_and_features_are_scikit_learn_s(analyzer, ngrams):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True)
    expected = vectorizer.fit_transform(TEXTS).toarray()
    grams = word_ngrams if analyzer == "word" else char_ngrams
    assert sorted(vectorizer.build_analyzer()(TEXTS[2])) == sorted(grams(TEXTS[2], ngrams))
    terms = Terms.of(vectorizer)
    for row, text in zip(expected, TEXTS, strict=True):
        ours = np.zeros(len(terms.index))
        for column, value in terms.features(grams(text, ngrams), 0).items():
            ours[column] = value
        assert np.allclose(ours, row)


@dataclass(frozen=True)
class _Linear:
    classes: tuple[str, ...]
    word_terms: Terms
    char_terms: Terms
    coef: np.ndarray
    intercept: np.ndarray


def _linear() -> _Linear:
    return _Linear(
        classes=("-", "numbness"),
        word_terms=Terms(index={"numb": 1, "arm": 0}, idf=np.array([1.5, 2.0])),
        char_terms=Terms(index={" a": 0}, idf=np.array([1.25])),
        coef=np.array([[0.5, -1.0, 0.25], [-0.5, 1.0, 0.125]]),
        intercept=np.array([0.1, -0.1]),
    )


def _restore(saved):
    return _Linear(**linear_parts(saved))


def test_a_linear_model_s_arrays_read_back_as_it_was():
    model = _linear()
    back = _restore(linear_arrays(model))
    assert back.classes == model.classes and back.word_terms.index == model.word_terms.index
    assert np.array_equal(back.char_terms.idf, model.char_terms.idf)
    assert np.array_equal(back.coef, model.coef) and back.coef.dtype == np.float64


def test_fitted_once_then_read_from_the_store():
    store = MemoryStore()
    fits = []

    def fit():
        fits.append(1)
        return _linear()

    first = fitted_or_kept(store, "test/model-1", fit, linear_arrays, _restore)
    again = fitted_or_kept(store, "test/model-1", fit, linear_arrays, _restore)
    assert len(fits) == 1 and again is not first and again.classes == first.classes
    store.keep("test/model-1", {"classes": np.array(["-"])})  # another version's arrays
    fitted_or_kept(store, "test/model-1", fit, linear_arrays, _restore)
    assert len(fits) == 2 and set(store.read("test/model-1")) >= {"coef", "word_idf"}


def test_a_key_names_what_the_weights_were_fitted_from():
    key = key_of("safety/likeness", [1, ["a", "b"]])
    assert key.startswith("safety/likeness-") and len(key) == len("safety/likeness-") + 20
    assert key == key_of("safety/likeness", [1, ("a", "b")])
    assert key != key_of("safety/likeness", [2, ["a", "b"]])
