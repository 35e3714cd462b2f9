"""The noise front end on real speech (espeak-ng) in white noise, through the real WebRTC
audio processing module: steady noise comes out much lower, speech about as loud, and the
audio as long as it went in whatever the chunk sizes."""

from __future__ import annotations

import numpy as np
import pytest

from tests.listening.speech import require_espeak, speak
from voicecare.audio import SAMPLE_RATE, float_to_pcm16, pcm16_to_float
from voicecare.listening.noise_front_end import NoiseFrontEnd

pytest.importorskip("livekit")
LEAD = SAMPLE_RATE  # one second of noise alone before the speech


def level_db(samples: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(samples.astype(np.float64) ** 2) + 1e-12))


@pytest.fixture(scope="module")
def scene() -> tuple[np.ndarray, bytes]:
    """Speech at 10 dB above white noise, after a second of the noise alone."""
    require_espeak()
    speech = pcm16_to_float(speak("my neck is stiff", "en-us", 150))
    clean = np.concatenate([np.zeros(LEAD), speech, np.zeros(SAMPLE_RATE // 2)])
    noise = np.random.default_rng(3).normal(0.0, 1.0, len(clean))
    noise *= np.sqrt(np.mean(speech**2) / 10)
    return speech, float_to_pcm16(clean + noise)


def cleaned(pcm: bytes, chunk: int) -> bytes:
    front_end = NoiseFrontEnd()
    out = b"".join(front_end.process(pcm[i : i + chunk]) for i in range(0, len(pcm), chunk))
    return out + front_end.flush()


def test_steady_noise_is_taken_down_and_speech_kept(scene: tuple[np.ndarray, bytes]) -> None:
    speech, mixed = scene
    heard, out = pcm16_to_float(mixed), pcm16_to_float(cleaned(mixed, 3200))
    settled = slice(LEAD // 2, LEAD)  # noise alone, once the suppressor has learnt it
    assert level_db(out[settled]) < level_db(heard[settled]) - 6.0
    span = slice(LEAD, LEAD + len(speech))
    assert abs(level_db(out[span]) - level_db(speech)) < 3.0


@pytest.mark.parametrize("chunk", [320, 777, 3200, 3201])
def test_the_audio_comes_out_as_long_as_it_went_in(
    scene: tuple[np.ndarray, bytes], chunk: int
) -> None:
    _, mixed = scene
    assert len(cleaned(mixed, chunk)) == len(mixed)


def test_clear_drops_only_the_partial_frame() -> None:
    front_end = NoiseFrontEnd()
    assert front_end.process(bytes(300)) == b""  # less than one 10 ms frame waits
    front_end.clear()
    assert front_end.flush() == b""
    assert len(front_end.process(bytes(640))) == 640


def test_audio_without_noise_passes_unchanged() -> None:
    """Digital silence then speech: nothing to suppress, so nothing is changed."""
    require_espeak()
    pcm = bytes(SAMPLE_RATE) + speak("stop", "en-us", 150)
    front_end = NoiseFrontEnd()
    assert cleaned(pcm, 3200) == pcm[: len(pcm)]
    front_end.process(pcm)
    assert front_end.quiet
