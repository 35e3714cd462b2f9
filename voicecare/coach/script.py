"""A routine as it would be spoken, with timings: the coach run on a simulated clock."""

from __future__ import annotations

from voicecare.coach.actions import Action, Say
from voicecare.coach.dialogue import Coach
from voicecare.coach.durations import speaking_seconds
from voicecare.coach.events import SpeechFinished, Tick
from voicecare.coach.modes import Mode
from voicecare.content.models import Library, Routine
from voicecare.matching import IntentMatcher
from voicecare.settings import CoachSettings, SpeechSettings


def routine_script(
    library: Library, routine: Routine, speech: SpeechSettings | None = None
) -> list[tuple[float, str]]:
    """Every line the coach says for ``routine`` and when (seconds from the start), if
    nobody interrupts; speech time is estimated from the word count."""
    coach = Coach(library, IntentMatcher(library), CoachSettings(), speech or SpeechSettings())
    script: list[tuple[float, str]] = []
    now = 0.0

    def record(actions: list[Action]) -> float:
        end = now
        for action in actions:
            if isinstance(action, Say):
                script.append((end, action.text))
                end += speaking_seconds(action.text, action.rate)
        return end

    now = record(coach.start_routine(routine))
    while coach.mode is Mode.ROUTINE:
        now = max(now, record(coach.handle(SpeechFinished(), now)))
        deadline = coach.next_deadline
        if deadline is None:
            break
        now = max(now, deadline)
        now = record(coach.handle(Tick(), now))
    return script
