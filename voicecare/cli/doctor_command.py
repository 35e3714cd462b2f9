"""``voicecare doctor``: what works, and the exact fix for what does not."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable

from voicecare.cli.settings_builder import build_settings
from voicecare.errors import VoiceCareError
from voicecare.settings import Settings

Check = Callable[[Settings], str]


def check_content(settings: Settings) -> str:
    from voicecare.content import load_library

    library = load_library(settings.content_dir)
    return f"{len(library.routines)} routines, {len(library.topics)} topics"


def check_speech_output(settings: Settings) -> str:
    if sys.platform.startswith("linux") and not (
        shutil.which("espeak-ng") or shutil.which("espeak")
    ):
        raise VoiceCareError("espeak-ng is missing; run: sudo apt-get install espeak-ng")
    from voicecare.speaking.synthesis import Pyttsx3Synthesizer

    synthesizer = Pyttsx3Synthesizer()
    try:
        speech = synthesizer.synthesize("Hello.", settings.speech.rate)
    finally:
        synthesizer.close()
    if speech.seconds <= 0:
        raise VoiceCareError("speech synthesis gave no audio; reinstall espeak-ng")
    return f"pyttsx3 speaks ({speech.sample_rate} Hz)"


def check_microphone(settings: Settings) -> str:
    from voicecare.listening.sources import MicrophoneSource

    microphone = MicrophoneSource()
    try:
        chunk = microphone.read()
    finally:
        microphone.close()
    if not chunk:
        raise VoiceCareError("the microphone gives no audio; check it is not muted")
    return "the default input gives audio"


def check_vosk(settings: Settings) -> str:
    from voicecare.listening.model_store import find_model

    try:
        import vosk  # noqa: F401
    except ImportError as error:
        raise VoiceCareError(f"vosk is not installed ({error}); run: pip install vosk") from error
    found = find_model(settings.listening.model)
    return f"model {found.path.name} ({found.origin})"


def check_pocketsphinx(settings: Settings) -> str:
    from voicecare.content import load_library
    from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer

    recognizer = PocketSphinxRecognizer.for_library(load_library(settings.content_dir))
    missing = len(recognizer.missing_words)
    return f"bundled US English model, {missing} content words not in its dictionary"


CHECKS: tuple[tuple[str, Check], ...] = (
    ("content", check_content),
    ("speech output", check_speech_output),
    ("microphone", check_microphone),
    ("Vosk engine", check_vosk),
    ("PocketSphinx engine", check_pocketsphinx),
)


def run_doctor(args: argparse.Namespace) -> int:
    settings = build_settings(args)
    failed = 0
    for name, check in CHECKS:
        try:
            detail = check(settings)
        except VoiceCareError as error:
            failed += 1
            first, *rest = str(error).splitlines() or [type(error).__name__]
            print(f"[fail] {name}: {first}")
            for line in rest:
                print(f"       {line}")
        else:
            print(f"[ ok ] {name}: {detail}")
    if failed:
        print(
            f"{failed} check(s) failed; VoiceCare still works with what passed "
            "('voicecare chat' needs only content)."
        )
    return 1 if failed else 0
