"""Two-pass hearing: a fast streaming ear and an accurate one behind one ``Recognizer``.

The first pass (Vosk or PocketSphinx, restricted to the content) gets every chunk and its
partial results go out at once: barge-in reads partials, so "stop" while VoiceCare talks
never waits for the second pass. When the first pass ends an utterance, the second pass
(Whisper) decodes the same stretch of audio and the final ``Heard`` carries both texts --
the accurate one as ``text``, the fast one as ``first_pass``. Which one to believe is not
decided here: the core does that (``Understanding.match``), so a red flag only one ear
heard becomes a question there, never a silent action, and the adapter stays dumb.

The segment's audio is kept here rather than asked of either engine: the stream since the
last final, at 16 kHz, and a voice activity endpointer (pocketsphinx's, as the engines use)
says where speech began, so the second pass gets the utterance with ``PREROLL`` seconds
before it and up to the moment the first pass ended it -- never a long run of silence
(Whisper invents words for that, and decodes it slower) and never a clipped last word (the
endpointer hands speech back a window late; the buffer does not). The tail of the last
utterance that the endpointer hands back after the final is not new speech: the segment
starts at the last final only when no new speech began before the next one.

Speculative decoding (``speculative``; off by default, see ``SPECULATIVE``) is meant to hide
the second pass's time inside the first pass's wait for trailing silence: a detector follows the
same frames, and as soon as a few frames of silence follow speech the utterance so far goes
to Whisper on a worker thread. At the first pass's final the early result is used when
nothing but silence came after the audio it was given; otherwise it is dropped and the
whole utterance is decoded again (``speculation`` decides, purely from stream positions, so
the same audio always gives the same text). Partial results never wait for any decode: the
worker runs beside the stream, and every decode, early or not, goes through that one worker,
so Whisper never decodes two segments at once; an early decode that a later one or the
final supersedes is cancelled if it has not begun (which ones begin depends on timing, which
result is used does not).
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from voicecare.audio import SAMPLE_RATE, SAMPLE_WIDTH, PcmRateConverter
from voicecare.heard import Heard
from voicecare.listening.pocketsphinx_module import import_pocketsphinx
from voicecare.listening.recognizer import Recognizer
from voicecare.listening.speculation import Span, Speculation

logger = logging.getLogger(__name__)

ENGINE_NAME = "two-pass"
PREROLL = 0.3  # seconds of audio before the detected start of speech
# When the endpointer saw no speech but the first pass still heard words, the second pass
# gets this much of the audio before the end (the first pass's endpointer is the judge).
FALLBACK_SECONDS = 4.0
MAX_KEPT_SECONDS = 20.0  # audio kept for one segment (Whisper decodes up to 30 s at once)
MIN_SEGMENT_SECONDS = 0.25  # shorter audio is not worth decoding
ENDPOINT_WINDOW = 0.3
ENDPOINT_RATIO = 0.9
VAD_MODE = 2
# Decode early, in the silence the first pass waits through (see above). Off: measured
# through the virtual devices it made replies slower, not faster (benchmarks/RESULTS.md,
# issue 17, session 8): pauses inside an utterance start early decodes that are then
# dropped, and the one worker is still busy with one when the utterance really ends.
SPECULATIVE = False
_BYTES_PER_SECOND = SAMPLE_RATE * SAMPLE_WIDTH


class SegmentDecoder(Protocol):
    """The accurate ear: one whole segment of 16 kHz speech in, its text out ("": nothing
    it is sure of). ``WhisperRecognizer.transcribe_segment`` is one."""

    def transcribe_segment(self, pcm: bytes) -> str: ...


class TwoPassRecognizer:
    """``first`` streams and decides where utterances end; ``second`` hears each again."""

    engine_name = ENGINE_NAME

    def __init__(
        self,
        first: Recognizer,
        second: SegmentDecoder,
        ears: str = "",
        *,
        speculative: bool | None = None,
    ) -> None:
        """``speculative`` defaults to the module's ``SPECULATIVE`` (read here)."""
        self.first = first
        self.second = second
        self.sample_rate = first.sample_rate
        self.ears = ears  # one line for people: which engine is which pass
        self.speculative = SPECULATIVE if speculative is None else speculative
        pocketsphinx = import_pocketsphinx()
        self._make_endpointer = lambda: pocketsphinx.Endpointer(
            window=ENDPOINT_WINDOW, ratio=ENDPOINT_RATIO, vad_mode=VAD_MODE, sample_rate=SAMPLE_RATE
        )
        # Voice activity for speculation alone: built at its first use, never without it.
        self._make_vad = lambda: pocketsphinx.Vad(mode=VAD_MODE, sample_rate=SAMPLE_RATE)
        self._vad: Any = None
        self._to_16k = PcmRateConverter(self.sample_rate, SAMPLE_RATE)
        # One worker decodes everything, early or not: one segment at a time, off the stream.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="voicecare-whisper")
        self.decoded_segments = 0  # finals the second pass heard (early or not)
        self.early_decodes = 0  # decodes started before the first pass's final
        self.early_kept = 0  # of them, used for the final
        self.reset()

    # ---------------------------------------------------------------- Recognizer

    def accept_audio(self, chunk: bytes) -> Heard | None:
        self._keep(self._to_16k.convert(chunk))
        heard = self.first.accept_audio(chunk)
        if heard is not None and heard.final:
            return self._second_opinion(heard)
        if self.speculative:
            self._maybe_decode_early()
        return heard  # partials go out at once, for barge-in

    def finish(self) -> Heard:
        self._keep(self._to_16k.convert(b"", flush=True))
        heard = self._second_opinion(self.first.finish())
        self.reset()
        return heard

    def reset(self) -> None:
        self.first.reset()
        self._endpointer: Any = self._make_endpointer()
        self._frame_bytes: int = self._endpointer.frame_bytes
        self._to_16k.reset()
        self._audio = bytearray()  # 16 kHz audio since the last final
        self._audio_start = 0  # stream position (bytes) of _audio[0]
        self._pending = bytearray()  # audio not yet given to the endpointer
        self._speech_start: int | None = None  # stream position of this segment's speech
        self._old_region: float | None = None  # a region that began before the last final
        self._carried_over = False  # that region went on after the last final
        self._speculation = Speculation(_BYTES_PER_SECOND)
        self._early: Future[str] | None = None  # the latest early decode

    # ----------------------------------------------------------------- segments

    def _keep(self, pcm: bytes) -> None:
        self._audio += pcm
        excess = len(self._audio) - round(MAX_KEPT_SECONDS * _BYTES_PER_SECOND)
        if excess > 0:
            excess -= excess % SAMPLE_WIDTH
            del self._audio[:excess]
            self._audio_start += excess
        self._pending += pcm
        while len(self._pending) >= self._frame_bytes:
            frame = bytes(self._pending[: self._frame_bytes])
            del self._pending[: self._frame_bytes]
            if self.speculative:
                frame_end = self._audio_start + len(self._audio) - len(self._pending)
                self._speculation.heard(frame_end, self._voice_activity().is_speech(frame))
            if self._endpointer.process(frame) is not None and self._speech_start is None:
                self._mark_start()

    def _voice_activity(self) -> Any:
        """The detector speculation follows (pocketsphinx's ``Vad``), made when first asked."""
        if self._vad is None:
            self._vad = self._make_vad()
        return self._vad

    def _mark_start(self) -> None:
        region = float(self._endpointer.speech_start)
        if region == self._old_region:
            # The speech that ran past the last final: usually only its tail, handed back a
            # window late. Wait for new speech; if none begins before the next final (the
            # speaker went on talking), the segment starts at the last final (``_span``).
            self._carried_over = True
            return
        position = round(region * SAMPLE_RATE) * SAMPLE_WIDTH
        self._speech_start = max(self._audio_start, position)

    def _span(self) -> Span:
        """Where this segment's audio lies in the stream (positions in bytes): from
        ``PREROLL`` before the start of new speech, never before the last final."""
        end = self._audio_start + len(self._audio)
        if self._speech_start is not None:
            start = self._speech_start - round(PREROLL * SAMPLE_RATE) * SAMPLE_WIDTH
        elif self._carried_over:
            start = self._audio_start
        else:
            start = end - round(FALLBACK_SECONDS * SAMPLE_RATE) * SAMPLE_WIDTH
        return Span(max(start, self._audio_start), end)

    def _audio_of(self, span: Span) -> bytes:
        return bytes(self._audio[span.start - self._audio_start : span.end - self._audio_start])

    def _maybe_decode_early(self) -> None:
        if self._speech_start is None:
            return
        span = self._speculation.start(self._span().start, self._audio_start + len(self._audio))
        if span is None:
            return
        segment = self._audio_of(span)
        self.early_decodes += 1
        logger.debug("decoding %.2f s early", len(segment) / _BYTES_PER_SECOND)
        if self._early is not None:
            self._early.cancel()  # superseded: dropped if it has not started yet
        self._early = self._worker.submit(self.second.transcribe_segment, segment)

    def _next_segment(self) -> None:
        self._speculation.next_segment()
        self._early = None
        self._audio_start += len(self._audio)
        self._audio.clear()
        self._speech_start = None
        self._carried_over = False
        in_speech = self._endpointer.in_speech
        self._old_region = float(self._endpointer.speech_start) if in_speech else None

    def _second_opinion(self, first: Heard) -> Heard:
        """The final of the first pass, heard again by the second."""
        span = self._span()
        segment = self._audio_of(span)
        saw_speech = self._speech_start is not None
        early = self._early if self._speculation.keep(span) else None
        if early is None and self._early is not None:
            self._early.cancel()  # speech came after it: not worth finishing if not begun
        self._next_segment()
        if not first.text and not saw_speech:
            return Heard("", final=True, first_pass="")
        if len(segment) < MIN_SEGMENT_SECONDS * _BYTES_PER_SECOND:
            return Heard("", final=True, first_pass=first.text)
        self.decoded_segments += 1
        if early is not None:
            self.early_kept += 1
        else:
            early = self._worker.submit(self.second.transcribe_segment, segment)
        try:
            text = early.result()
        except (RuntimeError, ValueError, MemoryError) as error:
            logger.warning("the second pass failed (%s); using the first pass alone", error)
            return first
        logger.debug("first pass %r, second pass %r", first.text, text)
        return Heard(text, final=True, first_pass=first.text)
