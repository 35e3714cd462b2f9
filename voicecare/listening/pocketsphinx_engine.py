"""PocketSphinx, offline, restricted to what the content says.

The general US English model that ships in the pocketsphinx wheel mishears most sentences, so
the decoder searches only a small trigram language model built from the content phrases (see
``sphinx_language_model``), with a dictionary of the content words. The decoder dithers from
the second utterance on (``DITHER_SEED``); dithering the first one too cost a first
utterance's accuracy.

Cepstral mean normalisation starts from the model's guess (``40,3,-1``) and moves only part
of the way to the real mean after each utterance, so the engine's first utterance is decoded
again from its kept audio while the mean still moves (``CMN_SETTLED``, ``MAX_EXTRA_PASSES``);
later ones are not (the mean then follows the speaker and the room; re-decoding adds latency).

Each final comes with a confidence (``sphinx_confidence``: the restricted path's score
against a phone loop's over the same audio), and one below its threshold is given as no
text: the content language model turns any speech into content words, so what it cannot
explain must not become a request. The engine's first utterance is never rejected: with the
cepstral mean still the model's guess, both scores are off. ``rejection=False`` turns this
off.

Audio goes through a noise front end (``noise_front_end``, as ``front_end`` names) first.

End of speech comes from pocketsphinx's ``Endpointer`` (WebRTC-style voice activity
detection over a sliding window): audio streams into the decoder while the endpointer says
speech, and the final text is returned as soon as it says the speech is over, within about
``ENDPOINT_WINDOW`` seconds of the last word, without waiting for ``finish()``; when asked
(``early_silence``, off by default), sooner if the words so far may end a sentence.

How well it hears is measured by ``python -m benchmarks.spoken_accuracy`` and ``voicecare
eval``; the figures, and what each choice gained, are in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from voicecare.audio import SAMPLE_RATE, SAMPLE_WIDTH, FrameBuffer, PcmRateConverter
from voicecare.cache import user_cache_path
from voicecare.errors import ModelError
from voicecare.heard import Heard
from voicecare.listening.early_end import ContinuingWords, EarlyEnd
from voicecare.listening.noise_front_end import DEFAULT_FRONT_END, NoiseFrontEnd, front_end_named
from voicecare.listening.pocketsphinx_module import import_pocketsphinx
from voicecare.listening.sphinx_confidence import PhoneLoop, confidence, path_score
from voicecare.listening.sphinx_language_model import ModelFiles, prepare_model_files
from voicecare.vocabulary import Vocabulary

logger = logging.getLogger(__name__)

NBEST = 4  # alternatives kept for the safety screen
NBEST_SEARCHED = 20  # n-best entries read to find them (many differ only in silences)

# Seconds of audio the endpointer decides on (start and end of speech). Each 0.1 s less is
# 0.1 s less from the end of speech to the reply, at no cost in accuracy down to 0.2 s (see
# RESULTS.md); a person's pause over 0.18 s ends an utterance.
ENDPOINT_WINDOW = 0.2
ENDPOINT_RATIO = 0.9  # share of that window that must agree
MAX_UTTERANCE_SECONDS = 20.0  # longer "speech" is ended there (nobody talks to a coach so long)
# WebRTC VAD aggressiveness 0-3. In white noise at 10 dB SNR, mode 0 took the noise for speech
# and ended 7 utterances of 100 (the rest only with the stream); mode 2 ends all of them.
# Mode 2 clips soft onsets ("stop" was heard as "nah"), so the decoder also gets PREROLL
# seconds of the audio before the start the endpointer found.
VAD_MODE = 2
PREROLL = 0.3
# Cepstral mean normalisation (CMN) starts from the model's guess and moves only part of the
# way towards the real mean after each utterance. While the first entry (log energy) still
# moves more than this, the engine's first utterance is decoded again with the updated mean.
CMN_SETTLED = 2.0
MAX_EXTRA_PASSES = 3
# Dither (a 1-bit noise floor, seeded so results repeat): espeak audio and digital silence have
# runs of exact zeros, which real microphones never give. It helps a running engine but hurt
# the first utterance of a new one, so it is switched on after the first utterance (see the
# module docstring), unless ``decoder_options`` sets "dither" itself.
DITHER_SEED = 1


def default_cache_dir() -> Path:
    return user_cache_path("pocketsphinx")


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
        vad_mode: int = VAD_MODE,
        decoder_options: Mapping[str, Any] | None = None,
        emphasised: Iterable[str] = (),
        noise_suppression: bool = True,
        rejection: bool = True,
        front_end: str = DEFAULT_FRONT_END,
        early_silence: float | None = None,
    ) -> None:
        """``early_silence`` (e.g. ``early_end.EARLY_SILENCE``): end an utterance after this
        much silence when its words may end a sentence; None, the default: the whole window."""
        started = time.perf_counter()
        pocketsphinx = import_pocketsphinx()
        self.sample_rate = sample_rate
        acoustic = Path(pocketsphinx.get_model_path("en-us/en-us"))
        dictionary = Path(pocketsphinx.get_model_path("en-us/cmudict-en-us.dict"))
        for needed in (acoustic, dictionary):
            if not needed.exists():
                raise ModelError(
                    f"the pocketsphinx model is incomplete ({needed} is missing); "
                    "reinstall it with: pip install --force-reinstall pocketsphinx"
                )
        vocabulary = [word.lower() for word in vocabulary]
        sentences = [_as_words(phrase) for phrase in phrases]
        content_words = {w for w in vocabulary if w.strip()} | {
            w.lower() for s in sentences for w in s
        }
        try:
            self.files: ModelFiles = prepare_model_files(
                sentences,
                vocabulary,
                dictionary,
                cache_dir or default_cache_dir(),
                emphasised=[w.lower() for w in emphasised],
            )
        except OSError as error:
            raise ModelError(f"cannot write the pocketsphinx language model ({error})") from error
        self._warning_words = frozenset(w.lower() for w in emphasised)
        if not content_words - set(self.files.missing_words):
            raise ModelError("no content word is in the pocketsphinx dictionary: nothing to hear")
        try:
            self._decoder: Any = pocketsphinx.Decoder(
                hmm=str(acoustic),
                dict=str(self.files.dictionary),
                lm=str(self.files.language_model),
                samprate=SAMPLE_RATE,
                loglevel="FATAL",
                **(decoder_options or {}),  # e.g. lw, wip, dither: experiments
            )
        except (RuntimeError, ValueError) as error:
            raise ModelError(f"pocketsphinx could not load its model ({error})") from error
        self._phones = PhoneLoop(pocketsphinx, acoustic) if rejection else None
        if self._phones is not None:
            self._phones.match_features(self._decoder)
        self._make_endpointer = lambda: pocketsphinx.Endpointer(
            window=endpoint_window, ratio=ENDPOINT_RATIO, vad_mode=vad_mode, sample_rate=SAMPLE_RATE
        )
        self._endpointer: Any = self._make_endpointer()
        self._frame_bytes: int = self._endpointer.frame_bytes
        frame_seconds = self._frame_bytes / SAMPLE_WIDTH / SAMPLE_RATE
        preroll_frames = round(PREROLL / frame_seconds)
        # Frames given to the endpointer lately: it hands speech back a window later.
        keep = preroll_frames + round(2 * endpoint_window / frame_seconds) + 2
        self._frames = FrameBuffer(self._frame_bytes, preroll_frames, keep)
        vad = pocketsphinx.Vad(mode=vad_mode, sample_rate=SAMPLE_RATE)
        goes_on = ContinuingWords(sentences) if early_silence is not None else None
        self._early = EarlyEnd(vad, self._frame_bytes, frame_seconds, keep, goes_on, early_silence)
        self._to_model_rate = PcmRateConverter(self.sample_rate, SAMPLE_RATE)
        hearing = front_end_named(front_end)
        self._front_end = NoiseFrontEnd(hearing) if noise_suppression and hearing.active else None
        self._in_utterance = False
        self._cmn_from_speech = False  # the mean has been learnt from a whole utterance
        self._utterance_audio = bytearray()  # what the decoder got this utterance
        self._mean_at_start = 0.0
        self._partial = ""
        self._dither_later = "dither" not in (decoder_options or {})
        self.extra_passes = 0  # utterances decoded again while CMN was settling
        self.early_checks_resumed = 0  # utterances decoded again after an early check
        self.construction_seconds = time.perf_counter() - started
        logger.info(
            "pocketsphinx ready in %.2f s: %d words, %d not in its dictionary",
            self.construction_seconds,
            self.files.words,
            len(self.files.missing_words),
        )

    @classmethod
    def for_vocabulary(cls, vocabulary: Vocabulary, **options: Any) -> PocketSphinxRecognizer:
        """Restricted to what the content expects (built by the caller from content)."""
        options.setdefault("emphasised", list(vocabulary.emphasised))
        return cls(list(vocabulary.words), list(vocabulary.sentences), **options)

    @property
    def dithering(self) -> bool:
        """Whether the decoder adds its 1-bit noise floor (from the second utterance on)."""
        return bool(self._decoder.config["dither"])

    @property
    def missing_words(self) -> tuple[str, ...]:
        """Content words the pronouncing dictionary lacks: they can never be heard."""
        return self.files.missing_words

    # ---------------------------------------------------------------- Recognizer

    def accept_audio(self, chunk: bytes) -> Heard | None:
        self._frames.add(self._cleaned(self._to_model_rate.convert(chunk)))
        heard_speech = False
        for frame in self._frames.frames():
            speech, judge = self._early.process(self._endpointer, frame)
            if speech is None:
                continue
            heard_speech = True
            self._feed(speech)
            if not self._endpointer.in_speech or self._utterance_too_long():
                return self._end_utterance()  # the rest stays pending for the next call
            if judge and self._sounds_finished():
                return self._end_utterance(decoded=True)
        if heard_speech:
            text = self._hypothesis()
            if text != self._partial:
                self._partial = text
                return Heard(text, final=False)
        return None

    def finish(self) -> Heard:
        self._frames.add(self._cleaned(self._to_model_rate.convert(b"", flush=True), flush=True))
        said: list[Heard] = []
        for frame in self._frames.frames():
            speech, _judge = self._early.process(self._endpointer, frame)
            if speech is not None:
                self._feed(speech)
                if not self._endpointer.in_speech:
                    said.append(self._end_utterance())
        if self._endpointer.in_speech and self._frames.pending:  # end_stream rejects no audio
            speech = self._endpointer.end_stream(bytes(self._frames.pending))
            if speech is not None:
                self._feed(self._early.handed_back(speech))
        if self._in_utterance:
            said.append(self._end_utterance())
        self.reset()
        sure = [heard.confidence for heard in said if heard.text and heard.confidence is not None]
        return Heard(
            " ".join(heard.text for heard in said if heard.text),
            final=True,
            confidence=min(sure) if sure else None,
        )

    def reset(self) -> None:
        if self._in_utterance:
            self._decoder.end_utt()
            self._in_utterance = False
        if self._phones is not None:
            self._phones.abandon()
        self._utterance_audio.clear()
        self._frames.clear()
        self._endpointer = self._make_endpointer()
        self._early.restart()
        self._to_model_rate.reset()
        if self._front_end is not None:
            self._front_end.clear()
        self._partial = ""

    # ----------------------------------------------------------------- helpers

    def _cleaned(self, pcm: bytes, flush: bool = False) -> bytes:
        if self._front_end is None:
            return pcm
        cleaned = self._front_end.process(pcm)
        return cleaned + self._front_end.flush() if flush else cleaned

    def _feed(self, speech: bytes) -> None:
        if not speech:
            return  # the endpointer may hand back an empty tail; pocketsphinx rejects it
        if not self._in_utterance:
            speech = self._frames.preroll(speech) + speech
            self._decoder.start_utt()
            if self._phones is not None:
                self._phones.start()
            self._in_utterance = True
            self._utterance_audio.clear()
            self._mean_at_start = self._log_energy_mean()
        self._utterance_audio += speech
        self._decoder.process_raw(speech, no_search=False, full_utt=False)
        if self._phones is not None:
            self._phones.feed(speech)

    def _end_utterance(self, decoded: bool = False) -> Heard:  # decoded: end_utt was called
        before = self._mean_at_start
        if not decoded:
            self._decoder.end_utt()
        phones = None if self._phones is None else self._phones.end()
        self._in_utterance = False
        self._partial = ""
        for _ in range(0 if self._cmn_from_speech else MAX_EXTRA_PASSES):
            after = self._log_energy_mean()
            if abs(after - before) <= CMN_SETTLED:
                break
            before = after
            self.extra_passes += 1
            self._decoder.start_utt()
            self._decoder.process_raw(bytes(self._utterance_audio), no_search=False, full_utt=False)
            self._decoder.end_utt()
            if self._phones is not None:
                self._phones.start()
                self._phones.feed(bytes(self._utterance_audio))
                phones = self._phones.end()
        judged = self._cmn_from_speech  # a cold mean makes both scores unreliable
        self._cmn_from_speech = True
        self._utterance_audio.clear()
        sure = confidence(path_score(self._decoder), phones, self._decoder.n_frames())
        unsure = judged and sure is not None and sure < 0.5
        # A red-flag word is never dropped: the core hears it with the low confidence and
        # asks ("Did you say ...?"); anything else the content cannot explain is no request.
        if unsure and not self._warning_words & set(self._hypothesis().split()):
            logger.debug("rejected %r (confidence %.2f)", self._hypothesis(), sure)
            heard = Heard("", final=True, confidence=sure)
        else:
            heard = Heard(
                self._hypothesis(), final=True, alternatives=self._alternatives(), confidence=sure
            )
        if self._dither_later:
            self._start_dithering()
        return heard

    def _start_dithering(self) -> None:
        """From the next utterance on, with the cepstral mean learnt so far kept."""
        self._dither_later = False
        mean = self._decoder.get_cmn()
        self._decoder.config["dither"] = True
        self._decoder.config["seed"] = DITHER_SEED
        self._decoder.reinit_feat()
        self._decoder.set_cmn(mean)
        if self._phones is not None:
            self._phones.match_features(self._decoder)

    def _sounds_finished(self) -> bool:
        """After a short silence: whether the utterance (with what the endpointer holds) ends on
        a word a sentence may end on, judged on its final hypothesis (a partial one ends on
        half-decoded words); if not, it is decoded again. Never the first utterance."""
        if not self._cmn_from_speech:
            return False
        self._feed(self._early.catch_up())
        mean = self._decoder.get_cmn()
        self._decoder.end_utt()
        if self._early.sounds_finished(self._hypothesis().split()):
            self._endpointer = self._make_endpointer()
            self._early.restart()
            return True
        self.early_checks_resumed += 1
        self._decoder.set_cmn(mean)
        self._decoder.start_utt()
        self._decoder.process_raw(bytes(self._utterance_audio), no_search=False, full_utt=False)
        return False

    def _utterance_too_long(self) -> bool:
        """Steady loud noise (a fan, a vacuum) would otherwise be one endless utterance:
        nothing heard until it stops, and the decoder growing all the while."""
        return len(self._utterance_audio) >= MAX_UTTERANCE_SECONDS * SAMPLE_RATE * SAMPLE_WIDTH

    def _log_energy_mean(self) -> float:
        return float(self._decoder.get_cmn().split(",", 1)[0])

    def _hypothesis(self) -> str:
        hypothesis = self._decoder.hyp()
        return "" if hypothesis is None else _plain_words(hypothesis.hypstr)

    def _alternatives(self) -> tuple[str, ...]:
        """The decoder's next guesses (its n-best list), without the best one itself or
        repeats: what a red flag heard in the best guess is weighed against."""
        best = self._hypothesis()
        found: list[str] = []
        try:
            # The decoder gives None instead of a list, or None in it, for an empty path.
            for hypothesis in islice(self._decoder.nbest() or (), NBEST_SEARCHED):
                if hypothesis is None:
                    continue
                text = _plain_words(hypothesis.hypstr)
                if text and text != best and text not in found:
                    found.append(text)
                if len(found) == NBEST:
                    break
        except (RuntimeError, ValueError) as error:  # no lattice for this utterance
            logger.debug("no n-best list: %s", error)
        return tuple(found)


def _as_words(phrase: Sequence[str] | str) -> tuple[str, ...]:
    if isinstance(phrase, str):
        from voicecare.normalize import words

        return tuple(words(phrase))
    return tuple(phrase)


def _plain_words(hypothesis: str) -> str:
    """A hypothesis without fillers, silences and pronunciation variants ("read(2)")."""
    return " ".join(
        word.split("(", 1)[0]
        for word in hypothesis.lower().split()
        if not word.startswith(("<", "["))
    )
