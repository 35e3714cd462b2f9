"""Text to PCM with Piper (piper-tts: a neural VITS voice run by onnxruntime on the CPU).

Piper makes a whole sentence at once, so a line is made and played sentence by sentence:
``stream`` yields the first sentence as soon as it exists while a worker thread goes on with
the next ones, and the speaker plays each as it comes (``InterruptibleSpeaker`` asks for
``stream`` when a synthesizer has it). The first sound of a line thus waits for its first
sentence only; a long first sentence is cut at its first clause boundary (a comma, a colon;
``with_opening_pause`` gives one without an early pause a comma before its first joining
word) so that it, too, starts soon, and the first pieces of lines spoken before are kept on disk
(``FirstPieces``): the coach's lines come back, and a kept one starts at once however busy
the CPU is. Stopping abandons the rest: the worker finishes the sentence it is on and makes
no more.

Speed: the coach's words per minute become Piper's length scale, relative to the rate the
voice speaks at by default (``REFERENCE_RATE``): "slower" and "faster" change it the same way
they change espeak-ng's rate. piper is imported lazily; the voice loads once per session.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from voicecare.cache import write_atomically
from voicecare.errors import AudioError
from voicecare.settings import SpeechSettings
from voicecare.speaking.piper_voices import FoundVoice
from voicecare.speaking.synthesis import Speech

logger = logging.getLogger(__name__)

REFERENCE_RATE = SpeechSettings().rate  # words per minute at the voice's own length scale
FIRST_PIECE_PHONEMES = 40  # a longer first sentence is split at its first clause boundary
CLAUSE_MARKS = (",", ";", ":")
CLOSE_TIMEOUT = 10.0  # seconds; one sentence takes well under that
OPENING_CHARS = 50  # a first sentence longer than this gets a pause before a joining word
MIN_PHRASE_CHARS = 15  # ... when the phrases either side are at least this long
_SENTENCE_END = re.compile(r"[.!?](\s|$)")
_PAUSE = re.compile(r"[,;:]")
_JOINING_WORD = re.compile(r"\s(?=(and|with|then|while|until|but|so|or|before|after|as)\s)")
_END = object()


class PiperSynthesizer:
    def __init__(
        self, voice: FoundVoice, volume: float = 1.0, cache_dir: Path | None = None
    ) -> None:
        try:
            from piper import PiperVoice, SynthesisConfig
        except ImportError as error:
            raise AudioError(
                f"Piper is not installed ({error}); run: pip install 'voicecare[piper]', "
                "or use --voice system"
            ) from error
        try:
            self._voice: Any = _load(PiperVoice, voice)
        except Exception as error:  # onnxruntime raises its own kinds for a broken file
            raise AudioError(
                f"cannot load the Piper voice {voice.model} ({error}); download it again "
                f"(voicecare voice download {voice.name} --force) or use --voice system"
            ) from error
        self._config_type = SynthesisConfig
        self.voice = voice
        self.volume = max(0.0, volume)
        self.sample_rate: int = self._voice.config.sample_rate
        self.cache = None if cache_dir is None else FirstPieces(cache_dir, voice)
        self._lock = threading.Lock()
        self._workers: set[threading.Thread] = set()
        # The first synthesis of a process is slow (espeak-ng's data loads, onnxruntime
        # plans its graph): done now, beside the session's start, not on the first line.
        self._warm = threading.Thread(
            target=self._warm_up, name="voicecare-piper-warm-up", daemon=True
        )
        self._warm.start()

    def length_scale(self, rate: int) -> float:
        """Piper's length scale for ``rate`` words per minute (> 1 is slower)."""
        return float(self._voice.config.length_scale) * REFERENCE_RATE / max(1, rate)

    def synthesize(self, text: str, rate: int) -> Speech:
        """The whole line at once."""
        pcm = b"".join(piece.pcm for piece in self.stream(text, rate))
        return Speech(pcm, self.sample_rate)

    def stream(self, text: str, rate: int) -> Iterator[Speech]:
        """The line, sentence by sentence, made ahead by a worker thread. Closing the
        iterator early (a stop) tells the worker to make no more."""
        pieces: queue.Queue[Any] = queue.Queue()
        abandoned = threading.Event()
        worker = threading.Thread(
            target=self._make,
            args=(text, rate, pieces, abandoned),
            name="voicecare-piper",
            daemon=True,
        )
        with self._lock:
            self._workers = {thread for thread in self._workers if thread.is_alive()}
            self._workers.add(worker)
        worker.start()
        try:
            while (piece := pieces.get()) is not _END:
                if isinstance(piece, Exception):
                    raise AudioError(f"Piper could not speak ({piece})") from piece
                yield piece
        finally:
            abandoned.set()

    def close(self) -> None:
        """Wait for the warm-up and for workers still on a sentence (a stopped line's worker
        makes no more): onnxruntime aborts the process if it exits while one is running."""
        self._warm.join()
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            worker.join(timeout=CLOSE_TIMEOUT)

    def _warm_up(self) -> None:
        try:
            ids = self._voice.phonemes_to_ids(self._voice.phonemize("Ready.")[0])
            self._voice.phoneme_ids_to_audio(ids, self._config_type())
        except Exception as error:  # the first line will say what is wrong
            logger.debug("Piper's warm-up failed: %s", error)

    def _make(
        self, text: str, rate: int, pieces: queue.Queue[Any], abandoned: threading.Event
    ) -> None:
        try:
            self._warm.join()
            scale = self.length_scale(rate)
            config = self._config_type(length_scale=scale, volume=1.0)
            sentences = self._voice.phonemize(with_opening_pause(text))
            for index, phonemes in enumerate(first_piece_split(sentences)):
                if abandoned.is_set():
                    return
                key = None
                if index == 0 and self.cache is not None:
                    key = self.cache.key(phonemes, scale, self.volume)
                    cached = self.cache.get(key)
                    if cached is not None:
                        pieces.put(Speech(cached, self.sample_rate))
                        continue
                ids = self._voice.phonemes_to_ids(phonemes)
                pcm = _pcm16(self._voice.phoneme_ids_to_audio(ids, config), self.volume)
                pieces.put(Speech(pcm, self.sample_rate))
                if key is not None and self.cache is not None:
                    self.cache.put(key, pcm)
        except Exception as error:  # handed to the speaker, which says so once
            pieces.put(error)
        finally:
            pieces.put(_END)


