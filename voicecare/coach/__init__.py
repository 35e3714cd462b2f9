"""The coach: dialogue and routine player as a pure state machine.

Events in (an utterance's text, speech finished, a clock tick, each with the time ``now``),
actions out (say this, stop speaking, start or cancel a timer, end the session). The coach
never reads a clock, sleeps or does I/O.
"""

from voicecare.coach.actions import (
    Action,
    CancelTimer,
    EndSession,
    Say,
    StartTimer,
    StopSpeaking,
)
from voicecare.coach.dialogue import Coach
from voicecare.coach.modes import Mode

__all__ = [
    "Action",
    "CancelTimer",
    "Coach",
    "EndSession",
    "Mode",
    "Say",
    "StartTimer",
    "StopSpeaking",
]
