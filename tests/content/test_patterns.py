"""The red-flag pattern language: what each construct matches, and its syntax errors."""

from __future__ import annotations

import pytest

from voicecare.content.patterns import PatternSyntaxError, compile_pattern, joined, list_problems
from voicecare.normalize import words

LISTS = {"limb": ["arm", "leg", "lower leg"], "empty": []}


def spans(pattern: str, text: str) -> list[tuple[int, int]]:
    found = compile_pattern(pattern, LISTS).find(joined(words(text, drop_fillers=False)))
    return [occurrence.span for occurrence in found]


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        ("numb", "my arm is numb", [(3, 4)]),
        ("numb", "the number two", []),  # whole words only
        ("tingl*", "my fingers are tingling", [(3, 4)]),
        ("tingl*", "a tingly feeling", [(1, 2)]),
        ("(weak|limp) {limb}", "a limp arm", [(1, 3)]),
        ("{limb} is numb", "my lower leg is numb", [(1, 5), (2, 5)]),  # from every word
        ("[really] numb", "it is really numb", [(2, 4), (3, 4)]),
        ("can not feel my {limb}", "I can't feel my arm", [(1, 6)]),  # contractions expanded
        ("chest ... pain", "chest and back pain", [(0, 4)]),
        ("chest ... pain", "my chest is not in any pain at all", []),  # a gap is 3 words
        ("numb", "numb and numb", [(0, 1), (2, 3)]),
        ("ten out of ten", "it is 10 out of 10", [(2, 6)]),  # digits are words
    ],
)
def test_what_a_pattern_matches(pattern, text, found):
    assert spans(pattern, text) == found


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(numb|tingling", "never closed"),
        ("numb)", "unmatched ')'"),
        ("[very] [really]", "without any word"),
        ("...", "without any word"),
        ("{legs} weak", "unknown list '{legs}'"),
        ("{empty} weak", "empty list"),
        ("numb (|weak)", "empty part"),
        ("numb & weak", "not a word"),
        ("", "is empty"),
    ],
)
def test_syntax_errors_say_what_is_wrong(pattern, reason):
    with pytest.raises(PatternSyntaxError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        compile_pattern(pattern, LISTS)


def test_a_pattern_spells_sentences_using_every_alternative():
    pattern = compile_pattern("my (arm|leg) is (numb|weak|dead)", LISTS)
    sentences = pattern.sentences(limit=10)
    assert ("my", "arm", "is", "numb") in sentences
    used = {word for sentence in sentences for word in sentence}
    assert {"arm", "leg", "numb", "weak", "dead"} <= used
    assert len(pattern.sentences(limit=2)) == 2


def test_list_entries_must_be_plain_words():
    assert list_problems({"limb": ["arm", "le(g"], "Bad Name": ["x"]}) == [
        "limb[1]: 'le(g' must be plain words",
        "Bad Name: a list name uses lower-case letters, digits and dashes",
    ]


def test_a_gap_tells_which_words_it_stood_for():
    (found,) = compile_pattern("{limb} ... weak", LISTS).find(joined(words("my arm is not weak")))
    assert found.gap_words == ("is", "not")
