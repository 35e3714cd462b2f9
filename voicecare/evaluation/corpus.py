"""The labelled set ``voicecare eval`` speaks: read, checked against the content's intents, and
optionally cut to a fixed subset."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Collection, Sequence
from pathlib import Path

from voicecare.errors import UsageError, VoiceCareError
from voicecare.matching.evaluation import Example, read_labelled

logger = logging.getLogger(__name__)

# The project's own set lives with the tests, next to the package in a source checkout (the
# same layout the bundled content relies on). An install without the tests needs --set.
DEFAULT_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "eval_utterances.tsv"


def default_set_path() -> Path:
    if not DEFAULT_SET.is_file():
        raise UsageError(
            f"the project's evaluation set is not here ({DEFAULT_SET}); "
            "pass one with --set FILE (TSV: intent<TAB>utterance)"
        )
    return DEFAULT_SET


def load_set(path: Path | None, known_intents: Collection[str]) -> list[Example]:
    """Every example of ``path`` (default: the project's set); each expected intent must be
    one of ``known_intents``."""
    path = default_set_path() if path is None else Path(path)
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "no such file"
        raise UsageError(f"--set {path}: {what}; give a TSV file of intent<TAB>utterance lines")
    try:
        examples = read_labelled(path)
    except UnicodeDecodeError:
        raise UsageError(f"--set {path}: not UTF-8 text; save it as UTF-8 TSV") from None
    except OSError as error:
        raise UsageError(f"--set {path}: cannot be read ({error.strerror or error})") from None
    except VoiceCareError as error:  # a malformed line, named by file and line number
        raise UsageError(str(error)) from None
    if not examples:
        raise UsageError(f"--set {path}: no utterances in it (lines are intent<TAB>utterance)")
    _check_intents(path, examples, known_intents)
    return examples


def _check_intents(path: Path, examples: Sequence[Example], known: Collection[str]) -> None:
    for example in examples:
        for intent in example.expected:
            if intent not in known:
                line = _line_of(path, intent)
                raise UsageError(
                    f"{path}:{line}: unknown intent '{intent}'; "
                    "see 'voicecare routines' and 'voicecare topics' for the known ids"
                )


def _line_of(path: Path, intent: str) -> int:
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.lstrip().startswith("#") and intent in raw.partition("\t")[0].split("|"):
            return number
    return 0


def subset(examples: Sequence[Example], limit: int | None) -> list[Example]:
    """``limit`` examples chosen by a hash of their text (the same ones every run, spread over
    the whole file), kept in file order; all of them when ``limit`` is None."""
    if limit is None or limit >= len(examples):
        return list(examples)
    ranked = sorted(
        range(len(examples)),
        key=lambda i: (zlib.crc32(examples[i].text.encode("utf-8")), i),
    )
    chosen = sorted(ranked[:limit])
    return [examples[i] for i in chosen]
