"""Frozen, validated models of the content library (the schema lives in content/SCHEMA.md).

Validation is pydantic's (strict types, unknown fields forbidden); the loader turns its
errors into lines that name the file, the entry and the field.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    model_validator,
)

Identifier = Annotated[StrictStr, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1)]
Seconds = Annotated[StrictInt | StrictFloat, Field(gt=0)]
Count = Annotated[StrictInt, Field(gt=0)]
Phrases = Annotated[tuple[Text, ...], Field(min_length=1)]

DEFAULT_TRANSITION_SECONDS = 5.0  # to put a massage ball on the other side, or turn over

COMMAND_IDS: tuple[str, ...] = (
    "next",
    "back",
    "repeat",
    "skip",
    "pause",
    "resume",
    "stop",
    "slower",
    "faster",
    "help",
    "list",
    "time-left",
    "restart",
    "yes",
    "no",
    "pain",
)


class _Frozen(BaseModel):
    """Immutable; unknown fields are errors. Scalars are strict (no "30" for 30); lists
    become tuples."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class StepKind(str, Enum):
    SELF_MASSAGE = "self-massage"
    MASSAGE_BALL = "massage-ball"
    FOAM_ROLLER = "foam-roller"
    STRETCH = "stretch"
    BREATHING = "breathing"


class Step(_Frozen):
    text: Text
    kind: StepKind
    hold_seconds: Seconds | None = None
    reps: Count | None = None
    rep_seconds: Seconds = 3.0
    per_side: StrictBool = False
    # Seconds to change sides between the first side and the second (per_side steps only).
    transition_seconds: Seconds | None = None
    # How to go on more gently after "ouch" (a lighter pressure, a smaller range); without
    # it the coach uses the advice for the step's kind.
    gentler: Text | None = None

    @model_validator(mode="after")
    def _has_timing(self) -> Step:
        if self.hold_seconds is None and self.reps is None:
            raise ValueError("a step needs hold_seconds, reps, or both")
        if self.transition_seconds is not None and not self.per_side:
            raise ValueError("transition_seconds applies only to a step with per_side: true")
        return self

    @property
    def sides(self) -> tuple[str, ...]:
        return ("left", "right") if self.per_side else ("",)

    @property
    def switch_seconds(self) -> float:
        """Time given to change sides before the second side starts."""
        if self.transition_seconds is not None:
            return self.transition_seconds
        return DEFAULT_TRANSITION_SECONDS


class Routine(_Frozen):
    id: Identifier
    title: Text
    areas: Annotated[tuple[Text, ...], Field(min_length=1)]
    keywords: tuple[Text, ...] = ()
    phrases: Phrases
    safety_note: Text
    wrap_up: Text | None = None
    steps: Annotated[tuple[Step, ...], Field(min_length=1)]


class Topic(_Frozen):
    id: Identifier
    title: Text
    answer: Text
    keywords: tuple[Text, ...] = ()
    phrases: Phrases


class RedFlagSign(_Frozen):
    id: Identifier
    triggers: Phrases
    advice: Text | None = None


class RedFlags(_Frozen):
    advice: Text
    phrases: Phrases
    signs: tuple[RedFlagSign, ...] = ()

    def advice_for(self, sign_id: str | None) -> str:
        for sign in self.signs:
            if sign.id == sign_id and sign.advice:
                return sign.advice
        return self.advice


class Safety(_Frozen):
    disclaimer: Text
    red_flags: RedFlags


class Command(_Frozen):
    id: Identifier
    phrases: Phrases
    keywords: tuple[Text, ...] = ()


class Library(_Frozen):
    """Everything loaded from one content folder."""

    routines: tuple[Routine, ...]
    topics: tuple[Topic, ...]
    safety: Safety
    commands: tuple[Command, ...]

    def routine(self, routine_id: str) -> Routine | None:
        return next((r for r in self.routines if r.id == routine_id), None)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)
