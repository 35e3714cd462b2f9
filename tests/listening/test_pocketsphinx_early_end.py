"""The bundled PocketSphinx engine ends an utterance sooner when its words sound finished
(``early_end``), and not when they end on a word a sentence goes on after. Real engine,
speech made by espeak-ng; positions are in audio (where in the stream the final came), not
in wall-clock time. Each engine has heard one utterance first: the engine's first utterance,
heard with the model's guess of the cepstral mean, never ends early."""

from __future__ import annotations

from functools import cache

import numpy as np

from tests.listening.speech import require_espeak, silence, speak
from voicecare.audio import SAMPLE_RATE, SAMPLE_WIDTH, iter_chunks
from voicecare.content import load_library
from voicecare.listening.early_end import EARLY_SILENCE
from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer
from voicecare.understanding import Understanding, recognition_vocabulary

CHUNK = 960  # 30 ms, as the microphone reads


@cache
def vocabulary():
    return recognition_vocabulary(load_library(None))


def trimmed(text: str) -> bytes:
    """``text`` said by espeak-ng without the silence it puts around it."""
    samples = np.frombuffer(speak(text, voice="en-us"), dtype="<i2")
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 100)
    return samples[loud[0] : loud[-1] + 1].tobytes()


def warm(early_silence: float | None = EARLY_SILENCE) -> PocketSphinxRecognizer:
    """A fresh engine that has heard one utterance ("what causes knots")."""
    recognizer = PocketSphinxRecognizer.for_vocabulary(vocabulary(), early_silence=early_silence)
    assert finals(recognizer, silence(0.5) + trimmed("what causes knots") + silence(1.0))
    return recognizer


def finals(recognizer: PocketSphinxRecognizer, audio: bytes) -> list[tuple[float, str]]:
    """(seconds into ``audio`` when it came, text) of every final result."""
    found = []
    position = 0
    for chunk in iter_chunks(audio, CHUNK):
        position += len(chunk)
        heard = recognizer.accept_audio(chunk)
        if heard is not None and heard.final:
            found.append((position / SAMPLE_WIDTH / SAMPLE_RATE, heard.text))
    return found


def test_a_finished_sounding_complaint_ends_sooner_and_is_heard_the_same():
    require_espeak()
    speech = trimmed("there is a knot in my shoulder")
    audio = silence(0.5) + speech + silence(1.0)
    speech_end = 0.5 + len(speech) / SAMPLE_WIDTH / SAMPLE_RATE
    waited = finals(warm(early_silence=None), audio)
    early = finals(warm(), audio)
    assert len(waited) == len(early) == 1, (waited, early)
    assert early[0][0] < waited[0][0] - 0.06, (waited, early)  # two frames or more sooner
    assert early[0][0] > speech_end  # never before the speech ended
    understanding = Understanding(load_library(None))
    assert understanding.match(early[0][1]).intent == "routine:shoulders", early
    assert understanding.match(waited[0][1]).intent == "routine:shoulders", waited


def test_a_pause_after_a_word_that_goes_on_does_not_end_the_utterance():
    """ "my lower" + 0.25 s + "back hurts": longer than the early silence, shorter than the
    endpointer's window (the detector's own hangover takes 0.1 s of the pause); "lower" never
    ends a sentence of the content."""
    require_espeak()
    audio = (
        silence(0.5) + trimmed("my lower") + silence(0.25) + trimmed("back hurts") + silence(1.0)
    )
    heard = finals(warm(), audio)
    assert len(heard) == 1, heard
    assert heard[0][1].startswith("my lower "), heard  # and what came after the pause
