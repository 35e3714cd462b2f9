"""The noise front end the bundled recognizer hears through: WebRTC's noise suppression,
high-pass filter and gain control (``voicecare.audio.WebRtcAudioProcessing``, livekit's audio
processing module) on the audio before the voice activity detector and the decoder.

PocketSphinx's acoustic model was trained on clean speech, and its restricted language model
fills whatever noise it is given with content words; taking the steady part of the noise out
first lets both the endpointer and the decoder see speech. Chunks of any length go in; the
audio comes out in whole 10 ms frames (a partial frame waits for the next chunk, so at most
10 ms is held back). The suppressor's noise estimate is kept across utterances, as a
microphone's room stays the same; ``clear`` drops only the partial frame.

How it is configured is a ``FrontEnd`` (named ones in ``FRONT_ENDS``, chosen by
``--noise-front-end``). livekit 1.2 exposes WebRTC's suppressor only as on/off (its FFI sets
``noise_suppression.enabled`` and leaves the level at WebRTC's default, moderate), so the
strength is set around it: ``wet`` mixes the suppressed audio with the heard audio (delayed by
the suppressor's 96 samples so the two line up), which caps how far any band is taken down
(0.5: at most about 6 dB, like WebRTC's "low" level); ``stages`` 2 runs two suppressors in
a row (stronger than moderate). With suppression on, the high-pass filter changes nothing
(measured: the output is the same to the bit), so it only matters without suppression.

Suppression helps steady noise and hurts changing noise (pink noise +13 points at 10 dB on
natural voices; a kitchen's clatter and voices -8 on real people), so the adaptive front ends
(``unsteady_wet``) measure the noise itself: how much the bands of the quietest frames move
(``noise_steadiness``, decided by ``is_steady``); where it is not steady they pass the heard
audio (delayed like the suppressed, so switching does not jump) or mix it.

Where there is no noise to take out (the quietest 10 ms of the last second below
``QUIET_DBFS``: digital silence, a very quiet room), the audio passes unchanged: suppression
then only damps speech onsets it has no noise estimate for (synthetic speech after digital
silence was heard worse with it). The module still hears every frame, to keep its estimate.
Which configuration is the default, and why, is measured in benchmarks/RESULTS.md ("Noise
front end (issue 16, session 8)"; ``benchmarks/noise_front_end.py``).
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass

import numpy as np

from voicecare.audio import WebRtcAudioProcessing
from voicecare.settings import DEFAULT_NOISE_FRONT_END

logger = logging.getLogger(__name__)

QUIET_DBFS = -70.0  # a floor below this has no noise worth suppressing
FLOOR_FRAMES = 100  # the floor is the quietest frame of the last second
SUPPRESSOR_DELAY = 96  # samples WebRTC's suppressor delays the audio by at 16 kHz (measured)
# Steadiness of the noise (``noise_steadiness``): over the last STEADY_WINDOW frames, the
# quietest QUIET_SHARE of them (the noise between words), how much each band's level moves.
STEADY_WINDOW = 300  # 10 ms frames: 3 s
STEADY_MIN_FRAMES = 100  # before a second has been heard the noise counts as not steady
QUIET_SHARE = 0.3
STEADY_DB = 2.8  # band levels moving less than this (dB, standard deviation): steady noise
STEADY_HYSTERESIS = 0.2  # dB either side of STEADY_DB before the decision changes
STEADY_EVERY = 10  # frames between decisions
# Bands of a 10 ms frame's spectrum at 16 kHz (rfft bins of 100 Hz): 100 Hz to 8 kHz.
BAND_EDGES = (1, 3, 6, 10, 16, 24, 40, 60, 81)


@dataclass(frozen=True)
class FrontEnd:
    """What the front end does: ``stages`` noise suppressors in a row (0: none), their
    output mixed with the heard audio at ``wet`` (1: suppressed only), then, where asked,
    WebRTC's high-pass filter and gain control (in the first stage's module)."""

    stages: int = 1
    wet: float = 1.0
    high_pass: bool = True
    gain_control: bool = False
    # Adaptive: where the noise is not steady (``is_steady``), mix at ``unsteady_wet`` instead
    # (0: the heard audio, delayed like the suppressed); None: always ``wet``.
    unsteady_wet: float | None = None

    def __post_init__(self) -> None:
        wets = [self.wet] + ([] if self.unsteady_wet is None else [self.unsteady_wet])
        if self.stages < 0 or not all(0.0 <= wet <= 1.0 for wet in wets):
            raise ValueError(f"a front end needs stages >= 0 and 0 <= wet <= 1: {self}")

    @property
    def active(self) -> bool:
        """Anything changes the audio at all."""
        return self.stages > 0 or self.high_pass or self.gain_control


FRONT_ENDS: dict[str, FrontEnd] = {
    "off": FrontEnd(stages=0, high_pass=False),
    "suppress": FrontEnd(),  # session 7's default: suppression (+ the high-pass filter)
    "suppress-half": FrontEnd(wet=0.5),
    "suppress-double": FrontEnd(stages=2),
    "high-pass": FrontEnd(stages=0),
    "suppress-gain": FrontEnd(gain_control=True),
    "high-pass-gain": FrontEnd(stages=0, gain_control=True),
    "steady-only": FrontEnd(unsteady_wet=0.0),
    "steady-else-half": FrontEnd(unsteady_wet=0.5),
    "steady-double": FrontEnd(stages=2, unsteady_wet=0.0),
}
DEFAULT_FRONT_END = DEFAULT_NOISE_FRONT_END  # ListeningSettings' default (measured)


def front_end_named(name: str) -> FrontEnd:
    """The configuration of ``FRONT_ENDS`` called ``name`` (ValueError naming them if none)."""
    try:
        return FRONT_ENDS[name]
    except KeyError:
        raise ValueError(
            f"unknown noise front end '{name}' (known: {', '.join(FRONT_ENDS)})"
        ) from None


def band_levels(frame: np.ndarray) -> np.ndarray:
    """The level (dB) of each of ``BAND_EDGES``'s bands in one 10 ms frame (int16 or float
    samples; only relative levels matter)."""
    spectrum = np.abs(np.fft.rfft(frame.astype(np.float64) * np.hanning(len(frame)))) ** 2
    power = np.add.reduceat(spectrum[: BAND_EDGES[-1]], BAND_EDGES[:-1])
    return 10 * np.log10(power + 1e-12)


def noise_steadiness(levels: np.ndarray, bands: np.ndarray) -> float:
    """How much the noise between words moves, in dB: of the frames whose ``levels`` (dB,
    one per frame) are among the quietest ``QUIET_SHARE``, the standard deviation over time
    of each band's level (``bands``: frames x bands, dB), the median over bands. Seeded pink
    noise gives about 2.3 dB, a kitchen (clatter, voices) 3.1-4.6 (benchmarks/RESULTS.md)."""
    if len(levels) == 0:
        return float("inf")
    quiet = levels <= np.quantile(levels, QUIET_SHARE)
    return float(np.median(np.std(bands[quiet], axis=0)))


def is_steady(steadiness: float, was_steady: bool) -> bool:
    """Steady noise, worth suppressing: below ``STEADY_DB``, with ``STEADY_HYSTERESIS`` so
    that a steadiness near the line does not switch the front end back and forth."""
    margin = STEADY_HYSTERESIS if was_steady else -STEADY_HYSTERESIS
    return steadiness < STEADY_DB + margin


def mix(cleaned: np.ndarray, heard: np.ndarray, wet: float) -> np.ndarray:
    """``wet`` of the suppressed samples plus the rest of the heard ones, as int16."""
    if wet >= 1.0:
        return cleaned
    both = wet * cleaned.astype(np.float64) + (1.0 - wet) * heard.astype(np.float64)
    return np.clip(np.rint(both), -32768, 32767).astype("<i2")


class NoiseFrontEnd:
    """``process(chunk)`` -> the cleaned audio of the whole frames received so far."""

    def __init__(self, config: FrontEnd | None = None) -> None:
        self.config = config or front_end_named(DEFAULT_FRONT_END)
        first = WebRtcAudioProcessing(
            noise_suppression=self.config.stages > 0,
            high_pass_filter=self.config.high_pass,
            auto_gain_control=self.config.gain_control,
        )
        more = [
            WebRtcAudioProcessing(noise_suppression=True) for _ in range(self.config.stages - 1)
        ]
        self._modules = [first, *more]
        self._frame_bytes = first.frame_bytes
        self._pending = bytearray()
        self._levels: deque[float] = deque(maxlen=FLOOR_FRAMES)
        # the heard audio, delayed to line up with the suppressed (only when mixing)
        self._delayed = np.zeros(SUPPRESSOR_DELAY * self.config.stages, dtype="<i2")
        adaptive = self.config.unsteady_wet is not None
        self._bands: deque[np.ndarray] | None = deque(maxlen=STEADY_WINDOW) if adaptive else None
        self._frame_levels: deque[float] = deque(maxlen=STEADY_WINDOW)
        self.steady = False  # the adaptive front end's decision (see ``is_steady``)
        self.decisions = 0  # times the adaptive decision changed
        self._judged = 0  # frames the adaptive front end has looked at

    def process(self, chunk: bytes) -> bytes:
        self._pending += chunk
        size = self._frame_bytes
        whole = len(self._pending) - len(self._pending) % size
        cleaned = b"".join(
            self._frame(bytes(self._pending[start : start + size]))
            for start in range(0, whole, size)
        )
        del self._pending[:whole]
        return cleaned

    @property
    def quiet(self) -> bool:
        """No noise to suppress: the audio passes unchanged."""
        return bool(self._levels) and min(self._levels) < QUIET_DBFS

    @property
    def wet(self) -> float:
        """The share of suppressed audio in what comes out now."""
        if self.config.unsteady_wet is None or self.steady:
            return self.config.wet
        return self.config.unsteady_wet

    def _frame(self, frame: bytes) -> bytes:
        heard = np.frombuffer(frame, dtype="<i2")
        samples = heard.astype(np.float64) / 32768.0
        level = float(10 * np.log10(np.mean(samples**2) + 1e-20))
        self._levels.append(level)
        if self._bands is not None:
            self._judge(level, samples)
        cleaned = frame
        for module in self._modules:
            cleaned = module.process(cleaned)
        if self.config.stages > 0 and (self.wet < 1.0 or self._bands is not None):
            line = np.concatenate([self._delayed, heard])
            aligned, self._delayed = line[: len(heard)], line[len(heard) :]
            cleaned = mix(np.frombuffer(cleaned, dtype="<i2"), aligned, self.wet).tobytes()
        return frame if self.quiet else cleaned

    def _judge(self, level: float, samples: np.ndarray) -> None:
        """Keep the window of band levels; every ``STEADY_EVERY`` frames, decide again."""
        assert self._bands is not None
        self._frame_levels.append(level)
        self._bands.append(band_levels(samples))
        self._judged += 1
        if self._judged < STEADY_MIN_FRAMES or self._judged % STEADY_EVERY:
            return
        steadiness = noise_steadiness(np.array(self._frame_levels), np.array(self._bands))
        steady = is_steady(steadiness, self.steady)
        if steady != self.steady:
            self.decisions += 1
            logger.debug("noise steadiness %.2f dB: suppression %s", steadiness, steady)
        self.steady = steady

    def flush(self) -> bytes:
        """The partial frame at the end of a stream, padded with silence to be processed,
        and given back at its own length."""
        if not self._pending:
            return b""
        length = len(self._pending)
        padded = bytes(self._pending) + bytes(self._frame_bytes - length)
        self._pending.clear()
        return self._frame(padded)[:length]

    def clear(self) -> None:
        self._pending.clear()
