"""EchoPathDetector on real speech: VoiceCare's voice (espeak-ng) in the microphone or not."""

from __future__ import annotations

import numpy as np
import pytest

from tests.listening.speech import require_espeak, speak
from voicecare.echo.detector import EchoPathDetector, echo_score

RATE = 16_000


@pytest.fixture(scope="module")
def voices():
    require_espeak()
    coach = np.frombuffer(
        speak("Reach your right hand across your chest and squeeze the muscle gently.", "en-us"),
        dtype="<i2",
    ).astype(np.float64)
    person = np.frombuffer(
        speak("there is a knot in my shoulder and my neck is stiff today", "en-gb-x-rp"),
        dtype="<i2",
    ).astype(np.float64)
    length = min(len(coach), len(person))
    return coach[:length], person[:length]


def delayed(signal: np.ndarray, seconds: float, gain: float) -> np.ndarray:
    shift = int(seconds * RATE)
    return np.concatenate([np.zeros(shift), signal[: len(signal) - shift]]) * gain


def feed(detector: EchoPathDetector, microphone: np.ndarray, reference: np.ndarray) -> None:
    for start in range(0, len(microphone) - 479, 480):
        detector.add(
            microphone[start : start + 480].astype("<i2").tobytes(),
            reference[start : start + 480].astype("<i2").tobytes(),
        )


def test_an_echo_26_db_down_is_found(voices):
    coach, _ = voices
    detector = EchoPathDetector(RATE)
    feed(detector, delayed(coach, 0.12, 0.05), coach)
    assert detector.present
    assert detector.last_score is not None and detector.last_score >= 0.3


def test_no_echo_turns_the_canceller_off(voices):
    coach, person = voices
    detector = EchoPathDetector(RATE)
    feed(detector, person, coach)
    assert not detector.present
    assert detector.last_score is not None and detector.last_score < 0.15


def test_score_is_zero_for_silence():
    assert echo_score(np.zeros(1600), np.zeros(2400), 800) == 0.0


def test_the_person_talking_over_a_faint_echo_does_not_turn_it_off(voices):
    """An echo 30 dB below the person's voice, who talks over it for three seconds: those
    seconds score like no echo at all, but say nothing about the echo."""
    coach, person = voices
    coach = np.concatenate([coach, coach])
    microphone = delayed(coach, 0.06, 0.03)
    talk = slice(2 * RATE, 5 * RATE)
    microphone[talk] += person[: talk.stop - talk.start]
    detector = EchoPathDetector(RATE)
    feed(detector, microphone[: talk.stop], coach[: talk.stop])
    assert detector.last_score is not None and detector.last_score < 0.15
    assert detector.present


def test_with_headphones_and_a_quiet_room_it_turns_off(voices):
    coach, _ = voices
    noise = np.random.default_rng(0).normal(0, 30, len(coach))
    detector = EchoPathDetector(RATE)
    feed(detector, noise, coach)
    assert not detector.present
