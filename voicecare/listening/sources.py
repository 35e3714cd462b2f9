"""Where audio comes from: the microphone (SpeechRecognition + PyAudio) or a WAV file.

Both give 16 kHz mono 16-bit PCM in small chunks. PyAudio is imported lazily.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from voicecare.audio import SAMPLE_RATE, SAMPLE_WIDTH
from voicecare.errors import AudioError
from voicecare.native_stderr import quiet_native_stderr

logger = logging.getLogger(__name__)

CHUNK_SECONDS = 0.03  # 30 ms: one endpointer frame; partials (barge-in) come per chunk
CHUNK_FRAMES = int(SAMPLE_RATE * CHUNK_SECONDS)
MAX_DISCARD_SECONDS = 3.0
NO_MICROPHONE = (
    "no microphone found{detail}; plug one in, or try 'voicecare chat' (typing) or "
    "'voicecare --audio-in FILE.wav' (a recording)"
)


class WavFileSource:
    """A recording, chunk by chunk; its clock is the audio's own time (see SampleClock)."""

    def __init__(self, path: Path) -> None:
        from voicecare.listening.wav_audio import read_wav

        self.path = path
        self._pcm = read_wav(path)
        self._position = 0
        self.clock = SampleClock()

    def read(self) -> bytes | None:
        if self._position >= len(self._pcm):
            return None
        size = CHUNK_FRAMES * SAMPLE_WIDTH
        chunk = self._pcm[self._position : self._position + size]
        self._position += len(chunk)
        self.clock.advance(len(chunk) / SAMPLE_WIDTH / SAMPLE_RATE)
        return chunk

    def discard_pending(self) -> None:
        pass  # a recording holds only the person's voice

    def close(self) -> None:
        pass


class SampleClock:
    """Time measured in audio fed so far; waiting for a timer jumps straight to it."""

    def __init__(self) -> None:
        self._seconds = 0.0

    def advance(self, seconds: float) -> None:
        self._seconds += seconds

    def now(self) -> float:
        return self._seconds

    def sleep_until(self, deadline: float) -> None:
        self._seconds = max(self._seconds, deadline)


class MicrophoneSource:
    """The default microphone through SpeechRecognition's ``Microphone`` (PyAudio)."""

    def __init__(self, device_index: int | None = None) -> None:
        try:
            import speech_recognition as sr
        except ImportError as error:  # pragma: no cover - a dependency
            raise AudioError(f"SpeechRecognition is not installed ({error})") from error
        try:
            with quiet_native_stderr():
                self._microphone: Any = sr.Microphone(
                    device_index=device_index, sample_rate=SAMPLE_RATE, chunk_size=CHUNK_FRAMES
                )
                self._stream: Any = self._microphone.__enter__().stream
        except AttributeError as error:  # SpeechRecognition says PyAudio is missing this way
            raise AudioError(
                f"PyAudio is not installed ({error}); run: pip install 'voicecare[mic]'"
            ) from error
        except (OSError, AssertionError) as error:
            raise AudioError(NO_MICROPHONE.format(detail=f" ({error})")) from error
        if self._stream is None:  # Microphone.__enter__ swallows the reason
            raise AudioError(NO_MICROPHONE.format(detail=" (the input device could not be opened)"))
        if self._microphone.SAMPLE_WIDTH != SAMPLE_WIDTH:
            raise AudioError("the microphone does not give 16-bit samples")

    def read(self) -> bytes | None:
        try:
            return bytes(self._stream.read(CHUNK_FRAMES))
        except OSError as error:
            raise AudioError(f"the microphone stopped working ({error})") from error

    def discard_pending(self) -> None:
        """Read and drop chunks until a read has to wait for live audio: the audio server
        may hold more than the local buffer reports."""
        deadline = time.monotonic() + MAX_DISCARD_SECONDS
        try:
            while time.monotonic() < deadline:
                started = time.monotonic()
                self._stream.read(CHUNK_FRAMES)
                if time.monotonic() - started >= CHUNK_SECONDS / 2:
                    return  # that chunk was live: caught up
        except OSError as error:
            logger.debug("could not drop pending audio: %s", error)

    def close(self) -> None:
        try:
            self._microphone.__exit__(None, None, None)
        except Exception as error:  # closing must never hide the real outcome
            logger.debug("closing the microphone failed: %s", error)
