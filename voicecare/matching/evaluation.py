"""Measure the matcher on a labelled set: accuracy per intent family, out-of-domain false
accepts, red-flag recall. Pure: a list of examples in, numbers out."""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from voicecare.errors import VoiceCareError
from voicecare.matching.intents import NONE, RED_FLAGS, Match, family


@dataclass(frozen=True)
class Example:
    text: str
    expected: tuple[str, ...]  # any of these is right

    @property
    def family(self) -> str:
        return family(self.expected[0])

    @property
    def is_dev(self) -> bool:
        """A fixed two-thirds / one-third split by a hash of the text (dev calibrates)."""
        return zlib.crc32(self.text.encode()) % 3 != 0


def read_labelled(path: Path) -> list[Example]:
    """TSV: ``intent<TAB>utterance``; ``a|b`` when either intent is right; # comments."""
    examples = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        intent, tab, text = line.partition("\t")
        if not tab or not text.strip():
            raise VoiceCareError(f"{path}:{number}: expected 'intent<TAB>utterance'")
        examples.append(Example(text.strip(), tuple(intent.strip().split("|"))))
    return examples


@dataclass
class Report:
    total: int = 0
    correct: int = 0
    by_family: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    out_of_domain: int = 0
    false_accepts: int = 0
    red_flags: int = 0
    red_flags_found: int = 0
    errors: list[tuple[Example, Match]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def rejection_rate(self) -> float:
        """Share of out-of-domain utterances answered with ``none``."""
        return 1 - self.false_accepts / self.out_of_domain if self.out_of_domain else 1.0

    @property
    def red_flag_recall(self) -> float:
        return self.red_flags_found / self.red_flags if self.red_flags else 1.0

    def family_accuracy(self) -> dict[str, float]:
        return {name: ok / n for name, (ok, n) in sorted(self.by_family.items()) if n}

    def summary(self) -> str:
        lines = [
            f"utterances: {self.total}",
            f"accuracy: {self.accuracy:.1%}",
            *(f"  {name}: {acc:.1%}" for name, acc in self.family_accuracy().items()),
            f"out-of-domain rejected: {self.rejection_rate:.1%} "
            f"({self.false_accepts} false accepts of {self.out_of_domain})",
            f"red-flag recall: {self.red_flag_recall:.1%} "
            f"({self.red_flags_found} of {self.red_flags})",
        ]
        return "\n".join(lines)


def evaluate(examples: Iterable[Example], match: Callable[[str], Match]) -> Report:
    report = Report()
    for example in examples:
        result = match(example.text)
        ok = result.intent in example.expected
        report.total += 1
        report.correct += ok
        counts = report.by_family[example.family]
        counts[0] += ok
        counts[1] += 1
        if NONE in example.expected:
            report.out_of_domain += 1
            report.false_accepts += result.intent != NONE
        if RED_FLAGS in example.expected:
            report.red_flags += 1
            report.red_flags_found += result.intent == RED_FLAGS
        if not ok:
            report.errors.append((example, result))
    return report


def split(examples: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    dev = [e for e in examples if e.is_dev]
    test = [e for e in examples if not e.is_dev]
    return dev, test
