"""The one interface every speech engine implements.

Audio is 16-bit signed little-endian mono PCM (see ``voicecare.audio``) at ``sample_rate``
(16 kHz for the bundled engines), fed in small chunks as it arrives. Engines are imported
lazily by their adapters.
"""

from __future__ import annotations

from typing import Protocol

from voicecare.heard import Heard


class Recognizer(Protocol):
    sample_rate: int

    def accept_audio(self, chunk: bytes) -> Heard | None:
        """Feed audio. Returns a final ``Heard`` when an utterance just ended, a partial
        ``Heard`` when the partial text changed, otherwise None."""

    def finish(self) -> Heard:
        """The stream ended: the final text of whatever was being said ("" if nothing)."""

    def reset(self) -> None:
        """Forget the current utterance (e.g. after VoiceCare spoke)."""
