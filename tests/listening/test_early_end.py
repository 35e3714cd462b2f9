"""Ending an utterance sooner when its words sound finished (``early_end``): which words go
on, when a silence is judged, and that the decoder gets every frame of the real pocketsphinx
endpointer once, in order, whether the early check fed it frames ahead or not."""

from __future__ import annotations

import numpy as np
import pytest

from tests.listening.speech import require_espeak, silence, speak
from voicecare.audio import SAMPLE_RATE
from voicecare.listening.early_end import ContinuingWords, EarlyEnd, TrailingSilence
from voicecare.listening.pocketsphinx_module import import_pocketsphinx

SENTENCES = [
    ("there", "is", "a", "knot", "in", "my", "shoulder"),
    ("my", "lower", "back", "hurts"),
    ("a", "knot", "in", "my", "neck"),
    ("my", "lower", "back"),
    ("what", "is", "a", "knot"),
    ("i", "have", "a", "knot", "in", "my", "lower", "back"),
    ("stop",),
]


def test_words_the_content_goes_on_after_keep_the_utterance_open():
    continuing = ContinuingWords(SENTENCES)
    assert {"a", "my", "lower", "in"} <= continuing.words  # seen 3+ times, never last
    assert not continuing.sounds_finished(("there", "is", "a"))
    assert not continuing.sounds_finished(("i", "have", "a", "knot", "in", "my", "lower"))
    assert not continuing.sounds_finished(("um",))  # a filler people start with
    assert not continuing.sounds_finished(())  # nothing heard yet
    assert continuing.sounds_finished(("there", "is", "a", "knot", "in", "my", "shoulder"))
    assert continuing.sounds_finished(("stop", "please"))  # "please" ends a sentence
    assert continuing.sounds_finished(("knot",))  # ends one of its four sentences


def test_a_silence_is_judged_once_when_it_is_long_enough():
    silence_after = TrailingSilence(0.03, early_silence=0.09)
    assert [silence_after.heard(mark == "s") for mark in "ss...."] == [
        False,
        False,
        False,
        False,
        True,
        False,
    ]
    assert not silence_after.heard(True)  # speech again: the next silence is judged anew
    assert [silence_after.heard(False) for _ in range(3)] == [False, False, True]


def hissed(pcm: bytes) -> bytes:
    """Audio with a faint seeded hiss, so that no two 30 ms frames are the same."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.int32)
    hiss = np.random.default_rng(7).integers(-20, 21, samples.size)
    return np.clip(samples + hiss, -32768, 32767).astype("<i2").tobytes()


@pytest.mark.parametrize("catch_up_at", [(), (60,), (45, 50, 70)])
def test_the_decoder_gets_each_frame_once_in_order(catch_up_at):
    require_espeak()
    pocketsphinx = import_pocketsphinx()
    endpointer = pocketsphinx.Endpointer(window=0.2, ratio=0.9, vad_mode=2, sample_rate=SAMPLE_RATE)
    size = endpointer.frame_bytes
    early = EarlyEnd(
        pocketsphinx.Vad(mode=2, sample_rate=SAMPLE_RATE), size, endpointer.frame_length, 20
    )
    audio = hissed(silence(0.5) + speak("there is a knot in my shoulder") + silence(1.0))
    frames = [audio[i : i + size] for i in range(0, len(audio) - size + 1, size)]
    decoded = b""
    for number, frame in enumerate(frames):
        speech, _judge = early.process(endpointer, frame)
        if speech is not None:
            decoded += speech
        if endpointer.in_speech and number in catch_up_at:
            decoded += early.catch_up()
    assert not endpointer.in_speech
    start = round(endpointer.speech_start / endpointer.frame_length)
    end = round(endpointer.speech_end / endpointer.frame_length)
    assert decoded.startswith(b"".join(frames[start:end]))  # all the speech, in order
    given = [decoded[i : i + size] for i in range(0, len(decoded), size)]
    assert len(given) == len(set(given))  # no frame twice
    assert b"".join(given) == b"".join(frames[start : start + len(given)])
