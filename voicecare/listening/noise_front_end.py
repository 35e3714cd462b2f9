"""The noise front end the bundled recognizer hears through: WebRTC's noise suppression and
high-pass filter (``voicecare.audio.WebRtcAudioProcessing``) on the audio before the voice
activity detector and the decoder.

PocketSphinx's acoustic model was trained on clean speech, and its restricted language model
fills whatever noise it is given with content words; taking the steady part of the noise out
first lets both the endpointer and the decoder see speech. Chunks of any length go in; the
audio comes out in whole 10 ms frames (a partial frame waits for the next chunk, so at most
10 ms is held back). The suppressor's noise estimate is kept across utterances, as a
microphone's room stays the same; ``clear`` drops only the partial frame.
"""

from __future__ import annotations

import logging

from voicecare.audio import WebRtcAudioProcessing

logger = logging.getLogger(__name__)


class NoiseFrontEnd:
    """``process(chunk)`` -> the cleaned audio of the whole frames received so far."""

    def __init__(self, *, high_pass: bool = True, gain_control: bool = False) -> None:
        self._module = WebRtcAudioProcessing(
            noise_suppression=True, high_pass_filter=high_pass, auto_gain_control=gain_control
        )
        self._pending = bytearray()

    def process(self, chunk: bytes) -> bytes:
        self._pending += chunk
        size = self._module.frame_bytes
        whole = len(self._pending) - len(self._pending) % size
        cleaned = b"".join(
            self._module.process(bytes(self._pending[start : start + size]))
            for start in range(0, whole, size)
        )
        del self._pending[:whole]
        return cleaned

    def flush(self) -> bytes:
        """The partial frame at the end of a stream, padded with silence to be processed,
        and given back at its own length."""
        if not self._pending:
            return b""
        length = len(self._pending)
        padded = bytes(self._pending) + bytes(self._module.frame_bytes - length)
        self._pending.clear()
        return self._module.process(padded)[:length]

    def clear(self) -> None:
        self._pending.clear()
