"""Text to PCM with pyttsx3 (espeak-ng on Linux, the system voices elsewhere).

pyttsx3 speaks through a blocking player that cannot be cut off, so VoiceCare only asks it
for audio (``save_to_file``) and plays that audio itself. pyttsx3 is imported lazily and
used from one thread only.
"""

from __future__ import annotations

import contextlib
import io
import logging
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voicecare.errors import AudioError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Speech:
    pcm: bytes  # signed 16-bit little-endian, mono
    sample_rate: int

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate


class Pyttsx3Synthesizer:
    def __init__(self, voice: str | None = None, volume: float = 1.0) -> None:
        try:
            import pyttsx3

            with contextlib.redirect_stdout(io.StringIO()):
                self._engine: Any = pyttsx3.init()
        except Exception as error:  # pyttsx3 raises whatever its driver raised
            raise AudioError(
                f"speech synthesis is not available ({error}); on Linux install espeak-ng "
                "(sudo apt-get install espeak-ng), or use --mute"
            ) from error
        self._engine.setProperty("volume", volume)
        if voice:
            self._engine.setProperty("voice", voice)
        self._folder = tempfile.TemporaryDirectory(prefix="voicecare-tts-")

    def synthesize(self, text: str, rate: int) -> Speech:
        path = Path(self._folder.name) / "line.wav"
        path.unlink(missing_ok=True)
        self._engine.setProperty("rate", rate)
        # The espeak driver prints "Audio saved to ..." on stdout, where captions go.
        with contextlib.redirect_stdout(io.StringIO()):
            self._engine.save_to_file(text, str(path))
            self._engine.runAndWait()
        try:
            with wave.open(str(path), "rb") as audio:
                if audio.getsampwidth() != 2:
                    raise AudioError("speech synthesis gave audio that is not 16-bit")
                frames = audio.readframes(audio.getnframes())
                channels, rate_hz = audio.getnchannels(), audio.getframerate()
        except (OSError, EOFError, wave.Error) as error:
            raise AudioError(f"speech synthesis produced no audio ({error})") from error
        if channels == 2:
            frames = _left_channel(frames)
        return Speech(frames, rate_hz)

    def close(self) -> None:
        self._folder.cleanup()


def _left_channel(frames: bytes) -> bytes:
    import numpy as np

    return np.frombuffer(frames, dtype="<i2")[::2].tobytes()
