"""The commands the person can give ("next", "pause", "how much longer" ...): one handler
each, and the table that names them.

``COMMANDS`` maps every command id of the content (``content/commands.yaml``) to its
handler and says whether it is a voice control -- acted on from a partial result while
VoiceCare talks, cutting it off (see ``barge_in``) -- and how the routine help line names
it. A new command is an entry in commands.yaml and a handler here: ``command_problems`` (run
by the coach when it starts and by ``voicecare content check``) names what disagrees. A
mixin of :class:`~voicecare.coach.dialogue.Coach`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from voicecare.coach import lines
from voicecare.coach.actions import Action, CancelTimer, EndSession, StopSpeaking
from voicecare.coach.modes import Mode
from voicecare.coach.recap import RecapTurns
from voicecare.coach.turns import Turns
from voicecare.content.models import Library
from voicecare.matching import words
from voicecare.matching.intents import command_intent

SLOWEST_RATE = 90
FASTEST_RATE = 260
_SLOW_WORDS = {"slower", "slowly", "slow"}


class CommandTurns(Turns):
    def _cmd_next(self, text: str, now: float) -> list[Action]:
        if not self.in_routine or self.player is None:
            return self._reply(lines.NO_ROUTINE)
        if self.player.is_last_step:
            return [StopSpeaking(), CancelTimer(), *self._finish_routine()]
        return [StopSpeaking(), CancelTimer(), *self._begin_step(self.player.step_index + 1)]

    def _cmd_skip(self, text: str, now: float) -> list[Action]:
        if not self.in_routine or self.player is None:
            return self._reply(lines.NO_ROUTINE)
        actions = self._cmd_next(text, now)
        return [actions[0], actions[1], *self._say(lines.SKIPPING), *actions[2:]]

    def _cmd_back(self, text: str, now: float) -> list[Action]:
        if not self.in_routine or self.player is None:
            return self._reply(lines.NO_ROUTINE)
        if self.player.step_index == 0:
            return [
                StopSpeaking(),
                CancelTimer(),
                *self._say(lines.FIRST_STEP),
                *self._begin_step(0),
            ]
        return [StopSpeaking(), CancelTimer(), *self._begin_step(self.player.step_index - 1)]

    def _cmd_repeat(self, text: str, now: float) -> list[Action]:
        if _SLOW_WORDS & set(words(text)):
            self.rate = max(SLOWEST_RATE, self.rate - self.speech.rate_step)
        if self.mode is Mode.CHOOSING:
            return self._ask_choice()
        if self.mode is Mode.OFFERING and self._last_reply:
            return [StopSpeaking(), *self._say(*self._last_reply)]
        if self.in_routine and self.player is not None:
            return [StopSpeaking(), CancelTimer(), *self._begin_step(self.player.step_index)]
        if self._last_reply:
            return [StopSpeaking(), *self._say(*self._last_reply)]
        return self._reply(lines.INVITATION)

    def _cmd_restart(self, text: str, now: float) -> list[Action]:
        if self.stopped_for_safety and not self.in_routine:
            return self._reply(lines.RED_FLAG_RESUME)
        routine = self.player.routine if self.in_routine and self.player else self.last_routine
        if routine is None:
            return self._reply(lines.NO_ROUTINE)
        return [StopSpeaking(), CancelTimer(), *self._start_routine(routine, restart=True)]

    def _cmd_pause(self, text: str, now: float) -> list[Action]:
        if self.mode in (Mode.PAUSED, Mode.OFFERING):
            return self._reply(lines.ALREADY_PAUSED)
        if self.mode is not Mode.ROUTINE or self.player is None:
            return self._reply(lines.NO_ROUTINE)
        self.player.pause(now)
        self.mode = Mode.PAUSED
        return [StopSpeaking(), CancelTimer(), *self._say(lines.PAUSED)]

    def _cmd_pain(self, text: str, now: float) -> list[Action]:
        """ "Ouch" or "that hurts": pause the step, say how to go on gently."""
        if self.mode is Mode.ROUTINE and self.player is not None:
            self.player.pause(now)
            self.mode = Mode.PAUSED
            return [StopSpeaking(), CancelTimer(), *self._say(lines.pain_paused(self.player.step))]
        if self.mode in (Mode.PAUSED, Mode.OFFERING) and self.player is not None:
            return [StopSpeaking(), *self._say(lines.pain_paused(self.player.step))]
        return self._reply(lines.PAIN_IDLE)

    def _cmd_resume(self, text: str, now: float) -> list[Action]:
        if self.mode in (Mode.PAUSED, Mode.OFFERING) and self.player is not None:
            return self._resume(now)
        if self.stopped_for_safety and not self.in_routine:
            return self._reply(lines.RED_FLAG_RESUME)
        if self.mode is Mode.ROUTINE:
            return self._reply(lines.NOT_PAUSED)
        return self._reply(lines.NO_ROUTINE)

    def _cmd_stop(self, text: str, now: float) -> list[Action]:
        if self.in_routine and self.player is not None:
            title = self.player.routine.title
            self._leave_routine()
            return [StopSpeaking(), CancelTimer(), *self._reply(lines.stopped_routine(title))]
        if self.mode is Mode.CHOOSING:
            self.mode = Mode.IDLE
            return [StopSpeaking(), *self._reply(lines.INVITATION)]
        # At idle one stop may be a mishearing: it ends the session once confirmed (a second
        # stop, or right after a routine was stopped), else VoiceCare asks.
        just_stopped = bool(self._last_reply) and lines.is_stopped_routine(self._last_reply[0])
        if self.mode is Mode.ENDING or just_stopped:
            return self._end_session()
        self.mode = Mode.ENDING
        return [StopSpeaking(), *self._reply(lines.CONFIRM_END)]

    def _cmd_goodbye(self, text: str, now: float) -> list[Action]:
        actions: list[Action] = [CancelTimer()] if self.in_routine else []
        self._leave_routine()
        return [*actions, *self._end_session()]

    def _end_session(self) -> list[Action]:
        self.mode = Mode.ENDED
        return [StopSpeaking(), *self._say(lines.GOODBYE), EndSession()]

    def _cmd_thanks(self, text: str, now: float) -> list[Action]:
        if self.mode is Mode.ENDING:
            return self._end_session()
        return self._say(lines.WELCOME) if self.in_routine else self._reply(lines.WELCOME_IDLE)

    def _cmd_hello(self, text: str, now: float) -> list[Action]:
        if self.in_routine:
            return self._say(lines.HELLO)
        self.mode = Mode.IDLE
        return self._reply(lines.HELLO, lines.INVITATION)

    def _cmd_feels_better(self, text: str, now: float) -> list[Action]:
        if self.in_routine:
            return self._say(lines.GLAD)
        return self._reply(lines.GLAD, lines.INVITATION)

    def _cmd_slower(self, text: str, now: float) -> list[Action]:
        if self.rate <= SLOWEST_RATE:
            return self._say(lines.SLOWEST)
        self.rate = max(SLOWEST_RATE, self.rate - self.speech.rate_step)
        return self._say(lines.SLOWER)

    def _cmd_faster(self, text: str, now: float) -> list[Action]:
        if self.rate >= FASTEST_RATE:
            return self._say(lines.FASTEST)
        self.rate = min(FASTEST_RATE, self.rate + self.speech.rate_step)
        return self._say(lines.FASTER)

    def _cmd_help(self, text: str, now: float) -> list[Action]:
        if self.mode is Mode.CHOOSING:
            return self._say(lines.HELP_CHOICE)
        return self._say(HELP_ROUTINE if self.in_routine else lines.HELP_IDLE)

    def _cmd_list(self, text: str, now: float) -> list[Action]:
        """The routines, as a choice when none is running ("the first one" starts it)."""
        listing = self._reply(lines.routines_list([r.title for r in self.library.routines]))
        if not self.in_routine and self.mode is not Mode.CONFIRMING:
            self.choices = self.library.routines
            self.choice_area = None
            self.mode = Mode.CHOOSING
        return listing

    def _cmd_time_left(self, text: str, now: float) -> list[Action]:
        if not self.in_routine or self.player is None:
            return self._reply(lines.NO_ROUTINE)
        player = self.player
        left = player.seconds_left(now, self.rate)
        return self._say(lines.time_left(player.step_index + 1, player.step_count, left))

    def _cmd_yes(self, text: str, now: float) -> list[Action]:
        if self.mode is Mode.OFFERING:
            return self._start_routine(self.switch_to) if self.switch_to else self._resume(now)
        if self.mode is Mode.PAUSED:
            return self._reply(lines.ALREADY_PAUSED)
        if self.mode is Mode.ROUTINE:
            return self._say(lines.OKAY)
        if self.mode is Mode.ENDING:
            return self._end_session()
        if self.suggested is not None:  # the wrap-up offered it: "Say yes to start ..."
            return self._start_routine(self.suggested)
        return self._reply(lines.NOTHING_ASKED)

    def _cmd_no(self, text: str, now: float) -> list[Action]:
        if self.mode is Mode.OFFERING:
            return self._resume(now) if self.switch_to else self._cmd_stop(text, now)
        if self.mode is Mode.PAUSED:
            return self._reply(lines.ALREADY_PAUSED)
        if self.mode is Mode.ROUTINE:
            return self._say(lines.NOTHING_ASKED_IN_ROUTINE)
        if self.mode is Mode.ENDING:
            self.mode = Mode.IDLE
            return self._reply(lines.STILL_HERE, lines.INVITATION)
        if self.suggested is not None:
            self.suggested = None
            return self._reply(lines.STILL_HERE, lines.INVITATION)
        return self._reply(lines.NOTHING_ASKED)


@dataclass(frozen=True)
class Command:
    handle: Callable[[CommandTurns, str, float], list[Action]]
    voice_control: bool = False  # acted on from a partial result; cuts VoiceCare off
    help_name: str = ""  # how the routine help line names it ("": not named there)


# In the order the routine help line names them.
COMMANDS: dict[str, Command] = {
    "next": Command(CommandTurns._cmd_next, voice_control=True, help_name="next"),
    "back": Command(CommandTurns._cmd_back, voice_control=True, help_name="back"),
    "repeat": Command(CommandTurns._cmd_repeat, voice_control=True, help_name="repeat"),
    "skip": Command(CommandTurns._cmd_skip, voice_control=True, help_name="skip"),
    "pause": Command(CommandTurns._cmd_pause, voice_control=True, help_name="pause"),
    "resume": Command(CommandTurns._cmd_resume, help_name="resume"),
    "slower": Command(CommandTurns._cmd_slower, help_name="slower"),
    "faster": Command(CommandTurns._cmd_faster, help_name="faster"),
    "time-left": Command(CommandTurns._cmd_time_left, help_name="how much longer"),
    "restart": Command(CommandTurns._cmd_restart, help_name="start over"),
    "stop": Command(CommandTurns._cmd_stop, voice_control=True, help_name="stop"),
    "pain": Command(CommandTurns._cmd_pain, voice_control=True, help_name="ouch"),
    "help": Command(CommandTurns._cmd_help),
    "list": Command(CommandTurns._cmd_list),
    "yes": Command(CommandTurns._cmd_yes),
    "no": Command(CommandTurns._cmd_no),
    "thanks": Command(CommandTurns._cmd_thanks),
    "hello": Command(CommandTurns._cmd_hello),
    "goodbye": Command(CommandTurns._cmd_goodbye, help_name="goodbye"),
    "feels-better": Command(CommandTurns._cmd_feels_better),
    "recap": Command(RecapTurns._cmd_recap),  # type: ignore[arg-type]
}

VOICE_CONTROLS = frozenset(
    command_intent(name) for name, command in COMMANDS.items() if command.voice_control
)
HELP_ROUTINE = lines.you_can_say([c.help_name for c in COMMANDS.values() if c.help_name])


def command_problems(library: Library, filename: str = "commands.yaml") -> list[str]:
    """The content's commands against the table: a handler whose command the content lacks,
    a command the coach has no handler for; one line each, naming file and entry."""
    present = {command.id for command in library.commands}
    missing = [
        f"{filename}: command '{name}': (entry): is missing"
        for name in COMMANDS
        if name not in present
    ]
    unknown = [
        f"{filename}: command '{command.id}': id: unknown command (known: {', '.join(COMMANDS)})"
        for command in library.commands
        if command.id not in COMMANDS
    ]
    return missing + unknown
