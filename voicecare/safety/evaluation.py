"""Scoring the safety screen on a labelled set: recall and false alarms, per sign.

The set is a TSV with a header ``text<TAB>sign<TAB>split``: ``sign`` is a red-flag sign id,
or ``-`` for an utterance that is not a red flag; ``split`` is ``dev`` (tuned on) or
``held-out`` (scored once after tuning).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from voicecare.safety.screen import SafetyScreen

NOT_A_RED_FLAG = "-"


@dataclass(frozen=True)
class LabelledUtterance:
    text: str
    sign: str  # NOT_A_RED_FLAG for a negative
    split: str


@dataclass
class SafetyReport:
    positives: Counter[str] = field(default_factory=Counter)  # per sign
    caught: Counter[str] = field(default_factory=Counter)  # flagged for sure, any sign
    asked: Counter[str] = field(default_factory=Counter)  # doubtful: the coach asks
    right_sign: Counter[str] = field(default_factory=Counter)
    negatives: int = 0
    false_alarms: int = 0  # a negative flagged for sure
    false_questions: int = 0  # a negative the coach would ask about
    missed: list[LabelledUtterance] = field(default_factory=list)  # not acted on
    unasked: list[LabelledUtterance] = field(default_factory=list)  # not even asked about
    alarms: list[tuple[LabelledUtterance, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        total = sum(self.positives.values())
        return sum(self.caught.values()) / total if total else 1.0

    @property
    def caught_or_asked(self) -> float:
        """Red flags VoiceCare did not let pass: acted on, or asked about."""
        total = sum(self.positives.values())
        return (sum(self.caught.values()) + sum(self.asked.values())) / total if total else 1.0

    @property
    def not_asked(self) -> int:
        """Red flags neither acted on nor asked about: the misses that matter most."""
        asked = sum(self.caught.values()) + sum(self.asked.values())
        return sum(self.positives.values()) - asked

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.negatives if self.negatives else 0.0

    @property
    def sign_accuracy(self) -> float:
        caught = sum(self.caught.values())
        return sum(self.right_sign.values()) / caught if caught else 1.0


def read_safety_set(path: Path) -> list[LabelledUtterance]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [LabelledUtterance(r["text"], r["sign"], r["split"]) for r in rows]


def score(screen: SafetyScreen, utterances: Iterable[LabelledUtterance]) -> SafetyReport:
    report = SafetyReport()
    for utterance in utterances:
        finding = screen.check(utterance.text)
        if utterance.sign == NOT_A_RED_FLAG:
            report.negatives += 1
            if finding is not None and finding.certain:
                report.false_alarms += 1
                report.alarms.append((utterance, finding.sign))
            elif finding is not None:
                report.false_questions += 1
                report.alarms.append((utterance, finding.sign + "?"))
            continue
        report.positives[utterance.sign] += 1
        if finding is not None and finding.certain:
            report.caught[utterance.sign] += 1
            report.right_sign[utterance.sign] += finding.sign == utterance.sign
        else:
            if finding is not None:
                report.asked[utterance.sign] += 1
            else:
                report.unasked.append(utterance)
            report.missed.append(utterance)
    return report


def format_report(report: SafetyReport, title: str) -> str:
    total = sum(report.positives.values())
    lines = [
        f"## {title}",
        "",
        "| sign | red flags | caught | recall | asked instead | right sign |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for sign in sorted(report.positives):
        n = report.positives[sign]
        caught = report.caught[sign]
        lines.append(
            f"| {sign} | {n} | {caught} | {caught / n:.1%} | {report.asked[sign]} | "
            f"{report.right_sign[sign]} |"
        )
    lines += [
        f"| **all** | {total} | {sum(report.caught.values())} | **{report.recall:.1%}** | "
        f"{sum(report.asked.values())} | {report.sign_accuracy:.1%} |",
        "",
        f"Caught or asked about: {report.caught_or_asked:.1%}. "
        f"Not red flags: {report.negatives}; sent to the doctor: {report.false_alarms} "
        f"(**{report.false_alarm_rate:.1%}**); asked about: {report.false_questions}.",
    ]
    return "\n".join(lines)
