"""A step as timed segments: what is said before each hold, set of reps or change of sides,
and the cues spoken while it runs (halfway, three-two-one, release, counted reps)."""

from __future__ import annotations

from dataclasses import dataclass

from voicecare.coach import lines
from voicecare.content.models import Step

HALFWAY_FROM_SECONDS = 10.0  # shorter holds get no "halfway"
COUNTDOWN_FROM_SECONDS = 6.0  # shorter holds get no "three, two, one"


@dataclass(frozen=True)
class Cue:
    at: float  # seconds after the segment started (already scaled)
    text: str


@dataclass(frozen=True)
class Segment:
    intro: str  # said before the timer starts
    duration: float  # seconds, scaled
    cues: tuple[Cue, ...]  # in time order; the last one is at ``duration`` (none: a pause)


def step_segments(step: Step, scale: float = 1.0) -> tuple[Segment, ...]:
    """The step's holds and reps in order; a per-side step gets a quiet pause between the
    sides (``transition_seconds``) so that there is time to turn over or move the ball."""
    segments: list[Segment] = []
    for side in step.sides:
        side_intro = ""
        if side == "left":
            side_intro = lines.side_start(side) + " "
        elif side == "right":
            segments.append(Segment(lines.SWITCH_SIDES, step.switch_seconds * scale, ()))
        if step.hold_seconds is not None:
            segments.append(_hold(side_intro, step.hold_seconds, scale))
            side_intro = ""
        if step.reps is not None:
            segments.append(_reps(side_intro, step.reps, step.rep_seconds, scale))
    return tuple(segments)


def _hold(intro: str, seconds: float, scale: float) -> Segment:
    cues: list[Cue] = []
    if seconds >= HALFWAY_FROM_SECONDS:
        cues.append(Cue(seconds / 2 * scale, lines.HALFWAY))
    if seconds >= COUNTDOWN_FROM_SECONDS:
        cues += [Cue((seconds - n) * scale, lines.count(n)) for n in (3, 2, 1)]
    cues.append(Cue(seconds * scale, lines.RELEASE))
    return Segment(intro + lines.hold_announcement(seconds), seconds * scale, tuple(cues))


def _reps(intro: str, reps: int, rep_seconds: float, scale: float) -> Segment:
    cues = [Cue(n * rep_seconds * scale, lines.count(n)) for n in range(1, reps + 1)]
    cues.append(Cue(reps * rep_seconds * scale, lines.REPS_DONE))
    return Segment(intro + lines.reps_announcement(reps), reps * rep_seconds * scale, tuple(cues))
