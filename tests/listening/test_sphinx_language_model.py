"""The language model and dictionary files built for PocketSphinx: a well-formed ARPA model
whose probabilities add up, pronunciations from the real dictionary, and a cache that is
reused for the same content and rebuilt for different content."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from voicecare.listening.sphinx_language_model import (
    END,
    FILLER_WORDS,
    START,
    build_arpa,
    prepare_model_files,
    pronunciations,
    spoken_forms,
)
from voicecare.listening.sphinx_pronunciations import SUPPLEMENT

pocketsphinx = pytest.importorskip("pocketsphinx")
SENTENCES = [
    ("my", "neck", "is", "stiff"),
    ("my", "neck", "hurts"),
    ("stop",),
    ("next", "one"),
    ("there", "is", "a", "knot", "in", "my", "shoulder"),
]


@pytest.fixture(scope="module")
def source_dictionary() -> Path:
    return Path(pocketsphinx.get_model_path("en-us/cmudict-en-us.dict"))


def parse_arpa(text: str) -> tuple[dict[int, int], dict[tuple[str, ...], tuple[float, float]]]:
    """Declared counts per order, and every n-gram's (log10 prob, log10 back-off)."""
    declared: dict[int, int] = {}
    grams: dict[tuple[str, ...], tuple[float, float]] = {}
    for line in text.splitlines():
        if line.startswith("ngram "):
            order, count = line[6:].split("=")
            declared[int(order)] = int(count)
        elif "\t" in line:
            fields = line.split("\t")
            backoff = float(fields[2]) if len(fields) > 2 else 0.0
            grams[tuple(fields[1].split())] = (float(fields[0]), backoff)
    return declared, grams


def probability(grams: dict[tuple[str, ...], tuple[float, float]], gram: tuple[str, ...]) -> float:
    if gram in grams:
        return 10 ** grams[gram][0]
    history_backoff = 10 ** grams.get(gram[:-1], (0.0, 0.0))[1]
    return history_backoff * probability(grams, gram[1:])


def test_arpa_counts_match_and_distributions_sum_to_one() -> None:
    vocabulary = sorted({w for s in SENTENCES for w in s} | {"please"})
    declared, grams = parse_arpa(build_arpa(SENTENCES, vocabulary))
    for order, count in declared.items():
        assert count == sum(1 for g in grams if len(g) == order)
    assert declared[3] > 0
    outcomes = [*vocabulary, END]
    for history in [(), (START,), ("my",), ("my", "neck"), (START, "next"), ("knot",)]:
        total = sum(probability(grams, (*history, word)) for word in outcomes)
        assert math.isclose(total, 1.0, rel_tol=1e-3), (history, total)


def test_seen_continuations_beat_unseen_ones() -> None:
    vocabulary = sorted({w for s in SENTENCES for w in s})
    _, grams = parse_arpa(build_arpa(SENTENCES, vocabulary))
    assert probability(grams, ("my", "neck", "is")) > probability(grams, ("my", "neck", "one"))

    def sentence(word: str) -> float:  # the one-word sentence <s> word </s>
        return probability(grams, (START, word)) * probability(grams, (START, word, END))

    assert sentence("stop") > 2 * sentence("shoulder")


def test_pronunciations_keep_alternates_and_report_unknown_words(
    source_dictionary: Path,
) -> None:
    entries, missing = pronunciations(["neck", "the", "zqxwv"], source_dictionary)
    heads = [line.split()[0] for line in entries]
    assert "neck" in heads and "the" in heads and "the(2)" in heads
    assert missing == ["zqxwv"]


def test_model_files_are_built_once_and_reused(source_dictionary: Path, tmp_path: Path) -> None:
    first = prepare_model_files(SENTENCES, ["zqxwv"], source_dictionary, tmp_path)
    assert first.missing_words == ("zqxwv",)
    built = first.language_model.stat().st_mtime_ns, first.dictionary.stat().st_mtime_ns
    dictionary_words = {line.split()[0].split("(")[0] for line in first.dictionary.open()}
    assert {"neck", "shoulder", "stop", *FILLER_WORDS} <= dictionary_words
    again = prepare_model_files(list(reversed(SENTENCES)), ["zqxwv"], source_dictionary, tmp_path)
    assert again == first
    assert (again.language_model.stat().st_mtime_ns, again.dictionary.stat().st_mtime_ns) == built
    other = prepare_model_files([*SENTENCES, ("pause",)], [], source_dictionary, tmp_path)
    assert other.language_model.parent != first.language_model.parent
    assert len(list(tmp_path.iterdir())) == 2


