"""Break reminders in the conversation: "Time for a short break. Shall we do the desk break?"
and its answers. A mixin of :class:`~voicecare.coach.dialogue.Coach`; the clock arithmetic
is ``breaks.BreakSchedule``.

The reminder is asked only at idle (never during a routine, a choice or a question), and
the answer is taken before anything else but a red flag: yes starts the desk break,
"later" snoozes, "no" skips this one; anything else lets the offer go and is understood
as usual.
"""

from __future__ import annotations

import logging

from voicecare.coach.actions import Action
from voicecare.coach.breaks import BreakSchedule, asks_for_later
from voicecare.coach.modes import Mode
from voicecare.coach.turns import Turns
from voicecare.matching import Match
from voicecare.matching.intents import command_intent
from voicecare.normalize import number_to_words
from voicecare.settings import BreakSettings

logger = logging.getLogger(__name__)

BREAK_REMINDER = "Time for a short break. Shall we do the desk break?"
BREAK_SKIPPED = "All right, no break this time."
_YES = command_intent("yes")
_NO = command_intent("no")
# Put off while the coach is busy (choosing, asked a question): try again this much later.
BUSY_RETRY_SECONDS = 60.0


def snoozed_line(minutes: float) -> str:
    amount = number_to_words(round(minutes)) if minutes >= 1 else "a moment"
    unit = "" if minutes < 1 else (" minute" if round(minutes) == 1 else " minutes")
    return f"All right, I will ask again in {amount}{unit}."


class BreakTurns(Turns):
    breaks: BreakSchedule
    break_offered: bool

    def _init_breaks(self, settings: BreakSettings) -> None:
        self.breaks = BreakSchedule(settings)
        self.break_offered = False
        self._breaks_started = False

    def _watch_breaks(self, now: float) -> None:
        """After every event: a routine holds the reminders off; the idle time after it
        counts from when it ended."""
        if not self.breaks.enabled:
            return
        if self.in_routine or self.mode is Mode.ENDED:
            self.breaks.in_routine()
            self.break_offered = False
        elif self.breaks.due is None or not self._breaks_started:
            self.breaks.start(now)
            self._breaks_started = True

    @property
    def break_deadline(self) -> float | None:
        return self.breaks.due if self.breaks.enabled else None

    def _break_tick(self, now: float) -> list[Action] | None:
        """The reminder when it is due (None: not a break's tick)."""
        if not self.breaks.is_due(now) or self.in_routine:
            return None
        if self.breaks.quiet(now):
            self.breaks.start(now)  # moved to the end of the quiet hours
            return []
        if self.mode is not Mode.IDLE:
            self.breaks.due = now + BUSY_RETRY_SECONDS
            return []
        logger.debug("break reminder due at %.1f", now)
        self.break_offered = True
        self.breaks.start(now)  # unanswered, it is asked again an interval later
        return self._reply(BREAK_REMINDER)

    def _answer_break(self, match: Match, now: float) -> list[Action] | None:
        """The answer to the reminder; None when it was not one (the offer lapses)."""
        if not self.break_offered:
            return None
        self.break_offered = False
        if asks_for_later(match.text):
            self.breaks.snooze(now)
            return self._reply(snoozed_line(self.breaks.settings.snooze_minutes))
        if match.intent == _YES:
            routine = self.library.routine(self.breaks.settings.routine)
            if routine is not None:
                return self._start_routine(routine)
            logger.warning("no routine %r for the break", self.breaks.settings.routine)
            return self._reply(BREAK_SKIPPED)
        if match.intent == _NO:
            self.breaks.skip(now)
            return self._reply(BREAK_SKIPPED)
        return None
