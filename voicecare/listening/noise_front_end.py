"""The noise front end the bundled recognizer hears through: WebRTC's noise suppression and
high-pass filter (``voicecare.audio.WebRtcAudioProcessing``) on the audio before the voice
activity detector and the decoder.

PocketSphinx's acoustic model was trained on clean speech, and its restricted language model
fills whatever noise it is given with content words; taking the steady part of the noise out
first lets both the endpointer and the decoder see speech. Chunks of any length go in; the
audio comes out in whole 10 ms frames (a partial frame waits for the next chunk, so at most
10 ms is held back). The suppressor's noise estimate is kept across utterances, as a
microphone's room stays the same; ``clear`` drops only the partial frame.

Where there is no noise to take out (the quietest 10 ms of the last second below
``QUIET_DBFS``: digital silence, a very quiet room), the audio passes unchanged: suppression
then only damps speech onsets it has no noise estimate for (synthetic speech after digital
silence was heard worse with it). The module still hears every frame, to keep its estimate.
"""

from __future__ import annotations

import logging
from collections import deque

import numpy as np

from voicecare.audio import WebRtcAudioProcessing

logger = logging.getLogger(__name__)

QUIET_DBFS = -70.0  # a floor below this has no noise worth suppressing
FLOOR_FRAMES = 100  # the floor is the quietest frame of the last second


class NoiseFrontEnd:
    """``process(chunk)`` -> the cleaned audio of the whole frames received so far."""

    def __init__(self, *, high_pass: bool = True, gain_control: bool = False) -> None:
        self._module = WebRtcAudioProcessing(
            noise_suppression=True, high_pass_filter=high_pass, auto_gain_control=gain_control
        )
        self._pending = bytearray()
        self._levels: deque[float] = deque(maxlen=FLOOR_FRAMES)

    def process(self, chunk: bytes) -> bytes:
        self._pending += chunk
        size = self._module.frame_bytes
        whole = len(self._pending) - len(self._pending) % size
        cleaned = b"".join(
            self._frame(bytes(self._pending[start : start + size]))
            for start in range(0, whole, size)
        )
        del self._pending[:whole]
        return cleaned

    @property
    def quiet(self) -> bool:
        """No noise to suppress: the audio passes unchanged."""
        return bool(self._levels) and min(self._levels) < QUIET_DBFS

    def _frame(self, frame: bytes) -> bytes:
        samples = np.frombuffer(frame, dtype="<i2").astype(np.float64) / 32768.0
        self._levels.append(float(10 * np.log10(np.mean(samples**2) + 1e-20)))
        cleaned = self._module.process(frame)
        return frame if self.quiet else cleaned

    def flush(self) -> bytes:
        """The partial frame at the end of a stream, padded with silence to be processed,
        and given back at its own length."""
        if not self._pending:
            return b""
        length = len(self._pending)
        padded = bytes(self._pending) + bytes(self._module.frame_bytes - length)
        self._pending.clear()
        return self._frame(padded)[:length]

    def clear(self) -> None:
        self._pending.clear()
