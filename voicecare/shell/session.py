"""The event loop: perform the coach's actions, feed it speech-finished, ticks and lines."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Protocol

from voicecare.clock import Clock
from voicecare.coach import Action, Coach, EndSession, Say, StopSpeaking
from voicecare.shell.speaker import Speaker
from voicecare.shell.text_input import END_OF_INPUT

logger = logging.getLogger(__name__)


class LineSource(Protocol):
    def next_line(self, timeout: float | None) -> str | None:
        """A line; "" when ``timeout`` passed; None at the end of input."""


def perform(actions: Iterable[Action], speaker: Speaker, caption: Callable[[str], None]) -> None:
    for action in actions:
        if isinstance(action, Say):
            caption(action.text)
            speaker.say(action.text, action.rate)
        elif isinstance(action, StopSpeaking):
            speaker.stop()
        # Timers need nothing here: the coach keeps its own deadline (next_deadline).


def run_text_session(
    coach: Coach,
    lines: LineSource,
    speaker: Speaker,
    clock: Clock,
    caption: Callable[[str], None],
) -> int:
    """Run until the person says stop in idle, or input ends and nothing is left to run."""
    input_open = True
    pending: list[Action] = coach.start(clock.now())
    try:
        while True:
            perform(pending, speaker, caption)
            if any(isinstance(a, EndSession) for a in pending) or coach.ended:
                speaker.wait()
                return 0
            speaker.wait()
            pending = coach.speech_finished(clock.now())
            if pending:
                continue
            deadline = coach.next_deadline
            if input_open:
                timeout = None if deadline is None else max(0.0, deadline - clock.now())
                line = lines.next_line(timeout)
                if line is END_OF_INPUT:
                    input_open = False
                    continue
                if line:
                    pending = coach.hear(line, clock.now())
                    continue
            if deadline is None:
                if not input_open:
                    return 0
                continue
            clock.sleep_until(deadline)
            pending = coach.tick(clock.now())
    finally:
        speaker.stop()
