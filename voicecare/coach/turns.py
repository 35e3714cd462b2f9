"""What every part of the conversation shares: the coach's state and the helpers
:class:`~voicecare.coach.dialogue.Coach` provides.

The coach's turns are split by subject (commands, red flags) into mixins of ``Coach`` so each
reads on a page or two; this base names what they may use, so a type checker and a reader
see it in one place.
"""

from __future__ import annotations

from voicecare.coach.actions import Action
from voicecare.coach.modes import Mode
from voicecare.coach.player import RoutinePlayer
from voicecare.content.models import Library, Routine
from voicecare.matching import Match
from voicecare.settings import SpeechSettings


class Turns:
    library: Library
    speech: SpeechSettings
    rate: int
    mode: Mode
    player: RoutinePlayer | None
    last_routine: Routine | None
    choices: tuple[Routine, ...]
    switch_to: Routine | None  # what "yes" starts while OFFERING
    suggested: Routine | None  # what "yes" starts at idle after a wrap-up offered it
    stopped_for_safety: bool
    _last_reply: tuple[str, ...]
    _asked_about: Match | None  # the doubtful red flag asked about
    _mode_before_question: Mode

    # Provided by Coach.
    @property
    def in_routine(self) -> bool:
        raise NotImplementedError

    def _leave_routine(self) -> None:
        raise NotImplementedError

    def _say(self, *texts: str) -> list[Action]:
        raise NotImplementedError

    def _reply(self, *texts: str) -> list[Action]:
        raise NotImplementedError

    def _resume(self, now: float, quietly: bool = False) -> list[Action]:
        raise NotImplementedError

    def _begin_step(self, index: int) -> list[Action]:
        raise NotImplementedError

    def _finish_routine(self) -> list[Action]:
        raise NotImplementedError

    def _start_routine(self, routine: Routine, restart: bool = False) -> list[Action]:
        raise NotImplementedError

    def _ask_choice(self) -> list[Action]:
        raise NotImplementedError
