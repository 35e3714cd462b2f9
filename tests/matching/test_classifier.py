"""The intent classifier: NumPy prediction from the exported weights is scikit-learn's, the
confidence bands, the cache, and what it learns from."""

from __future__ import annotations

import numpy as np
import pytest

from voicecare.matching import NONE, IntentMatcher, Match
from voicecare.matching import classifier_fit as fitting
from voicecare.matching.classifier import (
    CHAR_NGRAMS,
    SHORT_COMMAND,
    WORD_NGRAMS,
    LearnedMatcher,
    Weights,
    model_text,
    training_set,
)
from voicecare.matching.intents import WHERE
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.text_model import MemoryStore, Terms, char_ngrams, word_ngrams
from voicecare.understanding import Understanding, recognition_vocabulary

SAID = [
    "my neck is so stiff",
    "my soldiers are so tight",
    "next",
    "play some music",
    "pause the video",
    "what causes knots",
    "i have a knot",
    "thank you",
    "zzz qqq",
]


@pytest.fixture(scope="module")
def fit_of_library(library):
    matcher = IntentMatcher(library)
    texts, labels = training_set(library)
    return matcher, fitting.fitted(texts, labels, matcher)


def test_ngrams_are_scikit_learns():
    from sklearn.feature_extraction.text import TfidfVectorizer

    by_words = TfidfVectorizer(analyzer="word", ngram_range=WORD_NGRAMS).build_analyzer()
    by_chars = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS).build_analyzer()
    for text in [*SAID, "a", "i am ok", "lower back  pain"]:
        assert word_ngrams(text, WORD_NGRAMS) == by_words(text)
        assert char_ngrams(text, CHAR_NGRAMS) == by_chars(text)


def test_probabilities_are_scikit_learns(fit_of_library):
    matcher, (weights, model, features_of) = fit_of_library
    said = [model_text(t) for t in SAID]
    expected = model.predict_proba(features_of(said))
    assert list(model.classes_) == list(weights.classes)
    for text, row in zip(said, expected, strict=True):
        matched, ranked = matcher.analyse(text)
        assert np.allclose(weights.probabilities(text, matched, ranked), row, atol=1e-5)


def test_fitting_is_deterministic(library, fit_of_library):
    matcher, (weights, _, _) = fit_of_library
    texts, labels = training_set(library)
    again = fitting.fit(texts, labels, matcher)
    assert again.classes == weights.classes
    assert np.array_equal(again.coef, weights.coef)
    assert again.temperature == weights.temperature


def test_it_learns_from_examples_and_out_of_domain_speech(library):
    texts, labels = training_set(library)
    learned = dict(zip(texts, labels, strict=True))
    intent, said = next(iter(library.examples.intents.items()))
    assert learned[model_text(said[0])] == intent
    assert learned[model_text(library.examples.out_of_domain[0])] == NONE
    assert WHERE in labels


def test_examples_are_not_in_the_recognizers_language_model(library):
    from voicecare.content.models import Examples

    assert library.examples.intents
    without = library.model_copy(update={"examples": Examples()})
    assert recognition_vocabulary(library) == recognition_vocabulary(without)


def _weights(intercept: list[float]) -> Weights:
    """Three classes whose probabilities are softmax(intercept), whatever is said."""
    return Weights(
        classes=("command:next", "command:skip", NONE),
        scored=(),
        word_terms=Terms(index={}, idf=np.zeros(0)),
        char_terms=Terms(index={}, idf=np.zeros(0)),
        coef=np.zeros((3, 1)),
        intercept=np.array(intercept),
        temperature=1.0,
    )


def _match(library, intercept: list[float], text: str = "next") -> Match:
    learned = LearnedMatcher(IntentMatcher(library), _weights(intercept))
    return learned.match(text)


def test_confident_acts_unsure_asks_low_rejects(library):
    confident = _match(library, [np.log(0.8), np.log(0.15), np.log(0.05)])
    assert (confident.intent, confident.alternatives) == ("command:next", ())
    assert confident.score == pytest.approx(80.0)
    unsure = _match(library, [np.log(0.55), np.log(0.4), np.log(0.05)])
    assert unsure.intent == "command:next"
    assert [a.intent for a in unsure.alternatives] == ["command:skip"]
    low = _match(library, [np.log(0.35), np.log(0.33), np.log(0.32)])
    assert low.intent == NONE
    out_of_domain = _match(library, [np.log(0.3), np.log(0.1), np.log(0.6)])
    assert out_of_domain.intent == NONE


