"""What VoiceCare played and when, and when the microphone captured what it hands over.

Both are pure bookkeeping on times given by the caller (monotonic seconds), so they are
tested with a fake clock. ``PlaybackReference`` is written by the speaker's thread and read
by the listening loop, hence its lock.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

import numpy as np

from voicecare.audio import SAMPLE_RATE, float_to_pcm16, pcm16_to_float, resample

KEEP_SECONDS = 30.0  # played lines older than this can no longer be asked for
TIMELINE_WINDOW_SECONDS = 10.0


@dataclass
class _Played:
    start: float
    samples: np.ndarray  # int16 at SAMPLE_RATE
    end: float | None = None  # when it finished or was cut off; None while playing

    def length(self, rate: int) -> int:
        """Samples actually played (all of them unless cut off)."""
        if self.end is None:
            return len(self.samples)
        return min(len(self.samples), max(0, round((self.end - self.start) * rate)))


class PlaybackReference:
    """The lines played, placed on the clock: ask for any stretch of time and get what was
    playing then (silence where nothing was)."""

    def __init__(self, sample_rate: int = SAMPLE_RATE) -> None:
        self.sample_rate = sample_rate
        self._played: list[_Played] = []
        self._lock = threading.Lock()

    def prepare(self, pcm: bytes, pcm_rate: int) -> np.ndarray:
        """A line (16-bit mono ``pcm`` at ``pcm_rate``) as ``started`` takes it: resampled
        before it plays, by the speaker's thread, not while the audio stream waits."""
        samples = resample(pcm16_to_float(pcm), pcm_rate, self.sample_rate)
        return np.frombuffer(float_to_pcm16(samples), dtype="<i2")

    def started(self, at: float, prepared: np.ndarray, seconds_in: float = 0.0) -> None:
        """The line ``prepare`` gave, from ``seconds_in`` on, starts playing at ``at`` (a
        line that slipped is placed again from where it slipped)."""
        line = _Played(at, prepared[round(seconds_in * self.sample_rate) :])
        with self._lock:
            if seconds_in and self._played and self._played[-1].end is None:
                # The same line slipped: what was heard of it ended where it slipped.
                self._close_open(min(at, self._played[-1].start + seconds_in))
            self._close_open(at)
            self._played = [p for p in self._played if not self._older_than(p, at - KEEP_SECONDS)]
            self._played.append(line)

    def stopped(self, at: float) -> None:
        """The line playing has finished or was cut off at ``at``."""
        with self._lock:
            self._close_open(at)

    def samples(self, start: float, count: int) -> bytes:
        """``count`` samples from time ``start``: what was played then, as 16-bit PCM."""
        out = np.zeros(count, dtype="<i2")
        with self._lock:
            for line in self._played:
                first = round((line.start - start) * self.sample_rate)  # index of its sample 0
                low, high = max(0, first), min(count, first + line.length(self.sample_rate))
                if low < high:
                    out[low:high] = line.samples[low - first : high - first]
        return out.tobytes()

    def last_sound_end(self) -> float | None:
        """When the last line stopped (or would stop); None if nothing was ever played."""
        with self._lock:
            if not self._played:
                return None
            last = self._played[-1]
            return last.start + last.length(self.sample_rate) / self.sample_rate

    def _close_open(self, at: float) -> None:
        if self._played and self._played[-1].end is None:
            self._played[-1].end = at

    def _older_than(self, line: _Played, moment: float) -> bool:
        return line.start + line.length(self.sample_rate) / self.sample_rate < moment


class CaptureTimeline:
    """When the microphone captured the chunks it hands over, from when reads return.

    A read returns at capture time plus the input latency, plus any time the chunk waited
    in a buffer because the loop was busy. Counting samples gives exact spacing; the
    offset (read time minus samples so far) is smallest when nothing waited, so the
    smallest offset over a sliding window anchors the count to the clock, and the window
    follows slow drift between the sound card's clock and the computer's.
    """

    def __init__(
        self, sample_rate: int = SAMPLE_RATE, window_seconds: float = TIMELINE_WINDOW_SECONDS
    ) -> None:
        self.sample_rate = sample_rate
        self._window = round(window_seconds * sample_rate)
        self._samples = 0
        self._offsets: deque[tuple[int, float]] = deque()  # increasing offsets: a sliding min

    def chunk_start(self, read_at: float, count: int) -> float:
        """A chunk of ``count`` samples was read at ``read_at``: when its first sample was
        captured (on the same clock as the playback reference)."""
        first = self._samples
        self._samples += count
        offset = read_at - self._samples / self.sample_rate
        while self._offsets and self._offsets[-1][1] >= offset:
            self._offsets.pop()
        self._offsets.append((self._samples, offset))
        while self._offsets[0][0] < self._samples - self._window:
            self._offsets.popleft()
        return self._offsets[0][1] + first / self.sample_rate
