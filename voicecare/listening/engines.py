"""Choose and build the speech engine: Vosk when a model is found, else the bundled
PocketSphinx, restricted to what the content says; Whisper (an optional extra) when asked
for."""

from __future__ import annotations

import logging
from collections.abc import Callable

from voicecare.audio import iter_chunks
from voicecare.errors import ModelError, UsageError
from voicecare.listening.recognizer import Recognizer
from voicecare.settings import ENGINES, POCKETSPHINX, VOSK, WHISPER, ListeningSettings
from voicecare.vocabulary import Vocabulary

logger = logging.getLogger(__name__)

BETTER_MODEL_HINT = (
    "no Vosk model found, using the bundled PocketSphinx engine; for better recognition "
    "run: voicecare model download"
)


def create_recognizer(
    settings: ListeningSettings, vocabulary: Vocabulary, notify: Callable[[str], None]
) -> Recognizer:
    """``notify`` receives one line when auto falls back to the bundled engine."""
    if settings.engine not in ENGINES:
        raise UsageError(f"unknown engine '{settings.engine}' (known: {', '.join(ENGINES)})")
    if settings.engine == POCKETSPHINX:
        return _pocketsphinx(vocabulary)
    if settings.engine == WHISPER:
        return _whisper(settings, vocabulary)
    from voicecare.listening.model_store import find_model

    if settings.engine == VOSK or settings.model is not None:
        return _vosk(find_model(settings.model).path)
    try:
        found = find_model(None)
    except ModelError as missing:
        logger.debug("auto engine: %s", missing)
        notify(BETTER_MODEL_HINT)
        return _pocketsphinx(vocabulary)
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


def _pocketsphinx(vocabulary: Vocabulary) -> Recognizer:
    from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer

    return PocketSphinxRecognizer.for_vocabulary(vocabulary)


def transcribe(
    recognizer: Recognizer,
    pcm: bytes,
    chunk_bytes: int = 3200,
    before_last_chunk: Callable[[], None] | None = None,
) -> str:
    """Every final result of a whole recording, joined. ``before_last_chunk`` is called just
    before the last chunk is fed (to time what follows the end of the audio)."""
    chunks = list(iter_chunks(pcm, chunk_bytes))
    texts = []
    for number, chunk in enumerate(chunks, start=1):
        if number == len(chunks) and before_last_chunk is not None:
            before_last_chunk()
        heard = recognizer.accept_audio(chunk)
        if heard is not None and heard.final and heard.text:
            texts.append(heard.text)
    last = recognizer.finish()
    if last.text:
        texts.append(last.text)
    return " ".join(texts)