def test_commands_are_learned_wrapped_in_asides_and_said_to_other_things(library):
    """examples.yaml ``asides``, ``other_things`` and ``other_people``: every command phrase
    once with an aside after it and once before it; a short one also said to another thing
    and to another person, as none."""
    from voicecare.matching.sources import intent_phrases

    pairs = set(zip(*training_set(library), strict=True))
    asides = [model_text(a) for a in library.examples.asides]
    things = [model_text(t) for t in library.examples.other_things]
    people = [model_text(t) for t in library.examples.other_people]
    commands = [(i, " ".join(p)) for i, p in intent_phrases(library) if i.startswith("command:")]
    intent, phrase = commands[0]  # the first command phrase, and its two asides in turn
    assert (f"{phrase} {asides[0]}", intent) in pairs
    assert (f"{asides[1]} {phrase}", intent) in pairs
    assert (f"{phrase} {things[0]}", NONE) in pairs and len(phrase.split()) <= SHORT_COMMAND
    assert (f"{phrase} {people[0]}", NONE) in pairs
    assert all((a, NONE) in pairs for a in asides)
    bare = library.model_copy(
        update={"examples": library.examples.model_copy(update={"asides": ()})}
    )
    assert len(training_set(bare)[0]) < len(pairs)


def test_a_wrapped_command_is_understood_and_one_said_to_the_telly_is_not(understanding):
    assert understanding.match("hang on a sec the baby's crying").intent == "command:pause"
    assert understanding.match("pause the telly").intent == NONE


def test_what_the_matcher_rejects_needs_a_surer_model(library):
    assert IntentMatcher(library).match("toaster oven").intent == NONE
    fairly_sure = [np.log(0.8), np.log(0.15), np.log(0.05)]
    assert _match(library, fairly_sure, "toaster oven").intent == NONE
    very_sure = [np.log(0.95), np.log(0.04), np.log(0.01)]
    assert _match(library, very_sure, "toaster oven").intent == "command:next"


def test_the_whole_understanding_uses_it(understanding):
    assert isinstance(understanding.matcher, LearnedMatcher)
    assert understanding.match("my soldiers are so tight").intent == "routine:shoulders"
    assert understanding.match("pause the video").intent == NONE
    assert understanding.match("").intent == NONE


def test_a_kept_model_is_read_back_and_a_broken_one_fitted_again(library, fit_of_library, tmp_path):
    matcher, (weights, _, _) = fit_of_library
    store = CachedWeights(tmp_path)
    fitting.learned_matcher(library, matcher, store)
    [kept] = (tmp_path / "matching").glob("intents-*.npz")
    key = f"matching/{kept.stem}"
    read = fitting.restore(store.read(key))
    assert read.classes == weights.classes and read.scored == weights.scored
    assert np.array_equal(read.coef, weights.coef) and read.temperature == weights.temperature
    kept.write_bytes(b"not a model")
    assert store.read(key) is None
    again = fitting.learned_matcher(library, matcher, store)
    assert again.match("next").intent == "command:next"
    assert fitting.restore(store.read(key)).classes == weights.classes  # fitted again, kept


def test_arrays_of_another_shape_are_fitted_again_not_an_error(library, fit_of_library):
    matcher, (weights, _, _) = fit_of_library
    store = MemoryStore()
    texts, labels = training_set(library)
    key = fitting.key(texts, labels, matcher)
    store.keep(key, {"classes": np.array(["a"])})  # another version's arrays
    again = fitting.learned_matcher(library, matcher, store)
    assert again.match("next").intent == "command:next"
    assert fitting.restore(store.read(key)).classes == weights.classes  # fitted, kept


def test_the_matcher_alone_is_still_there(library):
    from voicecare.settings import MatcherSettings

    alone = Understanding(library, MatcherSettings(learned=False))
    assert isinstance(alone.matcher, IntentMatcher)
    assert alone.match("next").intent == "command:next"
