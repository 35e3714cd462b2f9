"""What the history says, spoken: "What did I do this week?", "How often did I do my neck?",
and the one short line at start-up or after a routine. Pure: the sessions and today's date
come in, sentences go out.

A mixin of :class:`~voicecare.coach.dialogue.Coach` (``RecapTurns``) and the functions it
speaks with, which the tests call directly.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from voicecare.coach.actions import Action
from voicecare.coach.events import Event, Start
from voicecare.coach.turns import Turns
from voicecare.content.models import Library
from voicecare.matching import words
from voicecare.matching.intents import family, payload
from voicecare.normalize import number_to_words
from voicecare.records import FINISHED, RoutineRecord, SessionRecord, resume_point
from voicecare.understanding import Understanding

WEEK_DAYS = 7
# The words of a "how often" question, taken out before the rest names a routine.
_QUESTION_WORDS = frozenset(
    [
        "how",
        "often",
        "many",
        "times",
        "did",
        "i",
        "do",
        "done",
        "have",
        "my",
        "the",
        "this",
        "week",
        "stretch",
        "stretched",
        "so",
        "far",
        "last",
        "lately",
        "routine",
        "routines",
        "in",
        "all",
        "ever",
    ]
)


def times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{number_to_words(count)} times")


def this_week(sessions: list[SessionRecord], today: date) -> list[SessionRecord]:
    """The sessions of the last seven days, today included."""
    since = (today - timedelta(days=WEEK_DAYS - 1)).isoformat()
    return [s for s in sessions if s.started[:10] >= since]


def week_summary(sessions: list[SessionRecord], today: date, library: Library) -> str:
    """ "This week you did four routines: Neck release twice, Desk break twice." """
    week = this_week(sessions, today)
    counts = Counter(r.routine_id for s in week for r in s.routines)
    if not counts:
        return "You have not done a routine in the last seven days. Shall we start one now?"
    total = sum(counts.values())
    each = ", ".join(f"{_title(library, rid)} {times(n)}" for rid, n in counts.most_common())
    noun = "routine" if total == 1 else "routines"
    line = f"In the last seven days you did {number_to_words(total)} {noun}: {each}."
    flags = sum(len(s.red_flags) for s in week)
    if flags:
        line += " You also told me about a warning sign; I hope you had it checked."
    return line


def routine_count(
    sessions: list[SessionRecord], today: date, library: Library, routine_id: str
) -> str:
    title = _title(library, routine_id)
    total = sum(r.routine_id == routine_id for s in sessions for r in s.routines)
    week = sum(r.routine_id == routine_id for s in this_week(sessions, today) for r in s.routines)
    if not total:
        return f"You have not done {title} with me yet."
    if not week:
        return f"Not in the last seven days; you did {title} {times(total)} before that."
    return f"You did {title} {times(week)} in the last seven days, and {times(total)} in all."


def start_up_line(sessions: list[SessionRecord], library: Library) -> str:
    """One short line from the history at start-up ("" when there is nothing to say)."""
    point = resume_point(sessions)
    if point is not None and library.routine(point.routine_id) is not None:
        title = _title(library, point.routine_id)
        return (
            f"Last time you stopped {title} at step {number_to_words(point.step)}. "
            "Say continue where I left off to pick it up."
        )
    return ""


def after_routine_line(sessions: list[SessionRecord], today: date, routine_id: str) -> str:
    """After a finished routine: how it adds up this week ("" the first time)."""
    week = this_week(sessions, today)
    done = sum(
        r.routine_id == routine_id and r.outcome == FINISHED for s in week for r in s.routines
    )
    if done < 2:
        return ""
    return f"That is {times(done)} this week. Keep it up."


def _title(library: Library, routine_id: str) -> str:
    routine = library.routine(routine_id)
    return routine.title if routine is not None else routine_id.replace("-", " ")


class RecapTurns(Turns):
    """Reads ``past_sessions`` (the history's, set by the shell) and ``today`` (the shell's
    date; without it, the day of the newest session: the coach reads no clock)."""

    understanding: Understanding
    past_sessions: tuple[SessionRecord, ...] = ()
    today: date | None = None
    _kept: list[RoutineRecord]

    def sessions_so_far(self) -> list[SessionRecord]:
        """The history and this session."""
        current = self.session_record(self._today().isoformat() + "T23:59:59")  # type: ignore[attr-defined]
        return [*self.past_sessions, current]

    def _today(self) -> date:
        if self.today is not None:
            return self.today
        days = [s.started[:10] for s in self.past_sessions if s.started[:10]]
        return date.fromisoformat(max(days)) if days else date(2000, 1, 1)

    def _history_lines(self, event: Event) -> list[Action]:
        """A line from the history after the greeting, or after a finished routine."""
        if isinstance(event, Start):
            return self._say(start_up_line(list(self.past_sessions), self.library))
        seen, self._kept_seen = getattr(self, "_kept_seen", 0), len(self._kept)
        if len(self._kept) <= seen or self.suggested is not None:
            return []
        last = self._kept[-1]
        if last.outcome != FINISHED:
            return []
        return self._say(after_routine_line(self.sessions_so_far(), self._today(), last.routine_id))

    def _cmd_recap(self, text: str, now: float) -> list[Action]:
        sessions = self.sessions_so_far()
        rest = " ".join(w for w in words(text) if w not in _QUESTION_WORDS)
        routine_id = None
        if rest:
            match = self.understanding.match(rest)
            if family(match.intent) == "routine":
                routine_id = payload(match.intent)
        if routine_id is not None:
            answer = routine_count(sessions, self._today(), self.library, routine_id)
        else:
            answer = week_summary(sessions, self._today(), self.library)
        return self._say(answer) if self.in_routine else self._reply(answer)
