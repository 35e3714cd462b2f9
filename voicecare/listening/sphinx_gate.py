"""Which audio PocketSphinx's decoder gets, and when an utterance starts, pauses and ends.

pocketsphinx's ``Endpointer`` (WebRTC voice activity detection over a sliding window) finds
the start and end of speech, but hands frames back a window late. The gate uses it for those
two decisions only: at the start of speech it gives the decoder a pre-roll and every frame
since, then each frame of speech as it arrives, so the decoder's hypothesis is never a window
behind. Quiet frames wait until speech resumes; at the end only those the endpointer itself
would have handed on go to the decoder (giving it every trailing quiet frame cost a point or
two of accuracy and added false accepts in noise).

A pause (``settle`` seconds in which no frame is speech, by the same detector) is reported
once, before the endpointer (which needs most of its window quiet) ends the utterance: the
caller may act on what was said so far instead of waiting for the end.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Any

from voicecare.listening.recognizer import SAMPLE_RATE, SAMPLE_WIDTH


@dataclass(frozen=True)
class GateStep:
    """What one frame of audio did."""

    audio: bytes = b""  # for the decoder (at the start of speech: pre-roll and all since)
    paused: bool = False  # the speaker has been quiet ``settle`` seconds (once per pause)
    ended: bool = False  # the endpointer says the speech is over


class SpeechGate:
    def __init__(
        self,
        pocketsphinx: Any,
        *,
        window: float,
        ratio: float,
        vad_mode: int,
        preroll: float,
        settle: float | None,
    ) -> None:
        self._make_endpointer = lambda: pocketsphinx.Endpointer(
            window=window, ratio=ratio, vad_mode=vad_mode, sample_rate=SAMPLE_RATE
        )
        self._endpointer: Any = self._make_endpointer()
        self.frame_bytes: int = self._endpointer.frame_bytes
        frame_seconds = self.frame_bytes / SAMPLE_WIDTH / SAMPLE_RATE
        self._vad: Any = pocketsphinx.Vad(vad_mode, SAMPLE_RATE, frame_seconds)
        self._preroll_frames = round(preroll / frame_seconds)
        self._settle_frames = math.ceil(settle / frame_seconds - 1e-9) if settle else None
        self._window_frames = round(window / frame_seconds)
        # frames given to the endpointer lately: it hands speech back a window later
        most = self._preroll_frames + 2 * self._window_frames + 2
        self._recent: deque[bytes] = deque(maxlen=most)
        self._held: list[bytes] = []  # quiet frames since the last frame of speech
        self._pending = bytearray()
        self._speaking = False
        self._quiet_frames = 0
        self._pause_told = False

    @property
    def speaking(self) -> bool:
        return self._speaking

    def push(self, pcm: bytes) -> None:
        """Audio at 16 kHz, any length: ``step`` takes it a frame at a time."""
        self._pending += pcm

    def step(self) -> GateStep | None:
        """Run the next whole frame; None when less than a frame is pending."""
        if len(self._pending) < self.frame_bytes:
            return None
        frame = bytes(self._pending[: self.frame_bytes])
        del self._pending[: self.frame_bytes]
        self._recent.append(frame)
        first_speech = self._endpointer.process(frame)
        if not self._speaking:
            if first_speech is None:
                return GateStep()
            self._speaking = True
            self._held.clear()
            self._quiet_frames = 0
            self._pause_told = False
            audio = self._since(first_speech)
        elif self._vad.is_speech(frame):
            audio = b"".join([*self._held, frame])
            self._held.clear()
            self._quiet_frames = 0
            self._pause_told = False
        else:
            audio = b""
            self._held.append(frame)
            self._quiet_frames += 1
        if not self._endpointer.in_speech:
            self._speaking = False
            kept = self._held[: max(0, len(self._held) - self._window_frames + 1)]
            self._held.clear()
            return GateStep(audio + b"".join(kept), ended=True)
        return GateStep(audio, paused=self._paused())

    def remainder(self) -> bytes:
        """The stream ended: the last part-frame, if speech was going on (else dropped)."""
        rest = b"".join([*self._held, self._pending]) if self._speaking else b""
        self._held.clear()
        self._pending.clear()
        return rest

    def reset(self) -> None:
        self._endpointer = self._make_endpointer()
        self._recent.clear()
        self._pending.clear()
        self._held.clear()
        self._speaking = False

    def _since(self, first_speech: bytes) -> bytes:
        """The pre-roll before the frame where speech started, and every frame since."""
        recent = list(self._recent)
        start = 0
        for index in range(len(recent) - 1, -1, -1):
            if recent[index] == first_speech:
                start = max(0, index - self._preroll_frames)
                break
        return b"".join(recent[start:])

    def _paused(self) -> bool:
        """True once per pause, when it has lasted ``settle`` seconds."""
        if self._settle_frames is None or self._pause_told:
            return False
        if self._quiet_frames >= self._settle_frames:
            self._pause_told = True
            return True
        return False
