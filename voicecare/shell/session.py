"""The one turn loop: events in to the coach, its actions out to the speaker, for typed or
piped lines, a recording and the microphone alike.

``TurnLoop`` orders the coach's entry points once: an event is handed over and its actions
performed; when the speaker is done, ``SpeechFinished``; at the coach's deadline, ``Tick``.
``TurnLoop.run`` runs it until the person says stop in idle, or the input ends and nothing
is left to run (``voicecare chat``: ``LineInputs``; the microphone or ``--audio-in``:
``AudioInputs``). Where the events come from is an ``Inputs``:

* ``LineInputs``: lines, read only when the coach is waiting (a script is deterministic:
  each line arrives before any pending timer fires); speech is awaited before the next one.
* ``AudioInputs``: audio read chunk by chunk through a recognizer, never stopping, not even
  while VoiceCare speaks (barge-in): every result goes to the coach, which decides what to
  act on. With an audible speaker (``speaking.AudibleSpeaker``: ``speaking`` until its queue is
  played) the coach is told what is playing before each result, and hears "speech finished"
  when the speaker falls silent; with one that takes no time a line counts as spoken at
  once. When the audio ends, the last words are heard and the routine runs to its end.

The test fakes (``tests/fakes.py``) drive the coach through the same ``TurnLoop``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Protocol

from voicecare.audio import AudioSource
from voicecare.clock import Clock
from voicecare.coach import (
    Action,
    Coach,
    Event,
    Playing,
    Say,
    SpeechFinished,
    Start,
    StopSpeaking,
    Tick,
    Typed,
    Understood,
)
from voicecare.listening.recognizer import Recognizer
from voicecare.shell.text_input import END_OF_INPUT
from voicecare.speaking.speaker import AudibleSpeaker, Speaker

logger = logging.getLogger(__name__)

TIMED_OUT = "timed out"  # Inputs.next_event: the timeout passed (a deadline is due)


class LineSource(Protocol):
    def next_line(self, timeout: float | None) -> str | None:
        """A line; "" when ``timeout`` passed; None at the end of input."""


class Inputs(Protocol):
    ended: bool  # no more events will come
    overlaps_speech: bool  # events keep coming while VoiceCare speaks (audio)

    def next_event(self, timeout: float | None) -> Event | str | None:
        """The next event; ``TIMED_OUT`` when ``timeout`` passed first; None when something
        was read that tells the coach nothing (yet)."""


class LineInputs:
    overlaps_speech = False

    def __init__(self, lines: LineSource) -> None:
        self.lines = lines
        self.ended = False

    def next_event(self, timeout: float | None) -> Event | str | None:
        line = self.lines.next_line(timeout)
        if line is END_OF_INPUT:
            self.ended = True
            return None
        return Typed(line) if line else TIMED_OUT


class AudioInputs:
    overlaps_speech = True

    def __init__(self, source: AudioSource, recognizer: Recognizer) -> None:
        self.source = source
        self.recognizer = recognizer
        self.ended = False

    def next_event(self, timeout: float | None) -> Event | str | None:
        """A deadline that is due comes before more audio."""
        if timeout is not None and timeout <= 0:
            return TIMED_OUT
        chunk = self.source.read()
        if chunk is None:
            self.ended = True
            return self.recognizer.finish()  # the last words
        return self.recognizer.accept_audio(chunk)


def perform(
    actions: Iterable[Action],
    speaker: Speaker,
    caption: Callable[[str], None],
    heard: Callable[[str], None] = lambda text: None,
) -> None:
    for action in actions:
        if isinstance(action, Say):
            caption(action.text)
            speaker.say(action.text, action.rate)
        elif isinstance(action, StopSpeaking):
            speaker.stop()
        elif isinstance(action, Understood):
            heard(action.text)
        # Timers need nothing here: the coach keeps its own deadline (see deadline()).


class TurnLoop:
    """Hands the coach its events and performs what it answers."""

    def __init__(
        self,
        coach: Coach,
        speaker: Speaker,
        clock: Clock,
        caption: Callable[[str], None],
        heard: Callable[[str], None] = lambda text: None,
        observer: Callable[[Event, list[Action]], None] | None = None,
    ) -> None:
        self.coach = coach
        self.speaker = speaker
        self.clock = clock
        self.caption = caption
        self.heard = heard
        self.observer = observer  # sees every event sent and the actions performed (screen)
        self.audible: AudibleSpeaker | None = (
            speaker if isinstance(speaker, AudibleSpeaker) else None
        )
        self.awaiting_silence = False

    def send(self, event: Event) -> list[Action]:
        """``event`` happened now: the coach's answer, performed."""
        if self.audible is not None and not isinstance(event, (Playing, Tick, SpeechFinished)):
            self.note_playing()
        actions = self.coach.handle(event, self.clock.now())
        self.perform(actions)
        if self.observer is not None:
            self.observer(event, actions)
        return actions

    def perform(self, actions: list[Action]) -> None:
        if any(isinstance(action, Say) for action in actions):
            self.awaiting_silence = True
        perform(actions, self.speaker, self.caption, self.heard)
        self.note_playing()

    def note_playing(self) -> None:
        """Tell the coach which line the speaker is playing right now."""
        if self.audible is not None:
            speaking = self.audible.speaking
            playing = Playing(self.audible.current_text if speaking else "", speaking)
            self.coach.handle(playing, self.clock.now())

    def silent_now(self) -> bool:
        """True once, when everything said so far has been heard (or cut off)."""
        if not self.awaiting_silence:
            return False
        if self.audible is not None and self.audible.speaking:
            return False
        self.awaiting_silence = False
        return True

    def settle(self, actions: list[Action]) -> list[Action]:
        """Wait for the speaker after ``actions`` (already performed), then tell the coach,
        until it has nothing more to say; every action on the way, ``actions`` first."""
        done = list(actions)
        while not self.coach.ended:
            self.speaker.wait()
            self.silent_now()
            actions = self.send(SpeechFinished())
            if not actions:
                break
            done += actions
        return done

    def deadline(self) -> float | None:
        """When the coach wants its next Tick (None: it waits for the person)."""
        return self.coach.next_deadline

    def tick_until(self, end: float) -> list[Action]:
        """Let the clock run to ``end``, ticking (and settling) at every deadline on the way."""
        done: list[Action] = []
        while (deadline := self.deadline()) is not None and deadline <= end:
            self.clock.sleep_until(deadline)
            done += self.settle(self.send(Tick()))
        return done

    def run(self, inputs: Inputs) -> int:
        """Run until the person says stop in idle, or the input ends and nothing is left to
        run."""
        coach, speaker, clock = self.coach, self.speaker, self.clock
        try:
            actions = self.send(Start())
            while True:
                if coach.ended:
                    speaker.wait()
                    return 0
                if not inputs.overlaps_speech or inputs.ended:
                    actions = self.settle(actions)  # speech is awaited: one turn at a time
                elif self.silent_now():
                    self.send(SpeechFinished())
                deadline = self.deadline()
                if coach.ended:
                    continue
                event = TIMED_OUT
                if not inputs.ended:
                    timeout = None if deadline is None else max(0.0, deadline - clock.now())
                    event = inputs.next_event(timeout)
                    if event is None:
                        self.note_playing()
                        actions = []
                        continue
                    if event != TIMED_OUT:
                        actions = self.send(event)
                        continue
                if deadline is None or (inputs.ended and not coach.in_routine):
                    if inputs.ended:  # a break reminder alone does not keep it running
                        return 0
                    actions = []
                    continue
                clock.sleep_until(deadline)
                actions = self.send(Tick())
        finally:
            speaker.stop()
