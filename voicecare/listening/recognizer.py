"""The one interface every speech engine implements.

Audio is 16-bit signed little-endian mono PCM at ``sample_rate`` (16 kHz for the bundled
engines), fed in small chunks as it arrives. Engines are imported lazily by their adapters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

SAMPLE_RATE = 16_000
SAMPLE_WIDTH = 2  # bytes: 16-bit PCM


@dataclass(frozen=True)
class Heard:
    """What the engine made of the audio so far."""

    text: str
    final: bool  # True: the utterance ended (end of speech detected, or the stream ended)


class Recognizer(Protocol):
    sample_rate: int

    def accept_audio(self, chunk: bytes) -> Heard | None:
        """Feed audio. Returns a final ``Heard`` when an utterance just ended, a partial
        ``Heard`` when the partial text changed, otherwise None."""

    def finish(self) -> Heard:
        """The stream ended: the final text of whatever was being said ("" if nothing)."""

    def reset(self) -> None:
        """Forget the current utterance (e.g. after VoiceCare spoke)."""
