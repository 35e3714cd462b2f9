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
    # The engine's next guesses for the same audio, best first (finals of engines that give
    # an n-best list): the safety screen asks before acting on a red flag they do not share.
    alternatives: tuple[str, ...] = ()
    # Two-pass hearing: what the fast streaming ear made of the same audio when ``text`` is
    # the accurate ear's (None: one ear only). The core decides between them.
    first_pass: str | None = None
    # How sure the engine is that these words were said, 0-1 (None: it gives no measure);
    # a final the engine rejected outright comes with no text.
    confidence: float | None = None
