"""Numbers from recognition trials: intent accuracy, out-of-domain false accepts, red-flag
recall, word error rate, real-time factor and latency percentiles. Pure."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from voicecare.matching.intents import NONE, RED_FLAGS
from voicecare.normalize import words

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Trial:
    """One utterance, said by one voice at one rate, at one SNR, heard by one engine."""

    engine: str
    snr_db: float | None  # None: clean
    voice: str
    rate: int
    text: str
    expected: tuple[str, ...]
    transcript: str
    intent: str
    audio_seconds: float
    engine_seconds: float  # processing the whole clip (the recognizer only)
    latency_seconds: float  # from the last audio chunk to the matched intent
    word_errors: int
    reference_words: int  # 0: no reference text (a recording labelled with intents only)
    error: str = ""  # what the engine raised on this clip ("" when it did not)
    doubtful: bool = False  # a red flag asked about ("Did you say ...?"), not acted on
    source: str = ""  # the recording's file name ("" for synthesized speech)
    confidence: float | None = None  # the engine's, 0-1 (None: it gives none)

    @property
    def correct(self) -> bool:
        return not self.error and self.intent in self.expected


@dataclass(frozen=True)
class Summary:
    engine: str
    snr_db: float | None
    trials: int
    accuracy: float
    out_of_domain: int
    false_accepts: int
    red_flags: int
    red_flag_recall: float
    word_error_rate: float
    real_time_factor: float
    latency_median_ms: float
    latency_p95_ms: float
    engine_errors: int = 0  # clips the engine raised on, left out of every other figure
    voice: str = "all"  # one voice, or "all" of them
    red_flags_asked: int = 0  # red flags asked about instead of acted on (not in the recall)
    not_red_flags: int = 0  # trials whose answer is not a red flag
    false_alarms: int = 0  # ... given the red-flag advice
    false_alarms_asked: int = 0  # ... asked "Did you say ...?" about a red flag

    @property
    def false_accept_rate(self) -> float:
        return self.false_accepts / self.out_of_domain if self.out_of_domain else 0.0


def snr_label(snr_db: float | None) -> str:
    return "clean" if snr_db is None else f"{snr_db:g} dB"


def word_errors(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Substitutions + deletions + insertions turning ``reference`` into ``hypothesis``."""
    previous = list(range(len(hypothesis) + 1))
    for i, said in enumerate(reference, start=1):
        current = [i]
        for j, heard in enumerate(hypothesis, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (said != heard))
            )
        previous = current
    return previous[-1]


def transcript_errors(reference: str, transcript: str) -> tuple[int, int]:
    """(word errors, reference words), both texts normalized the way the matcher reads them
    (lower case, no punctuation, contractions expanded, fillers kept)."""
    said = words(reference, drop_fillers=False)
    heard = words(transcript, drop_fillers=False)
    return word_errors(said, heard), len(said)


def word_error_rate(reference: str, transcript: str) -> float:
    errors, total = transcript_errors(reference, transcript)
    return errors / total if total else float(errors > 0)


def percentile(values: Sequence[float], share: float) -> float:
    """Linear interpolation between closest ranks (``share`` in [0, 1]); NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(trials: Iterable[Trial]) -> list[Summary]:
    """Per (engine, SNR), in the order they first appear: one summary per voice and, when
    there are several voices, one over all of them (voice "all") after them."""
    groups: dict[tuple[str, float | None], list[Trial]] = {}
    for trial in trials:
        groups.setdefault((trial.engine, trial.snr_db), []).append(trial)
    summaries = []
    for (engine, snr), group in groups.items():
        voices: dict[str, list[Trial]] = {}
        for trial in group:
            voices.setdefault(trial.voice, []).append(trial)
        summaries += [_summary(engine, snr, said, voice) for voice, said in voices.items()]
        if len(voices) > 1:
            summaries.append(_summary(engine, snr, group, "all"))
    return summaries


def _summary(engine: str, snr_db: float | None, group: list[Trial], voice: str) -> Summary:
    trials = [t for t in group if not t.error]
    out_of_domain = [t for t in trials if NONE in t.expected]
    red_flags = [t for t in trials if RED_FLAGS in t.expected]
    others = [t for t in trials if RED_FLAGS not in t.expected]
    reference_words = sum(t.reference_words for t in trials)
    audio = sum(t.audio_seconds for t in trials)
    latencies = [t.latency_seconds * 1000 for t in trials]
    return Summary(
        engine=engine,
        snr_db=snr_db,
        trials=len(trials),
        accuracy=sum(t.correct for t in trials) / len(trials) if trials else 0.0,
        out_of_domain=len(out_of_domain),
        false_accepts=sum(t.intent != NONE for t in out_of_domain),
        red_flags=len(red_flags),
        red_flag_recall=(
            sum(t.intent == RED_FLAGS and not t.doubtful for t in red_flags) / len(red_flags)
            if red_flags
            else 1.0
        ),
        red_flags_asked=sum(t.intent == RED_FLAGS and t.doubtful for t in red_flags),
        not_red_flags=len(others),
        false_alarms=sum(t.intent == RED_FLAGS and not t.doubtful for t in others),
        false_alarms_asked=sum(t.intent == RED_FLAGS and t.doubtful for t in others),
        word_error_rate=(
            sum(t.word_errors for t in trials if t.reference_words) / reference_words
            if reference_words
            else math.nan
        ),
        real_time_factor=sum(t.engine_seconds for t in trials) / audio if audio else 0.0,
        latency_median_ms=percentile(latencies, 0.5),
        latency_p95_ms=percentile(latencies, 0.95),
        engine_errors=len(group) - len(trials),
        voice=voice,
    )
