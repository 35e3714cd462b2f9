"""The pocketsphinx package, imported when an engine first needs it, with one clear error
when it is missing. The bundled engine, the Whisper engine's endpointer and two-pass hearing
all use pocketsphinx's voice-activity detector."""

from __future__ import annotations

from typing import Any

from voicecare.errors import ModelError


def import_pocketsphinx() -> Any:
    try:
        import pocketsphinx
    except ImportError as error:
        raise ModelError(
            f"pocketsphinx is not installed ({error}); run: pip install pocketsphinx"
        ) from error
    return pocketsphinx
