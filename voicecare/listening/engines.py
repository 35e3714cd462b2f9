"""Choose and build the speech engine: Vosk when a model is found, else the bundled
PocketSphinx, restricted to what the content says; Whisper (an optional extra) when asked
for; two-pass hearing (the streaming ear, then Whisper on each utterance) when asked for, and
for auto when Whisper and its model are installed (the best measured combination: see
benchmarks/RESULTS.md)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from voicecare.audio import iter_chunks
from voicecare.errors import ModelError, UsageError
from voicecare.heard import Heard
from voicecare.listening.recognizer import Recognizer
from voicecare.settings import (
    AUTO_ENGINE,
    ENGINES,
    POCKETSPHINX,
    TWO_PASS,
    VOSK,
    WHISPER,
    ListeningSettings,
)
from voicecare.vocabulary import Vocabulary

logger = logging.getLogger(__name__)

BETTER_MODEL_HINT = (
    "no Vosk model found, using the bundled PocketSphinx engine; for better recognition "
    "run: voicecare model download"
)
# auto hears in two passes when Whisper is installed (measured best: benchmarks/RESULTS.md)
AUTO_TWO_PASS = True
# Whisper as the second pass: beam and threads from benchmarks/response_latency.py
SECOND_PASS_BEAM = 5
SECOND_PASS_THREADS: int | None = None  # None: the engine's own choice


def create_recognizer(
    settings: ListeningSettings, vocabulary: Vocabulary, notify: Callable[[str], None]
) -> Recognizer:
    """``notify`` receives one line when auto falls back to the bundled engine, and one
    naming both ears when it hears in two passes."""
    if settings.engine not in ENGINES:
        raise UsageError(f"unknown engine '{settings.engine}' (known: {', '.join(ENGINES)})")
    if settings.engine == POCKETSPHINX:
        return _pocketsphinx(vocabulary, settings)
    if settings.engine == WHISPER:
        return _whisper(settings, vocabulary)
    if settings.engine == TWO_PASS or (
        settings.engine == AUTO_ENGINE and settings.model is None and whisper_available()
    ):
        return _two_pass(settings, vocabulary, notify)
    return _streaming(settings, vocabulary, notify)


def describe_ears(settings: ListeningSettings) -> str:
    """Which ears ``settings.engine`` listens with, in one line, without loading a model."""
    from voicecare.listening.model_store import find_model

    try:
        streaming = "Vosk" if settings.engine == VOSK or find_model(None) else "PocketSphinx"
    except ModelError:
        streaming = "PocketSphinx"
    if settings.engine == POCKETSPHINX:
        return "PocketSphinx alone (--engine pocketsphinx)"
    if settings.engine == WHISPER:
        return "Whisper alone (--engine whisper): no partial results, controls wait for it"
    if settings.engine == TWO_PASS or (settings.engine == AUTO_ENGINE and whisper_available()):
        return (
            f"two passes (--engine {settings.engine}): {streaming} streams and acts on voice "
            f"controls at once, Whisper hears each utterance again and decides"
        )
    return f"{streaming} alone (--engine {settings.engine})"


def whisper_available() -> bool:
    """faster-whisper and a Whisper model are installed (nothing is loaded)."""
    if not AUTO_TWO_PASS:
        return False
    from voicecare.listening.whisper_engine import require_faster_whisper
    from voicecare.listening.whisper_models import find_whisper_model

    try:
        require_faster_whisper()
        find_whisper_model(None)
    except ModelError as missing:
        logger.debug("auto engine: no second pass: %s", missing)
        return False
    return True


def _two_pass(
    settings: ListeningSettings, vocabulary: Vocabulary, notify: Callable[[str], None]
) -> Recognizer:
    """The streaming ear auto would pick (a Vosk model found, else PocketSphinx), then
    Whisper; ``--model`` names Whisper's model here. ``notify`` hears which ears, once."""
    from voicecare.listening.two_pass import TwoPassRecognizer
    from voicecare.listening.whisper_engine import WhisperRecognizer, require_faster_whisper
    from voicecare.listening.whisper_models import find_whisper_model

    require_faster_whisper()
    found, size = find_whisper_model(settings.model)
    whisper = WhisperRecognizer.for_vocabulary(
        found.path, vocabulary, beam_size=SECOND_PASS_BEAM, cpu_threads=SECOND_PASS_THREADS
    )
    hints: list[str] = []
    first = _streaming(replace(settings, engine=AUTO_ENGINE, model=None), vocabulary, hints.append)
    first_name = type(first).__name__.removesuffix("Recognizer")
    ears = f"{first_name} streams (voice controls at once), Whisper {size} decides"
    notify("; ".join([f"listening with two ears: {ears}", *hints]))
    return TwoPassRecognizer(first, whisper, ears)


