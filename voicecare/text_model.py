"""Linear text models as plain arrays: what the safety screen's likeness model and the intent
classifier share.

Both are fitted with scikit-learn (TF-IDF over word and character n-grams, a linear
classifier) and then exported to plain arrays, because importing scikit-learn and SciPy takes
seconds on two cores and prediction needs neither: a term -> column index with each column's
IDF (``Terms``), the n-grams scikit-learn would make of a text, and the arrays kept in the
user's cache as an ``.npz`` (no pickle) written whole or not at all. On the bottom floor so
that core packages which may not import each other (safety, matching) share one copy.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicecare.cache import write_atomically

logger = logging.getLogger(__name__)

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


@dataclass(frozen=True)
class Terms:
    """One TF-IDF vectorizer, exported: term -> column, and each column's IDF."""

    index: dict[str, int]
    idf: np.ndarray

    def features(self, terms: Iterable[str], offset: int) -> dict[int, float]:
        """Sublinear TF times IDF, L2-normalised, as scikit-learn computes them, in columns
        from ``offset``."""
        counts = Counter(t for t in terms if t in self.index)
        values = {
            offset + self.index[t]: (1.0 + math.log(n)) * float(self.idf[self.index[t]])
            for t, n in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in values.values()))
        return {k: v / norm for k, v in values.items()} if norm else {}

    def ordered(self) -> np.ndarray:
        """The terms in column order (to keep them)."""
        ordered = [""] * len(self.index)
        for term, column in self.index.items():
            ordered[column] = term
        return np.array(ordered)

    @classmethod
    def kept(cls, terms: np.ndarray, idf: np.ndarray) -> Terms:
        """From the arrays ``ordered`` and ``idf`` were kept as."""
        return cls(index={str(t): i for i, t in enumerate(terms)}, idf=idf.astype(np.float64))

    @classmethod
    def of(cls, vectorizer: object) -> Terms:
        """From a fitted scikit-learn TfidfVectorizer."""
        vocabulary: dict[str, int] = vectorizer.vocabulary_  # type: ignore[attr-defined]
        idf = np.asarray(vectorizer.idf_)  # type: ignore[attr-defined]
        return cls(index={str(t): int(i) for t, i in vocabulary.items()}, idf=idf)


def word_ngrams(text: str, ngrams: tuple[int, int]) -> list[str]:
    """scikit-learn's ``word`` analyzer: tokens of two or more word characters, joined."""
    tokens = _TOKEN.findall(text.lower())
    low, high = ngrams
    return [
        " ".join(tokens[i : i + n])
        for n in range(low, high + 1)
        for i in range(len(tokens) - n + 1)
    ]


def char_ngrams(text: str, ngrams: tuple[int, int]) -> list[str]:
    """scikit-learn's ``char_wb``: n-grams inside each word padded with one space."""
    low, high = ngrams
    grams = []
    for word in text.lower().split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) <= n:
                grams.append(padded)  # a word no longer than n counts once, whole
                break
            grams += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return grams


def read_arrays(path: Path) -> dict[str, np.ndarray] | None:
    """The arrays kept at ``path``; None if there are none or they cannot be read (the
    caller fits again)."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            return {name: saved[name] for name in saved.files}
    except FileNotFoundError:
        return None
    except Exception as problem:  # a broken or foreign file
        logger.debug("%s unreadable (%s): fitting again", path, problem)
        return None


def keep_arrays(path: Path, **arrays: np.ndarray) -> None:
    """Keep ``arrays`` at ``path``, whole or not at all; a cache that cannot be written is
    only logged (the model is fitted again next time)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        write_atomically(path, buffer.getvalue())
    except OSError as problem:
        logger.debug("%s not kept: %s", path, problem)
