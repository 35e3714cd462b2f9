"""Speculative decoding for two-pass hearing: when to start Whisper on an utterance before
the first pass has confirmed that it ended, and whether that early decode can stand for it.

The first pass ends an utterance only after a window of trailing silence (about 0.2 s), and
the second pass then needs its own decode time on top. Most of that decode can run inside
the window: as soon as a few frames of silence follow speech, the utterance so far is
decoded in the background. When the first pass's final comes, the early decode stands for
the utterance if it began where the utterance begins and no speech came after the audio it
decoded (what followed was silence the endpointer waited through); otherwise speech resumed
after it, it is dropped and the whole utterance is decoded again. So what the second pass
hears never depends on timing, only on the audio: the same audio gives the same decodes.

This module is the decision alone, pure and deterministic (positions in the audio stream in,
decisions out), so it is unit-tested without threads or models; ``two_pass`` runs the
decodes on a worker thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# Silence after speech before an early decode starts (3 voice-activity frames of 30 ms).
# Shorter starts more decodes that a resumed word makes useless; the first pass's own end
# comes at about 0.2 s of silence, so longer leaves less of the decode hidden.
START_AFTER_SILENCE = 0.09
MIN_SPEECH = 0.25  # an utterance with less speech than this is not worth decoding early


@dataclass(frozen=True)
class Span:
    """A stretch of the audio stream, as positions (bytes of 16 kHz 16-bit audio)."""

    start: int
    end: int


class Speculation:
    """Follows one stream's voice activity and says when to decode early (``start``) and
    whether the early decode stands for the utterance the first pass ended (``keep``)."""

    def __init__(
        self,
        bytes_per_second: int,
        start_after_silence: float = START_AFTER_SILENCE,
        min_speech: float = MIN_SPEECH,
    ) -> None:
        self._min_silence = round(start_after_silence * bytes_per_second)
        self._min_speech = round(min_speech * bytes_per_second)
        self.last_speech_end: int | None = None  # where the last speech frame ended
        self.started: Span | None = None  # the audio the latest early decode was given

    def heard(self, frame_end: int, speech: bool) -> None:
        """One voice-activity frame, ending at stream position ``frame_end``."""
        if speech:
            self.last_speech_end = frame_end

    def start(self, segment_start: int | None, now: int) -> Span | None:
        """The audio to decode early now (``segment_start`` up to ``now``), or None: no
        utterance has begun, too little speech, too little silence after it yet, or an
        early decode already holds all the speech there is."""
        speech_end = self.last_speech_end
        if segment_start is None or speech_end is None or speech_end <= segment_start:
            return None
        if now - speech_end < self._min_silence or speech_end - segment_start < self._min_speech:
            return None
        if self.started is not None and self._covers(self.started, segment_start):
            return None
        self.started = Span(segment_start, now)
        return self.started

    def keep(self, segment: Span) -> bool:
        """Whether the latest early decode stands for ``segment`` (the utterance the first
        pass just ended): it began where the utterance begins, it is inside it, and no
        speech came after the audio it was given."""
        started = self.started
        return (
            started is not None
            and started.end <= segment.end
            and self._covers(started, segment.start)
        )

    def next_segment(self) -> None:
        """The utterance was ended: an early decode belongs to it alone."""
        self.started = None

    def _covers(self, span: Span, segment_start: int) -> bool:
        speech_end = self.last_speech_end
        return span.start == segment_start and (speech_end is None or speech_end <= span.end)
