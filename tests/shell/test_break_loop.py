"""The turn loop keeps listening quietly at idle and wakes the coach for a break reminder:
typed input that times out (a terminal with nobody typing) lets the reminder come."""

from __future__ import annotations

from tests.fakes import FakeClock, RecordingSpeaker
from voicecare.coach import Coach
from voicecare.coach.break_turns import BREAK_REMINDER
from voicecare.settings import BreakSettings, CoachSettings
from voicecare.shell.session import LineInputs, TurnLoop


class NobodyTypesFor:
    """Times out ``quiet`` times (nothing typed), then gives ``lines``, then ends."""

    def __init__(self, quiet: int, lines: list[str]) -> None:
        self.quiet = quiet
        self.lines = list(lines)
        self.timeouts: list[float | None] = []

    def next_line(self, timeout: float | None) -> str | None:
        self.timeouts.append(timeout)
        if self.quiet:
            self.quiet -= 1
            return ""
        return self.lines.pop(0) if self.lines else None


def test_the_reminder_comes_while_nobody_types_and_yes_starts_the_desk_break(
    library, understanding
):
    breaks = BreakSettings(every_minutes=30)
    coach = Coach(library, understanding, CoachSettings(hold_scale=0, breaks=breaks))
    speaker, clock = RecordingSpeaker(), FakeClock(0.0)
    source = NobodyTypesFor(quiet=1, lines=["yes"])
    assert TurnLoop(coach, speaker, clock, lambda text: None).run(LineInputs(source)) == 0
    assert source.timeouts[0] == 30 * 60  # waited for the reminder, not forever
    reminder = speaker.texts.index(BREAK_REMINDER)
    assert speaker.texts[reminder + 1] == "Let's start: Desk break."
    assert speaker.texts[-1].startswith("That is the end of Desk break.")