def test_a_broken_cache_entry_is_rebuilt(source_dictionary: Path, tmp_path: Path) -> None:
    first = prepare_model_files(SENTENCES, [], source_dictionary, tmp_path)
    (first.language_model.parent / "manifest.json").write_text("{not json", encoding="utf-8")
    again = prepare_model_files(SENTENCES, [], source_dictionary, tmp_path)
    assert again == first
    assert "\\data\\" in again.language_model.read_text(encoding="utf-8")


def test_emphasised_words_are_likelier_and_the_model_still_sums_to_one() -> None:
    vocabulary = sorted({w for s in SENTENCES for w in s} | {"numb", "fever"})
    _, plain = parse_arpa(build_arpa(SENTENCES, vocabulary))
    _, stressed = parse_arpa(build_arpa(SENTENCES, vocabulary, emphasised=["numb"]))
    assert probability(stressed, ("numb",)) > 3 * probability(plain, ("numb",))
    assert probability(stressed, ("fever",)) < probability(plain, ("fever",))
    total = sum(probability(stressed, ("knot", word)) for word in [*vocabulary, END])
    assert math.isclose(total, 1.0, rel_tol=1e-3)


def test_words_cmudict_lacks_get_the_supplement_pronunciations(
    source_dictionary: Path, tmp_path: Path
) -> None:
    files = prepare_model_files(
        [("my", "glutes")], ["sciatica", "zqxwv"], source_dictionary, tmp_path
    )
    assert files.missing_words == ("zqxwv",)
    lines = files.dictionary.read_text(encoding="utf-8").splitlines()
    assert "glutes G L UW T S" in lines
    assert any(line.startswith("sciatica ") for line in lines)


def test_supplement_uses_only_phones_of_the_acoustic_model(source_dictionary: Path) -> None:
    with source_dictionary.open(encoding="utf-8") as lines:
        phones = {phone for line in lines for phone in line.split()[1:]}
    for word, spellings in SUPPLEMENT.items():
        assert word == word.lower() and spellings
        for spelling in spellings:
            assert set(spelling.split()) <= phones, (word, spelling)
    _, missing = pronunciations(SUPPLEMENT, source_dictionary)
    assert sorted(missing) == sorted(SUPPLEMENT)  # cmudict's own pronunciations win


def test_phrases_are_also_modelled_as_they_are_said() -> None:
    """The matcher's phrases come without fillers and with contractions expanded."""
    forms = spoken_forms([("i", "would", "a", "latte"), ("stop",)])
    assert ("i'd", "like", "a", "latte") in forms
    assert ("i", "would", "like", "a", "latte") in forms
    assert ("stop", "please") in forms and ("um", "stop") in forms
    assert forms[("i", "would", "a", "latte")] == 1.0
    assert forms[("stop", "please")] < forms[("stop",)]


def test_a_filler_or_contraction_said_is_in_the_model(
    source_dictionary: Path, tmp_path: Path
) -> None:
    files = prepare_model_files([("i", "would", "a", "latte")], [], source_dictionary, tmp_path)
    _, grams = parse_arpa(files.language_model.read_text(encoding="utf-8"))
    assert ("i'd", "like", "a") in grams and ("a", "latte", "please") in grams
    heads = {line.split()[0] for line in files.dictionary.open()}
    assert {"i'd", "like", "please"} <= heads


def test_commands_are_likely_alone_but_not_inside_longer_utterances() -> None:
    """A short sentence's weight goes to the n-grams that tie it to the utterance's start
    and end, not to its words' unigrams."""
    sentences = [("next",), ("my", "knee", "hurts"), ("my", "hip", "hurts")]
    vocabulary = sorted({w for s in sentences for w in s})
    _, grams = parse_arpa(build_arpa(sentences, vocabulary))
    assert probability(grams, ("next",)) < 1.5 * probability(grams, ("knee",))
    assert probability(grams, (START, "next")) > 2 * probability(grams, (START, "my"))
    assert probability(grams, (START, "next", END)) > 0.5


def test_fractional_sightings_keep_the_model_a_distribution() -> None:
    sentences = [("my", "neck", "hurts"), ("um", "my", "neck", "hurts")]
    vocabulary = sorted({w for s in sentences for w in s})
    _, grams = parse_arpa(build_arpa(sentences, vocabulary, weights=[1.0, 0.05]))
    for history in [(START,), (START, "um"), ("um", "my")]:
        total = sum(probability(grams, (*history, w)) for w in [*vocabulary, END])
        assert math.isclose(total, 1.0, rel_tol=1e-3), (history, total)
