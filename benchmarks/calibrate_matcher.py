"""Calibrate the understanding's rejection threshold (and check the score's shape) on data.

Uses the dev two-thirds of tests/data/eval_utterances.tsv (split by a hash of the text).
The other third is held out: it is scored only with --held-out, once, after calibrating.

    python -m benchmarks.calibrate_matcher              # threshold sweep on dev
    python -m benchmarks.calibrate_matcher --grid       # also sweep the score's shape
    python -m benchmarks.calibrate_matcher --errors     # list the dev errors of the defaults
    python -m benchmarks.calibrate_matcher --score F --errors   # a labelled TSV's errors
    python -m benchmarks.calibrate_matcher --score F --new-only  # only rows never seen before
    python -m benchmarks.calibrate_matcher --probes     # the same on the understanding's probe set
    python -m benchmarks.calibrate_matcher --held-out   # report dev, test and full set
    python -m benchmarks.calibrate_matcher --speed      # median and p95 time per match
    python -m benchmarks.calibrate_matcher --construction   # Understanding() time, cached or not
    python -m benchmarks.calibrate_matcher --cross-validate   # the intent classifier, 5-fold
    python -m benchmarks.calibrate_matcher --leave-sets-out   # each everyday set unseen
    python -m benchmarks.calibrate_matcher --cross-validate --bands   # and sweep act/ask/reject

The cross-validation scores the learned intent classifier (voicecare/matching/classifier.py)
and the hand-tuned matcher alone on the labelled dev sets (DEV_SETS: eval_utterances.tsv,
intent_heldout.tsv and the LEAVE_OUT_SETS; red flags left out): content/examples.yaml holds
their rows, so each fold's rows are taken out of the examples before fitting and then scored
through the whole understanding (safety screen, classifier, area routing). --leave-sets-out
does the same with one everyday set as the fold (fitted on everything else), which is how
unseen, separately written speech fares.
The sets scored once (intent_heldout_*.tsv) are folded in after scoring (set 6 in session 13); the
next held-out set (intent_heldout_13.tsv) is to be written apart and never listed here.

    python -m benchmarks.calibrate_matcher --leave-sets-out --errors   # and each set's errors
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import time
from dataclasses import replace
from pathlib import Path

from voicecare.content import load_library
from voicecare.content.models import Library
from voicecare.matching import RED_FLAGS, Tuning
from voicecare.matching.evaluation import Example, Report, evaluate, read_labelled, split
from voicecare.settings import MatcherSettings
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.understanding import Understanding

ROOT = Path(__file__).resolve().parents[1]
EVAL_SET = ROOT / "tests" / "data" / "eval_utterances.tsv"
PROBES = ROOT / "tests" / "matching" / "data" / "probe_utterances.tsv"
DATA = ROOT / "tests" / "data"
HELD_OUT_DEV = DATA / "intent_heldout.tsv"  # a dev set now (examples.yaml)
# The everyday sets written apart from the content (sessions 7-14), all folded into
# examples.yaml (scripts/fold_sets.py): tuning data now, held-out sets 6 to 9 after
# each was scored once. A new held-out set is never listed here.
LEAVE_OUT_SETS = (
    DATA / "intent_heldout_2.tsv",
    DATA / "intent_dev_4.tsv",
    DATA / "intent_dev_5.tsv",
    DATA / "intent_heldout_3.tsv",
    DATA / "intent_dev_6.tsv",
    DATA / "intent_dev_7.tsv",
    DATA / "intent_dev_8.tsv",
    DATA / "intent_heldout_4.tsv",
    DATA / "intent_dev_9.tsv",
    DATA / "intent_dev_10.tsv",
    DATA / "intent_heldout_5.tsv",
    DATA / "intent_heldout_6.tsv",
    DATA / "intent_dev_11.tsv",
    DATA / "intent_heldout_7.tsv",
    DATA / "intent_heldout_8.tsv",
    DATA / "intent_dev_12.tsv",
    DATA / "intent_dev_13.tsv",
    DATA / "intent_heldout_9.tsv",
    DATA / "intent_dev_14.tsv",
    DATA / "intent_heldout_10.tsv",
    DATA / "intent_dev_15.tsv",
    DATA / "intent_heldout_11.tsv",
    DATA / "intent_heldout_12.tsv",
)
DEV_SETS = (EVAL_SET, HELD_OUT_DEV, *LEAVE_OUT_SETS)
FOLDS = 5


def objective(report: Report) -> float:
    """Accuracy, with red-flag misses and false accepts counted three times over."""
    misses = report.red_flags - report.red_flags_found
    return report.accuracy - 2 * (misses + report.false_accepts) / report.total


def sweep(library: Library, dev: list[Example], probes: list[Example], grid: bool) -> None:
    tunings = [Tuning()]
    if grid:
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
                (1.6, 2.5, 3.5), (65.0, 70.0, 75.0), (1.0, 1.3), (0.75, 0.85)
            )
        ]
    results = []
    for tuning in tunings:
        for threshold in range(46, 67, 2):
            # The hand-tuned matcher alone: the classifier is measured by --cross-validate.
            settings = MatcherSettings(reject_below=float(threshold), learned=False)
            understanding = Understanding(library, settings, tuning)
            report = evaluate(dev, understanding.match)
            probed = objective(evaluate(probes, understanding.match))
            results.append((objective(report), probed, threshold, tuning, report))
    # Ties on dev are common: the probe set (written separately, also not the held-out
    # split) breaks them, then the most conservative setting: the highest threshold, then
    # the heaviest penalty for unknown words (both reject more out-of-domain speech).
    results.sort(key=lambda r: (-round(r[0], 6), -round(r[1], 6), -r[2], -r[3].unknown_word_weight))
    print(f"dev: {len(dev)} utterances, probes: {len(probes)}")
    for score, probed, threshold, tuning, report in results[:10]:
        print(
            f"objective {score:.3f} (probes {probed:.3f})  threshold {threshold}  "
            f"acc {report.accuracy:.1%}  "
            f"rejected {report.rejection_rate:.1%}  red-flag recall {report.red_flag_recall:.1%}  "
            f"unknown {tuning.unknown_word_weight} keyword {tuning.keyword_score} "
            f"beta {tuning.recall_emphasis} near-miss {tuning.near_miss_factor}"
        )
    _, _, threshold, tuning, _ = results[0]
    print(f"\nbest on dev: threshold {threshold}, {tuning}")


def list_errors(understanding: Understanding, dev: list[Example]) -> None:
    report = evaluate(dev, understanding.match)
    print(report.summary())
    for example, result in report.errors:
        top = ", ".join(f"{i} {s:.0f}" for i, s in understanding.matcher.scores(example.text)[:3])
        asked = "".join(f" / {a.intent}" for a in result.alternatives)
        got = result.intent + asked
        print(f"want {'|'.join(example.expected):28} got {got:28} {example.text!r}")
        print(f"    {top}")


def speed(library: Library, examples: list[Example]) -> None:
    """Median and p95 time per match: the learned understanding and the hand-tuned matcher
    alone, interleaved utterance by utterance so a shared machine's load hits both alike.

    The matcher keeps each token's similar words, so the set is timed three ways: its first
    pass (every utterance new, though earlier ones' words may be kept), all three passes (the
    second and third repeat it), and one pass that forgets every kept word before each match
    (nothing kept: the coldest case)."""
    understandings = {
        "learned": Understanding(library, weights=CachedWeights()),
        "matcher alone": Understanding(library, MatcherSettings(learned=False)),
    }
    times: dict[str, list[float]] = {}
    for run in range(3):
        for example in examples:
            for name, understanding in understandings.items():
                start = time.perf_counter()
                understanding.match(example.text)
                taken = time.perf_counter() - start
                times.setdefault(f"{name}, all 3 passes", []).append(taken)
                if run == 0:
                    times.setdefault(f"{name}, first pass", []).append(taken)
    for example in examples:
        for name, understanding in understandings.items():
            matcher = understanding.matcher
            getattr(matcher, "fuzzy", matcher).forget_words()
            start = time.perf_counter()
            understanding.match(example.text)
            times.setdefault(f"{name}, nothing kept", []).append(time.perf_counter() - start)
    for name, taken in sorted(times.items()):
        taken.sort()
        median = statistics.median(taken) * 1000
        p95 = taken[int(0.95 * (len(taken) - 1))] * 1000
        print(f"{name}: {len(taken)} matches: median {median:.2f} ms, p95 {p95:.2f} ms")


def construction(library: Library) -> None:
    """Understanding(library) from a fresh process: the fitted model read from the cache,
    and fitted (scikit-learn imported) when the cache is empty."""
    import subprocess
    import sys
    import tempfile

    code = (
        "import time; from voicecare.content import load_library; "
        "from voicecare.understanding import Understanding; from voicecare.settings import "
        "MatcherSettings as M; from voicecare.shell.fitted_weights import CachedWeights; "
        "L = load_library(); t = time.perf_counter(); "
        "Understanding(L, M(learned={learned}), weights=CachedWeights()); "
        "print(time.perf_counter() - t)"
    )
    with tempfile.TemporaryDirectory() as empty:
        runs = {"matcher alone": ("False", None), "learned, cached": ("True", None)}
        runs["learned, empty cache"] = ("True", empty)
        for name, (learned, cache) in runs.items():
            taken = []
            for _ in range(3):
                env = dict(os.environ, XDG_CACHE_HOME=cache) if cache else None
                out = subprocess.run(
                    [sys.executable, "-c", code.format(learned=learned)],
                    capture_output=True,
                    text=True,
                    check=True,
                    env=env,
                    cwd=ROOT,
                )
                taken.append(float(out.stdout.split()[-1]))
                if cache:
                    shutil.rmtree(Path(cache) / "voicecare", ignore_errors=True)
            print(f"{name}: Understanding() median {statistics.median(taken):.2f} s of 3")


def _labelled(path: Path) -> list[Example]:
    return [e for e in read_labelled(path) if RED_FLAGS not in e.expected]


def _new_only(library: Library, rows: list[Example]) -> list[Example]:
    """The rows whose words are in no example, dev set or probe: independent writers repeat
    common lines ("go back", "cheers"), and a repeated line scores what was learned, not how
    new speech fares."""
    from voicecare.normalize import words

    examples = library.examples
    seen = [*examples.out_of_domain, *(t for said in examples.intents.values() for t in said)]
    seen += [e.text for path in (*DEV_SETS, PROBES) for e in read_labelled(path)]
    known = {" ".join(words(t)) for t in seen}
    new = [e for e in rows if " ".join(words(e.text)) not in known]
    print(f"{len(new)} of {len(rows)} rows never seen before")
    return new


def _without(library: Library, test: list[Example]) -> Library:
    """``library`` with every example whose words are those of a ``test`` row taken out."""
    from voicecare.normalize import words

    left_out = {" ".join(words(e.text)) for e in test}
    examples = library.examples
    kept = examples.model_copy(
        update={
            "intents": {
                intent: kept_said
                for intent, said in examples.intents.items()
                if (kept_said := tuple(t for t in said if " ".join(words(t)) not in left_out))
            },
            "out_of_domain": tuple(
                t for t in examples.out_of_domain if " ".join(words(t)) not in left_out
            ),
        }
    )
    return library.model_copy(update={"examples": kept})


def _built_bands() -> tuple[float, float, float, float]:
    from voicecare.matching import classifier

    return (classifier.REJECT, classifier.ACT, classifier.OVERRULE, classifier.OVERRULE_LONG)


def _bands(grid: bool) -> list[tuple[float, float, float, float]]:
    """(reject, act, overrule, overrule in a long sentence) of the classifier's bands: its
    own, or a grid to sweep."""
    built = _built_bands()
    if not grid:
        return [built]
    swept = itertools.product((0.3, 0.4, 0.5), (0.6, 0.7), (0.75, 0.9, 1.01), (0.5, 0.6, 0.9))
    return [built, *(b for b in swept if b != built and b[0] < b[1])]


def _score_bands(test: list[Example], match, bands: list[tuple], totals: dict) -> None:
    """Score ``test`` once per band setting (the fitted model is the same: only the
    classifier's module thresholds change, restored after)."""
    from voicecare.matching import classifier

    built = _built_bands()
    try:
        for band in bands:
            classifier.REJECT, classifier.ACT, classifier.OVERRULE, classifier.OVERRULE_LONG = band
            _add(totals.setdefault(band, Report()), evaluate(test, match))
    finally:
        classifier.REJECT, classifier.ACT, classifier.OVERRULE, classifier.OVERRULE_LONG = built


def cross_validate(library: Library, grid: bool = False) -> None:
    """5-fold cross-validation of the learned understanding against the matcher alone, on
    every labelled dev set (DEV_SETS)."""
    import numpy as np

    from voicecare.matching import NONE

    labelled = [e for path in DEV_SETS for e in _labelled(path)]
    order = np.random.default_rng(0).permutation(len(labelled))
    bands = _bands(grid)
    ours: dict = {}
    theirs = Report()
    by_band = {"act": [0, 0], "ask": [0, 0], "reject": [0, 0]}
    start = time.perf_counter()
    matcher_alone = Understanding(library, MatcherSettings(learned=False)).match
    for fold in np.array_split(order, FOLDS):
        test = [labelled[i] for i in fold]
        learned = Understanding(_without(library, test))
        _score_bands(test, learned.match, bands, ours)
        _add(theirs, evaluate(test, matcher_alone))
        for example in test:
            match = learned.match(example.text)
            band = "reject" if match.intent == NONE else "ask" if match.alternatives else "act"
            by_band[band][0] += match.intent in example.expected
            by_band[band][1] += 1
    names = ", ".join(p.name for p in DEV_SETS)
    print(
        f"{FOLDS}-fold cross-validation, {len(labelled)} utterances of {names} "
        f"(red flags left out), {time.perf_counter() - start:.0f} s"
    )
    print(f"== learned classifier + matcher\n{ours[bands[0]].summary()}")
    for band, (right, total) in by_band.items():
        print(f"  {band}: {total} utterances, {right / total if total else 0:.1%} right")
    print(f"== matcher alone\n{theirs.summary()}")
    _print_bands(ours, bands)


def leave_sets_out(library: Library, grid: bool = False, errors: bool = False) -> None:
    """Each everyday set scored by a model fitted without its rows: the honest estimate of
    accuracy on speech written apart from everything the model learned from."""
    bands = _bands(grid)
    pooled: dict = {}
    for path in LEAVE_OUT_SETS:
        test = _labelled(path)
        learned = Understanding(_without(library, test))
        scored: dict = {}
        _score_bands(test, learned.match, bands, scored)
        report = scored[bands[0]]
        if errors:
            list_errors(learned, test)
        print(
            f"== {path.name} left out: {report.total} utterances, accuracy {report.accuracy:.1%}"
            f", out-of-domain rejected {report.rejection_rate:.1%} "
            f"({report.false_accepts} of {report.out_of_domain})"
        )
        for band, part in scored.items():
            _add(pooled.setdefault(band, Report()), part)
    print(f"== pooled\n{pooled[bands[0]].summary()}")
    _print_bands(pooled, bands)


def _print_bands(totals: dict, bands: list[tuple]) -> None:
    if len(bands) < 2:
        return
    print("bands (reject, act, overrule, overrule long), best objective first; built ones first:")
    ranked = [bands[0], *sorted(bands[1:], key=lambda b: -objective(totals[b]))[:12]]
    for band in ranked:
        report = totals[band]
        print(
            f"  {band}: accuracy {report.accuracy:.1%}, out-of-domain rejected "
            f"{report.rejection_rate:.1%}, objective {objective(report):.3f}"
        )


def _add(total: Report, part: Report) -> None:
    total.total += part.total
    total.correct += part.correct
    for name, (ok, n) in part.by_family.items():
        total.by_family[name][0] += ok
        total.by_family[name][1] += n
    total.out_of_domain += part.out_of_domain
    total.false_accepts += part.false_accepts
    total.red_flags += part.red_flags
    total.red_flags_found += part.red_flags_found
    total.errors += part.errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grid", action="store_true")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--probes", action="store_true")
    parser.add_argument("--held-out", action="store_true")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--cross-validate", action="store_true")
    parser.add_argument("--construction", action="store_true")
    parser.add_argument(
        "--leave-sets-out",
        action="store_true",
        help="score each everyday set with a model fitted without its rows",
    )
    parser.add_argument(
        "--bands", action="store_true", help="with the two above: sweep the classifier's bands"
    )
    parser.add_argument(
        "--score", type=Path, metavar="FILE", help="score a labelled TSV once (summary only)"
    )
    parser.add_argument(
        "--new-only", action="store_true", help="with --score: only rows never seen before"
    )
    args = parser.parse_args()
    library = load_library()
    examples = read_labelled(EVAL_SET)
    dev, test = split(examples)
    understanding = Understanding(library, weights=CachedWeights())
    scored = read_labelled(args.score) if args.score is not None else []
    if args.new_only:
        scored = _new_only(library, scored)
    if args.score is not None and args.errors:
        list_errors(understanding, scored)
    elif args.score is not None:
        print(evaluate(scored, understanding.match).summary())
    elif args.leave_sets_out:
        leave_sets_out(library, args.bands, args.errors)
    elif args.errors:
        list_errors(understanding, dev)
    elif args.probes:
        list_errors(understanding, read_labelled(PROBES))
    elif args.held_out:
        print(f"defaults: {understanding.matcher.settings}\n")
        for name, part in (("dev", dev), ("test (held out)", test), ("full", examples)):
            print(f"== {name}\n{evaluate(part, understanding.match).summary()}\n")
    elif args.cross_validate:
        cross_validate(library, args.bands)
    elif args.speed:
        speed(library, examples)
    elif args.construction:
        construction(library)
    else:
        sweep(library, dev, read_labelled(PROBES), args.grid)


if __name__ == "__main__":
    main()
