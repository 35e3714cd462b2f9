"""Both PulseAudio players through the virtual speaker, listened to on its monitor: PacatPlayer
(the default) and PulsePlayer (one stream, used with echo cancellation)."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from tests.virtual_audio import ensure_virtual_devices, speaker_monitor
from voicecare.speaking.playback import PacatPlayer, PulsePlayer
from voicecare.speaking.synthesis import Speech

RATE = 22_050
SETTLE = 0.5  # seconds of listening after play() returned


def tone(seconds: float) -> Speech:
    t = np.arange(int(seconds * RATE)) / RATE
    samples = 8000 * np.sin(2 * np.pi * 440 * t)
    return Speech(samples.astype("<i2").tobytes(), RATE)


@pytest.fixture(scope="module", params=[PacatPlayer, PulsePlayer])
def player(request):
    ensure_virtual_devices()
    if not request.param.available():
        pytest.skip(f"{request.param.__name__} cannot reach a PulseAudio server")
    made = request.param()
    yield made
    made.close()


def test_a_whole_line_is_heard_and_play_reports_it_finished(player):
    speech = tone(1.0)
    with speaker_monitor() as monitor:
        started = time.monotonic()
        finished = player.play(speech, threading.Event())
        time.sleep(SETTLE)
        heard = monitor.loud_since(started)
    assert finished
    assert heard >= 0.8 * speech.seconds


def test_cancel_cuts_the_sound_off(player):
    speech = tone(5.0)
    cancelled = threading.Event()
    outcome: list[bool] = []
    with speaker_monitor() as monitor:
        started = time.monotonic()
        playing = threading.Thread(target=lambda: outcome.append(player.play(speech, cancelled)))
        playing.start()
        assert monitor.wait_for_sound(timeout=10), "the tone never reached the speaker"
        cancelled.set()
        playing.join(timeout=10)
        returned = time.monotonic()
        time.sleep(SETTLE)
        heard = monitor.loud_since(started)
        heard_after = monitor.loud_since(returned + 0.05)
    assert outcome == [False]
    assert heard < 0.5 * speech.seconds
    assert heard_after == 0.0
