"""Speech through pyttsx3 (espeak-ng on Linux). Imported lazily: only when speech is on."""

from __future__ import annotations

import logging
from typing import Any

from voicecare.errors import AudioError
from voicecare.settings import SpeechSettings

logger = logging.getLogger(__name__)


class Pyttsx3Speaker:
    """Blocking speech: ``say`` returns when the line has been spoken."""

    def __init__(self, settings: SpeechSettings) -> None:
        try:
            import pyttsx3

            self._engine: Any = pyttsx3.init()
        except Exception as exc:  # pyttsx3 raises bare errors when no driver works
            raise AudioError(
                f"speech output is not available ({exc}); install espeak-ng "
                "(sudo apt-get install espeak-ng) or use --mute"
            ) from exc
        self._engine.setProperty("volume", settings.volume)
        if settings.voice:
            self._engine.setProperty("voice", settings.voice)

    def say(self, text: str, rate: int) -> None:
        self._engine.setProperty("rate", rate)
        self._engine.say(text)
        self._engine.runAndWait()

    def stop(self) -> None:
        self._engine.stop()

    def wait(self) -> None:
        pass

    def close(self) -> None:
        self.stop()
