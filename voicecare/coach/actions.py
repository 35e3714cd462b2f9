"""What the coach asks the shell to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Say:
    """Speak ``text`` at ``rate`` words per minute (queued after anything already queued)."""

    text: str
    rate: int


@dataclass(frozen=True)
class StopSpeaking:
    """Cut off whatever is being said and drop what is queued."""


@dataclass(frozen=True)
class StartTimer:
    """A hold or a set of repetitions started; the coach wants a tick at ``deadline``."""

    seconds: float
    deadline: float


@dataclass(frozen=True)
class CancelTimer:
    """The running hold was paused, skipped or stopped."""


@dataclass(frozen=True)
class EndSession:
    """The person said goodbye."""


@dataclass(frozen=True)
class Understood:
    """The coach took ``text`` (heard, not typed) as said to it; shown as "heard: ..."."""

    text: str


Action = Say | StopSpeaking | StartTimer | CancelTimer | EndSession | Understood
