"""Calibrate the matcher's rejection threshold (and check the score's shape) on data.

Uses the dev two-thirds of tests/data/eval_utterances.tsv (split by a hash of the text);
the other third is held out and reported once, with the chosen values.

    python benchmarks/calibrate_matcher.py            # threshold sweep with the defaults
    python benchmarks/calibrate_matcher.py --grid     # also sweep the score's shape
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import replace
from pathlib import Path

from voicecare.content import load_library
from voicecare.matching import IntentMatcher, Tuning
from voicecare.matching.evaluation import evaluate, read_labelled, split
from voicecare.settings import MatcherSettings

EVAL_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval_utterances.tsv"


def objective(report) -> float:
    """Accuracy, with red-flag misses and false accepts counted three times over."""
    misses = report.red_flags - report.red_flags_found
    return report.accuracy - 2 * (misses + report.false_accepts) / report.total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args()
    library = load_library()
    dev, test = split(read_labelled(EVAL_SET))
    tunings = [Tuning()]
    if args.grid:
        base = Tuning()
        tunings = [
            replace(
                base,
                unknown_word_weight=u,
                keyword_score=k,
                recall_emphasis=b,
                near_miss_factor=n,
            )
            for u, k, b, n in itertools.product(
                (1.6, 2.0, 2.5, 3.0), (70.0, 75.0, 80.0), (1.0, 1.3), (0.75, 0.85)
            )
        ]
    results = []
    for tuning in tunings:
        for threshold in range(50, 67, 2):
            settings = MatcherSettings(reject_below=float(threshold))
            matcher = IntentMatcher(library, settings, tuning)
            report = evaluate(dev, matcher.match)
            results.append((objective(report), threshold, tuning, report))
    # Ties on dev are common; prefer the most conservative setting: the highest threshold,
    # then the heaviest penalty for unknown words (both reject more out-of-domain speech).
    results.sort(key=lambda r: (-round(r[0], 6), -r[1], -r[2].unknown_word_weight))
    print(f"dev: {len(dev)} utterances, test (held out): {len(test)}")
    for score, threshold, tuning, report in results[:10]:
        print(
            f"objective {score:.3f}  threshold {threshold}  acc {report.accuracy:.1%}  "
            f"rejected {report.rejection_rate:.1%}  red-flag recall {report.red_flag_recall:.1%}  "
            f"unknown {tuning.unknown_word_weight} keyword {tuning.keyword_score} "
            f"beta {tuning.recall_emphasis} near-miss {tuning.near_miss_factor}"
        )
    _, threshold, tuning, _ = results[0]
    held_out = evaluate(
        test, IntentMatcher(library, MatcherSettings(float(threshold)), tuning).match
    )
    print(f"\nchosen: threshold {threshold}, {tuning}")
    print(f"held-out test split:\n{held_out.summary()}")


if __name__ == "__main__":
    main()
