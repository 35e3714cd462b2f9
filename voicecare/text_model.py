"""Linear text models as plain arrays: what the safety screen's likeness model and the intent
classifier share.

Both are fitted with scikit-learn (TF-IDF over word and character n-grams, a linear
classifier) and then exported to plain arrays, because importing scikit-learn and SciPy takes
seconds on two cores and prediction needs neither: a term -> column index with each column's
IDF (``Terms``), the n-grams scikit-learn would make of a text, and the fitted arrays.

Where the arrays are kept between fits is not the core's business: a ``WeightsStore`` is
handed in (``read(key)``, ``keep(key, arrays)``). The default is ``IN_MEMORY``, this
process's, so pure use and tests touch no file; a real session's shell passes one that keeps
them in the user's cache (voicecare/shell/fitted_weights.py), so start-up reads instead of
fitting. ``fitted_or_kept`` is the one fit-or-read path both models take; the arrays kept
hold exactly what was fitted, so results never depend on the store. On the bottom floor so
that core packages which may not import each other (safety, matching) share one copy.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import numpy as np

logger = logging.getLogger(__name__)

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


@dataclass(frozen=True)
class Terms:
    """One TF-IDF vectorizer, exported: term -> column, and each column's IDF."""

    index: dict[str, int]
    idf: np.ndarray

    def __post_init__(self) -> None:
        # The IDF as Python floats: features() reads a few per text, and NumPy scalars are slow.
        object.__setattr__(self, "_idf", self.idf.tolist())

    def features(self, terms: Iterable[str], offset: int) -> dict[int, float]:
        """Sublinear TF times IDF, L2-normalised, as scikit-learn computes them, in columns
        from ``offset`` (in the order the terms first occur)."""
        counts = Counter(map(self.index.get, terms))  # each known term's column, counted
        counts.pop(None, None)  # the unknown terms
        idf: list[float] = self._idf  # type: ignore[attr-defined]
        values = {
            offset + column: (1.0 + math.log(n)) * idf[column]
            for column, n in counts.items()  # type: ignore[misc]
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


Arrays = dict[str, np.ndarray]
W = TypeVar("W")


class WeightsStore(Protocol):
    """Where fitted weights are kept between fits: named arrays by key (``key_of``)."""

    def read(self, key: str) -> Arrays | None:
        """The arrays kept under ``key``; None if there are none or they cannot be read."""
        ...

    def keep(self, key: str, arrays: Mapping[str, np.ndarray]) -> None:
        """Keep ``arrays`` under ``key``; a store that cannot keep them only logs it."""
        ...


class MemoryStore:
    """Weights kept in this process only (the default: no file is touched)."""

    def __init__(self) -> None:
        self._kept: dict[str, Arrays] = {}

    def read(self, key: str) -> Arrays | None:
        kept = self._kept.get(key)
        return dict(kept) if kept is not None else None

    def keep(self, key: str, arrays: Mapping[str, np.ndarray]) -> None:
        self._kept[key] = dict(arrays)

    def keys_kept(self) -> list[str]:
        """The keys of the weights kept, in the order they were first kept."""
        return list(self._kept)


IN_MEMORY = MemoryStore()  # the store of a model built without one: this process's memory


def key_of(name: str, fitted_from: object) -> str:
    """``name``-hash: the key of weights fitted from ``fitted_from`` (JSON-able: everything
    the fit depends on, the model's version too). ``name`` may hold one ``/`` (a folder)."""
    digest = hashlib.sha256(json.dumps(fitted_from, sort_keys=True).encode()).hexdigest()
    return f"{name}-{digest[:20]}"


def fitted_or_kept(
    store: WeightsStore,
    key: str,
    fit: Callable[[], W],
    export: Callable[[W], Arrays],
    restore: Callable[[Arrays], W],
) -> W:
    """The weights kept in ``store`` under ``key``, restored; else ``fit()``, kept there.
    Arrays of another shape (another version's) are fitted again, never an error."""
    saved = store.read(key)
    if saved is not None:
        try:
            return restore(saved)
        except (KeyError, ValueError, TypeError, IndexError) as problem:
            logger.debug("weights %s unusable (%s): fitting again", key, problem)
    weights = fit()
    store.keep(key, export(weights))
    return weights


def linear_arrays(weights: Any) -> Arrays:
    """The arrays of a fitted linear model's common parts (``classes``, ``word_terms``,
    ``char_terms``, ``coef``, ``intercept``), as they are kept: coef as float32, which is
    what fitting already rounded it to."""
    return {
        "classes": np.array(weights.classes),
        "word_terms": weights.word_terms.ordered(),
        "word_idf": weights.word_terms.idf,
        "char_terms": weights.char_terms.ordered(),
        "char_idf": weights.char_terms.idf,
        "coef": weights.coef.astype(np.float32),
        "intercept": weights.intercept,
    }


def linear_parts(saved: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """``linear_arrays`` read back: the common parts as keyword arguments."""
    return {
        "classes": tuple(str(c) for c in saved["classes"]),
        "word_terms": Terms.kept(saved["word_terms"], saved["word_idf"]),
        "char_terms": Terms.kept(saved["char_terms"], saved["char_idf"]),
        "coef": saved["coef"].astype(np.float64),
        "intercept": saved["intercept"].astype(np.float64),
    }
