"""The matcher's behaviours, on the bundled content."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicecare.content import load_library
from voicecare.matching import NONE, IntentMatcher
from voicecare.matching.evaluation import evaluate, read_labelled
from voicecare.settings import MatcherSettings

PROBES = Path(__file__).parent / "data" / "probe_utterances.tsv"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("my traps are killing me", "routine:shoulders"),
        ("there's a knot in my shoulder", "routine:shoulders"),
        ("i have a knot under my shoulder blade", "routine:upper-back"),
        ("my glutes are so tight", "routine:hips-glutes"),
        ("my piriformis hurts", "routine:hips-glutes"),
        ("my calf is really tight", "routine:legs"),
        ("sore hamstrings", "routine:legs"),
        ("my lumbar area aches", "routine:lower-back"),
        ("my forearm is sore from the mouse", "routine:arms-wrists"),
        ("what causes knots", "info:causes"),
        ("should i see a massage therapist", "info:professional-massage"),
        ("how do i use a foam roller", "info:foam-roller"),
        ("next", "command:next"),
        ("okay what's next", "command:next"),
        ("can you say that again", "command:repeat"),
        ("how much longer", "command:time-left"),
        ("start over", "command:restart"),
        ("yes", "command:yes"),
        ("okay", "command:yes"),
    ],
)
def test_understands(matcher, text, intent):
    assert matcher.match(text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "play some music",
        "what's the weather like today",
        "tell me a joke",
        "set a timer for ten minutes",
        "toaster",
        "that",  # one everyday word: a cough, or VoiceCare's own voice (was "pain", 69)
        "",
    ],
)
def test_rejects_out_of_domain(matcher, text):
    assert matcher.match(text).intent == NONE


@pytest.mark.parametrize(
    ("heard", "intent"),
    [
        ("my soldiers are tight", "routine:shoulders"),  # recognizer sound-alike
        ("my gloats are sore", "routine:hips-glutes"),  # same metaphone key
        ("my hamstrins are tight", "routine:legs"),  # near-miss spelling
    ],
)
def test_tolerates_recognition_errors(matcher, heard, intent):
    assert matcher.match(heard).intent == intent


def test_two_areas_are_offered_as_alternatives(matcher):
    match = matcher.match("my neck and shoulders are tight")
    intents = {match.intent} | {a.intent for a in match.alternatives}
    assert {"routine:neck", "routine:shoulders"} <= intents
    assert match.ambiguous


def test_clear_requests_are_not_ambiguous(matcher):
    assert not matcher.match("my neck is really stiff").ambiguous


def test_threshold_comes_from_settings(library):
    strict = IntentMatcher(library, MatcherSettings(reject_below=101.0))
    assert strict.match("my neck is stiff").intent == NONE


def test_deterministic(matcher):
    text = "um my shoulders and my neck are tight"
    assert matcher.match(text) == matcher.match(text)


def test_vocabulary_holds_every_content_word(matcher, library):
    vocabulary = set(matcher.vocabulary)
    assert {"neck", "shoulder", "traps", "foam", "roller", "next"} <= vocabulary
    assert list(matcher.vocabulary) == sorted(vocabulary)


def test_new_routine_in_a_content_folder_is_matched_without_code(content_copy):
    (content_copy / "routines" / "jaw.yaml").write_text(
        """
id: jaw
title: Jaw release
areas: [jaw]
keywords: [jaw, jaws, clenching]
phrases:
  - my jaw is tight from clenching
  - i grind my teeth at night
  - my jaw clicks and aches
safety_note: Keep it gentle.
steps:
  - text: Rest two fingers on the muscle in front of your ear and make slow circles.
    kind: self-massage
    hold_seconds: 30
"""
    )
    matcher = IntentMatcher(load_library(content_copy))
    assert matcher.match("my jaw hurts").intent == "routine:jaw"
    assert matcher.match("i keep grinding my teeth").intent == "routine:jaw"
    assert matcher.match("my neck is stiff").intent == "routine:neck"


@pytest.mark.parametrize(
    "text",
    [
        "how many calories are in an apple",  # only everyday words in common with content
        "skip this song",  # a command aimed at something else
        "stop the music",
        "how much longer until christmas",
        "play the next song",
    ],
)
def test_rejects_everyday_requests_that_share_words_with_content(matcher, text):
    assert matcher.match(text).intent == NONE


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("go on then", "command:next"),  # everyday words only, but a whole command
        ("yes", "command:yes"),  # one everyday word that is a whole phrase
        ("okay", "command:yes"),
        ("where were we", "command:resume"),
        ("rezoom please", "command:resume"),  # same sound as "resume"
        ("my forearms are tight from playing guitar", "routine:arms-wrists"),
    ],
)
def test_everyday_and_unknown_words_do_not_block_real_requests(matcher, text, intent):
    assert matcher.match(text).intent == intent


def test_probe_set_accuracy(understanding):
    """Utterances written for these tests, apart from the benchmark's eval set (red flags
    included: understanding screens them first)."""
    examples = read_labelled(PROBES)
    report = evaluate(examples, understanding.match)
    assert report.red_flag_recall == 1.0
    assert report.accuracy >= 0.9, report.summary()
    assert report.rejection_rate >= 0.85, report.summary()


def test_the_matcher_never_decides_red_flags(matcher):
    """The safety screen does, first: the matcher only scores intents."""
    assert matcher.match("i have chest pain").intent != "safety:red-flags"