class FirstPieces:
    """The first piece of every line spoken before, kept on disk (raw 16-bit PCM, one file
    per piece, named by a hash of the voice file, the phonemes, speed and volume), so a line
    heard before starts at once however busy the machine is; the rest of a line is made
    while its first piece plays. The coach's lines are the content's, so the same few
    hundred pieces come back; past ``MAX_BYTES`` the oldest are removed."""

    MAX_BYTES = 64 * 1024 * 1024

    def __init__(self, folder: Path, voice: FoundVoice) -> None:
        self.folder = folder
        stat = voice.model.stat()
        self._voice_id = f"{voice.model.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
        self._written = 0

    def key(self, phonemes: list[str], length_scale: float, volume: float) -> str:
        text = f"{self._voice_id}|{''.join(phonemes)}|{length_scale:.4f}|{volume:.3f}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def get(self, key: str) -> bytes | None:
        try:
            return (self.folder / f"{key}.pcm").read_bytes() or None
        except OSError:
            return None

    def put(self, key: str, pcm: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self.folder / f"{key}.pcm", pcm)
            self._written += len(pcm)
            if self._written > self.MAX_BYTES // 16:
                self._written = 0
                self._prune()
        except OSError as error:  # a read-only or full disk: speak without the cache
            logger.debug("cannot keep a piece in %s: %s", self.folder, error)

    def _prune(self) -> None:
        files = sorted(self.folder.glob("*.pcm"), key=lambda path: path.stat().st_mtime)
        total = sum(path.stat().st_size for path in files)
        for path in files:
            if total <= self.MAX_BYTES:
                break
            total -= path.stat().st_size
            path.unlink(missing_ok=True)


def _load(piper_voice: Any, voice: FoundVoice) -> Any:
    """``PiperVoice.load``, but with onnxruntime's threads not spinning while they wait for
    work: on a busy 2-core machine spinning threads take the CPU the synthesis needs."""
    import json

    import onnxruntime
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    config = PiperConfig.from_dict(json.loads(voice.config.read_text(encoding="utf-8")))
    session = onnxruntime.InferenceSession(
        str(voice.model), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return piper_voice(session=session, config=config)


def with_opening_pause(text: str) -> str:
    """``text`` with a comma before the first joining word ("and", "with", "then", ...) of a
    long first sentence that has no pause of its own early on, so that ``first_piece_split``
    can start the line with its first phrase: "Place a massage ball on a table, and rest
    ...". A comma is where a speaker would breathe anyway; nothing else changes."""
    end = _SENTENCE_END.search(text)
    first = text[: end.start() + 1] if end else text
    if len(first) <= OPENING_CHARS or _PAUSE.search(first[:OPENING_CHARS]):
        return text
    for match in _JOINING_WORD.finditer(first):
        if _PAUSE.search(first[: match.start()]):
            return text  # it has a pause before this word already
        if MIN_PHRASE_CHARS <= match.start() <= len(first) - MIN_PHRASE_CHARS:
            return text[: match.start()] + "," + text[match.start() :]
    return text


def first_piece_split(sentences: list[list[str]]) -> list[list[str]]:
    """Piper's phonemes of each sentence, the first one cut after its first clause mark
    when it is long (so the first sound waits for a few words, not a whole sentence)."""
    pieces = [sentence for sentence in sentences if sentence]
    if not pieces or len(pieces[0]) <= FIRST_PIECE_PHONEMES:
        return pieces
    first = pieces[0]
    for index, phoneme in enumerate(first[:-1]):
        if phoneme in CLAUSE_MARKS and index >= 4 and len(first) - index > 4:
            head = first[: index + 1]
            tail = first[index + 1 :]
            while tail and tail[0] == " ":
                tail = tail[1:]
            return [head, tail, *pieces[1:]]
    return pieces


def _pcm16(audio: Any, volume: float) -> bytes:
    """Piper's float audio as 16-bit PCM, peak-normalized as piper's own ``synthesize``
    does, times ``volume``."""
    import numpy as np

    samples = np.asarray(audio, dtype=np.float32).reshape(-1)
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    if peak < 1e-8:
        return bytes(2 * samples.size)
    scaled = np.clip(samples / peak * volume, -1.0, 1.0)
    return (scaled * 32767.0).astype("<i2").tobytes()
