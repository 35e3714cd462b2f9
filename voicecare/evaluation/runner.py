"""Run the evaluation: every utterance x voice x rate, mixed at every SNR, heard by every
engine; each transcript is matched to an intent.

Each SNR is a session of its own with a fresh recognizer: engines adapt to what they heard
(PocketSphinx's cepstral mean, for one), so a clean clip heard right after a 5 dB one is
heard worse than in a clean session, and a condition's figures would depend on which
conditions ran before it.

Timing: the clip is fed in 0.1 s chunks as fast as the engine takes them. ``engine_seconds``
is the recognizer's processing of the whole clip (for the real-time factor);
``latency_seconds`` is the wall clock from handing over the last chunk to having the matched
intent (last chunk + ``finish()`` + matching). Live, the end of speech is also only known
after the endpointer has heard a short stretch of silence (0.3 s of audio for PocketSphinx),
which comes on top.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from voicecare.audio import SAMPLE_RATE, SAMPLE_WIDTH
from voicecare.evaluation.metrics import Trial, snr_label, transcript_errors
from voicecare.evaluation.noise import noise_seed, noisy_clip, recording_clip
from voicecare.evaluation.recordings import Recording
from voicecare.listening.engines import transcribe_both
from voicecare.listening.recognizer import Recognizer
from voicecare.matching.evaluation import Example
from voicecare.matching.intents import NONE, Match

logger = logging.getLogger(__name__)

CHUNK_BYTES = 3200  # 0.1 s of 16 kHz 16-bit audio


@dataclass(frozen=True)
class Plan:
    examples: Sequence[Example]
    voices: Sequence[str]
    rates: Sequence[int]
    snrs: Sequence[float | None]  # None: clean

    @property
    def trials_per_engine(self) -> int:
        return len(self.examples) * len(self.voices) * len(self.rates) * len(self.snrs)

    def clips(self) -> Iterator[tuple[Example, str, int]]:
        """Every (utterance, voice, rate), in a fixed order."""
        for example in self.examples:
            for voice in self.voices:
                for rate in self.rates:
                    yield example, voice, rate


@dataclass(frozen=True)
class Heard:
    transcript: str
    match: Match
    engine_seconds: float
    latency_seconds: float
    confidence: float | None = None  # the engine's (0-1), None where it gives none


def run_plan(
    plan: Plan,
    speech: Callable[[str, str, int], bytes],
    engines: Mapping[str, Callable[[], Recognizer]],
    match: Callable[..., Match],
    advance: Callable[[int], None] = lambda _: None,
    noise: np.ndarray | None = None,
) -> Iterator[Trial]:
    """Every trial, as it completes. ``speech(text, voice, rate)`` gives the clean PCM;
    ``engines`` build a fresh recognizer for each SNR; ``advance(1)`` after each trial;
    ``noise``: mixed by frames instead of pink noise."""
    for snr_db in plan.snrs:
        recognizers = {name: make() for name, make in engines.items()}
        for example, voice, rate in plan.clips():
            seed = noise_seed(example.text, voice, rate)
            clip = noisy_clip(speech(example.text, voice, rate), snr_db, seed, noise=noise)
            for engine, recognizer in recognizers.items():
                yield _trial(engine, recognizer, example, voice, rate, snr_db, clip, match)
                advance(1)


RECORDED = "recorded"  # the voice of a recording's trials


def run_recordings(
    recordings: Sequence[Recording],
    snrs: Sequence[float | None],
    engines: Mapping[str, Callable[[], Recognizer]],
    match: Callable[..., Match],
    advance: Callable[[int], None] = lambda _: None,
    noise: np.ndarray | None = None,
) -> Iterator[Trial]:
    """Every recording at every SNR through every engine (a fresh recognizer per SNR);
    noise seeded by the file name, so each run mixes the same."""
    for snr_db in snrs:
        recognizers = {name: make() for name, make in engines.items()}
        for recording in recordings:
            seed = noise_seed(recording.name, snr_label(snr_db))
            clip = recording_clip(recording.pcm(), snr_db, seed, noise)
            example = Example(recording.text, recording.expected)
            for engine, recognizer in recognizers.items():
                trial = _trial(engine, recognizer, example, RECORDED, 0, snr_db, clip, match)
                yield replace(trial, source=recording.name)
                advance(1)


def _trial(
    engine: str,
    recognizer: Recognizer,
    example: Example,
    voice: str,
    rate: int,
    snr_db: float | None,
    clip: bytes,
    match: Callable[..., Match],
) -> Trial:
    try:
        heard = hear(recognizer, clip, match)
        error = ""
    except Exception as failure:  # an engine failing on one clip is a finding, not the end
        error = f"{type(failure).__name__}: {failure}"
        where = f"{example.text!r} ({voice}, {rate} wpm, {snr_label(snr_db)})"
        logger.warning("%s raised on %s: %s", engine, where, error)
        logger.debug("what %s raised", engine, exc_info=True)
        recognizer.reset()
        heard = Heard("", Match("", NONE, 0.0), 0.0, 0.0)
    errors, reference = (
        transcript_errors(example.text, heard.transcript) if example.text else (0, 0)
    )
    return Trial(
        engine=engine,
        snr_db=snr_db,
        voice=voice,
        rate=rate,
        text=example.text,
        expected=example.expected,
        transcript=heard.transcript,
        intent=heard.match.intent,
        doubtful=heard.match.doubtful,
        confidence=heard.confidence,
        audio_seconds=len(clip) / SAMPLE_WIDTH / SAMPLE_RATE,
        engine_seconds=heard.engine_seconds,
        latency_seconds=heard.latency_seconds,
        word_errors=errors,
        reference_words=reference,
        error=error,
    )


def hear(recognizer: Recognizer, pcm: bytes, match: Callable[..., Match]) -> Heard:
    """Stream ``pcm`` through ``recognizer`` and match what it heard, timing both."""
    recognizer.reset()
    started = time.perf_counter()
    fed_last: list[float] = []  # when the last chunk went in
    both = transcribe_both(
        recognizer, pcm, CHUNK_BYTES, lambda: fed_last.append(time.perf_counter())
    )
    transcript = both.text
    engine_done = time.perf_counter()
    # as in a session: the engine's next guesses go to the safety screen, and with two-pass
    # hearing the core decides between both ears
    matched = match(transcript, both.alternatives, both.first_pass, both.confidence)
    done = time.perf_counter()
    return Heard(
        transcript,
        matched,
        engine_done - started,
        done - (fed_last[0] if fed_last else started),
        both.confidence,
    )
