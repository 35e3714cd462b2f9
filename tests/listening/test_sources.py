"""Audio sources: a recording's chunks and its clock, and the real (virtual) microphone."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from tests.listening.speech import require_espeak, silence, speak
from tests.virtual_audio import ensure_virtual_devices, play_into_microphone, write_wav
from voicecare.errors import AudioError
from voicecare.listening.sources import CHUNK_FRAMES, MicrophoneSource, WavFileSource


def test_recording_is_read_in_chunks_and_its_clock_is_audio_time(tmp_path):
    pcm = silence(1.05)
    source = WavFileSource(write_wav(tmp_path / "quiet.wav", pcm))
    chunks = []
    while (chunk := source.read()) is not None:
        chunks.append(chunk)
    assert b"".join(chunks) == pcm
    assert all(len(c) == CHUNK_FRAMES * 2 for c in chunks[:-1])
    assert source.clock.now() == pytest.approx(1.05)
    source.clock.sleep_until(30.0)
    assert source.clock.now() == 30.0


def test_unreadable_recording_is_an_audio_error(tmp_path):
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio at all")
    with pytest.raises(AudioError, match=r"notes\.wav"):
        WavFileSource(bad)


def test_microphone_hears_what_is_played_into_it(tmp_path):
    ensure_virtual_devices()
    require_espeak()
    wav = write_wav(tmp_path / "said.wav", speak("next"))
    microphone = MicrophoneSource()
    try:
        player = threading.Timer(0.5, play_into_microphone, args=(wav,))
        player.start()
        captured = bytearray()
        end = time.monotonic() + 4.0
        while time.monotonic() < end:
            captured += microphone.read()
        player.join()
    finally:
        microphone.close()
    samples = np.frombuffer(bytes(captured), dtype="<i2")
    assert np.abs(samples).max() > 3000  # the word arrived


def test_discarding_pending_audio_drops_what_was_captured(tmp_path):
    ensure_virtual_devices()
    require_espeak()
    wav = write_wav(tmp_path / "said.wav", speak("there is a knot in my shoulder"))
    microphone = MicrophoneSource()
    try:
        microphone.read()
        play_into_microphone(wav)
        microphone.discard_pending()
        after = np.frombuffer(microphone.read(), dtype="<i2")
    finally:
        microphone.close()
    assert np.abs(after).max() < 3000
