"""Is there an echo at all? With headphones (or a microphone far from the speaker) there
is none, and an echo canceller then does harm: WebRTC's, unsure of an echo path it cannot
find, keeps damping the microphone while VoiceCare speaks (the person's "stop please" came
through 17-28 dB down and was not recognized).

Once a second, while VoiceCare is playing something loud enough, the detector looks for
its voice in the microphone: the largest normalized cross-correlation between the
microphone and the played audio, over delays from 0 to ``max_delay_seconds``, on first
differences (which flattens speech's low-frequency weight, so two unrelated voices do not
correlate). Measured on espeak-ng speech: an echo 26 dB below the voice scores 0.54-0.65,
no echo 0.02-0.08 (0.27 when the person talks over an echo). The canceller's output is used
from the start (obeying itself is worse than missing a word in the first seconds), given up
after ``off_after`` quiet seconds in a row, and taken back at the first clear echo.

A second in which the microphone is much louder than its quietest recent second (the
person talking) does not count as quiet: a person talking over an echo 30 dB below their
voice scored 0.02-0.05, like no echo at all, and turned the canceller off in the middle of
"stop please", so VoiceCare then heard (and obeyed) its own next line.
"""

from __future__ import annotations

import logging
from collections import deque

import numpy as np

from voicecare.audio import SAMPLE_RATE

logger = logging.getLogger(__name__)

ECHO_SCORE = 0.3  # at or above: VoiceCare's voice is in the microphone
NO_ECHO_SCORE = 0.15  # below, ``off_after`` times running: it is not
OFF_AFTER = 2
LOUD_RMS = 200.0  # played audio quieter than this (16-bit RMS) tells nothing
TALKING_ABOVE_FLOOR = 10 ** (10 / 20)  # a microphone 10 dB above its quietest second: talking
FLOOR_SECONDS = 30  # how many recent seconds the quietest one is taken from
MIN_FLOOR_RMS = 10.0  # digital silence is no floor


class EchoPathDetector:
    def __init__(
        self,
        sample_rate: int = SAMPLE_RATE,
        window_seconds: float = 1.0,
        max_delay_seconds: float = 0.5,
        off_after: int = OFF_AFTER,
    ) -> None:
        self.present = True
        self.last_score: float | None = None
        self._window = round(window_seconds * sample_rate)
        self._max_lag = round(max_delay_seconds * sample_rate)
        self._off_after = off_after
        self._quiet_checks = 0
        self._levels: deque[float] = deque(maxlen=FLOOR_SECONDS)  # microphone RMS per check
        self._microphone = np.zeros(0, dtype=np.float64)
        self._reference = np.zeros(0, dtype=np.float64)

    def add(self, microphone: bytes, reference: bytes) -> None:
        """Equally long, time-aligned 16-bit PCM: what was captured and what was playing."""
        self._microphone = np.concatenate([self._microphone, _samples(microphone)])
        self._reference = np.concatenate([self._reference, _samples(reference)])
        self._reference = self._reference[-(self._window + self._max_lag) :]
        if len(self._microphone) < self._window:
            return
        if len(self._reference) == self._window + self._max_lag:
            self._check(self._microphone[-self._window :], self._reference)
        self._microphone = np.zeros(0, dtype=np.float64)

    def _check(self, microphone: np.ndarray, reference: np.ndarray) -> None:
        if np.sqrt(np.mean(reference**2)) < LOUD_RMS:
            return
        level = float(np.sqrt(np.mean(microphone**2)))
        self._levels.append(level)
        score = echo_score(microphone, reference, self._max_lag)
        self.last_score = score
        if score < ECHO_SCORE and self._talking(level):
            return  # the person may be talking over the echo: this second tells nothing
        if score >= ECHO_SCORE:
            self._quiet_checks = 0
            if not self.present:
                logger.info("echo found (score %.2f): cancelling it", score)
            self.present = True
        elif score < NO_ECHO_SCORE:
            self._quiet_checks += 1
            if self.present and self._quiet_checks >= self._off_after:
                logger.info("no echo (score %.2f): the microphone goes through as it is", score)
                self.present = False

    def _talking(self, level: float) -> bool:
        floor = max(min(self._levels), MIN_FLOOR_RMS)
        return level > floor * TALKING_ABOVE_FLOOR


def echo_score(microphone: np.ndarray, reference: np.ndarray, max_lag: int) -> float:
    """Largest |normalized cross-correlation| of ``microphone`` (N samples) with
    ``reference`` (the N + ``max_lag`` samples played up to the microphone's end) over
    delays 0..``max_lag``; 0 for silence."""
    mic = np.diff(microphone)
    ref = np.diff(reference)
    n = len(mic)
    size = 1 << int(np.ceil(np.log2(len(ref) + n)))
    spectrum = np.fft.rfft(ref, size) * np.conj(np.fft.rfft(mic, size))
    correlation = np.fft.irfft(spectrum, size)[: max_lag + 1]  # sum ref[t + k] * mic[t]
    energy = np.concatenate([[0.0], np.cumsum(ref**2)])
    lags = np.arange(max_lag + 1)
    reference_energy = energy[lags + n] - energy[lags]
    scale = np.sqrt(reference_energy * float(np.sum(mic**2)))
    with np.errstate(divide="ignore", invalid="ignore"):
        normalized = np.where(scale > 0, np.abs(correlation) / scale, 0.0)
    return float(normalized.max()) if len(normalized) else 0.0


def _samples(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64)
