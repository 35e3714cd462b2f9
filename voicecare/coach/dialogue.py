"""The conversation: what VoiceCare says, when, and how it reacts to every command at every
moment. Deterministic: the same events at the same times give the same actions."""

from __future__ import annotations

import logging

from voicecare.coach import lines
from voicecare.coach.actions import (
    Action,
    CancelTimer,
    Say,
    StartTimer,
    StopSpeaking,
    Understood,
)
from voicecare.coach.barge_in import BargeIn, EchoGuard
from voicecare.coach.break_turns import BreakTurns
from voicecare.coach.choice import picked_choice
from voicecare.coach.commands import COMMANDS, HELP_ROUTINE, CommandTurns, command_problems
from voicecare.coach.events import Event, Heard, Playing, SpeechFinished, Tick, Typed
from voicecare.coach.journal import JournalTurns
from voicecare.coach.modes import Mode
from voicecare.coach.player import Phase, RoutinePlayer
from voicecare.coach.recap import RecapTurns
from voicecare.coach.red_flag_turns import RedFlagTurns
from voicecare.content.models import Library, Routine
from voicecare.errors import ContentError
from voicecare.matching import NONE, RED_FLAGS, Match, words
from voicecare.matching.intents import command_intent, family, payload
from voicecare.settings import CoachSettings, SpeechSettings
from voicecare.understanding import Understanding

logger = logging.getLogger(__name__)

MOST_CHOICES_ASKED = 3  # more than this is the list of routines, said as a list
# What answers "Shall I stop listening?"; anything else goes on as usual.
_ENDING_ANSWERS = frozenset(
    command_intent(name) for name in ("stop", "yes", "no", "goodbye", "thanks")
)

MISSES_BEFORE_HELP = 3
# While choosing a routine, these make no sense yet: the question is asked again.
_ROUTINE_COMMANDS = {"next", "back", "skip", "pause", "resume", "time-left", "restart"}


