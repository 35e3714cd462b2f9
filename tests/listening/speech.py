"""Speech made at test time: espeak-ng says a sentence into a WAV, read back as 16 kHz mono
16-bit PCM (what every recognizer takes). Tests call ``require_espeak()`` first so they skip
with a clear reason where espeak-ng is missing.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

from voicecare.audio import SAMPLE_RATE, SAMPLE_WIDTH
from voicecare.listening.wav_audio import read_wav

ESPEAK = "espeak-ng"


def espeak_available() -> bool:
    return shutil.which(ESPEAK) is not None


def require_espeak() -> None:
    if not espeak_available():
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng): no test speech")


@functools.lru_cache(maxsize=256)
def speak(text: str, voice: str = "en-us", words_per_minute: int = 150) -> bytes:
    """``text`` spoken by espeak-ng, as 16 kHz mono 16-bit PCM (no added silence); a voice
    named ``flite:NAME`` is flite's (a natural voice, installed by scripts/setup.sh)."""
    if voice.startswith("flite:"):
        from voicecare.evaluation.voices import Flite

        flite = Flite()
        if flite.problem(voice.partition(":")[2]):
            pytest.skip(f"flite voice {voice} is not installed: no natural test speech")
        return flite.synthesize(text, voice.partition(":")[2], words_per_minute)
    with tempfile.TemporaryDirectory(prefix="voicecare-speech-") as folder:
        wav = Path(folder) / "speech.wav"
        subprocess.run(
            [ESPEAK, "-v", voice, "-s", str(words_per_minute), "-w", str(wav), text],
            check=True,
            capture_output=True,
            timeout=30,
        )
        return read_wav(wav)


def silence(seconds: float, noise_level: float = 0.0, seed: int = 0) -> bytes:
    """Silence, optionally with a faint deterministic hiss (``noise_level`` is the RMS as a
    share of full scale, e.g. 0.001)."""
    count = round(seconds * SAMPLE_RATE)
    if noise_level <= 0:
        return bytes(count * SAMPLE_WIDTH)
    noise = np.random.default_rng(seed).normal(0.0, noise_level * 32768.0, count)
    return np.clip(np.rint(noise), -32768, 32767).astype("<i2").tobytes()


def utterance(
    text: str,
    before: float = 0.3,
    after: float = 1.0,
    voice: str = "en-us",
    words_per_minute: int = 150,
) -> bytes:
    """``text`` spoken with ``before`` seconds of silence ahead and ``after`` behind."""
    return silence(before) + speak(text, voice, words_per_minute) + silence(after)


def seconds(pcm: bytes) -> float:
    return len(pcm) / SAMPLE_WIDTH / SAMPLE_RATE
