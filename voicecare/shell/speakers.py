"""Pick the speech output the settings ask for."""

from __future__ import annotations

from collections.abc import Callable

from voicecare.errors import AudioError
from voicecare.settings import SpeechSettings
from voicecare.shell.speaker import SilentSpeaker, Speaker


def make_speaker(settings: SpeechSettings, notify: Callable[[str], None]) -> Speaker:
    """Silent when muted; otherwise speech, or captions only with one line saying why."""
    if settings.mute:
        return SilentSpeaker()
    try:
        from voicecare.shell.pyttsx3_speaker import Pyttsx3Speaker

        return Pyttsx3Speaker(settings)
    except AudioError as error:
        notify(f"{error}; showing text only")
        return SilentSpeaker()
