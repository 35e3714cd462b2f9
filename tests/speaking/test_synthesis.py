"""Pyttsx3Synthesizer with the real espeak-ng: audio that is there, complete and rate-aware."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from voicecare.errors import AudioError
from voicecare.speaking.synthesis import Pyttsx3Synthesizer

LONG_LINE = (
    "Start with your left arm. Rest your forearm on your thigh or a table, palm down. Use the "
    "thumb of your other hand to press into the muscles on top of your forearm, just below the "
    "elbow, starting with light pressure."
)


@pytest.fixture(scope="module")
def synthesizer():
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    made = Pyttsx3Synthesizer()
    yield made
    made.close()


def loudness(pcm: bytes) -> float:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    return float(np.sqrt(np.mean(samples**2)))


def test_a_long_first_line_comes_back_whole(synthesizer):
    """pyttsx3 returns before espeak-ng has written long lines; the synthesizer waits."""
    speech = synthesizer.synthesize(LONG_LINE, 165)
    assert speech.seconds > 8.0
    assert loudness(speech.pcm) > 500


def test_each_line_gets_its_own_audio(synthesizer):
    short = synthesizer.synthesize("Hold.", 165)
    long = synthesizer.synthesize(LONG_LINE, 165)
    short_again = synthesizer.synthesize("Hold.", 165)
    assert short.seconds < 2.0 < long.seconds
    assert abs(short_again.seconds - short.seconds) < 0.05


def test_a_slower_rate_gives_longer_speech(synthesizer):
    slow = synthesizer.synthesize("Breathe out slowly and let your shoulders drop.", 110)
    fast = synthesizer.synthesize("Breathe out slowly and let your shoulders drop.", 220)
    assert slow.seconds > 1.5 * fast.seconds


def test_volume_scales_the_audio():
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    quiet = Pyttsx3Synthesizer(volume=0.3)
    try:
        soft = quiet.synthesize("Switch sides.", 165)
    finally:
        quiet.close()
    loud = Pyttsx3Synthesizer()
    try:
        normal = loud.synthesize("Switch sides.", 165)
    finally:
        loud.close()
    assert loudness(soft.pcm) < 0.6 * loudness(normal.pcm)


def test_the_audio_is_16_bit_mono_at_the_engine_rate(synthesizer):
    speech = synthesizer.synthesize("Ten seconds left.", 165)
    assert speech.sample_rate in (16_000, 22_050, 24_000, 44_100, 48_000)
    assert len(speech.pcm) % 2 == 0


def test_a_voice_is_found_by_language_and_an_unknown_one_is_one_clear_error():
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    british = Pyttsx3Synthesizer(voice="en-gb")
    try:
        assert british.synthesize("Switch sides.", 165).seconds > 0.3
    finally:
        british.close()
    with pytest.raises(AudioError, match="unknown voice 'no-such-voice'"):
        Pyttsx3Synthesizer(voice="no-such-voice")


def test_rate_changes_apply_to_the_very_next_line(synthesizer):
    """Through pyttsx3's command queue a new rate used to land a line late."""
    line = "Breathe out slowly and let your shoulders drop."
    synthesizer.synthesize(LONG_LINE, 165)
    lengths = [synthesizer.synthesize(line, rate).seconds for rate in (110, 220, 110, 220)]
    assert lengths[0] > 1.5 * lengths[1] and lengths[2] > 1.5 * lengths[3]
