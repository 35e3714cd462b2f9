"""Ending an utterance sooner when what was heard so far sounds finished (off by default).

The bundled engine's endpointer ends an utterance only after a whole window of silence
(``ENDPOINT_WINDOW``, 0.2 s, after the voice activity detector's own hangover), and every
reply waits for it. Asked to (``PocketSphinxRecognizer(early_silence=EARLY_SILENCE)``), the
engine ends an utterance after a shorter silence when the words it has heard so far do not
end on a word the content's sentences go on after (``ContinuingWords``: "a", "my", "lower",
"um", ...), and waits for the whole window otherwise. Which words go on is learnt from the
content's own sentences (a word seen ``MIN_SEEN`` times or more that ends fewer than
``MAX_ENDING_SHARE`` of them), plus the fillers people start with. The words judged are the
decoder's final hypothesis (a partial one ends on half-decoded words), so the engine ends
its utterance to judge and decodes it again when it goes on; never on the engine's first
utterance, heard with the model's guess of the cepstral mean, too badly to judge. The
decision is made on the frames, so the same audio always ends in the same place.

Off by default: it answers fluent speech 0.1 s sooner, but the restricted language model
turns half a sentence into content words that may end one ("how can i avoid getting" ...),
so a pause inside a sentence that the whole window would have bridged cuts it in two far
more often (benchmarks/RESULTS.md, "Two-pass latency, session 9").

To judge the words, the decoder must have heard the whole utterance, but pocketsphinx's
endpointer hands speech back a window late: ``EarlyEnd`` follows the frames given to it,
gives the decoder the ones it still holds (``catch_up``) and, when the utterance goes on
after all, takes them out of what the endpointer hands back later, so no frame is decoded
twice. ``ContinuingWords`` and ``TrailingSilence`` are the decision alone, pure;
``pocketsphinx_engine`` runs ``EarlyEnd`` beside its endpointer.
"""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from typing import Any

from voicecare.normalize import FILLERS

logger = logging.getLogger(__name__)

# Seconds of silence (voice-activity frames) after which an utterance that sounds finished
# ends, when asked, instead of the endpointer's whole window (measured in RESULTS.md).
EARLY_SILENCE = 0.09
MIN_SEEN = 3  # a word seen fewer times in the content says nothing about going on
MAX_ENDING_SHARE = 0.05  # a word ending fewer of its sentences than this goes on
# Fillers a sentence starts with go on ("um ..."); these two also end sentences.
ENDING_FILLERS = frozenset({"please", "okay", "ok"})


class ContinuingWords:
    """The words after which a sentence of the content goes on (a, my, the, lower, ...)."""

    def __init__(self, sentences: Iterable[Sequence[str]]) -> None:
        seen: Counter[str] = Counter()
        ending: Counter[str] = Counter()
        for sentence in sentences:
            if not sentence:
                continue
            seen.update(sentence)
            ending[sentence[-1]] += 1
        learnt = {
            word
            for word, count in seen.items()
            if count >= MIN_SEEN and ending[word] < MAX_ENDING_SHARE * count
        }
        self.words = frozenset(learnt | (FILLERS - ENDING_FILLERS))
        logger.debug("%d words go on", len(self.words))

    def sounds_finished(self, heard: Sequence[str]) -> bool:
        """Whether ``heard`` (the words so far) ends on a word a sentence may end on."""
        return bool(heard) and heard[-1] not in self.words


class TrailingSilence:
    """Counts the voice-activity frames of silence since the last speech frame."""

    def __init__(self, frame_seconds: float, early_silence: float = EARLY_SILENCE) -> None:
        self.frames_needed = max(1, round(early_silence / frame_seconds))
        self.frames = 0  # silent frames in a row
        self._checked = False  # this silence was already judged

    def heard(self, speech: bool) -> bool:
        """One frame; True once per silence, when it has just lasted long enough to judge."""
        if speech:
            self.frames = 0
            self._checked = False
            return False
        self.frames += 1
        if self._checked or self.frames < self.frames_needed:
            return False
        self._checked = True
        return True

    def clear(self) -> None:
        self.frames = 0
        self._checked = False


class EarlyEnd:
    """Beside one pocketsphinx ``Endpointer``: the frames it was given and still holds back,
    the silence after the last speech frame (its own ``Vad``, the same mode), and the frames
    given to the decoder ahead of it. Without ``continuing`` (or ``early_silence`` None) it
    never asks for a judgement, and hands back what the endpointer does."""

    def __init__(
        self,
        vad: Any,
        frame_bytes: int,
        frame_seconds: float,
        keep: int,
        continuing: ContinuingWords | None = None,
        early_silence: float | None = EARLY_SILENCE,
    ) -> None:
        self._vad = vad
        self._frame_bytes = frame_bytes
        self._frame_seconds = frame_seconds
        self._recent: deque[bytes] = deque(maxlen=keep)
        self._continuing = continuing if early_silence is not None else None
        self._silence = TrailingSilence(frame_seconds, early_silence or EARLY_SILENCE)
        self.restart()

    def sounds_finished(self, heard: Sequence[str]) -> bool:
        """Whether ``heard`` may end the utterance (``ContinuingWords.sounds_finished``)."""
        return self._continuing is not None and self._continuing.sounds_finished(heard)

    def restart(self) -> None:
        """A new endpointer (or its state thrown away): nothing given, held or fed ahead."""
        self._given = 0  # frames given to the endpointer
        self._next = 0  # index of the next frame it will hand back
        self._ahead = 0  # of the frames it holds, how many the decoder already has
        self._recent.clear()
        self._silence.clear()

    def process(self, endpointer: Any, frame: bytes) -> tuple[bytes | None, bool]:
        """``endpointer.process(frame)``: the speech it hands back less what the decoder already
        has (None: no speech), and whether the silence after speech has just become long
        enough to judge the words."""
        was_in_speech = endpointer.in_speech
        speech = endpointer.process(frame)
        self._given += 1
        self._recent.append(frame)
        judge = self._silence.heard(self._vad.is_speech(frame))
        if speech is None:
            return None, False
        if not was_in_speech:  # a new region: it hands back from its start on
            self._next = round(endpointer.speech_start / self._frame_seconds)
            self._ahead = 0
        judge = judge and self._continuing is not None and endpointer.in_speech
        return self.handed_back(speech), judge

    def handed_back(self, speech: bytes) -> bytes:
        """What the endpointer handed back, less the frames the decoder already has."""
        count = len(speech) // self._frame_bytes
        self._next += count
        skipped = min(self._ahead, count)
        self._ahead -= skipped
        return speech[skipped * self._frame_bytes :]

    def catch_up(self) -> bytes:
        """The frames the endpointer holds back that the decoder has not had yet (they are
        taken out of what it hands back later)."""
        held = min(self._given - self._next, len(self._recent))
        fresh = held - self._ahead
        if fresh <= 0:
            return b""
        self._ahead = held
        return b"".join(list(self._recent)[len(self._recent) - fresh :])
