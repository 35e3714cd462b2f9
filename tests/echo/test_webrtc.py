"""The real WebRTC echo canceller and the microphone wrapper, on speech made by espeak-ng and
heard by the bundled PocketSphinx engine (nothing faked)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.listening.speech import require_espeak, silence, speak
from tests.virtual_audio import write_wav
from voicecare.echo import EchoCancellingSource, PlaybackReference
from voicecare.echo.webrtc import WebRtcEchoCanceller
from voicecare.listening.engines import transcribe
from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer
from voicecare.listening.sources import WavFileSource
from voicecare.understanding import recognition_vocabulary

RATE = 16_000
STEP = (
    "Reach your right hand across your chest and rest your fingers on the thick muscle on "
    "top of your left shoulder. Squeeze gently, like kneading dough."
)


def db(samples: np.ndarray) -> float:
    return 10 * np.log10(np.mean(samples.astype(np.float64) ** 2) + 1.0)


@pytest.fixture(scope="module")
def scene():
    """VoiceCare reads a step; 0.1 s later its voice reaches the microphone at -10 dB; 3 s
    in, the person says "stop please"."""
    require_espeak()
    coach = np.frombuffer(speak(STEP, "en-us", 170), dtype="<i2").astype(np.float64)
    person = np.frombuffer(speak("stop please", "en-gb-x-rp") + silence(0.5), dtype="<i2")
    total = (len(coach) + RATE) // 160 * 160  # whole 10 ms frames
    echo = np.zeros(total)
    echo[1600 : 1600 + len(coach)] = 0.3 * coach
    microphone = echo.copy()
    at = 3 * RATE
    microphone[at : at + len(person)] += person
    played = np.zeros(total)
    played[: len(coach)] = coach
    as_pcm = lambda x: np.clip(x, -32768, 32767).astype("<i2").tobytes()  # noqa: E731
    return as_pcm(microphone), as_pcm(played), coach.astype("<i2").tobytes(), at


def test_the_canceller_takes_the_echo_out(scene, library):
    microphone, played, _, person_at = scene
    cleaned = WebRtcEchoCanceller().process(microphone, played)
    before = np.frombuffer(microphone, dtype="<i2")
    after = np.frombuffer(cleaned, dtype="<i2")
    echo_only = slice(RATE, person_at)
    assert db(before[echo_only]) - db(after[echo_only]) >= 15.0
    heard = transcribe(
        PocketSphinxRecognizer.for_vocabulary(recognition_vocabulary(library)), cleaned
    )
    assert len(heard.split()) <= 4, heard  # VoiceCare's step is no longer heard as words
    raw = transcribe(
        PocketSphinxRecognizer.for_vocabulary(recognition_vocabulary(library)), microphone
    )
    assert len(raw.split()) > 6, raw  # without it, it is


@pytest.mark.xfail(
    reason="WebRTC's AEC3 damps a person talking over an echo only 10 dB below them (the "
    "bundled engine hears 'on to the', 'knees'); through the virtual devices, with the echo "
    "as loud as VoiceCare plays, the stop is heard (tests/e2e/test_barge_in.py)",
    strict=False,
)
def test_the_person_talking_over_the_echo_is_still_heard(scene, library):
    microphone, played, _, _ = scene
    cleaned = WebRtcEchoCanceller().process(microphone, played)
    heard = transcribe(
        PocketSphinxRecognizer.for_vocabulary(recognition_vocabulary(library)), cleaned
    )
    assert "stop" in heard.split(), heard


def recording(tmp_path, pcm: bytes) -> WavFileSource:
    """The microphone as a recording; its clock is the audio's own time."""
    return WavFileSource(write_wav(tmp_path / "microphone.wav", pcm))


def test_the_source_lines_the_played_line_up_with_what_it_captures(scene, tmp_path):
    microphone, _, line, person_at = scene
    heard = recording(tmp_path, microphone)
    reference = PlaybackReference(RATE)
    reference.started(0.0, reference.prepare(line, RATE))  # as the player would note it
    source = EchoCancellingSource(heard, WebRtcEchoCanceller(), reference, heard.clock)
    chunks = []
    while (chunk := source.read()) is not None:
        chunks.append(chunk)
    cleaned = b"".join(chunks)
    assert len(cleaned) == len(microphone)
    before = np.frombuffer(microphone, dtype="<i2")
    after = np.frombuffer(cleaned, dtype="<i2")
    echo_only = slice(RATE, person_at)
    assert db(before[echo_only]) - db(after[echo_only]) >= 15.0  # so it was lined up
    assert source.detector.present


def test_nothing_played_means_the_audio_goes_through_untouched(scene, tmp_path):
    microphone, _, _, _ = scene
    heard = recording(tmp_path, microphone)
    source = EchoCancellingSource(
        heard, WebRtcEchoCanceller(), PlaybackReference(RATE), heard.clock
    )
    chunks = []
    while (chunk := source.read()) is not None:
        chunks.append(chunk)
    assert b"".join(chunks) == microphone


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError):
        WebRtcEchoCanceller().process(bytes(320), bytes(640))
