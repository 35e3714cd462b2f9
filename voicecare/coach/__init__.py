"""The coach: dialogue and routine player as a pure state machine.

Events in through ``Coach.handle`` (``events``: start, a typed line, a recognizer's result,
what the speaker plays, speech finished, a clock tick, each with the time ``now``), actions
out (say this, stop speaking, start or cancel a timer, end the session). The coach never
reads a clock, sleeps or does I/O.
"""

from voicecare.coach.actions import (
    Action,
    CancelTimer,
    EndSession,
    Say,
    StartTimer,
    StopSpeaking,
    Understood,
)
from voicecare.coach.dialogue import Coach
from voicecare.coach.events import Event, Heard, Playing, SpeechFinished, Start, Tick, Typed
from voicecare.coach.modes import Mode

__all__ = [
    "Action",
    "CancelTimer",
    "Coach",
    "EndSession",
    "Event",
    "Heard",
    "Mode",
    "Playing",
    "Say",
    "SpeechFinished",
    "Start",
    "StartTimer",
    "StopSpeaking",
    "Tick",
    "Typed",
    "Understood",
]
