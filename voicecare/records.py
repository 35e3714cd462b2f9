"""What a session leaves behind, as plain frozen records: the coach's journal writes them, the
history store keeps them, and the next session's coach reads where a routine was left.

Bottom floor, so the pure coach and the storage adapter share them without knowing each
other. Nothing here holds audio or what was said: routine ids, step numbers, red-flag sign
ids, times.
"""

from __future__ import annotations

from dataclasses import dataclass

FINISHED = "finished"  # the routine ran to its wrap-up
STOPPED = "stopped"  # the person stopped it, or started another
INTERRUPTED = "interrupted"  # the session ended in the middle of it
RED_FLAG = "red-flag"  # a warning sign stopped it: never offered to continue
OUTCOMES = (FINISHED, STOPPED, INTERRUPTED, RED_FLAG)


@dataclass(frozen=True)
class RoutineRecord:
    routine_id: str
    step_count: int
    steps_reached: int  # the furthest step number heard (1-based)
    last_step: int  # the step number it was on when it ended (1-based)
    segment: int = 0  # which hold or set of reps of that step (0-based)
    hold_elapsed: float = 0.0  # seconds of that hold done when it ended
    outcome: str = FINISHED  # one of OUTCOMES
    seconds: float = 0.0  # how long it ran
    skipped: tuple[int, ...] = ()  # step numbers skipped
    ouch: tuple[int, ...] = ()  # step numbers where the person said "ouch"


@dataclass(frozen=True)
class SessionRecord:
    started: str  # local time, ISO 8601, to the second
    seconds: float
    routines: tuple[RoutineRecord, ...] = ()
    red_flags: tuple[str, ...] = ()  # sign ids, in the order raised
    id: int | None = None  # the store's own number, once kept


@dataclass(frozen=True)
class ResumePoint:
    """Where the last routine was left, for "continue where I left off"."""

    routine_id: str
    step: int  # 1-based
    segment: int = 0
    hold_elapsed: float = 0.0


def resume_point(sessions: list[SessionRecord]) -> ResumePoint | None:
    """The last routine of the newest sessions, if it was stopped or interrupted (one that
    finished, or that a red flag stopped, leaves nothing to continue)."""
    for session in sorted(sessions, key=lambda s: (s.started, s.id or 0), reverse=True):
        if not session.routines:
            continue
        last = session.routines[-1]
        if last.outcome not in (STOPPED, INTERRUPTED):
            return None
        return ResumePoint(last.routine_id, last.last_step, last.segment, last.hold_elapsed)
    return None
