"""The hands-free loop: audio in, recognizer, coach, speech out.

Until speech can be interrupted (barge-in), speaking blocks listening: audio captured while
VoiceCare speaks is dropped (it would mostly be VoiceCare's own voice) and the recognizer
starts afresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from voicecare.coach import Action, Coach, Say
from voicecare.listening.recognizer import Recognizer
from voicecare.listening.sources import AudioSource
from voicecare.shell.clock import Clock
from voicecare.shell.session import perform
from voicecare.shell.speaker import Speaker

logger = logging.getLogger(__name__)


def run_voice_session(
    coach: Coach,
    source: AudioSource,
    recognizer: Recognizer,
    speaker: Speaker,
    clock: Clock,
    caption: Callable[[str], None],
    heard: Callable[[str], None] = lambda text: None,
) -> int:
    """Run until the person says stop in idle, or the audio ends and nothing is left to run."""
    pending: list[Action] = coach.start(clock.now())
    try:
        while True:
            perform(pending, speaker, caption)
            if coach.ended:
                speaker.wait()
                return 0
            if any(isinstance(action, Say) for action in pending):
                speaker.wait()
                source.discard_pending()
                recognizer.reset()
            pending = coach.speech_finished(clock.now())
            if pending:
                continue
            deadline = coach.next_deadline
            if deadline is not None and clock.now() >= deadline:
                pending = coach.tick(clock.now())
                continue
            chunk = source.read()
            if chunk is None:
                return _after_audio_ends(coach, recognizer, speaker, clock, caption, heard)
            result = recognizer.accept_audio(chunk)
            if result is not None and result.final and result.text.strip():
                heard(result.text)
                pending = coach.hear(result.text, clock.now())
    finally:
        speaker.stop()


def _after_audio_ends(
    coach: Coach,
    recognizer: Recognizer,
    speaker: Speaker,
    clock: Clock,
    caption: Callable[[str], None],
    heard: Callable[[str], None],
) -> int:
    """The last words, then the current routine runs to its end."""
    last = recognizer.finish()
    pending: list[Action] = []
    if last.text.strip():
        heard(last.text)
        pending = coach.hear(last.text, clock.now())
    while True:
        perform(pending, speaker, caption)
        speaker.wait()
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
