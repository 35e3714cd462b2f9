"""Where we are in a routine, and the clock arithmetic of holds: start, cues due, pause,
resume, time left. All times are passed in; nothing here reads a clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from voicecare.coach.durations import closing_seconds, segment_seconds, step_seconds
from voicecare.coach.timeline import Segment, step_segments
from voicecare.content.models import Routine, Step

# A cue scheduled at ``started_at + at`` is due at that time although
# ``(started_at + at) - started_at`` may come out a hair below ``at``.
TOLERANCE = 1e-6


class Phase(Enum):
    ANNOUNCING = "announcing"  # the step or the segment intro is being spoken
    TIMING = "timing"  # a hold or reps are running on the clock
    PAUSED = "paused"  # frozen; ``paused_from`` says what to go back to


@dataclass
class RoutinePlayer:
    routine: Routine
    scale: float = 1.0
    step_index: int = 0
    segment_index: int = 0
    phase: Phase = Phase.ANNOUNCING
    paused_from: Phase = Phase.ANNOUNCING
    started_at: float = 0.0  # when the running segment's timer started
    elapsed_when_paused: float = 0.0
    next_cue: int = 0
    _segments: tuple[Segment, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        self.go_to_step(self.step_index)

    # ----------------------------------------------------------- position

    @property
    def step(self) -> Step:
        return self.routine.steps[self.step_index]

    @property
    def step_count(self) -> int:
        return len(self.routine.steps)

    @property
    def segment(self) -> Segment:
        return self._segments[self.segment_index]

    @property
    def is_last_step(self) -> bool:
        return self.step_index == self.step_count - 1

    def go_to_step(self, index: int) -> None:
        self.step_index = max(0, min(index, self.step_count - 1))
        self._segments = step_segments(self.step, self.scale)
        self.segment_index = 0
        self.phase = Phase.ANNOUNCING
        self.next_cue = 0

    def next_segment(self) -> bool:
        """Move to the step's next segment; False when the step is done."""
        if self.segment_index + 1 >= len(self._segments):
            return False
        self.segment_index += 1
        self.phase = Phase.ANNOUNCING
        self.next_cue = 0
        return True

    # -------------------------------------------------------------- clock

    def start_timing(self, now: float) -> None:
        self.phase = Phase.TIMING
        self.started_at = now
        self.next_cue = 0

    def elapsed(self, now: float) -> float:
        if self.phase is Phase.TIMING:
            return now - self.started_at
        if self.phase is Phase.PAUSED and self.paused_from is Phase.TIMING:
            return self.elapsed_when_paused
        return 0.0

    def deadline(self) -> float | None:
        """When the next cue is due, while timing."""
        if self.phase is not Phase.TIMING:
            return None
        cues = self.segment.cues
        offset = cues[self.next_cue].at if self.next_cue < len(cues) else self.segment.duration
        return self.started_at + offset

    def due_cues(self, now: float) -> tuple[list[str], bool]:
        """The cue texts due by ``now``, and whether the segment has ended."""
        if self.phase is not Phase.TIMING:
            return [], False
        elapsed = now - self.started_at + TOLERANCE
        cues = self.segment.cues
        texts = []
        while self.next_cue < len(cues) and cues[self.next_cue].at <= elapsed:
            texts.append(cues[self.next_cue].text)
            self.next_cue += 1
        return texts, elapsed >= self.segment.duration and self.next_cue >= len(cues)

    def pause(self, now: float) -> None:
        if self.phase is Phase.PAUSED:
            return
        self.paused_from = self.phase
        self.elapsed_when_paused = self.elapsed(now) if self.phase is Phase.TIMING else 0.0
        self.phase = Phase.PAUSED

    def resume(self, now: float) -> bool:
        """Unfreeze; True when a timer runs again (False: the step must be spoken again)."""
        if self.phase is not Phase.PAUSED:
            return self.phase is Phase.TIMING
        if self.paused_from is Phase.TIMING:
            self.phase = Phase.TIMING
            self.started_at = now - self.elapsed_when_paused
            return True
        self.go_to_step(self.step_index)
        return False

    def seconds_left(self, now: float, rate: int) -> float:
        """Time left in this routine from ``now`` (scaled holds, speech at ``rate``), by the
        same reckoning as the routine's total (coach/durations.py)."""
        routine, index = self.routine, self.step_index
        later = sum(
            step_seconds(routine, i, self.scale, rate) for i in range(index + 1, self.step_count)
        )
        announcing = self.phase is Phase.ANNOUNCING
        if self.phase is Phase.PAUSED and self.paused_from is Phase.ANNOUNCING:
            announcing, restarts = True, True  # resuming speaks the step again
        else:
            restarts = announcing and self.segment_index == 0
        if restarts:
            return step_seconds(routine, index, self.scale, rate) + later
        segment = self.segment
        if announcing:
            current = segment_seconds(segment, rate)
        else:
            running = max(0.0, segment.duration - self.elapsed(now))
            current = running + closing_seconds(segment, rate)
        rest = sum(segment_seconds(s, rate) for s in self._segments[self.segment_index + 1 :])
        return current + rest + later
