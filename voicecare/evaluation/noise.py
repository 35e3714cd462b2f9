"""Noisy versions of a clean utterance, the same every run.

Synthesized speech is first set to a fixed level (``SPEECH_DBFS`` RMS, leaving headroom so
the noisy mix does not clip), padded with ``LEAD_SECONDS`` of silence before it, then seeded
pink noise (power falling 3 dB per octave, closer to room and traffic noise than white noise)
is added over the whole clip. The signal-to-noise ratio is measured where the speech is: the
noise is scaled so that, over the speech span, speech power / noise power = 10^(SNR/10).

Recordings, and any clip mixed with a noise file (``--noise``), are mixed the way Picovoice's
speech-to-intent benchmark mixes them, so that figures compare with theirs: a seeded stretch
of the noise as long as the clip, scaled so that the loudest ``FRAME``-sample frame of speech
over the loudest frame of noise (energy, sum of squares) is the SNR, and the sum normalised
to half of full scale. Peak frames, not averages: a quiet recording with one loud word is
mixed as that word.
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
FRAME = 2048  # samples per frame when mixing by loudest frames (Picovoice's benchmark)
MIX_PEAK = 0.5  # a frame-mixed clip is normalised to this share of full scale


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
    noise: np.ndarray | None = None,
) -> bytes:
    """The clip the recognizer hears: silence then speech at ``SPEECH_DBFS``, plus pink noise
    at ``snr_db`` (None: no noise), or ``noise`` mixed by frames. 16-bit mono PCM."""
    speech = at_level(pcm16_to_float(speech_pcm).astype(float))
    lead = round(lead_seconds * SAMPLE_RATE)
    clip = np.concatenate([np.zeros(lead), speech])
    if snr_db is not None and noise is not None:
        return float_to_pcm16(mix_by_frames(clip, noise, snr_db, seed))
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


def loudest_frame_energy(samples: np.ndarray, frame: int = FRAME) -> float:
    """The largest sum of squares over consecutive ``frame``-sample frames (a short last
    frame counts too)."""
    if len(samples) == 0:
        return 0.0
    padded = np.concatenate([samples, np.zeros(-len(samples) % frame)])
    return float(np.max(np.sum(np.square(padded.reshape(-1, frame), dtype=float), axis=1)))


def noise_stretch(noise: np.ndarray, count: int, seed: int) -> np.ndarray:
    """``count`` samples of ``noise`` from a seeded start (repeated when it is shorter)."""
    if len(noise) == 0:
        raise ValueError("the noise has no samples")
    if len(noise) < count:
        noise = np.tile(noise, count // len(noise) + 1)
    start = int(np.random.default_rng(seed).integers(0, len(noise) - count + 1))
    return noise[start : start + count]


def mix_by_frames(speech: np.ndarray, noise: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    """``speech`` plus a seeded stretch of ``noise`` at ``snr_db`` by loudest frames,
    normalised to ``MIX_PEAK`` (Picovoice's mixing)."""
    stretch = noise_stretch(noise, len(speech), seed)
    speech_energy = loudest_frame_energy(speech)
    noise_energy = loudest_frame_energy(stretch)
    if speech_energy == 0 or noise_energy == 0:
        return speech.copy()
    scale = np.sqrt(speech_energy / (noise_energy * 10 ** (snr_db / 10)))
    mixed = speech + scale * stretch
    peak = float(np.max(np.abs(mixed)))
    return mixed * (MIX_PEAK / peak) if peak > 0 else mixed


def recording_clip(
    pcm: bytes, snr_db: float | None, seed: int, noise: np.ndarray | None = None
) -> bytes:
    """A recording as heard at ``snr_db``: untouched when clean, else mixed by frames with
    ``noise`` (default: seeded pink noise as long as the recording)."""
    if snr_db is None:
        return pcm
    speech = pcm16_to_float(pcm).astype(float)
    source = pink_noise(len(speech), seed) if noise is None else noise
    return float_to_pcm16(mix_by_frames(speech, source, snr_db, seed))
