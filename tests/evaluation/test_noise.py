"""Noise mixed at a signal-to-noise ratio, measured where the speech is."""

from __future__ import annotations

import numpy as np
import pytest

from tests.listening.speech import require_espeak, speak
from voicecare.audio import SAMPLE_RATE
from voicecare.evaluation.noise import (
    FRAME,
    LEAD_SECONDS,
    MIX_PEAK,
    SPEECH_DBFS,
    loudest_frame_energy,
    mix_by_frames,
    noise_seed,
    noise_stretch,
    noisy_clip,
    pink_noise,
    recording_clip,
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


def test_loudest_frame_energy_takes_the_loudest_frame():
    quiet_then_loud = np.concatenate([np.full(FRAME, 0.1), np.full(FRAME, 0.5), [1.0]])
    assert loudest_frame_energy(quiet_then_loud) == pytest.approx(FRAME * 0.25)
    assert loudest_frame_energy(np.array([2.0])) == pytest.approx(4.0)  # a short frame counts
    assert loudest_frame_energy(np.zeros(0)) == 0.0


@pytest.mark.parametrize("snr_db", [10.0, 5.0, 0.0])
def test_frame_mix_has_the_snr_between_loudest_frames(snr_db):
    """Picovoice's mixing: peak frame of speech over peak frame of the noise stretch is the
    SNR, and the mix peaks at half of full scale."""
    require_espeak()
    speech = samples(speak("can i get a large latte with some milk")) * 0.3
    noise = pink_noise(5 * len(speech), seed=1) * 0.1
    mixed = mix_by_frames(speech, noise, snr_db, seed=7)
    assert len(mixed) == len(speech)
    assert np.max(np.abs(mixed)) == pytest.approx(MIX_PEAK)
    stretch = noise_stretch(noise, len(speech), seed=7)
    (k, kg), *_ = np.linalg.lstsq(np.stack([speech, stretch], axis=1), mixed, rcond=None)
    noise_part = (kg / k) * stretch
    ratio = loudest_frame_energy(speech) / loudest_frame_energy(noise_part)
    assert 10 * np.log10(ratio) == pytest.approx(snr_db, abs=0.01)
    assert np.array_equal(mix_by_frames(speech, noise, snr_db, seed=7), mixed)  # seeded
    assert not np.array_equal(mix_by_frames(speech, noise, snr_db, seed=8), mixed)


def test_a_short_noise_is_repeated_and_a_clean_recording_untouched():
    noise = np.arange(10, dtype=float)
    stretch = noise_stretch(noise, 25, seed=0)
    assert len(stretch) == 25 and set(stretch) <= set(noise)
    pcm = (np.arange(4000, dtype="<i2") % 300).tobytes()
    assert recording_clip(pcm, None, seed=0) == pcm
    assert recording_clip(pcm, 10.0, seed=0) != pcm
