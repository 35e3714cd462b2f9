"""The microphone with VoiceCare's own voice taken out.

The canceller runs only while there is something to cancel: from the moment a line starts
playing until ``ECHO_TAIL_SECONDS`` after it stopped (the room and the audio buffers still
carry it). When VoiceCare is quiet, the microphone's audio goes to the recognizer untouched,
and so it does while no echo is found (``EchoPathDetector``: with headphones there is none).
"""

from __future__ import annotations

import logging
from typing import Protocol

from voicecare.audio import SAMPLE_WIDTH, AudioSource
from voicecare.clock import Clock
from voicecare.echo.detector import EchoPathDetector
from voicecare.echo.reference import CaptureTimeline, PlaybackReference

logger = logging.getLogger(__name__)

ECHO_TAIL_SECONDS = 1.0


class EchoCanceller(Protocol):
    frame_samples: int  # ``process`` takes whole frames of this many samples

    def process(self, microphone: bytes, reference: bytes) -> bytes:
        """``microphone`` with ``reference`` (what was played at the same time, equally
        long 16 kHz 16-bit PCM) cancelled out of it."""

    def close(self) -> None: ...


class EchoCancellingSource:
    """An ``AudioSource`` whose chunks have what VoiceCare played taken out."""

    def __init__(
        self,
        source: AudioSource,
        canceller: EchoCanceller,
        reference: PlaybackReference,
        clock: Clock,
        timeline: CaptureTimeline | None = None,
        detector: EchoPathDetector | None = None,
    ) -> None:
        self._source = source
        self._canceller = canceller
        self._reference = reference
        self._clock = clock
        self._timeline = timeline or CaptureTimeline(reference.sample_rate)
        self.detector = detector or EchoPathDetector(reference.sample_rate)
        self._frame_bytes = canceller.frame_samples * SAMPLE_WIDTH
        self._held = b""  # captured audio short of a whole frame, cancelled with the next

    def read(self) -> bytes | None:
        chunk = self._source.read()
        if chunk is None:
            return None if not self._held else self._flush()
        start = self._timeline.chunk_start(self._clock.now(), len(chunk) // SAMPLE_WIDTH)
        start -= len(self._held) / SAMPLE_WIDTH / self._reference.sample_rate
        audio, self._held = self._held + chunk, b""
        whole = len(audio) - len(audio) % self._frame_bytes
        audio, self._held = audio[:whole], audio[whole:]
        if not self._echo_possible(start):
            return audio
        reference = self._reference.samples(start, len(audio) // SAMPLE_WIDTH)
        cleaned = self._canceller.process(audio, reference)  # fed all along: it keeps learning
        self.detector.add(audio, reference)
        return cleaned if self.detector.present else audio

    def discard_pending(self) -> None:
        self._source.discard_pending()

    def close(self) -> None:
        self._canceller.close()
        self._source.close()

    def _echo_possible(self, start: float) -> bool:
        ended = self._reference.last_sound_end()
        return ended is not None and start <= ended + ECHO_TAIL_SECONDS

    def _flush(self) -> bytes:
        audio, self._held = self._held, b""
        return audio
