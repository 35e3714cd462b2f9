"""Noise mixed at a signal-to-noise ratio, measured where the speech is."""

from __future__ import annotations

import numpy as np
import pytest

from tests.listening.speech import require_espeak, speak
from voicecare.audio import SAMPLE_RATE
from voicecare.evaluation.noise import (
    LEAD_SECONDS,
    SPEECH_DBFS,
    noise_seed,
    noisy_clip,
    pink_noise,
    rms,
)


def samples(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(float) / 32768.0


def measured_snr(clean: np.ndarray, noisy: np.ndarray, start: int) -> float:
    speech, noise = clean[start:], (noisy - clean)[start:]
    return 10 * np.log10(np.mean(speech**2) / np.mean(noise**2))


@pytest.mark.parametrize("snr_db", [20.0, 10.0, 5.0, 0.0])
def test_mix_has_the_asked_snr_over_the_speech(snr_db):
    require_espeak()
    speech = speak("there is a knot in my shoulder")
    clean = samples(noisy_clip(speech, None, seed=3))
    noisy = samples(noisy_clip(speech, snr_db, seed=3))
    lead = round(LEAD_SECONDS * SAMPLE_RATE)
    assert len(noisy) == len(clean) == lead + len(speech) // 2
    assert abs(measured_snr(clean, noisy, lead) - snr_db) < 0.5
    assert np.max(np.abs(noisy)) < 1.0  # headroom: nothing clipped


def test_speech_is_set_to_a_fixed_level_after_silence():
    require_espeak()
    clean = samples(noisy_clip(speak("stop"), None, seed=0))
    lead = round(LEAD_SECONDS * SAMPLE_RATE)
    assert not clean[:lead].any()
    assert 20 * np.log10(rms(clean[lead:])) == pytest.approx(SPEECH_DBFS, abs=0.1)


def test_noise_is_the_same_for_the_same_seed_only():
    assert np.array_equal(pink_noise(4000, 7), pink_noise(4000, 7))
    assert not np.array_equal(pink_noise(4000, 7), pink_noise(4000, 8))
    assert noise_seed("my neck", "en-us", 150) == noise_seed("my neck", "en-us", 150)
    assert noise_seed("my neck", "en-us", 150) != noise_seed("my neck", "en-us", 190)


def test_pink_noise_has_unit_rms_and_more_power_low_than_high():
    noise = pink_noise(SAMPLE_RATE * 4, seed=1)
    assert rms(noise) == pytest.approx(1.0)
    power = np.abs(np.fft.rfft(noise)) ** 2
    hz = np.fft.rfftfreq(len(noise), 1 / SAMPLE_RATE)
    low = power[(hz >= 100) & (hz < 200)].mean()
    high = power[(hz >= 3200) & (hz < 6400)].mean()
    # power falls 3 dB an octave: five octaves apart is 15 dB (white noise would be 0)
    assert 10 * np.log10(low / high) == pytest.approx(15, abs=2)
