"""What the companion page shows, as one frozen value: the shell builds it from the coach's
own state and actions after every turn, the server sends it to every page as JSON.

Plain data of the bottom floor only (no coach types), so the screen adapter knows nothing
of the core and the core nothing of the screen. Times are relative ("seconds left when this
was made"), so the page needs no clock shared with VoiceCare: it counts down from the moment
a state arrives.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

HOLD = "hold"  # a timed hold
REPS = "reps"  # a set of counted repetitions
SWITCH = "switch"  # the quiet pause to change sides

# The buttons of the page: each does what saying the command does.
BUTTONS = ("next", "back", "repeat", "pause", "resume", "stop")


@dataclass(frozen=True)
class Timer:
    """The hold (or set of reps, or change of sides) of the current step."""

    kind: str  # HOLD, REPS or SWITCH
    seconds: float  # how long it lasts in all (holds already scaled by --hold-scale)
    left: float  # seconds left when the state was made
    running: bool  # counting down now (False: being announced, or paused)
    side: str = ""  # "left", "right" or "" (both sides at once)
    reps: int = 0  # REPS: how many


@dataclass(frozen=True)
class ScreenState:
    """Everything the page shows; the default is a session not started yet."""

    routine: str = ""  # the routine's title; "" outside a routine
    step: int = 0  # 1-based; 0 outside a routine
    steps: int = 0
    text: str = ""  # the step's text
    timer: Timer | None = None
    paused: bool = False
    in_routine: bool = False
    said: str = ""  # the last line VoiceCare said
    heard: str = ""  # the last thing it heard (or was typed, or pressed)
    advice: str = ""  # the safety advice, after a red flag stopped everything
    can_say: tuple[str, ...] = ()  # what can be said now
    ended: bool = False  # the session is over

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))
