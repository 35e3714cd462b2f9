"""Pick the speech output the settings ask for."""

from __future__ import annotations

from collections.abc import Callable

from voicecare.errors import AudioError
from voicecare.settings import SpeechSettings
from voicecare.shell.speaker import SilentSpeaker, Speaker


def make_speaker(settings: SpeechSettings, notify: Callable[[str], None]) -> Speaker:
    """Silent when muted; otherwise interruptible speech (pyttsx3 audio played in small,
    abandonable pieces), or captions only with one line saying why."""
    if settings.mute:
        return SilentSpeaker()
    try:
        from voicecare.speaking.playback import choose_player
        from voicecare.speaking.speaker import InterruptibleSpeaker
        from voicecare.speaking.synthesis import Pyttsx3Synthesizer

        synthesizer = Pyttsx3Synthesizer(voice=settings.voice, volume=settings.volume)
        return InterruptibleSpeaker(synthesizer, choose_player())
    except AudioError as error:
        notify(f"{error}; showing text only")
        return SilentSpeaker()