def _streaming(
    settings: ListeningSettings, vocabulary: Vocabulary, notify: Callable[[str], None]
) -> Recognizer:
    """Vosk when asked for or a model is found, else PocketSphinx (saying so)."""
    from voicecare.listening.model_store import find_model

    if settings.engine == VOSK or settings.model is not None:
        return _vosk(find_model(settings.model).path)
    try:
        found = find_model(None)
    except ModelError as missing:
        logger.debug("auto engine: %s", missing)
        notify(BETTER_MODEL_HINT)
        return _pocketsphinx(vocabulary, settings)
    return _vosk(found.path)


def _vosk(model_dir) -> Recognizer:
    from voicecare.listening.vosk_engine import VoskRecognizer

    return VoskRecognizer(model_dir)


def _whisper(settings: ListeningSettings, vocabulary: Vocabulary) -> Recognizer:
    from voicecare.listening.whisper_engine import WhisperRecognizer, require_faster_whisper
    from voicecare.listening.whisper_models import find_whisper_model

    require_faster_whisper()  # before the model: installing the extra brings tiny.en too
    found, size = find_whisper_model(settings.model)
    logger.debug("whisper %s from %s (%s)", size, found.path, found.origin)
    return WhisperRecognizer.for_vocabulary(found.path, vocabulary)


def _pocketsphinx(vocabulary: Vocabulary, settings: ListeningSettings) -> Recognizer:
    from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer

    return PocketSphinxRecognizer.for_vocabulary(vocabulary, front_end=settings.noise_front_end)


def transcribe(
    recognizer: Recognizer,
    pcm: bytes,
    chunk_bytes: int = 3200,
    before_last_chunk: Callable[[], None] | None = None,
) -> str:
    """Every final result of a whole recording, joined. ``before_last_chunk`` is called just
    before the last chunk is fed (to time what follows the end of the audio)."""
    return transcribe_both(recognizer, pcm, chunk_bytes, before_last_chunk).text


def transcribe_both(
    recognizer: Recognizer,
    pcm: bytes,
    chunk_bytes: int = 3200,
    before_last_chunk: Callable[[], None] | None = None,
) -> Heard:
    """As ``transcribe``, with the first pass's finals joined too (``first_pass``, None with
    one ear), for the core to decide between them, and the engine's next guesses when the
    recording held one utterance (``alternatives``: the safety screen reads them)."""
    chunks = list(iter_chunks(pcm, chunk_bytes))
    finals: list[Heard] = []
    for number, chunk in enumerate(chunks, start=1):
        if number == len(chunks) and before_last_chunk is not None:
            before_last_chunk()
        heard = recognizer.accept_audio(chunk)
        if heard is not None and heard.final:
            finals.append(heard)
    finals.append(recognizer.finish())
    text = " ".join(heard.text for heard in finals if heard.text)
    firsts = [heard.first_pass for heard in finals if heard.first_pass is not None]
    first_pass = " ".join(first for first in firsts if first) if firsts else None
    spoken = [heard for heard in finals if heard.text]
    alternatives = spoken[0].alternatives if len(spoken) == 1 else ()
    sure = [heard.confidence for heard in spoken if heard.confidence is not None]
    return Heard(
        text,
        final=True,
        alternatives=alternatives,
        first_pass=first_pass,
        confidence=min(sure) if sure else None,
    )
