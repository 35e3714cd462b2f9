"""PocketSphinx, offline, restricted to what the content says.

The general US English model that ships in the pocketsphinx wheel mishears most sentences, so
the decoder searches only a small trigram language model built from the content phrases (see
``sphinx_language_model``), with a dictionary of the content words.

Measured on 100 utterances of ``tests/data/eval_utterances.tsv`` spoken by espeak-ng, each
transcript matched by ``IntentMatcher`` (2024, pocketsphinx 5.1.1, one CPU core):

* n-gram language model (chosen): intent accuracy 71%, real-time factor 0.04;
* JSGF grammar, one alternative per content phrase: intent accuracy 49%, real-time factor
  0.03 -- it can only return a whole content phrase, so anything worded differently is
  forced onto the nearest phrase, often of another intent.

End of speech comes from pocketsphinx's ``Endpointer`` (WebRTC-style voice activity
detection over a sliding window): audio streams into the decoder while the endpointer says
speech, and the final text is returned as soon as it says the speech is over, about
``window`` seconds after the last word, without waiting for ``finish()``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from voicecare.errors import AudioError, ModelError
from voicecare.listening.recognizer import SAMPLE_RATE, SAMPLE_WIDTH, Heard
from voicecare.listening.sphinx_language_model import ModelFiles, prepare_model_files
from voicecare.listening.wav_audio import Resampler, float_to_pcm16, pcm16_to_float

logger = logging.getLogger(__name__)

ENDPOINT_WINDOW = 0.3  # seconds of audio the endpointer decides on (start and end of speech)
ENDPOINT_RATIO = 0.9  # share of that window that must agree


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("voicecare")) / "pocketsphinx"


class PocketSphinxRecognizer:
    """Streaming recognizer: feed 16-bit mono PCM, get partial and final ``Heard`` results.

    ``vocabulary`` is every word content uses; ``phrases`` are the content sentences (word
    sequences or plain strings) that shape the language model.
    """

    def __init__(
        self,
        vocabulary: Iterable[str],
        phrases: Iterable[Sequence[str] | str] = (),
        *,
        sample_rate: int = SAMPLE_RATE,
        cache_dir: Path | None = None,
        endpoint_window: float = ENDPOINT_WINDOW,
        vad_mode: int = 0,
    ) -> None:
        started = time.perf_counter()
        pocketsphinx = _import_pocketsphinx()
        self.sample_rate = sample_rate
        acoustic = Path(pocketsphinx.get_model_path("en-us/en-us"))
        dictionary = Path(pocketsphinx.get_model_path("en-us/cmudict-en-us.dict"))
        for needed in (acoustic, dictionary):
            if not needed.exists():
                raise ModelError(
                    f"the pocketsphinx model is incomplete ({needed} is missing); "
                    "reinstall it with: pip install --force-reinstall pocketsphinx"
                )
        sentences = [_as_words(phrase) for phrase in phrases]
        try:
            self.files: ModelFiles = prepare_model_files(
                sentences, vocabulary, dictionary, cache_dir or default_cache_dir()
            )
        except OSError as error:
            raise ModelError(f"cannot write the pocketsphinx language model ({error})") from error
        if self.files.words == 0:
            raise ModelError("no content word is in the pocketsphinx dictionary: nothing to hear")
        try:
            self._decoder: Any = pocketsphinx.Decoder(
                hmm=str(acoustic),
                dict=str(self.files.dictionary),
                lm=str(self.files.language_model),
                samprate=SAMPLE_RATE,
                loglevel="FATAL",
            )
        except (RuntimeError, ValueError) as error:
            raise ModelError(f"pocketsphinx could not load its model ({error})") from error
        self._make_endpointer = lambda: pocketsphinx.Endpointer(
            window=endpoint_window, ratio=ENDPOINT_RATIO, vad_mode=vad_mode, sample_rate=SAMPLE_RATE
        )
        self._endpointer: Any = self._make_endpointer()
        self._frame_bytes: int = self._endpointer.frame_bytes
        self._pending = bytearray()  # 16 kHz audio not yet given to the endpointer
        self._odd_byte = b""  # half a sample left over from the last chunk
        self._resampler = self._new_resampler()
        self._in_utterance = False
        self._partial = ""
        self.construction_seconds = time.perf_counter() - started
        logger.info(
            "pocketsphinx ready in %.2f s: %d words, %d not in its dictionary",
            self.construction_seconds,
            self.files.words,
            len(self.files.missing_words),
        )

    @classmethod
    def for_library(cls, library: Any, **options: Any) -> PocketSphinxRecognizer:
        """Restricted to a content library: its phrases, keywords and red-flag triggers."""
        from voicecare.matching.normalize import words
        from voicecare.matching.sources import intent_keywords, intent_phrases

        sentences = [p for _, p in intent_phrases(library)]
        sentences += [k for _, k in intent_keywords(library)]
        triggers = [t for sign in library.safety.red_flags.signs for t in sign.triggers]
        sentences += [words(t, drop_fillers=False) for t in triggers]
        vocabulary = {w for sentence in sentences for w in sentence}
        return cls(sorted(vocabulary), sentences, **options)

    @property
    def missing_words(self) -> tuple[str, ...]:
        """Content words the pronouncing dictionary lacks: they can never be heard."""
        return self.files.missing_words

    # ---------------------------------------------------------------- Recognizer

    def accept_audio(self, chunk: bytes) -> Heard | None:
        self._pending += self._to_model_rate(chunk)
        heard_speech = False
        while len(self._pending) >= self._frame_bytes:
            frame = bytes(self._pending[: self._frame_bytes])
            del self._pending[: self._frame_bytes]
            speech = self._endpointer.process(frame)
            if speech is None:
                continue
            heard_speech = True
            self._feed(speech)
            if not self._endpointer.in_speech:
                return self._end_utterance()  # the rest stays pending for the next call
        if heard_speech:
            text = self._hypothesis()
            if text != self._partial:
                self._partial = text
                return Heard(text, final=False)
        return None

    def finish(self) -> Heard:
        self._pending += self._to_model_rate(b"", flush=True)
        said: list[str] = []
        while len(self._pending) >= self._frame_bytes:
            frame = bytes(self._pending[: self._frame_bytes])
            del self._pending[: self._frame_bytes]
            speech = self._endpointer.process(frame)
            if speech is not None:
                self._feed(speech)
                if not self._endpointer.in_speech:
                    said.append(self._end_utterance().text)
        if self._endpointer.in_speech:
            speech = self._endpointer.end_stream(bytes(self._pending))
            if speech is not None:
                self._feed(speech)
        if self._in_utterance:
            said.append(self._end_utterance().text)
        self.reset()
        return Heard(" ".join(text for text in said if text), final=True)

    def reset(self) -> None:
        if self._in_utterance:
            self._decoder.end_utt()
            self._in_utterance = False
        self._endpointer = self._make_endpointer()
        self._pending.clear()
        self._odd_byte = b""
        self._resampler = self._new_resampler()
        self._partial = ""

    # ----------------------------------------------------------------- helpers

    def _feed(self, speech: bytes) -> None:
        if not speech:
            return  # the endpointer may hand back an empty tail; pocketsphinx rejects it
        if not self._in_utterance:
            self._decoder.start_utt()
            self._in_utterance = True
        self._decoder.process_raw(speech, no_search=False, full_utt=False)

    def _end_utterance(self) -> Heard:
        self._decoder.end_utt()
        self._in_utterance = False
        self._partial = ""
        return Heard(self._hypothesis(), final=True)

    def _hypothesis(self) -> str:
        hypothesis = self._decoder.hyp()
        if hypothesis is None:
            return ""
        return " ".join(
            word.split("(", 1)[0]
            for word in hypothesis.hypstr.lower().split()
            if not word.startswith(("<", "["))
        )

    def _new_resampler(self) -> Resampler | None:
        if self.sample_rate == SAMPLE_RATE:
            return None
        try:
            return Resampler(self.sample_rate, SAMPLE_RATE)
        except ValueError as error:
            raise AudioError(f"unusable sample rate {self.sample_rate} Hz ({error})") from None

    def _to_model_rate(self, chunk: bytes, flush: bool = False) -> bytes:
        if self._resampler is None:
            return chunk
        data = self._odd_byte + chunk
        whole = len(data) - len(data) % SAMPLE_WIDTH
        self._odd_byte = data[whole:]
        converted = self._resampler.process(pcm16_to_float(data[:whole]))
        if flush:
            converted = np.concatenate([converted, self._resampler.flush()])
        return float_to_pcm16(converted)


def _as_words(phrase: Sequence[str] | str) -> tuple[str, ...]:
    if isinstance(phrase, str):
        from voicecare.matching.normalize import words

        return tuple(words(phrase))
    return tuple(phrase)


def _import_pocketsphinx() -> Any:
    try:
        import pocketsphinx
    except ImportError as error:
        raise ModelError(
            f"pocketsphinx is not installed ({error}); run: pip install pocketsphinx"
        ) from error
    return pocketsphinx
