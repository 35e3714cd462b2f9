"""Recall and false alarms of the red-flag safety screen on the labelled safety set.

    python -m benchmarks.safety_screen                # the dev part, with its errors listed
    python -m benchmarks.safety_screen --held-out     # the held-out part: figures only
    python -m benchmarks.safety_screen --all
    python -m benchmarks.safety_screen --held-out --set F --patterns-only   # without likeness

The held-out part is scored once, after tuning, and its utterances are never printed: read
them and they are dev data. Figures go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from voicecare.content import load_library
from voicecare.safety import SafetyScreen
from voicecare.safety.evaluation import format_report, read_safety_set, score
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.understanding import Understanding

SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "safety_utterances.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--held-out", action="store_true", help="score the held-out part")
    group.add_argument("--all", action="store_true", help="score both parts")
    parser.add_argument("--set", type=Path, default=SET, help="a labelled TSV (text, sign, split)")
    parser.add_argument(
        "--patterns-only",
        action="store_true",
        help="the patterns of safety.yaml alone, without the likeness model",
    )
    args = parser.parse_args()

    library = load_library()
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
            for utterance in report.missed:
                print(f"  missed  {utterance.sign:<17} {utterance.text}")
            for utterance, sign in report.alarms:
                print(f"  alarm   {sign:<17} {utterance.text}")
        print()
    timings = []
    for utterance in utterances:
        started = time.perf_counter()
        screen.check(utterance.text)
        timings.append(time.perf_counter() - started)
    print(f"check: {statistics.median(timings) * 1e3:.2f} ms median per utterance")


if __name__ == "__main__":
    main()
