"""Recall and false alarms of the red-flag safety screen on the labelled safety set.

    python -m benchmarks.safety_screen                # the dev part, with its errors listed
    python -m benchmarks.safety_screen --held-out     # the held-out part: figures only
    python -m benchmarks.safety_screen --all
    python -m benchmarks.safety_screen --held-out --set F --patterns-only   # without likeness
    python -m benchmarks.safety_screen --leave-sets-out [--errors]   # each set unseen

The likeness model learns every dev set's phrasings (content/safety_phrasings.yaml), so on a
dev set it scores what it has memorised. --leave-sets-out scores each of the later sets
(LEAVE_OUT_SETS) with a model fitted without that set's phrasings: the honest estimate of new
phrasings while tuning, before the held-out set is scored once.

The held-out part is scored once, after tuning, and its utterances are never printed: read
them and they are dev data. Figures go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from voicecare.content import load_library
from voicecare.content.models import Library
from voicecare.normalize import normalize
from voicecare.safety import SafetyScreen
from voicecare.safety.evaluation import (
    LabelledUtterance,
    SafetyReport,
    format_report,
    read_safety_set,
    score,
)
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.understanding import Understanding

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
SET = DATA / "safety_utterances.tsv"
# Sets written apart in sessions 7-9, each folded into the phrasings after its use.
LEAVE_OUT_SETS = tuple(
    DATA / name
    for name in (
        "safety_heldout_11.tsv",
        "safety_dev_12.tsv",
        "safety_heldout_13.tsv",
        "safety_dev_14.tsv",
        "safety_dev_15.tsv",
        "safety_dev_16.tsv",
        "safety_heldout_17.tsv",
        "safety_heldout_18.tsv",
        "safety_heldout_19.tsv",
        "safety_dev_21.tsv",
        "safety_dev_22.tsv",
        "safety_dev_23.tsv",
        "safety_heldout_26.tsv",
        "safety_heldout_27.tsv",
        "safety_dev_28.tsv",
        "safety_heldout_29.tsv",
        "safety_heldout_30.tsv",
    )
)


def _without(library: Library, left_out: list[LabelledUtterance]) -> Library:
    """``library`` whose safety phrasings lack every text of ``left_out``."""
    gone = {normalize(u.text) for u in left_out}
    phrasings = library.safety_phrasings
    kept = phrasings.model_copy(
        update={
            "red_flags": {
                sign: tuple(t for t in said if normalize(t) not in gone)
                for sign, said in phrasings.red_flags.items()
            },
            "not_red_flags": tuple(t for t in phrasings.not_red_flags if normalize(t) not in gone),
        }
    )
    return library.model_copy(update={"safety_phrasings": kept})


def leave_sets_out(library: Library, errors: bool) -> None:
    pooled = SafetyReport()
    for path in LEAVE_OUT_SETS:
        part = [u for u in read_safety_set(path) if u.split == "dev"]
        screen = Understanding(_without(library, part), weights=CachedWeights()).safety
        report = score(screen, part)
        pooled = _added(pooled, report)
        print(f"== {path.name} left out: {_line(report)}")
        if errors:
            _print_errors(report)
    print(f"== pooled: {_line(pooled)}")


def _line(report: SafetyReport) -> str:
    return (
        f"caught {report.recall:.1%}, caught or asked {report.caught_or_asked:.1%} "
        f"({report.not_asked} not even asked about), false alarms "
        f"{report.false_alarms}/{report.negatives} ({report.false_alarm_rate:.1%}), "
        f"negatives asked {report.false_questions}"
    )


def _print_errors(report: SafetyReport) -> None:
    """Each red flag not acted on (``asked`` about, or ``missed``), then each alarm."""
    unasked = {id(utterance) for utterance in report.unasked}
    for utterance in report.missed:
        kind = "missed" if id(utterance) in unasked else "asked "
        print(f"  {kind}  {utterance.sign:<17} {utterance.text}")
    for utterance, sign in report.alarms:
        print(f"  alarm   {sign:<17} {utterance.text}")


def _added(total: SafetyReport, part: SafetyReport) -> SafetyReport:
    for name in ("positives", "caught", "asked", "right_sign"):
        getattr(total, name).update(getattr(part, name))
    total.negatives += part.negatives
    total.false_alarms += part.false_alarms
    total.false_questions += part.false_questions
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--held-out", action="store_true", help="score the held-out part")
    group.add_argument("--all", action="store_true", help="score both parts")
    group.add_argument("--leave-sets-out", action="store_true", help="each later set scored unseen")
    parser.add_argument("--errors", action="store_true", help="with --leave-sets-out")
    parser.add_argument("--set", type=Path, default=SET, help="a labelled TSV (text, sign, split)")
    parser.add_argument(
        "--patterns-only",
        action="store_true",
        help="the patterns of safety.yaml alone, without the likeness model",
    )
    args = parser.parse_args()

    library = load_library()
    if args.leave_sets_out:
        leave_sets_out(library, args.errors)
        return
    screen = Understanding(library, weights=CachedWeights()).safety
    if args.patterns_only:
        screen = SafetyScreen(library.safety.red_flags, known_words=screen.known_words)
    utterances = read_safety_set(args.set)
    splits = ["dev", "held-out"] if args.all else ["held-out" if args.held_out else "dev"]
    for split in splits:
        part = [u for u in utterances if u.split == split]
        report = score(screen, part)
        print(format_report(report, f"{args.set.name}, {split} part ({len(part)} utterances)"))
        if split == "dev":
            _print_errors(report)
        print()
    timings = []
    for utterance in utterances:
        started = time.perf_counter()
        screen.check(utterance.text)
        timings.append(time.perf_counter() - started)
    print(f"check: {statistics.median(timings) * 1e3:.2f} ms median per utterance")


if __name__ == "__main__":
    main()
