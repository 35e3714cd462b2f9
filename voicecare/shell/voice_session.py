"""The hands-free loop: audio in, recognizer, coach, speech out.

Listening never stops, not even while VoiceCare speaks (barge-in): a voice control ("stop",
"pause", "next", "repeat", "skip", "back", "ouch") cuts the speech off as soon as a partial result
shows it, and the coach acts on it. Text that is VoiceCare's own voice coming back through
the microphone is dropped by the echo guard (see ``barge_in``).

With a speaker that takes no time (captions only, tests) a line counts as spoken at once;
with an audible one (``speaking`` is true until the queue is played) the coach hears
"speech finished" when the speaker falls silent, while audio keeps being read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from voicecare.audio import AudioSource
from voicecare.clock import Clock
from voicecare.coach import Action, Coach, Say
from voicecare.coach.barge_in import BargeIn, EchoGuard, Reaction
from voicecare.heard import Heard
from voicecare.listening.recognizer import Recognizer
from voicecare.shell.session import perform
from voicecare.shell.speaker import Speaker

logger = logging.getLogger(__name__)


@runtime_checkable
class AudibleSpeaker(Protocol):
    """A speaker whose lines take time: ``speaking`` until everything queued was heard."""

    @property
    def speaking(self) -> bool: ...

    @property
    def current_text(self) -> str:
        """The line being played now."""
        ...


class _Loop:
    def __init__(
        self,
        coach: Coach,
        speaker: Speaker,
        clock: Clock,
        caption: Callable[[str], None],
        heard: Callable[[str], None],
        guard: EchoGuard | None,
    ) -> None:
        self.coach = coach
        self.speaker = speaker
        self.clock = clock
        self.caption = caption
        self.heard = heard
        self.audible: AudibleSpeaker | None = (
            speaker if isinstance(speaker, AudibleSpeaker) else None
        )
        # A speaker that makes no sound cannot echo: nothing to guard against.
        self.guard = (guard or EchoGuard()) if self.audible else EchoGuard()
        self.barge_in = BargeIn(coach.understanding.match, self.guard)
        self.awaiting_silence = False

    def perform(self, actions: list[Action]) -> None:
        if any(isinstance(action, Say) for action in actions):
            self.awaiting_silence = True
        perform(actions, self.speaker, self.caption)
        self.note_playing()

    def note_playing(self) -> None:
        """Tell the echo guard which line the speaker is playing right now."""
        if self.audible is not None:
            playing = self.audible.current_text if self.audible.speaking else ""
            self.guard.playing(playing, self.clock.now())

    def silent_now(self) -> bool:
        """True once, when everything said so far has been heard (or cut off)."""
        if not self.awaiting_silence:
            return False
        if self.audible is not None and self.audible.speaking:
            return False
        self.awaiting_silence = False
        if self.audible:
            self.guard.finished(self.clock.now())
        return True

    def react(self, result: Heard | None) -> list[Action]:
        self.note_playing()
        if result is None:
            return []
        speaking = self.audible is not None and self.audible.speaking
        interruptible = speaking or self.coach.in_routine
        reaction: Reaction | None = self.barge_in.on_result(result, self.clock.now(), interruptible)
        if reaction is None:
            return []
        if reaction.cut:
            self.speaker.stop()  # at once; the coach's own StopSpeaking follows
        self.heard(reaction.text)
        return self.coach.hear_match(reaction.match, self.clock.now())


def run_voice_session(
    coach: Coach,
    source: AudioSource,
    recognizer: Recognizer,
    speaker: Speaker,
    clock: Clock,
    caption: Callable[[str], None],
    heard: Callable[[str], None] = lambda text: None,
    echo_guard: EchoGuard | None = None,
) -> int:
    """Run until the person says stop in idle, or the audio ends and nothing is left to run."""
    loop = _Loop(coach, speaker, clock, caption, heard, echo_guard)
    pending: list[Action] = coach.start(clock.now())
    try:
        while True:
            loop.perform(pending)
            pending = []
            if coach.ended:
                speaker.wait()
                return 0
            if loop.silent_now():
                pending = coach.speech_finished(clock.now())
                if pending:
                    continue
            deadline = coach.next_deadline
            if deadline is not None and clock.now() >= deadline:
                pending = coach.tick(clock.now())
                continue
            chunk = source.read()
            if chunk is None:
                return _after_audio_ends(loop, recognizer)
            pending = loop.react(recognizer.accept_audio(chunk))
    finally:
        speaker.stop()


def _after_audio_ends(loop: _Loop, recognizer: Recognizer) -> int:
    """The last words, then the current routine runs to its end."""
    coach, speaker, clock = loop.coach, loop.speaker, loop.clock
    pending = loop.react(recognizer.finish())
    while True:
        loop.perform(pending)
        speaker.wait()
        loop.silent_now()
        if coach.ended:
            return 0
        pending = coach.speech_finished(clock.now())
        if pending:
            continue
        deadline = coach.next_deadline
        if deadline is None:
            return 0
        clock.sleep_until(deadline)
        pending = coach.tick(clock.now())
