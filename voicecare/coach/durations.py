"""How long a routine takes as the coach runs it: its speech, its holds and reps, and the
pauses to change sides, in the order the coach says them.

One formula for every figure a person sees or hears ("about eight minutes" in ``show`` and
``routines``, ``total_seconds`` in JSON, "how much longer"), so that they agree with the
timeline ``show`` prints. Speech time is estimated from the word count at the speech rate.
"""

from __future__ import annotations

from voicecare.coach import lines
from voicecare.coach.timeline import Segment, step_segments
from voicecare.content.models import Routine
from voicecare.settings import SpeechSettings

DEFAULT_RATE = SpeechSettings().rate


def speaking_seconds(text: str, rate: int) -> float:
    """A rough duration of ``text`` spoken at ``rate`` words per minute."""
    return len(text.split()) * 60.0 / rate


def segment_seconds(segment: Segment, rate: int) -> float:
    """The segment's announcement, its timer, and what is said when the timer ends."""
    return speaking_seconds(segment.intro, rate) + segment.duration + closing_seconds(segment, rate)


def closing_seconds(segment: Segment, rate: int) -> float:
    """What is said at the very end of the timer ("And release.", the last count and
    "Good."): the next announcement waits for it."""
    ending = [cue.text for cue in segment.cues if cue.at >= segment.duration]
    return sum(speaking_seconds(text, rate) for text in ending)


def intro_seconds(routine: Routine, rate: int) -> float:
    """The title and the safety note, before step one."""
    intro = lines.routine_intro(routine.title)
    return speaking_seconds(intro, rate) + speaking_seconds(routine.safety_note, rate)


def step_seconds(routine: Routine, index: int, scale: float, rate: int) -> float:
    """Step ``index`` from its heading to its last cue."""
    step = routine.steps[index]
    heading = lines.step_heading(index + 1, len(routine.steps))
    spoken = speaking_seconds(heading, rate) + speaking_seconds(step.text, rate)
    return spoken + sum(segment_seconds(s, rate) for s in step_segments(step, scale))


def routine_seconds(routine: Routine, scale: float = 1.0, rate: int = DEFAULT_RATE) -> float:
    """From "Let's start" to the wrap-up: where the timeline of ``voicecare show`` ends."""
    steps = sum(step_seconds(routine, i, scale, rate) for i in range(len(routine.steps)))
    return intro_seconds(routine, rate) + steps
