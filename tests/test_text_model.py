"""The n-grams and TF-IDF features of an exported linear text model are scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest

from voicecare.text_model import Terms, char_ngrams, keep_arrays, read_arrays, word_ngrams

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


def test_kept_arrays_read_back_and_a_broken_file_is_none(tmp_path):
    terms = Terms(index={"numb": 1, "arm": 0}, idf=np.array([1.5, 2.0]))
    path = tmp_path / "model.npz"
    keep_arrays(path, terms=terms.ordered(), idf=terms.idf)
    saved = read_arrays(path)
    read_back = Terms.kept(saved["terms"], saved["idf"])
    assert read_back.index == terms.index and np.array_equal(read_back.idf, terms.idf)
    assert read_arrays(tmp_path / "missing.npz") is None
    path.write_bytes(b"not arrays")
    assert read_arrays(path) is None
