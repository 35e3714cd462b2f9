"""Whisper through faster-whisper (CTranslate2, int8 on the CPU): the accurate, general ear.

Whisper decodes whole stretches of audio, not a stream, so audio is gated first: the same
WebRTC-style endpointer the PocketSphinx engine uses (from the pocketsphinx wheel) finds
where speech starts and ends, and only those segments are decoded; silence never is. The
content's words are offered as the decoder's ``initial_prompt`` and ``hotwords``, which
steer spelling toward them ("tech neck", not "Technac") without restricting what can be
heard. Whisper invents text for noise, so a decoded segment is kept only when the model
itself is sure enough: its no-speech probability and average log-probability decide (the
engine's own rejection), and a segment that only repeats the prompt is dropped.

Whisper's encoder is trained on 30 s windows and faster-whisper pads every segment to one;
encoding those 30 s is most of a short utterance's decode (about 0.4 s of 0.5 s on two
cores). CTranslate2 accepts shorter encoder input, so with ``window_padding`` (seconds;
``WINDOW_PADDING``, 10 s; None: the whole 30 s) the encoder gets the segment and that much
of the padding after it: several times less encoding for a 2-3 s utterance, the decoder
unchanged.
With little padding Whisper tends to say the utterance twice ("my neck is too, my neck is
too" with 1-2 s, now and then with 5 s; not with 10 s on the sentences tried), so a text
that is one phrase said over and over is kept once (``collapse_repeats``). ``fallback``
(``FALLBACK``) is faster-whisper's temperature fallback: a doubtful segment decoded again by
sampling at rising temperatures, up to five more decodes, unseeded; without it a segment is
decoded once, at temperature 0, and the same audio always gives the same text (off by
default). A complaint's decode: 0.24 s instead of 0.45 s on an idle machine; with both
(and two-pass speculation) the natural voices gave 89% / 65% of intents clean / 10 dB
instead of 88% / 67% (200 trials each; benchmarks/RESULTS.md, issue 17, session 8).

faster-whisper is an optional extra (``pip install 'voicecare[whisper]'``), imported when
the engine is built; the model is found offline by ``whisper_models``. Decodes are
serialised by a lock (two-pass hearing decodes on a worker thread).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from voicecare.audio import SAMPLE_RATE, SAMPLE_WIDTH, FrameBuffer, PcmRateConverter, pcm16_to_float
from voicecare.errors import ModelError
from voicecare.heard import Heard
from voicecare.listening.pocketsphinx_module import import_pocketsphinx
from voicecare.listening.whisper_models import INSTALL_HINT
from voicecare.vocabulary import Vocabulary

logger = logging.getLogger(__name__)

BEAM_SIZE = 5
COMPUTE_TYPE = "int8"
# Seconds of padding the encoder sees after a segment (None: Whisper's whole 30 s window).
WINDOW_PADDING: float | None = 10.0
FALLBACK = False  # faster-whisper's temperature fallback (re-decoding by sampling)
# Tokens a segment may give: people say about 3 words (4-5 tokens) a second; a decoder that
# loops (a cut-off segment, a short window) stops here instead of at Whisper's 448.
TOKENS_PER_SECOND = 8
MIN_TOKENS = 12
_FULL_WINDOW_FRAMES = 3000  # Whisper's 30 s of 10 ms feature frames
_HOP = 160  # samples per feature frame
ENDPOINT_WINDOW = 0.3  # seconds the endpointer decides on
ENDPOINT_RATIO = 0.9
VAD_MODE = 2  # WebRTC VAD aggressiveness 0-3, as the PocketSphinx engine
PREROLL = 0.3  # seconds before the detected start, so soft onsets are not clipped
MIN_SPEECH_SECONDS = 0.25  # shorter "speech" (a click, a cough) is not decoded
MAX_UTTERANCE_SECONDS = 20.0
# A segment is dropped when the model thinks there was no speech and was unsure of its words
# (Whisper's own rule), or when it was very unsure whatever it thought.
NO_SPEECH_PROBABILITY = 0.6
LOW_LOG_PROBABILITY = -1.0
VERY_LOW_LOG_PROBABILITY = -1.5
PROMPT_WORDS = 40  # Whisper's prompt holds about 224 tokens; a long one makes it echo words
_SHORT_WORDS = 3  # words of up to this many letters are not worth prompting
# Everyday words Whisper spells right anyway: prompting them only crowds out the content's.
_EVERYDAY = frozenset(
    [
        "about",
        "after",
        "again",
        "also",
        "back",
        "been",
        "before",
        "being",
        "does",
        "down",
        "feel",
        "feels",
        "from",
        "have",
        "help",
        "here",
        "into",
        "just",
        "like",
        "long",
        "made",
        "make",
        "more",
        "much",
        "need",
        "only",
        "over",
        "should",
        "some",
        "that",
        "them",
        "then",
        "there",
        "they",
        "this",
        "what",
        "when",
        "where",
        "which",
        "while",
        "with",
        "would",
        "your",
    ]
)
_PUNCTUATION = re.compile(r"[^\w' ]+")


def prompt_words(vocabulary: Vocabulary, limit: int = PROMPT_WORDS) -> tuple[str, ...]:
    """The content's own words worth spelling right: its longer words but everyday ones,
    those in the most sentences first."""
    counts: dict[str, int] = {}
    for sentence in vocabulary.sentences:
        for word in set(sentence):
            if len(word) > _SHORT_WORDS and word.isalpha() and word not in _EVERYDAY:
                counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts, key=lambda word: (-counts[word], word))
    return tuple(ranked[:limit])


class WhisperRecognizer:
    """Feed 16-bit mono PCM; a final ``Heard`` comes when a segment of speech ends (Whisper
    gives no partial results)."""

    def __init__(
        self,
        model_dir: Path,
        *,
        sample_rate: int = SAMPLE_RATE,
        words: tuple[str, ...] = (),
        beam_size: int | None = None,
        cpu_threads: int | None = None,
        window_padding: float | str | None = "default",
        fallback: bool | None = None,
    ) -> None:
        """``beam_size``, ``window_padding`` and ``fallback`` default to the module's
        ``BEAM_SIZE``, ``WINDOW_PADDING`` and ``FALLBACK`` (read here, so a benchmark can
        set them); ``window_padding=None`` encodes Whisper's whole 30 s window."""
        started = time.perf_counter()
        whisper = _import_faster_whisper()
        pocketsphinx = import_pocketsphinx()
        self.sample_rate = sample_rate
        self.model_dir = model_dir
        threads = cpu_threads or min(4, os.cpu_count() or 1)
        try:
            self._model: Any = _windowed_model_class(whisper)(
                str(model_dir), device="cpu", compute_type=COMPUTE_TYPE, cpu_threads=threads
            )
        except (RuntimeError, ValueError, OSError) as error:
            raise ModelError(f"faster-whisper could not load {model_dir} ({error})") from error
        self._beam_size = BEAM_SIZE if beam_size is None else beam_size
        padding = WINDOW_PADDING if window_padding == "default" else window_padding
        self.window_padding: float | None = None if padding is None else float(padding)
        self.fallback = FALLBACK if fallback is None else fallback
        self._decoding = threading.Lock()
        self.prompt = ", ".join(words) + "." if words else None
        self._make_endpointer = lambda: pocketsphinx.Endpointer(
            window=ENDPOINT_WINDOW, ratio=ENDPOINT_RATIO, vad_mode=VAD_MODE, sample_rate=SAMPLE_RATE
        )
        self._endpointer: Any = self._make_endpointer()
        self._frame_bytes: int = self._endpointer.frame_bytes
        frame_seconds = self._frame_bytes / SAMPLE_WIDTH / SAMPLE_RATE
        preroll_frames = round(PREROLL / frame_seconds)
        # Frames given to the endpointer lately: it hands speech back a window later.
        keep = preroll_frames + round(2 * ENDPOINT_WINDOW / frame_seconds) + 2
        self._frames = FrameBuffer(self._frame_bytes, preroll_frames, keep)
        self._to_model_rate = PcmRateConverter(self.sample_rate, SAMPLE_RATE)
        self._speech = bytearray()  # the current segment
        self._in_speech = False
        self.decoded_segments = 0  # segments given to the model (silence never is)
        self.rejected_segments = 0  # decoded, but dropped by the rejection
        self.construction_seconds = time.perf_counter() - started
        logger.info("whisper ready in %.2f s from %s", self.construction_seconds, model_dir)

    @classmethod
    def for_vocabulary(
        cls, model_dir: Path, vocabulary: Vocabulary, **options: Any
    ) -> WhisperRecognizer:
        """Prompted with what the content expects (built by the caller from content)."""
        options.setdefault("words", prompt_words(vocabulary))
        return cls(model_dir, **options)

    # ---------------------------------------------------------------- Recognizer

    def accept_audio(self, chunk: bytes) -> Heard | None:
        self._frames.add(self._to_model_rate.convert(chunk))
        for frame in self._frames.frames():
            speech = self._endpointer.process(frame)
            if speech is None:
                continue
            self._add(speech)
            if not self._endpointer.in_speech or self._too_long():
                return Heard(self._end_segment(), final=True)
        return None

    def finish(self) -> Heard:
        self._frames.add(self._to_model_rate.convert(b"", flush=True))
        said: list[str] = []
        for frame in self._frames.frames():
            speech = self._endpointer.process(frame)
            if speech is not None:
                self._add(speech)
                if not self._endpointer.in_speech:
                    said.append(self._end_segment())
        if self._endpointer.in_speech and self._frames.pending:
            speech = self._endpointer.end_stream(bytes(self._frames.pending))
            if speech is not None:
                self._add(speech)
        if self._in_speech:
            said.append(self._end_segment())
        self.reset()
        return Heard(" ".join(text for text in said if text), final=True)

    def reset(self) -> None:
        self._speech.clear()
        self._in_speech = False
        self._frames.clear()
        self._endpointer = self._make_endpointer()
        self._to_model_rate.reset()

    # ----------------------------------------------------------------- decoding

    def transcribe_segment(self, pcm: bytes) -> str:
        """What the model heard in one segment of 16 kHz speech, after its rejection."""
        audio = pcm16_to_float(pcm).astype(np.float32)
        with self._decoding:
            self._model.encoder_frames = self.encoder_frames(len(audio))
            segments, _info = self._model.transcribe(
                audio,
                language="en",
                beam_size=self._beam_size,
                initial_prompt=self.prompt,
                condition_on_previous_text=False,
                without_timestamps=True,
                vad_filter=False,  # already gated
                temperature=[0.0, 0.2, 0.4, 0.6, 0.8, 1.0] if self.fallback else 0.0,
                max_new_tokens=max_tokens(len(audio)),
            )
            segments = list(segments)  # transcribe decodes lazily, as this is iterated
            self.decoded_segments += 1
        kept = []
        for segment in segments:
            text = collapse_repeats(_plain(segment.text))
            if not text or self._rejected(segment, text):
                self.rejected_segments += 1
                logger.debug(
                    "rejected %r (no speech %.2f, log-probability %.2f)",
                    segment.text,
                    segment.no_speech_prob,
                    segment.avg_logprob,
                )
                continue
            kept.append(text)
        return " ".join(kept)

    def encoder_frames(self, samples: int) -> int:
        """Feature frames the encoder gets for ``samples`` of 16 kHz audio: the audio's own
        and ``window_padding`` seconds of padding, at most Whisper's 30 s."""
        if self.window_padding is None:
            return _FULL_WINDOW_FRAMES
        frames = samples // _HOP + 1 + round(self.window_padding * SAMPLE_RATE / _HOP)
        return min(_FULL_WINDOW_FRAMES, frames + frames % 2)  # the encoder halves it

    def _rejected(self, segment: Any, text: str) -> bool:
        if segment.avg_logprob < VERY_LOW_LOG_PROBABILITY:
            return True
        if segment.no_speech_prob > NO_SPEECH_PROBABILITY and segment.avg_logprob < (
            LOW_LOG_PROBABILITY
        ):
            return True
        # the prompt read back (Whisper does that to noise): four or more of its words in order
        echoed = f" {text} " in f" {_plain(self.prompt)} " if self.prompt else False
        return echoed and len(text.split()) >= 4

    def _end_segment(self) -> str:
        speech = bytes(self._speech)
        self._speech.clear()
        self._in_speech = False
        if len(speech) < MIN_SPEECH_SECONDS * SAMPLE_RATE * SAMPLE_WIDTH:
            return ""
        return self.transcribe_segment(speech)

    # ----------------------------------------------------------------- helpers

    def _add(self, speech: bytes) -> None:
        if not speech:
            return
        if not self._in_speech:
            self._in_speech = True
            speech = self._frames.preroll(speech) + speech
        self._speech += speech

    def _too_long(self) -> bool:
        return len(self._speech) >= MAX_UTTERANCE_SECONDS * SAMPLE_RATE * SAMPLE_WIDTH


