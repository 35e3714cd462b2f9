"""Vosk (Kaldi), offline, free recognition with a downloaded model.

The model folder is checked before Vosk sees it (every file Vosk's ``model.cc`` will read,
and the magic bytes of the acoustic model and the graphs), so a missing, empty or garbage
model becomes one ``ModelError`` line naming the folder; anything the check cannot see
(a truncated file) makes ``vosk.Model`` fail, which is reported the same way with Kaldi's
own reason. Kaldi's informational log is silenced (``vosk.SetLogLevel(-1)`` keeps its
warnings and errors), and what it writes to stderr while a model loads is captured: its
error lines go into the ModelError, anything else is written back after a good load.

End of speech: Kaldi's endpoint rules, with the shorter trailing silences of
``vosk_tuning.FAST_TURN`` (a tuned copy of the model's ``conf/model.conf`` in the cache
folder; the user's model folder is never written to).

Grammar: ``grammar`` restricts recognition to the given words and phrases, plus ``[unk]``
for anything else when the model knows it (the Korean one does not); words the model lacks
are dropped and listed in ``missing_words``. Vosk supports grammars only for models with a
dynamic graph (``graph/HCLr.fst`` + ``graph/Gr.fst``: the small models, including the
Korean one used by the tests); with a static ``HCLG.fst`` it ignores them.

VoiceCare recognises freely by default (``grammar=None``): the matcher is fuzzy and people
word their complaints freely, and a closed grammar forces every sentence onto the nearest
listed phrase, often of another intent, and turns new words into ``[unk]``. That was
measured for PocketSphinx (grammar 49% intent accuracy against 71% for a language model, see
``pocketsphinx_engine``), not for Vosk: no English Vosk model is available where this was
written, so the Vosk choice is reasoned, not measured.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from voicecare.audio import SAMPLE_RATE, SAMPLE_WIDTH
from voicecare.errors import AudioError, ModelError
from voicecare.heard import Heard
from voicecare.listening.model_store import DOWNLOAD_HINT, model_problem
from voicecare.listening.vosk_tuning import FAST_TURN, EndpointSilences, tuned_model_dir

logger = logging.getLogger(__name__)

UNKNOWN_WORD = "[unk]"
_KALDI_MODEL = (b"\x00B<TransitionModel>", b"<TransitionModel>")  # binary, text
_OPENFST = (b"\xd6\xfd\xb2\x7e",)  # OpenFst's magic number, little-endian
_ANY: tuple[bytes, ...] = (b"",)
_IVECTOR_FILES = (
    "final.ie",
    "final.mat",
    "global_cmvn.stats",
    "final.dubm",
    "splice.conf",
    "online_cmvn.conf",
)


class VoskRecognizer:
    """Streaming recognizer: feed 16-bit mono PCM at ``sample_rate``, get partial and final
    ``Heard`` results. ``end_of_speech=None`` keeps the model's own endpoint silences."""

    def __init__(
        self,
        model_dir: Path,
        *,
        sample_rate: int = SAMPLE_RATE,
        grammar: Iterable[str] | None = None,
        end_of_speech: EndpointSilences | None = FAST_TURN,
        cache_dir: Path | None = None,
    ) -> None:
        vosk = _import_vosk()
        model_dir = Path(model_dir)
        problem = model_files_problem(model_dir)
        if problem is not None:
            raise ModelError(
                f"{model_dir} is not a usable Vosk model ({problem}); {DOWNLOAD_HINT}, "
                "or give the folder of a complete model with --model"
            )
        if sample_rate <= 0:
            raise AudioError(f"unusable sample rate {sample_rate} Hz: give a positive rate")
        load_dir = model_dir
        if end_of_speech is not None:
            load_dir = tuned_model_dir(model_dir, end_of_speech, cache_dir)
        try:
            self._model: Any = _load_model(str(load_dir))
        except _LoadFailed as failed:
            if load_dir != model_dir:
                shutil.rmtree(load_dir, ignore_errors=True)  # a tuned copy of a broken model
            raise ModelError(
                f"the Vosk model in {model_dir} could not be loaded ({failed}); "
                f"it is damaged or incomplete: {DOWNLOAD_HINT}"
            ) from None
        self._vosk = vosk
        self.model_dir = model_dir
        self.sample_rate = sample_rate
        self.grammar: tuple[str, ...] | None = None
        self.missing_words: tuple[str, ...] = ()  # grammar words the model does not know
        if grammar is not None:
            if not has_dynamic_graph(model_dir):
                logger.warning("the model in %s has a static graph: grammar ignored", model_dir)
            self.grammar, self.missing_words = self._known_phrases(grammar_phrases(grammar))
        self._recognizer: Any = self._new_recognizer()
        self._partial = ""
        self._odd_byte = b""

    # ---------------------------------------------------------------- Recognizer

    def accept_audio(self, chunk: bytes) -> Heard | None:
        data = self._odd_byte + chunk
        whole = len(data) - len(data) % SAMPLE_WIDTH
        self._odd_byte = data[whole:]
        if whole == 0:
            return None
        try:
            ended = self._recognizer.AcceptWaveform(data[:whole])
        except Exception as error:  # vosk raises a bare Exception
            raise AudioError(f"Vosk could not process the audio ({error})") from None
        if ended:
            text = _text(self._recognizer.Result(), "text")
            was_showing = self._partial
            self._partial = ""
            # Pure silence also ends an "utterance" (after 5 s): nothing to report then.
            return Heard(text, final=True) if text or was_showing else None
        partial = _text(self._recognizer.PartialResult(), "partial")
        if partial != self._partial:
            self._partial = partial
            return Heard(partial, final=False)
        return None

    def finish(self) -> Heard:
        text = _text(self._recognizer.FinalResult(), "text")
        self._partial = ""
        self._odd_byte = b""
        return Heard(text, final=True)

    def reset(self) -> None:
        # Not KaldiRecognizer.Reset(): it keeps the feature pipeline, whose frames not yet
        # decoded (a few hundred ms of the old speech) then open the next utterance.
        # FinalResult() marks the utterance finished, so the next audio starts a new pipeline.
        self.finish()

    # ----------------------------------------------------------------- helpers

    def _known_phrases(self, phrases: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The phrases without the words the model lacks (Vosk would drop them with a
        warning each), and those words."""
        known: dict[str, None] = {}
        missing: set[str] = set()
        for phrase in phrases:
            words = [w for w in phrase.split() if self._knows(w)]
            missing.update(w for w in phrase.split() if w not in words and w != UNKNOWN_WORD)
            if words:
                known.setdefault(" ".join(words))
        if missing:
            logger.info("%d grammar words are not in the model: %s", len(missing), sorted(missing))
        return tuple(known), tuple(sorted(missing))

    def _knows(self, word: str) -> bool:
        return self._model.vosk_model_find_word(word) >= 0

    def _new_recognizer(self) -> Any:
        try:
            if self.grammar is None:
                return self._vosk.KaldiRecognizer(self._model, float(self.sample_rate))
            grammar = json.dumps(list(self.grammar), ensure_ascii=False)
            return self._vosk.KaldiRecognizer(self._model, float(self.sample_rate), grammar)
        except Exception as error:  # vosk raises a bare Exception
            raise ModelError(
                f"Vosk could not start recognizing with the model in {self.model_dir} "
                f"({error}); {DOWNLOAD_HINT}"
            ) from None


def grammar_phrases(phrases: Iterable[str]) -> tuple[str, ...]:
    """Lower-cased, de-duplicated phrases in their first order, ending with ``[unk]``."""
    seen: dict[str, None] = {}
    for phrase in phrases:
        cleaned = " ".join(phrase.lower().split())
        if cleaned and cleaned != UNKNOWN_WORD:
            seen.setdefault(cleaned)
    return (*seen, UNKNOWN_WORD)


def has_dynamic_graph(model_dir: Path) -> bool:
    graph = model_dir / "graph" if (model_dir / "am").is_dir() else model_dir
    return not (graph / "HCLG.fst").exists() and (graph / "Gr.fst").is_file()


def model_files_problem(model_dir: Path) -> str | None:
    """What keeps ``model_dir`` from loading in Vosk, or None when every file it reads is
    present, readable and of the right kind (see Vosk's ``model.cc``)."""
    problem = model_problem(model_dir)
    if problem is not None:
        return problem
    current = (model_dir / "am" / "final.mdl").is_file()
    conf, graph = ("conf", "graph") if current else (".", ".")
    needed: list[tuple[str, tuple[bytes, ...]]] = [
        ("am/final.mdl" if current else "final.mdl", _KALDI_MODEL),
        (f"{conf}/mfcc.conf", _ANY),
    ]
    if current:
        needed.append(("conf/model.conf", _ANY))
    if (model_dir / graph / "HCLG.fst").exists():
        needed.append((f"{graph}/HCLG.fst", _OPENFST))
    else:
        needed += [(f"{graph}/HCLr.fst", _OPENFST), (f"{graph}/Gr.fst", _OPENFST)]
        needed.append((f"{graph}/disambig_tid.int", _ANY))
    if (model_dir / "ivector" / "final.ie").exists():
        needed += [(f"ivector/{name}", _ANY) for name in _IVECTOR_FILES]
    for name, magics in needed:
        problem = _file_problem(model_dir / name, magics)
        if problem is not None:
            return f"{os.path.normpath(name)} {problem}"
    return None


def _file_problem(path: Path, magics: tuple[bytes, ...]) -> str | None:
    if not path.is_file():
        return "is missing"
    try:
        with path.open("rb") as file:
            head = file.read(max(len(m) for m in magics) or 1)
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    if not head:
        return "is empty"
    if not any(head.startswith(magic) for magic in magics):
        return "is not a Kaldi model file (garbage or a different format)"
    return None


class _LoadFailed(Exception):
    """Why Kaldi could not load a model folder."""


@functools.lru_cache(maxsize=2)
def _load_model(load_dir: str) -> Any:
    """The loaded model (seconds of work and hundreds of MB, so the last two are kept for
    recognizers that share them)."""
    vosk = _import_vosk()
    failure: Exception | None = None
    with _captured_stderr() as kaldi_said:
        try:
            model = vosk.Model(load_dir)
        except Exception as error:  # vosk raises a bare Exception
            failure = error
    if failure is None:
        if kaldi_said:  # warnings: give them back to stderr
            os.write(2, ("\n".join(kaldi_said) + "\n").encode())
        return model
    errors = [line for line in kaldi_said if "ERROR" in line]
    reason = errors[-1].split(") ", 1)[-1].removeprefix("ERROR: ") if errors else str(failure)
    raise _LoadFailed(reason.strip())


@contextlib.contextmanager
def _captured_stderr() -> Iterator[list[str]]:
    """The lines native code writes to file descriptor 2 meanwhile (Kaldi's log)."""
    lines: list[str] = []
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no usable stderr: nothing to capture
        yield lines
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield lines
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            lines += sink.read().decode("utf-8", "replace").splitlines()


def _text(result_json: str, key: str) -> str:
    words = json.loads(result_json).get(key, "").split()
    return " ".join(word for word in words if word != UNKNOWN_WORD)


def _import_vosk() -> Any:
    try:
        import vosk
    except ImportError as error:
        raise ModelError(f"vosk is not installed ({error}); run: pip install vosk") from error
    vosk.SetLogLevel(-1)
    return vosk
