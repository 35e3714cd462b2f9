"""Real recordings for ``voicecare eval --recordings DIR``: a person's own voice, microphone
and room instead of synthesized speech.

DIR holds WAV files (any rate, mono or stereo) and ``labels.tsv``, one line per file::

    # file<TAB>intent ids[<TAB>what was said]
    neck-1.wav<TAB>routine:neck
    stop-2.wav<TAB>command:stop|command:pause<TAB>stop please

Several intent ids separated by ``|`` all count as right. The third column is optional: with
it the word error rate is measured too. Lines starting with ``#`` are comments.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicecare.audio import pcm16_to_float
from voicecare.errors import UsageError, VoiceCareError
from voicecare.listening.wav_audio import read_wav

logger = logging.getLogger(__name__)

LABELS = "labels.tsv"
FORMAT = "file<TAB>intent ids, several separated by |"


@dataclass(frozen=True)
class Recording:
    path: Path
    expected: tuple[str, ...]
    text: str = ""  # what was said, when the labels give it

    @property
    def name(self) -> str:
        return self.path.name

    def pcm(self) -> bytes:
        return read_wav(self.path)


def load_recordings(folder: Path, known_intents: Collection[str]) -> list[Recording]:
    """Every labelled recording of ``folder``, checked: the file exists, every intent is
    known. A problem names the line of labels.tsv and what to do."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"--recordings {folder}: no such folder; give a folder of WAV files")
    labels = folder / LABELS
    try:
        lines = labels.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise UsageError(
            f"--recordings {folder}: no {LABELS} in it; write one line per WAV file: {FORMAT}"
        ) from None
    except UnicodeDecodeError:
        raise UsageError(f"{labels}: not UTF-8 text; save it as UTF-8 TSV") from None
    except OSError as error:
        raise UsageError(f"{labels}: cannot be read ({error.strerror or error})") from None
    recordings = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        recordings.append(_recording(folder, labels, number, raw, known_intents))
    if not recordings:
        raise UsageError(f"{labels}: no recordings listed (lines are {FORMAT})")
    _check_unique(labels, recordings)
    unlabelled = {p.name for p in folder.glob("*.wav")} - {r.name for r in recordings}
    if unlabelled:
        logger.warning("%d WAV files in %s are not in %s", len(unlabelled), folder, LABELS)
    return recordings


def _recording(
    folder: Path, labels: Path, number: int, raw: str, known: Collection[str]
) -> Recording:
    where = f"{labels}:{number}"
    fields = raw.rstrip("\r\n").split("\t")
    if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
        raise UsageError(f"{where}: expected '{FORMAT}'")
    name, intents = fields[0].strip(), fields[1]
    expected = tuple(intent.strip() for intent in intents.split("|") if intent.strip())
    for intent in expected:
        if intent not in known:
            raise UsageError(
                f"{where}: unknown intent '{intent}'; see 'voicecare routines' and "
                "'voicecare topics' (with the same --content) for the known ids"
            )
    path = folder / name
    if not path.is_file():
        raise UsageError(f"{where}: no file {path}; put the recording there or fix the name")
    text = fields[2].strip() if len(fields) > 2 else ""
    return Recording(path, expected, text)


def _check_unique(labels: Path, recordings: Sequence[Recording]) -> None:
    seen: set[str] = set()
    for recording in recordings:
        if recording.name in seen:
            raise UsageError(f"{labels}: '{recording.name}' is listed twice; keep one line")
        seen.add(recording.name)


def subset(recordings: Sequence[Recording], limit: int | None) -> list[Recording]:
    """``limit`` recordings chosen by a hash of their file names, in file order."""
    if limit is None or limit >= len(recordings):
        return list(recordings)
    ranked = sorted(
        range(len(recordings)),
        key=lambda i: (zlib.crc32(recordings[i].name.encode("utf-8")), i),
    )
    return [recordings[i] for i in sorted(ranked[:limit])]


def read_noise(path: Path) -> np.ndarray:
    """A noise file as float samples at 16 kHz, for mixing."""
    try:
        samples = pcm16_to_float(read_wav(path)).astype(float)
    except VoiceCareError as error:
        raise UsageError(f"--noise {error}") from None
    if not np.any(samples):
        raise UsageError(f"--noise {path}: the file is silent; give a recording of noise")
    return samples
