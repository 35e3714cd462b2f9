"""Intent ids and the result of matching one utterance."""

from __future__ import annotations

from dataclasses import dataclass, field

NONE = "none"
RED_FLAGS = "safety:red-flags"
ROUTINE_PREFIX = "routine:"
INFO_PREFIX = "info:"
COMMAND_PREFIX = "command:"
WHERE = "ask:where"  # a complaint that names no body area: the coach asks where


def routine_intent(routine_id: str) -> str:
    return ROUTINE_PREFIX + routine_id


def info_intent(topic_id: str) -> str:
    return INFO_PREFIX + topic_id


def command_intent(command_id: str) -> str:
    return COMMAND_PREFIX + command_id


def family(intent: str) -> str:
    """'routine', 'info', 'safety', 'command', 'ask' or 'none'."""
    return intent.split(":", 1)[0]


def payload(intent: str) -> str:
    """The id after the family: 'neck' for 'routine:neck'."""
    return intent.split(":", 1)[1] if ":" in intent else ""


@dataclass(frozen=True)
class Alternative:
    intent: str
    score: float


@dataclass(frozen=True)
class Match:
    """What one utterance means.

    ``alternatives`` holds other intents whose score came within the ambiguity margin of
    the best one; when it is not empty the dialogue may ask which one was meant.
    ``sign`` names the red-flag sign that fired, if any; ``doubtful`` says it fired only
    on close matches (the coach asks first), ``heard_as`` is what it asks about.
    """

    text: str
    intent: str
    score: float
    alternatives: tuple[Alternative, ...] = field(default=())
    sign: str | None = None
    doubtful: bool = False
    heard_as: str | None = None
    area: str | None = None  # an ambiguous body area ("back") that chose the routines

    @property
    def understood(self) -> bool:
        return self.intent != NONE

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "intent": self.intent,
            "score": round(self.score, 1),
            "alternatives": [
                {"intent": a.intent, "score": round(a.score, 1)} for a in self.alternatives
            ],
            "sign": self.sign,
            "doubtful": self.doubtful,
            "area": self.area,
        }
