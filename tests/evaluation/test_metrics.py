"""Word error rate, percentiles and per-SNR summaries."""

from __future__ import annotations

import math

import pytest

from voicecare.evaluation.metrics import (
    Trial,
    percentile,
    summarize,
    word_error_rate,
    word_errors,
)


def test_identical_words_have_no_errors():
    assert word_errors(["my", "neck", "hurts"], ["my", "neck", "hurts"]) == 0


@pytest.mark.parametrize(
    ("reference", "hypothesis", "errors"),
    [
        (["my", "neck", "hurts"], ["my", "next", "hurts"], 1),  # substitution
        (["my", "neck", "hurts"], ["my", "hurts"], 1),  # deletion
        (["my", "neck", "hurts"], ["my", "neck", "really", "hurts"], 1),  # insertion
        (["my", "neck", "hurts"], [], 3),
        ([], ["stop"], 1),
        (["a", "b", "c", "d"], ["b", "c", "d", "a"], 2),
    ],
)
def test_word_errors_count_edits(reference, hypothesis, errors):
    assert word_errors(reference, hypothesis) == errors


def test_word_error_rate_compares_normalized_words():
    assert word_error_rate("I'm stiff, REALLY stiff!", "im stiff really stiff") == 0.0
    assert word_error_rate("i can't turn my head", "i cant turn my bed") == pytest.approx(1 / 6)
    assert word_error_rate("stop", "") == 1.0
    assert word_error_rate("stop", "please stop now") == 2.0  # insertions count too


def test_percentile_interpolates_between_ranks():
    values = [40.0, 10.0, 30.0, 20.0]
    assert percentile(values, 0.5) == pytest.approx(25.0)
    assert percentile(values, 0.0) == 10.0
    assert percentile(values, 1.0) == 40.0
    assert percentile(list(range(101)), 0.95) == pytest.approx(95.0)
    assert math.isnan(percentile([], 0.5))


def trial(
    expected: str, intent: str, snr: float | None, latency: float = 0.1, doubtful: bool = False
) -> Trial:
    return Trial(
        engine="pocketsphinx",
        snr_db=snr,
        voice="en-us",
        rate=150,
        text="some words here",
        expected=tuple(expected.split("|")),
        transcript="some words",
        intent=intent,
        audio_seconds=2.0,
        engine_seconds=0.5,
        latency_seconds=latency,
        word_errors=1,
        reference_words=3,
        doubtful=doubtful,
    )


def test_red_flags_asked_about_are_counted_apart_from_those_acted_on():
    trials = [
        trial("safety:red-flags", "safety:red-flags", None),
        trial("safety:red-flags", "safety:red-flags", None, doubtful=True),  # asked
        trial("routine:neck", "safety:red-flags", None),  # a false alarm
        trial("none", "safety:red-flags", None, doubtful=True),  # asked, not advised
        trial("command:next", "command:next", None),
    ]
    (clean,) = summarize(trials)
    assert clean.red_flag_recall == pytest.approx(1 / 2)
    assert clean.red_flags_asked == 1
    assert (clean.not_red_flags, clean.false_alarms, clean.false_alarms_asked) == (3, 1, 1)


def test_summaries_per_snr_count_what_each_metric_says():
    trials = [
        trial("routine:neck", "routine:neck", None, 0.1),
        trial("routine:neck|routine:shoulders", "routine:shoulders", None, 0.2),
        trial("none", "command:stop", None, 0.3),  # a false accept
        trial("none", "none", None, 0.4),
        trial("safety:red-flags", "safety:red-flags", None, 0.5),
        trial("safety:red-flags", "routine:neck", 10.0, 0.2),  # red flag missed
        trial("routine:neck", "none", 10.0, 0.4),
    ]
    clean, noisy = summarize(trials)
    assert (clean.snr_db, noisy.snr_db) == (None, 10.0)
    assert clean.trials == 5
    assert clean.accuracy == pytest.approx(4 / 5)
    assert (clean.out_of_domain, clean.false_accepts) == (2, 1)
    assert clean.false_accept_rate == pytest.approx(0.5)
    assert clean.red_flag_recall == 1.0
    assert clean.word_error_rate == pytest.approx(1 / 3)
    assert clean.real_time_factor == pytest.approx(0.25)
    assert clean.latency_median_ms == pytest.approx(300.0)
    assert clean.latency_p95_ms == pytest.approx(480.0)
    assert noisy.accuracy == 0.0
    assert noisy.red_flag_recall == 0.0
    assert noisy.out_of_domain == 0
