"""The break-reminder schedule for desk workers: when to say "Time for a short break", as
pure clock arithmetic.

After ``every`` seconds without a routine the reminder is due; "later" puts it off by the
snooze time, "no" skips this one (the next comes a full interval later), and a reminder that
falls in the quiet hours waits for their end. While a routine runs nothing is due: the idle
time starts again when the routine ends. Times are the session clock's ``now`` (seconds);
the time of day is ``now + day_offset`` modulo a day, the offset measured once at the
command-line edge, so tests run a whole working day on a fake clock in microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicecare.normalize import words
from voicecare.settings import BreakSettings

DAY = 24 * 60 * 60.0
# What defers the reminder rather than declining it: "later", "not now", "in a bit".
_LATER_WORDS = frozenset({"later", "snooze", "soon", "minutes", "afterwards", "remind", "wait"})
_LATER_PHRASES = ("not now", "not yet", "in a bit", "in a while", "in a minute")


def asks_for_later(text: str) -> bool:
    """True when ``text`` puts the break off ("later", "not now", "in ten minutes")."""
    said = words(text, drop_fillers=False)
    if _LATER_WORDS & set(said):
        return True
    joined = f" {' '.join(said)} "
    return any(f" {phrase} " in joined for phrase in _LATER_PHRASES)


@dataclass
class BreakSchedule:
    """When the next reminder is due; ``None`` when reminders are off."""

    settings: BreakSettings
    due: float | None = None

    @property
    def enabled(self) -> bool:
        return self.settings.every_minutes is not None

    @property
    def every(self) -> float:
        return (self.settings.every_minutes or 0) * 60.0

    def start(self, now: float) -> None:
        """The session (or the idle time after a routine) begins at ``now``."""
        self.due = self._outside_quiet_hours(now + self.every) if self.enabled else None

    def in_routine(self) -> None:
        """A routine is running: nothing is due until it ends (``start`` again)."""
        self.due = None

    def snooze(self, now: float) -> None:
        """ "Later": ask again after the snooze time."""
        self.due = self._outside_quiet_hours(now + self.settings.snooze_minutes * 60.0)

    def skip(self, now: float) -> None:
        """ "No": this one is skipped; the next comes a full interval from now."""
        self.start(now)

    def is_due(self, now: float) -> bool:
        return self.due is not None and now >= self.due

    def quiet(self, now: float) -> bool:
        """True when ``now`` falls in the quiet hours (start inclusive, end exclusive; a span
        such as 22:00-07:00 goes over midnight)."""
        span = self.settings.quiet_hours
        if span is None:
            return False
        start, end = (minutes * 60.0 for minutes in span)
        of_day = self.time_of_day(now)
        if start <= end:
            return start <= of_day < end
        return of_day >= start or of_day < end

    def time_of_day(self, now: float) -> float:
        """Seconds since local midnight at ``now``."""
        return (now + self.settings.day_offset) % DAY

    def _outside_quiet_hours(self, when: float) -> float:
        """``when``, or the end of the quiet hours it falls in."""
        span = self.settings.quiet_hours
        if span is None or not self.quiet(when):
            return when
        end = span[1] * 60.0
        return when + (end - self.time_of_day(when)) % DAY