class Coach(CommandTurns, RedFlagTurns, BreakTurns, JournalTurns, RecapTurns):
    """Hand it every event with ``handle(event, now)`` and perform the actions it returns;
    send ``Tick`` at ``next_deadline``."""

    def __init__(
        self,
        library: Library,
        understanding: Understanding,
        coach: CoachSettings | None = None,
        speech: SpeechSettings | None = None,
    ) -> None:
        problems = command_problems(library)
        if problems:  # content/commands.yaml and the handlers disagree
            raise ContentError(problems)
        self.library = library
        self.understanding = understanding
        self.settings = coach or CoachSettings()
        self.speech = speech or SpeechSettings()
        self.rate = self.speech.rate
        self.mode = Mode.IDLE
        self.player: RoutinePlayer | None = None
        self.last_routine: Routine | None = None
        self.choices: tuple[Routine, ...] = ()
        self.choice_area: str | None = None  # the body area the choice is about ("back")
        self.suggested: Routine | None = None  # offered by the last wrap-up: "yes" starts it
        self.switch_to: Routine | None = None  # what "yes" starts while OFFERING
        self.stopped_for_safety = False
        self.misses = 0
        self.asked_where = False  # "Where is the knot?" was the last question
        self._last_reply: tuple[str, ...] = ()
        self._asked_about: Match | None = None  # the doubtful red flag asked about
        self._mode_before_question = Mode.IDLE
        # A speaker that makes no sound sends no Playing: nothing to take for echo.
        self.barge_in = BargeIn(understanding.match, EchoGuard())
        self._speaking = False
        self._init_breaks(self.settings.breaks)
        self._init_journal()

    # ---------------------------------------------------------------- events

    def handle(self, event: Event, now: float) -> list[Action]:
        """The one entry: what to do about ``event``, which happened at ``now``."""
        before = self._journal_before(now)
        actions = self._handle(event, now)
        self._journal_after(before, actions, now)
        actions += self._history_lines(event)
        self._watch_breaks(now)
        return actions

    def _handle(self, event: Event, now: float) -> list[Action]:
        if isinstance(event, Typed):
            return self._hear(event.text, now)
        if isinstance(event, Heard):
            return self._heard(event, now)
        if isinstance(event, Playing):
            self._speaking = event.speaking
            self.barge_in.guard.playing(event.text, now)
            return []
        if isinstance(event, SpeechFinished):
            self._speaking = False
            self.barge_in.guard.finished(now)
            return self._speech_finished(now)
        if isinstance(event, Tick):
            return self._tick(now)
        return self._say(lines.GREETING, self.library.safety.disclaimer, lines.INVITATION)

    def _hear(self, text: str, now: float) -> list[Action]:
        if self.mode is Mode.ENDED or not words(text):
            return []
        return self._hear_match(self.understanding.match(text), now)

    def _heard(self, heard: Heard, now: float) -> list[Action]:
        """A recognizer's result: a voice control in a partial cuts the speech at once."""
        interruptible = self._speaking or self.in_routine
        reaction = self.barge_in.on_result(heard, now, interruptible)
        if reaction is None:
            return []
        cut: list[Action] = [StopSpeaking()] if reaction.cut else []
        return [*cut, Understood(reaction.text), *self._hear_match(reaction.match, now)]

    def _hear_match(self, match: Match, now: float) -> list[Action]:
        if self.mode is Mode.ENDED or not words(match.text):
            return []
        logger.debug("heard %r as %s (%.1f)", match.text, match.intent, match.score)
        self._journal_match(match)
        answers_where, self.asked_where = self.asked_where, False  # asked once, answered once
        if match.intent == RED_FLAGS:
            self.misses = 0
            return self._ask_about(match, now) if match.doubtful else self._red_flag(match)
        if answers_where and match.intent == NONE:  # "the neck", "it's the leg"
            match = self.understanding.areas.named(match) or match
        if self.mode is Mode.ENDING and match.intent not in _ENDING_ANSWERS:
            self.mode = Mode.IDLE  # asked whether to end; they went on talking
        if self.mode is Mode.CONFIRMING:
            answered = self._answer_about_red_flag(match, now)
            if answered is not None:
                return answered
        answered = self._answer_break(match, now) or self._continue_where_left(match, now)
        if answered is not None:
            return answered
        if self.mode is Mode.CHOOSING:
            return self._choose(match, now)
        return self._act_on(match, now)

    def _speech_finished(self, now: float) -> list[Action]:
        """A hold that was being announced starts now."""
        player = self.player
        if self.mode is Mode.ROUTINE and player and player.phase is Phase.ANNOUNCING:
            player.start_timing(now)
            return [
                StartTimer(player.segment.duration, player.started_at + player.segment.duration)
            ]
        return []

    def _tick(self, now: float) -> list[Action]:
        reminder = self._break_tick(now)
        if reminder is not None:
            return reminder
        player = self.player
        if self.mode is not Mode.ROUTINE or player is None:
            return []
        cues, segment_done = player.due_cues(now)
        actions = self._say(*cues) if cues else []
        if segment_done:
            if player.next_segment():
                actions += self._say(player.segment.intro)
            elif player.is_last_step:
                actions += self._finish_routine()
            else:
                actions += self._begin_step(player.step_index + 1)
        return actions

    @property
    def next_deadline(self) -> float | None:
        if self.mode is Mode.ROUTINE and self.player is not None:
            return self.player.deadline()
        return None if self.in_routine or self.ended else self.break_deadline

    @property
    def ended(self) -> bool:
        return self.mode is Mode.ENDED

    @property
    def in_routine(self) -> bool:
        return self.mode in (Mode.ROUTINE, Mode.PAUSED, Mode.OFFERING) or (
            self.mode is Mode.CONFIRMING and self.player is not None
        )

    # -------------------------------------------------------------- dispatch

    def _act_on(self, match: Match, now: float) -> list[Action]:
        kind = family(match.intent)
        if kind == "command":
            self.misses = 0
            return self._command(payload(match.intent), match.text, now)
        if kind == "routine":
            self.misses = 0
            return self._routine_request(match, now)
        if kind == "info":
            self.misses = 0
            return self._info(payload(match.intent), now)
        if kind == "ask":  # a complaint that names no body area
            self.misses = 0
            self.asked_where = True
            return self._reply(self.library.areas.where_question)
        return self._miss()

    def _command(self, name: str, text: str, now: float) -> list[Action]:
        command = COMMANDS.get(name)
        if command is None:  # content validation guarantees the known set
            return self._miss()
        return command.handle(self, text, now)

    # ------------------------------------------------------------- routines

    def _routine_request(self, match: Match, now: float) -> list[Action]:
        routine = self.library.routine(payload(match.intent))
        if routine is None:
            return self._miss()
        others = [
            r
            for alt in match.alternatives
            if family(alt.intent) == "routine"
            and (r := self.library.routine(payload(alt.intent))) is not None
            and r.id != routine.id
        ]
        stop = [StopSpeaking(), CancelTimer()] if self.in_routine else []
        player = self.player
        if self.in_routine and player and player.routine in (routine, *others):
            return self._say(lines.ON_IT)  # the area of the routine being done: go on
        if not others and self.in_routine and player and routine.id != player.routine.id:
            if self.mode is Mode.OFFERING and self.switch_to == routine:
                return self._start_routine(routine)  # asked for it twice: no need to ask
            # Ask first: a misheard word ("stop please" heard as "top achilles") must not
            # throw away the routine the person is in the middle of.
            question = lines.offer_to_switch(routine.title, player.routine.title)
            return [*stop, *self._offer(now, question, switch_to=routine)]
        if others:
            self._leave_routine()
            self.choices = (routine, *others)
            self.choice_area = match.area
            self.mode = Mode.CHOOSING
            return [*stop, *self._ask_choice()]
        return [*stop, *self._start_routine(routine)]

    def _ask_choice(self) -> list[Action]:
        area = self.library.areas.area(self.choice_area)
        if area is not None:
            return self._reply(area.question)
        titles = [r.title for r in self.choices]
        if len(titles) > MOST_CHOICES_ASKED:  # after "list": the list again
            return self._reply(lines.routines_list(titles))
        return self._reply(lines.choice_question(titles))

    def _choose(self, match: Match, now: float) -> list[Action]:
        answer = self.understanding.areas.answer(self.choice_area, match.text)
        by_answer = self.library.routine(answer) if answer else None
        picked = by_answer or picked_choice(match, self.choices, self.library)
        intent = match.intent
        if picked is not None:
            self.misses = 0
            return self._start_routine(picked)
        if family(intent) == "command" and payload(intent) in _ROUTINE_COMMANDS:
            return [*self._say(lines.HELP_CHOICE), *self._ask_choice()]
        if family(intent) in ("command", "info"):
            return self._act_on(match, now)
        self.misses += 1
        return [*self._say(lines.NOT_UNDERSTOOD), *self._ask_choice()]

    def start_routine(self, routine: Routine) -> list[Action]:
        """Begin ``routine`` directly, as if the person had asked for it."""
        return [StopSpeaking(), CancelTimer(), *self._start_routine(routine)]

    def _start_routine(self, routine: Routine, restart: bool = False) -> list[Action]:
        self.player = RoutinePlayer(routine, scale=self.settings.hold_scale)
        self.last_routine = routine
        self.choices = ()
        self.choice_area = None
        self.suggested = None
        self.stopped_for_safety = False
        intro = lines.restarting(routine.title) if restart else lines.routine_intro(routine.title)
        return [*self._say(intro, routine.safety_note), *self._begin_step(0)]

    def _begin_step(self, index: int) -> list[Action]:
        assert self.player is not None
        self.player.go_to_step(index)
        self.mode = Mode.ROUTINE
        player = self.player
        heading = lines.step_heading(player.step_index + 1, player.step_count)
        return self._say(heading, player.step.text, player.segment.intro)

    def _finish_routine(self) -> list[Action]:
        assert self.player is not None
        routine = self.player.routine
        self._leave_routine()
        wrap_up = lines.wrap_up(routine.title, routine.wrap_up)
        self.suggested = self.library.routine(routine.suggests) if routine.suggests else None
        if self.suggested is not None:
            wrap_up = f"{wrap_up} {lines.offer_suggested(self.suggested.title)}"
        return self._reply(wrap_up)

    def _resume(self, now: float, quietly: bool = False) -> list[Action]:
        assert self.player is not None
        self.mode = Mode.ROUTINE
        said = [] if quietly else self._say(lines.RESUMING)
        if self.player.resume(now):
            remaining = self.player.segment.duration - self.player.elapsed(now)
            return [*said, StartTimer(remaining, now + remaining)]
        return [*said, *self._begin_step(self.player.step_index)]

    def _leave_routine(self) -> None:
        self.player = None
        self.mode = Mode.IDLE

    # ------------------------------------------------------- info and safety

    def _info(self, topic_id: str, now: float) -> list[Action]:
        topic = self.library.topic(topic_id)
        if topic is None:
            return self._miss()
        if self.in_routine and self.player is not None:
            offer = lines.offer_to_continue(self.player.routine.title)
            return [StopSpeaking(), CancelTimer(), *self._offer(now, topic.answer, offer)]
        return self._reply(topic.answer)

    def _offer(self, now: float, *texts: str, switch_to: Routine | None = None) -> list[Action]:
        """Pause the routine and ask a yes/no question: "yes" goes on with it, or starts
        ``switch_to`` when given (then "no" goes on with it)."""
        assert self.player is not None
        self.player.pause(now)
        self.mode = Mode.OFFERING
        self.switch_to = switch_to
        return self._reply(*texts)

    def _miss(self) -> list[Action]:
        self.misses += 1
        if self.misses >= MISSES_BEFORE_HELP:
            self.misses = 0
            return self._say(HELP_ROUTINE if self.in_routine else lines.HELP_IDLE)
        if self.in_routine:
            return self._say(lines.NOT_UNDERSTOOD)
        return self._say(lines.OUT_OF_SCOPE, lines.EXAMPLE)

    # --------------------------------------------------------------- output

    def _say(self, *texts: str) -> list[Action]:
        return [Say(text, self.rate) for text in texts if text]

    def _reply(self, *texts: str) -> list[Action]:
        """Say something worth repeating on "repeat"."""
        self._last_reply = texts
        return self._say(*texts)
