"""The session's journal: which routines ran, how far, what was skipped, where it hurt, which
red flags were raised (sign ids only), and for how long -- and "continue where I left off".

A mixin of :class:`~voicecare.coach.dialogue.Coach`. It watches every event from outside the
turns (a snapshot before, the state after), so the conversation's code does not change for
it; the shell keeps the ``SessionRecord`` it gives (``voicecare.records``). Pure: times in,
records out; nothing heard is kept.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from voicecare.coach import lines
from voicecare.coach.actions import Action, Say
from voicecare.coach.modes import Mode
from voicecare.coach.player import Phase, RoutinePlayer
from voicecare.coach.turns import Turns
from voicecare.matching import RED_FLAGS, Match
from voicecare.matching.intents import command_intent
from voicecare.records import (
    FINISHED,
    INTERRUPTED,
    RED_FLAG,
    STOPPED,
    ResumePoint,
    RoutineRecord,
    SessionRecord,
    resume_point,
)

logger = logging.getLogger(__name__)

_YES = command_intent("yes")
_SKIP = command_intent("skip")
_PAIN = command_intent("pain")
_RESUME = command_intent("resume")


def picking_up(title: str) -> str:
    return f"Picking up {title} where you left off."


def hold_left(seconds: float) -> str:
    left = lines.sentence(lines.seconds_words(seconds))
    return f"{left} left in this hold. Say resume when you are ready."


@dataclass
class _Open:
    """The routine being journaled."""

    player: RoutinePlayer
    started_at: float
    steps_reached: int = 1
    skipped: list[int] = field(default_factory=list)
    ouch: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Before:
    player: RoutinePlayer | None
    step: int
    segment: int
    elapsed: float
    mode: Mode
    asked_about: Match | None
    stopped_for_safety: bool


class JournalTurns(Turns):
    stopped_for_safety: bool

    def _init_journal(self) -> None:
        self._journal_started: float | None = None
        self._journal_now = 0.0
        self._open: _Open | None = None
        self._kept: list[RoutineRecord] = []
        self._red_flags: list[str] = []
        self._acted_on: Match | None = None
        self.resume_from: ResumePoint | None = None  # from the history of earlier sessions

    def _journal_match(self, match: Match) -> None:
        """The utterance the coach is acting on (called from ``_hear_match``)."""
        self._acted_on = match

    def _journal_before(self, now: float) -> _Before:
        self._acted_on = None
        if self._journal_started is None:
            self._journal_started = now
        player = self.player
        return _Before(
            player,
            player.step_index if player else 0,
            player.segment_index if player else 0,
            player.elapsed(now) if player else 0.0,
            self.mode,
            self._asked_about,
            self.stopped_for_safety,
        )

    def _journal_after(self, before: _Before, actions: list[Action], now: float) -> None:
        self._journal_now = now
        match = self._acted_on
        if match is not None:
            self._note_match(before, match)
        if self.player is not before.player:
            if before.player is not None and self._open is not None:
                self._close(before, self._outcome(before, actions), now)
            if self.player is not None:
                self._open = _Open(self.player, now, steps_reached=self.player.step_index + 1)
        if self.player is not None and self._open is not None:
            reached = self.player.step_index + 1
            self._open.steps_reached = max(self._open.steps_reached, reached)

    def _note_match(self, before: _Before, match: Match) -> None:
        sign = None
        if match.intent == RED_FLAGS and not match.doubtful:
            sign = match.sign
        elif before.mode is Mode.CONFIRMING and match.intent == _YES and before.asked_about:
            sign = before.asked_about.sign
        if sign:
            self._red_flags.append(sign)
        if self._open is not None and before.player is self._open.player:
            if match.intent == _SKIP:
                self._open.skipped.append(before.step + 1)
            elif match.intent == _PAIN:
                self._open.ouch.append(before.step + 1)

    def _outcome(self, before: _Before, actions: list[Action]) -> str:
        assert before.player is not None
        if self.stopped_for_safety and not before.stopped_for_safety:
            return RED_FLAG
        end = lines.wrap_up(before.player.routine.title, None).removesuffix(" Well done.")
        if any(isinstance(a, Say) and a.text.startswith(end) for a in actions):
            return FINISHED
        return STOPPED

    def _close(self, before: _Before, outcome: str, now: float) -> None:
        opened = self._open
        assert opened is not None
        self._open = None
        routine = opened.player.routine
        self._kept.append(
            RoutineRecord(
                routine_id=routine.id,
                step_count=len(routine.steps),
                steps_reached=opened.steps_reached,
                last_step=before.step + 1,
                segment=before.segment,
                hold_elapsed=round(before.elapsed, 3),
                outcome=outcome,
                seconds=round(now - opened.started_at, 3),
                skipped=tuple(opened.skipped),
                ouch=tuple(opened.ouch),
            )
        )

    def session_record(self, started: str, now: float | None = None) -> SessionRecord:
        """What this session did so far; a routine still running counts as interrupted."""
        now = self._journal_now if now is None else now
        routines = list(self._kept)
        opened, player = self._open, self.player
        if opened is not None and player is not None:
            routine = player.routine
            routines.append(
                RoutineRecord(
                    routine_id=routine.id,
                    step_count=len(routine.steps),
                    steps_reached=opened.steps_reached,
                    last_step=player.step_index + 1,
                    segment=player.segment_index,
                    hold_elapsed=round(player.elapsed(now), 3),
                    outcome=INTERRUPTED,
                    seconds=round(now - opened.started_at, 3),
                    skipped=tuple(opened.skipped),
                    ouch=tuple(opened.ouch),
                )
            )
        start = self._journal_started if self._journal_started is not None else now
        return SessionRecord(
            started=started,
            seconds=round(now - start, 3),
            routines=tuple(routines),
            red_flags=tuple(self._red_flags),
        )

    # ------------------------------------------------- continue where I left off

    def _continue_point(self) -> ResumePoint | None:
        if self._kept:  # this session's own last routine comes first
            return resume_point([SessionRecord(started="", seconds=0, routines=(self._kept[-1],))])
        return self.resume_from

    def _continue_where_left(self, match: Match, now: float) -> list[Action] | None:
        """ "Continue where I left off" at idle: the last stopped routine, at its step (a
        hold that was running waits, paused, with the time it had left)."""
        if match.intent != _RESUME or self.mode is not Mode.IDLE or self.stopped_for_safety:
            return None
        point = self._continue_point()
        routine = self.library.routine(point.routine_id) if point else None
        if point is None or routine is None:
            return None
        self._start_routine(routine)  # the player, as if asked for; its words are not said
        player = self.player
        assert player is not None
        player.go_to_step(point.step - 1)
        heading = lines.step_heading(player.step_index + 1, player.step_count)
        said = [picking_up(routine.title), routine.safety_note, heading, player.step.text]
        while player.segment_index < point.segment and player.next_segment():
            pass
        left = player.segment.duration - point.hold_elapsed
        if point.hold_elapsed > 0 and left > 0:
            player.phase = Phase.PAUSED
            player.paused_from = Phase.TIMING
            player.elapsed_when_paused = point.hold_elapsed
            self.mode = Mode.PAUSED
            said.append(hold_left(left))
        else:
            self.mode = Mode.ROUTINE
            said.append(player.segment.intro)
        self.resume_from = None
        return self._reply(*said)
