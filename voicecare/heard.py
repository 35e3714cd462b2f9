"""What a speech recognizer made of the audio: a plain data type on the bottom floor, so the
listening adapters return it and the coach's barge-in reads it without either importing the
other."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heard:
    """What the engine made of the audio so far."""

    text: str
    final: bool  # True: the utterance ended (end of speech detected, or the stream ended)
