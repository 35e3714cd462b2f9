"""Noisy versions of a clean utterance, the same every run.

The speech is first set to a fixed level (``SPEECH_DBFS`` RMS, leaving headroom so the noisy
mix does not clip), padded with ``LEAD_SECONDS`` of silence before it, then seeded pink
noise (power falling 3 dB per octave, closer to room and traffic noise than white noise) is
added over the whole clip. The signal-to-noise ratio is measured where the speech is: the
noise is scaled so that, over the speech span, speech power / noise power = 10^(SNR/10).
"""

from __future__ import annotations

import logging
import zlib

import numpy as np

from voicecare.audio import SAMPLE_RATE, float_to_pcm16, pcm16_to_float

logger = logging.getLogger(__name__)

SPEECH_DBFS = -26.0  # RMS level of the speech, dB below full scale
LEAD_SECONDS = 0.3  # silence (or noise only) before the speech
NOISE_KIND = "pink"


def noise_seed(*parts: object) -> int:
    """A stable seed from anything printable (Python's ``hash`` changes every run)."""
    return zlib.crc32("\x1f".join(str(part) for part in parts).encode("utf-8"))


def pink_noise(count: int, seed: int) -> np.ndarray:
    """``count`` samples of pink noise with an RMS of 1."""
    if count == 0:
        return np.zeros(0)
    white = np.random.default_rng(seed).standard_normal(count)
    spectrum = np.fft.rfft(white)
    frequencies = np.arange(len(spectrum), dtype=float)
    frequencies[0] = 1.0
    spectrum /= np.sqrt(frequencies)
    spectrum[0] = 0.0  # no DC offset
    pink = np.fft.irfft(spectrum, n=count)
    rms = float(np.sqrt(np.mean(pink**2)))
    return pink / rms if rms > 0 else pink


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=float)))) if len(samples) else 0.0


def at_level(samples: np.ndarray, dbfs: float = SPEECH_DBFS) -> np.ndarray:
    level = rms(samples)
    return samples * (10 ** (dbfs / 20) / level) if level > 0 else samples


def noisy_clip(
    speech_pcm: bytes,
    snr_db: float | None,
    seed: int,
    lead_seconds: float = LEAD_SECONDS,
) -> bytes:
    """The clip the recognizer hears: silence then speech at ``SPEECH_DBFS``, plus pink noise
    at ``snr_db`` (None: no noise). 16-bit mono PCM."""
    speech = at_level(pcm16_to_float(speech_pcm).astype(float))
    lead = round(lead_seconds * SAMPLE_RATE)
    clip = np.concatenate([np.zeros(lead), speech])
    if snr_db is not None:
        clip = add_noise(clip, pink_noise(len(clip), seed), snr_db, speech_span=(lead, len(clip)))
    return float_to_pcm16(clip)


def add_noise(
    signal: np.ndarray,
    noise: np.ndarray,
    snr_db: float,
    speech_span: tuple[int, int] | None = None,
) -> np.ndarray:
    """``signal`` plus ``noise`` scaled to ``snr_db`` below it, both measured over
    ``speech_span`` (start, end sample; default: all of it)."""
    start, end = speech_span or (0, len(signal))
    signal_power = rms(signal[start:end]) ** 2
    noise_power = rms(noise[start:end]) ** 2
    if signal_power == 0 or noise_power == 0:
        return signal.copy()
    gain = np.sqrt(signal_power / (noise_power * 10 ** (snr_db / 10)))
    mixed = signal + gain * noise
    peak = float(np.max(np.abs(mixed)))
    if peak >= 1.0:
        logger.debug("noisy clip clips (peak %.2f of full scale)", peak)
    return mixed
