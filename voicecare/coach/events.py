"""What the coach is told: the events of a session, each handed to ``Coach.handle`` with the
time it happened.

One entry for all of them, so every shell (typed lines, a recording, the microphone) and the
tests order the coach's inputs the same way. ``Heard`` is the recognizer's own result type
(bottom floor), partial or final: the coach decides what to act on (barge-in, the echo
guard, understanding), the shell only passes it on.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicecare.heard import Heard


@dataclass(frozen=True)
class Start:
    """The session begins: greet."""


@dataclass(frozen=True)
class Typed:
    """A line the person typed (or a script): understood as a whole, no barge-in."""

    text: str


@dataclass(frozen=True)
class Playing:
    """What the speaker is doing: playing ``text`` now ("" between lines or silent), with
    lines still to be heard while ``speaking``. Tells barge-in what might be echo."""

    text: str
    speaking: bool


@dataclass(frozen=True)
class SpeechFinished:
    """Everything queued has been spoken (or cut off)."""


@dataclass(frozen=True)
class Tick:
    """A deadline the coach asked for (``next_deadline``) has come."""


Event = Start | Typed | Heard | Playing | SpeechFinished | Tick

__all__ = ["Event", "Heard", "Playing", "SpeechFinished", "Start", "Tick", "Typed"]
