"""Where the conversation is: what the coach is waiting for."""

from __future__ import annotations

from enum import Enum


class Mode(Enum):
    IDLE = "idle"  # listening for a complaint or a question
    CHOOSING = "choosing"  # asked which of two or three routines was meant
    ROUTINE = "routine"  # speaking a step or timing a hold
    PAUSED = "paused"  # the person said pause
    OFFERING = "offering"  # paused mid-routine, asked: continue it, or switch to another one
    CONFIRMING = "confirming"  # asked "did you say ...?" about a doubtful red flag
    ENDING = "ending"  # a stop at idle: asked whether to end the session
    ENDED = "ended"
