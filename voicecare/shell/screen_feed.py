"""The companion screen's side of the turn loop: what the page shows, read from the coach
after every turn, and the page's buttons handed to the loop as what typing the command does.

``screen_state`` is pure: the coach's own state (mode, the routine player) and what was
last said and heard in, a ``screen.ScreenState`` out, so the page's contents are tested
without a server or a browser. ``ScreenFeed`` is the loop's observer: it watches the events
the loop sends and the actions it performs (the captions are the ``Say`` actions) and shows
each new state. A button press is a ``Typed`` line, the command's first phrase in
``content/commands.yaml``, given to the one turn loop through a thread-safe queue
(``PressedInputs``, or ``TypedLines.feed`` for typed lines), so a button and the spoken or
typed command go through the same understanding and the same coach handler.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from dataclasses import replace

from voicecare.clock import Clock
from voicecare.coach import Action, Coach, Event, Mode, Say, Typed, Understood
from voicecare.coach.player import Phase, RoutinePlayer
from voicecare.content.models import Library, Step
from voicecare.screen.state import BUTTONS, HOLD, REPS, SWITCH, ScreenState, Timer
from voicecare.shell.session import Inputs

# What can be said now, by what the coach waits for: command ids of content/commands.yaml.
_COMMANDS_BY_MODE: dict[Mode, tuple[str, ...]] = {
    Mode.IDLE: ("list", "help", "goodbye"),
    Mode.CHOOSING: ("repeat", "stop"),
    Mode.ROUTINE: ("next", "back", "repeat", "pause", "time-left", "slower", "pain", "stop"),
    Mode.PAUSED: ("resume", "repeat", "next", "stop"),
    Mode.OFFERING: ("yes", "no"),
    Mode.CONFIRMING: ("yes", "no"),
    Mode.ENDING: ("yes", "no"),
    Mode.ENDED: (),
}
# At idle, before the commands: the coach's own examples (lines.EXAMPLE).
_IDLE_EXAMPLES = ("my neck is stiff", "what causes knots")


def advice_texts(library: Library) -> frozenset[str]:
    """Every safety advice the coach can say (content/safety.yaml), in and out of routines."""
    red_flags = library.safety.red_flags
    return frozenset(
        red_flags.advice_for(sign.id, in_routine=in_routine)
        for sign in red_flags.signs
        for in_routine in (False, True)
    )


def command_phrase(library: Library, command_id: str) -> str:
    """The command's first phrase: what a button types, and what the page lists."""
    command = next((c for c in library.commands if c.id == command_id), None)
    return command.phrases[0] if command is not None else command_id


def button_line(library: Library, button: str) -> str:
    """What pressing ``button`` (one of ``screen.BUTTONS``) types."""
    if button not in BUTTONS:
        raise ValueError(f"not a button of the screen: {button!r}")
    return command_phrase(library, button)


def segment_kinds(step: Step) -> tuple[tuple[str, str], ...]:
    """(kind, side) of each of the step's segments, in ``timeline.step_segments``'s order."""
    kinds: list[tuple[str, str]] = []
    for side in step.sides:
        if side == "right":
            kinds.append((SWITCH, "right"))
        if step.hold_seconds is not None:
            kinds.append((HOLD, side))
        if step.reps is not None:
            kinds.append((REPS, side))
    return tuple(kinds)


def _timer(player: RoutinePlayer, now: float) -> Timer:
    kind, side = segment_kinds(player.step)[player.segment_index]
    segment = player.segment
    running = player.phase is Phase.TIMING
    left = max(0.0, segment.duration - player.elapsed(now))
    reps = (player.step.reps or 0) if kind == REPS else 0
    return Timer(kind, segment.duration, left, running, side, reps)


def screen_state(
    coach: Coach,
    now: float,
    library: Library,
    said: str = "",
    heard: str = "",
    advice: str = "",
) -> ScreenState:
    """What the page shows at ``now``, from the coach's state and the last lines said and
    heard (and the last safety advice, shown until a routine starts again)."""
    mode = coach.mode
    can_say = tuple(command_phrase(library, c) for c in _COMMANDS_BY_MODE.get(mode, ()))
    if mode is Mode.IDLE:
        can_say = (*_IDLE_EXAMPLES, *can_say)
    elif mode is Mode.CHOOSING:
        can_say = (*(routine.title for routine in coach.choices), *can_say)
    state = ScreenState(
        said=said,
        heard=heard,
        advice=advice,
        can_say=can_say,
        ended=coach.ended,
        in_routine=coach.in_routine,
    )
    player = coach.player
    if player is None or not coach.in_routine:
        return state
    return replace(
        state,
        routine=player.routine.title,
        step=player.step_index + 1,
        steps=player.step_count,
        text=player.step.text,
        timer=_timer(player, now),
        paused=player.phase is Phase.PAUSED,
        advice="",  # a routine runs again: the advice was about what came before
    )


class ScreenFeed:
    """The turn loop's observer: after every event, the state of the page, to ``show``."""

    def __init__(
        self, coach: Coach, clock: Clock, library: Library, show: Callable[[ScreenState], None]
    ) -> None:
        self.coach = coach
        self.clock = clock
        self.library = library
        self.show = show
        self.advices = advice_texts(library)
        self.said = ""
        self.heard = ""
        self.advice = ""

    def __call__(self, event: Event, actions: list[Action]) -> None:
        if isinstance(event, Typed):
            self.heard = event.text
        for action in actions:
            if isinstance(action, Say):
                self.said = action.text
                if action.text in self.advices:
                    self.advice = action.text
            elif isinstance(action, Understood):
                self.heard = action.text
        if self.coach.in_routine:
            self.advice = ""  # a new routine: the advice was for what came before
        if actions or isinstance(event, Typed):
            self.show(self.state())

    def state(self) -> ScreenState:
        return screen_state(
            self.coach, self.clock.now(), self.library, self.said, self.heard, self.advice
        )


class PressedInputs:
    """Inputs with the screen's button presses first: ``press`` may be called from any
    thread; the turn loop takes each press as a typed line before reading more input."""

    def __init__(self, inner: Inputs) -> None:
        self.inner = inner
        self._presses: queue.Queue[str] = queue.Queue()

    @property
    def ended(self) -> bool:
        return self.inner.ended

    @property
    def overlaps_speech(self) -> bool:
        return self.inner.overlaps_speech

    def press(self, line: str) -> None:
        self._presses.put(line)

    def next_event(self, timeout: float | None) -> Event | str | None:
        try:
            return Typed(self._presses.get_nowait())
        except queue.Empty:
            return self.inner.next_event(timeout)
