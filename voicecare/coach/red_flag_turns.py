"""The coach's turns about red flags: the advice when one is heard for sure, and the
question when it was only a close match ("Did you say your arm is numb?").

A mixin of :class:`~voicecare.coach.dialogue.Coach`, kept apart so the safety path can be
read on one page: a sure red flag stops speech and routine at once and never waits for a
question; a doubtful one pauses what was going on and asks; yes gives the advice, no goes
back exactly where it was (a hold keeps its time), anything else is understood as usual.
"""

from __future__ import annotations

from voicecare.coach import lines, red_flag_lines
from voicecare.coach.actions import Action, CancelTimer, StopSpeaking
from voicecare.coach.modes import Mode
from voicecare.coach.turns import Turns
from voicecare.matching import Match
from voicecare.matching.intents import command_intent

_YES = command_intent("yes")
_NO = command_intent("no")


class RedFlagTurns(Turns):
    def _red_flag(self, match: Match) -> list[Action]:
        in_routine = self.player is not None and self.in_routine
        advice = self.library.safety.red_flags.advice_for(match.sign, in_routine=in_routine)
        actions: list[Action] = [StopSpeaking()]
        if in_routine:
            actions.append(CancelTimer())
            self.stopped_for_safety = True
        self._leave_routine()
        self._asked_about = None
        self.choices = ()
        return [*actions, *self._reply(advice)]

    def _ask_about(self, match: Match, now: float) -> list[Action]:
        actions: list[Action] = [StopSpeaking()]
        if self.mode is not Mode.CONFIRMING:
            self._mode_before_question = self.mode
        if self.mode is Mode.ROUTINE and self.player is not None:
            self.player.pause(now)
            actions.append(CancelTimer())
        self.mode = Mode.CONFIRMING
        self._asked_about = match
        question = red_flag_lines.question(match, self.library.safety.red_flags)
        return [*actions, *self._reply(question)]

    def _answer_about_red_flag(self, match: Match, now: float) -> list[Action] | None:
        """The person's answer to "Did you say ...?"; None: not an answer, understand it as
        usual (the question is dropped and the routine stays paused)."""
        asked = self._asked_about
        assert asked is not None
        before = self._mode_before_question
        self._asked_about = None
        # A routine paused for the question is still paused if they talk of something else.
        self.mode = Mode.PAUSED if before is Mode.ROUTINE else before
        if match.intent == _YES:
            return self._red_flag(asked)
        if match.intent != _NO:
            return None
        if before is Mode.ROUTINE and self.player is not None:
            return [
                *self._say(red_flag_lines.DENIED_IN_ROUTINE),
                *self._resume(now, quietly=True),
            ]
        return self._reply(red_flag_lines.DENIED, lines.INVITATION if before is Mode.IDLE else "")
