"""The likeness model: the safety screen's second look, which asks and never acts."""

from __future__ import annotations

import numpy as np
import pytest

from voicecare.content import load_library
from voicecare.errors import ContentError
from voicecare.matching.intents import RED_FLAGS
from voicecare.safety import SafetyScreen, likeness
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.text_model import MemoryStore


def test_the_exported_model_scores_as_scikit_learn_does(library):
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    phrasings = library.safety_phrasings
    texts, labels = likeness.training_set(phrasings)
    by_words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)
    by_chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    features = hstack([by_words.fit_transform(texts), by_chars.fit_transform(texts)]).tocsr()
    reference = LinearSVC(C=1.0, class_weight="balanced", random_state=0).fit(features, labels)
    probes = [
        likeness.model_text(t)
        for t in ["mi cyaan ketch mi breath", "a", "next", "zzzz qq", "I've had pins & needles"]
    ]
    expected = reference.decision_function(
        hstack([by_words.transform(probes), by_chars.transform(probes)]).tocsr()
    )
    weights = likeness.fit(phrasings)
    assert weights.classes == tuple(reference.classes_)
    ours = np.array([weights.scores(p) for p in probes])
    assert np.abs(ours - expected).max() < 1e-4


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("my arm's gone all wobbly and useless-ish", "weakness"),
        ("my ticker is going like the clappers and my chest is odd", "chest-pain"),
        ("everything's gone blurry in one eye all of a sudden", "stroke"),
    ],
)
def test_a_new_way_of_saying_a_red_flag_much_like_those_people_said_is_acted_on(
    understanding, text, sign
):
    # No pattern of safety.yaml fires on these...
    assert SafetyScreen(understanding.library.safety.red_flags).check(text) is None
    # ... but they are very much like what people said: acted on as a pattern's would be.
    match = understanding.match(text)
    assert match.intent == RED_FLAGS and match.sign == sign and not match.doubtful


# Utterances no pattern fires on, some of them somewhat like a red flag; which of them lie in
# the band where the coach asks (margin up to act_above) moves as the phrasings grow.
SOMEWHAT_LIKE = [
    "my legs went to jelly and down I went",
    "my arm is being weird",
    "i feel a bit off and wobbly",
    "my hand is not doing what I tell it",
    "I sort of went down on the floor",
    "my chest is a bit funny",
]


def test_one_only_somewhat_like_a_red_flag_is_asked_about(understanding):
    patterns = SafetyScreen(understanding.library.safety.red_flags)
    likeness = understanding.safety.likeness
    asking_band = [
        text
        for text in SOMEWHAT_LIKE
        if patterns.check(text) is None
        and (like := likeness.like(text)) is not None
        and not likeness.sure(like)
    ]
    assert asking_band, "no utterance of SOMEWHAT_LIKE is in the asking band any more: add one"
    for text in asking_band:
        match = understanding.match(text)
        assert match.intent == RED_FLAGS and match.doubtful and match.heard_as is None, text


def test_what_the_content_itself_says_is_never_asked_about(understanding):
    library = understanding.library
    said = [p for r in library.routines for p in r.phrases]
    said += [p for t in library.topics for p in t.phrases]
    said += [p for c in library.commands for p in c.phrases]
    asked = [text for text in said if understanding.safety.check(text) is not None]
    assert asked == []


def test_a_recognizer_s_next_guesses_are_not_guessed_about(understanding):
    text = "my arm's gone all wobbly and useless-ish"
    assert understanding.safety.check(text, guess=False) is None
    match = understanding.match("thank you", alternatives=[text])
    assert match.intent != RED_FLAGS


def test_a_broken_kept_model_is_fitted_again(library, tmp_path):
    store = CachedWeights(tmp_path)
    first = likeness.LikenessModel(library.safety_phrasings, store=store)
    kept = list((tmp_path / "safety").glob("likeness-*.npz"))
    assert len(kept) == 1
    kept[0].write_bytes(b"not a model")
    again = likeness.LikenessModel(library.safety_phrasings, store=store)
    text = "my arm's gone all wobbly and useless-ish"
    assert again.like(text) == first.like(text) and again.like(text) is not None
    assert store.read(f"safety/{kept[0].stem}") is not None  # fitted again and kept
    read_back = likeness.LikenessModel(library.safety_phrasings, store=store)
    assert read_back.like(text) == first.like(text)


def test_weights_read_back_score_exactly_as_fitted(library):
    kept = MemoryStore()
    fitted = likeness.trained(library.safety_phrasings, store=kept)  # fitted and kept
    read = likeness.trained(library.safety_phrasings, store=kept)
    assert read is not fitted and read.classes == fitted.classes
    for text in ["mi cyaan ketch mi breath", "next", "I fainted with laughter"]:
        assert np.array_equal(read.scores(text), fitted.scores(text))


def test_phrasings_of_an_unknown_sign_are_a_content_problem(content_copy):
    path = content_copy / "safety_phrasings.yaml"
    path.write_text(path.read_text().replace("  numbness:\n", "  numbnes:\n", 1))
    with pytest.raises(ContentError) as raised:
        load_library(content_copy)
    assert "safety_phrasings.yaml: red_flags: numbnes: no such sign in safety.yaml" in str(
        raised.value
    )


def test_without_phrasings_the_screen_has_patterns_only(content_copy):
    (content_copy / "safety_phrasings.yaml").unlink()
    library = load_library(content_copy)
    screen = SafetyScreen(library.safety.red_flags, phrasings=library.safety_phrasings)
    assert screen.check("my arm's gone all wobbly and useless-ish") is None
    assert screen.check("I passed out") is not None


@pytest.mark.parametrize(
    ("text", "sign"),
    [("that workout knocked me out", "head-injury"), ("I stumbled on a great recipe", "injury")],
)
def test_a_pattern_s_red_flag_said_like_everyday_speech_is_asked_about(understanding, text, sign):
    patterns_only = SafetyScreen(understanding.library.safety.red_flags)
    assert patterns_only.check(text).certain
    finding = understanding.safety.check(text)
    assert finding.sign == sign and not finding.certain and finding.heard_as is None


def test_the_content_s_own_red_flag_examples_are_acted_on_at_once(understanding):
    for sign in understanding.library.safety.red_flags.signs:
        for example in sign.examples:
            finding = understanding.safety.check(example)
            assert finding is not None and finding.certain and finding.sign == sign.id, example


@pytest.mark.parametrize(
    "text", ["there is no numbness in my toes at all", "i have not got any tingling in my fingers"]
)
def test_a_negated_sign_much_like_a_red_flag_is_at_most_asked_about(understanding, text):
    # the likeness model reads the words, not their negation: it is sure of numbness here
    assert understanding.safety.likeness.sure(understanding.safety.likeness.like(text))
    finding = understanding.safety.check(text)
    assert finding is None or not finding.certain, finding


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("the knot is loosening nicely but my arm is weak", "weakness"),
        ("the shoulder is much less sore now but i feel dizzy", "dizziness"),
    ],
)
def test_a_red_flag_after_but_is_judged_on_its_own_clause(understanding, text, sign):
    # judged whole, the everyday words before "but" made these doubtful (asked about)
    finding = understanding.safety.check(text)
    assert finding is not None and finding.certain and finding.sign == sign, finding
