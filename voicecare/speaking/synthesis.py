"""Text to PCM with pyttsx3 (espeak-ng on Linux, the system voices elsewhere).

pyttsx3 speaks through a blocking player that cannot be cut off, so VoiceCare only asks it
for audio and plays that audio itself. pyttsx3 is imported lazily.

On Linux, pyttsx3 2.99's espeak driver runs espeak-ng asynchronously and its ``runAndWait``
returns after one 10 ms loop turn, before the audio is complete: measured here, long lines
came back missing or empty and rate changes landed one or more lines late. So with that
driver VoiceCare uses pyttsx3's own espeak-ng binding directly (set the rate, synthesize,
``espeak_Synchronize``), collecting the samples in its callback: whole lines, the right rate.
Other platforms' drivers write a WAV with ``save_to_file``, and VoiceCare waits for pyttsx3's
"finished-utterance" event before reading it.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import logging
import tempfile
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voicecare.errors import AudioError

logger = logging.getLogger(__name__)

SYNTHESIS_TIMEOUT = 10.0  # seconds; a minute of speech takes well under one
ESPEAK_SAMPLE_RATE = 22_050  # espeak-ng's output rate (pyttsx3 assumes it too)
_ESPEAK_LOCK = threading.Lock()  # espeak-ng is one engine per process


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
        self.volume = volume  # applied to the samples, the same way for every driver
        self._espeak = _espeak_binding(self._engine)
        self._chunks: list[bytes] = []
        if self._espeak is not None:
            self._espeak.SetSynthCallback(self._collect)
            if voice:
                self._choose_espeak_voice(voice)
        elif voice:
            self._engine.setProperty("voice", voice)
        self._folder = tempfile.TemporaryDirectory(prefix="voicecare-tts-")
        self._lines_made = 0
        self._finished = threading.Event()
        self._subscription = self._engine.connect("finished-utterance", self._on_finished)

    def synthesize(self, text: str, rate: int) -> Speech:
        if self._espeak is not None:
            speech = self._from_espeak(text, rate)
        else:
            speech = self._from_file(text, rate)
        if self.volume != 1.0:
            speech = Speech(_scaled(speech.pcm, self.volume), speech.sample_rate)
        return speech

    def close(self) -> None:
        self._engine.disconnect(self._subscription)  # pyttsx3.init() shares one engine
        self._folder.cleanup()

    # ----------------------------------------------------------------- espeak-ng

    def _collect(self, samples: Any, count: int, events: Any) -> int:
        if count > 0:
            self._chunks.append(ctypes.string_at(samples, count * 2))
        return 0  # go on

    def _choose_espeak_voice(self, voice: str) -> None:
        """``voice`` as a pyttsx3 voice id ("gmw/en-us"), name or language ("en-us")."""
        assert self._espeak is not None
        wanted = voice.casefold()
        for known in self._engine.getProperty("voices"):
            languages = [str(code).casefold() for code in known.languages or ()]
            if wanted in (str(known.id).casefold(), str(known.name).casefold(), *languages):
                with _ESPEAK_LOCK:
                    if self._espeak.SetVoiceByName(str(known.name).encode()) == 0:
                        return
        raise AudioError(f"unknown voice '{voice}'; list them with: espeak-ng --voices")

    def _from_espeak(self, text: str, rate: int) -> Speech:
        espeak = self._espeak
        assert espeak is not None
        with _ESPEAK_LOCK:
            espeak.SetSynthCallback(self._collect)  # another synthesizer may have set its own
            self._chunks = []
            espeak.SetParameter(espeak.RATE, rate, 0)
            espeak.Synth(text.encode(), flags=espeak.ENDPAUSE | espeak.CHARS_UTF8)
            espeak.Synchronize()
            pcm = b"".join(self._chunks)
        if not pcm and text.strip():
            raise AudioError("speech synthesis produced no audio (espeak-ng gave none)")
        return Speech(pcm, ESPEAK_SAMPLE_RATE)

    # ------------------------------------------------------------ other drivers

    def _on_finished(self, **event: Any) -> None:
        self._finished.set()

    def _from_file(self, text: str, rate: int) -> Speech:
        self._lines_made += 1
        path = Path(self._folder.name) / f"line-{self._lines_made}.wav"
        self._engine.setProperty("rate", rate)
        self._finished.clear()
        with contextlib.redirect_stdout(io.StringIO()):  # drivers may print "Audio saved"
            self._engine.save_to_file(text, str(path))
            self._engine.runAndWait()
            finished = self._finished.wait(SYNTHESIS_TIMEOUT)
        if not finished and not path.exists():
            raise AudioError(f"speech synthesis gave no audio within {SYNTHESIS_TIMEOUT:.0f} s")
        try:
            with wave.open(str(path), "rb") as audio:
                if audio.getsampwidth() != 2:
                    raise AudioError("speech synthesis gave audio that is not 16-bit")
                frames = audio.readframes(audio.getnframes())
                channels, rate_hz = audio.getnchannels(), audio.getframerate()
        except (OSError, EOFError, wave.Error) as error:
            raise AudioError(f"speech synthesis produced no audio ({error})") from error
        finally:
            path.unlink(missing_ok=True)
        if channels == 2:
            frames = _left_channel(frames)
        return Speech(frames, rate_hz)


def _espeak_binding(engine: Any) -> Any:
    """pyttsx3's espeak-ng module when the engine runs its espeak driver, else None."""
    driver = getattr(getattr(engine, "proxy", None), "_driver", None)
    if not type(driver).__module__.endswith(".espeak"):
        return None
    from pyttsx3.drivers import _espeak

    return _espeak


def _left_channel(frames: bytes) -> bytes:
    import numpy as np

    return np.frombuffer(frames, dtype="<i2")[::2].tobytes()


def _scaled(frames: bytes, volume: float) -> bytes:
    from voicecare.audio import float_to_pcm16, pcm16_to_float

    return float_to_pcm16(pcm16_to_float(frames) * max(0.0, volume))