def max_tokens(samples: int) -> int:
    """The most tokens ``samples`` of 16 kHz speech may be decoded into."""
    return MIN_TOKENS + round(TOKENS_PER_SECOND * samples / SAMPLE_RATE)


def collapse_repeats(text: str) -> str:
    """One phrase of two or more words said over and over, kept once ("how much longer how
    much longer" -> "how much longer"); anything else as it is."""
    words = text.split()
    for size in range(2, len(words) // 2 + 1):
        if len(words) % size == 0 and words == words[:size] * (len(words) // size):
            return " ".join(words[:size])
    return text


def _plain(text: str) -> str:
    """Lower case words, as the other engines give them ("Tech neck!" -> "tech neck")."""
    return " ".join(_PUNCTUATION.sub(" ", text.lower().replace("-", " ")).split())


def _windowed_model_class(whisper: Any) -> type:
    """faster-whisper's ``WhisperModel`` whose encoder gets only the first
    ``encoder_frames`` of the 30 s window it pads every segment to."""

    class WindowedWhisperModel(whisper.WhisperModel):  # type: ignore[misc, name-defined]
        encoder_frames = _FULL_WINDOW_FRAMES

        def encode(self, features: Any) -> Any:
            return super().encode(features[..., : self.encoder_frames])

    return WindowedWhisperModel


def require_faster_whisper() -> None:
    """A ModelError with the install line when the extra is missing (nothing is imported)."""
    import importlib.util

    if importlib.util.find_spec("faster_whisper") is None:
        raise ModelError(f"the Whisper engine needs faster-whisper; {INSTALL_HINT}")


def _import_faster_whisper() -> Any:
    try:
        import faster_whisper
    except ImportError as error:
        raise ModelError(f"the Whisper engine needs faster-whisper; {INSTALL_HINT}") from error
    return faster_whisper
