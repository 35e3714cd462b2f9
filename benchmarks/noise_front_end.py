"""Which noise front end the bundled PocketSphinx engine should hear through (issue 16).

Every configuration of ``voicecare.listening.noise_front_end.FRONT_ENDS`` (or those named)
hears the same noisy clips in one run, each through its own fresh recognizer per SNR, so the
figures are paired: the same mixing, matcher and code for all of them.

- ``--set coffee``: real people ordering coffee, the DEV split only (benchmarks/coffee_orders;
  the held-out split stays held out), with the corpus's kitchen noise mixed by loudest frames,
  as ``python -m benchmarks.coffee_orders --split dev`` does; "drink right".
- ``--set natural``: VoiceCare's evaluation sentences in the natural voices at 150 and 190
  words a minute with seeded pink noise, as ``voicecare eval --engine pocketsphinx --limit N``.

    python -m benchmarks.noise_front_end --set coffee --snr 10,5 --json coffee.json
    python -m benchmarks.noise_front_end --set natural --limit 20 --snr 10,5 --json nat.json

Prints intent accuracy per configuration and SNR, with the OOD accepted (natural voices), the
real-time factor, and each configuration's wins and losses against ``--baseline`` on the same
trials. Not a test: it needs the corpus and the voices.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.coffee_orders import CORPUS, PACK, build_folder
from voicecare.content import load_library
from voicecare.evaluation.metrics import Trial, snr_label, summarize
from voicecare.listening.noise_front_end import FRONT_ENDS, front_end_named
from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer
from voicecare.settings import MatcherSettings
from voicecare.understanding import Understanding, recognition_vocabulary

logger = logging.getLogger(__name__)

SETS = ("coffee", "natural")


def _engines(library, names: list[str]) -> dict[str, Callable[[], PocketSphinxRecognizer]]:
    vocabulary = recognition_vocabulary(library)

    def make(name: str) -> Callable[[], PocketSphinxRecognizer]:
        def build() -> PocketSphinxRecognizer:
            return PocketSphinxRecognizer.for_vocabulary(vocabulary, front_end=name)

        return build

    return {name: make(name) for name in names}


def _coffee(args: argparse.Namespace, names: list[str]) -> list[Trial]:
    from voicecare.evaluation.recordings import load_recordings, read_noise
    from voicecare.evaluation.runner import run_recordings
    from voicecare.matching import NONE

    folder = args.out / "dev"
    build_folder(CORPUS, folder, "dev")
    library = load_library(PACK)
    understanding = Understanding(library, MatcherSettings())
    recordings = load_recordings(folder, {*understanding.intents, NONE})
    if args.limit:
        recordings = recordings[: args.limit]
    noise = read_noise(CORPUS / "kitchen.wav") if args.noise == "kitchen" else None
    engines = _engines(library, names)
    return list(
        run_recordings(recordings, args.snrs, engines, understanding.match, _progress(), noise)
    )


def _natural(args: argparse.Namespace, names: list[str]) -> list[Trial]:
    from voicecare.evaluation import corpus
    from voicecare.evaluation.recordings import read_noise
    from voicecare.evaluation.runner import Plan, run_plan
    from voicecare.evaluation.synthesis import SpeechSynthesizer
    from voicecare.evaluation.voices import NATURAL_VOICES, installed
    from voicecare.matching import NONE

    library = load_library(None)
    understanding = Understanding(library, MatcherSettings())
    examples = corpus.load_set(corpus.default_set_path(), {*understanding.intents, NONE})
    examples = corpus.subset(examples, args.limit)
    synthesizer = SpeechSynthesizer(None)
    voices, missing = installed(NATURAL_VOICES, synthesizer.backends)
    if missing:
        print(f"voices left out: {missing}", file=sys.stderr)
    plan = Plan(examples, tuple(voices), (150, 190), args.snrs)
    for example, voice, rate in plan.clips():
        synthesizer.speak(example.text, voice, rate)
    noise = read_noise(CORPUS / "kitchen.wav") if args.noise == "kitchen" else None
    engines = _engines(library, names)
    return list(
        run_plan(plan, synthesizer.load, engines, understanding.match, _progress(), noise)
    )


def _progress(every: int = 200) -> Callable[[int], None]:
    """A line on stderr every ``every`` trials, with the seconds so far."""
    done, started = [0], time.perf_counter()

    def advance(count: int) -> None:
        done[0] += count
        if done[0] % every == 0:
            print(f"{done[0]} trials, {time.perf_counter() - started:.0f} s", file=sys.stderr)

    return advance


def paired(trials: list[Trial], baseline: str) -> dict[str, dict[str, list[int]]]:
    """Per configuration and SNR: [trials right only with it, right only with baseline]."""
    key = {(t.engine, t.snr_db, t.source or t.text, t.voice, t.rate): t.correct for t in trials}
    out: dict[str, dict[str, list[int]]] = {}
    for (engine, snr, *clip), right in key.items():
        base = key.get((baseline, snr, *clip))
        if engine == baseline or base is None:
            continue
        counts = out.setdefault(engine, {}).setdefault(snr_label(snr), [0, 0])
        counts[0] += right and not base
        counts[1] += base and not right
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=SETS, required=True, dest="which")
    parser.add_argument("--snr", default="10,5")
    parser.add_argument(
        "--noise",
        choices=("kitchen", "pink"),
        default=None,
        help="default: kitchen for coffee, pink for natural (either set can take either)",
    )
    parser.add_argument("--front-ends", default=",".join(FRONT_ENDS))
    parser.add_argument("--baseline", default="suppress")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=Path("/tmp/voicecare-coffee"))
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    args.noise = args.noise or ("kitchen" if args.which == "coffee" else "pink")
    args.snrs = [None if s == "clean" else float(s) for s in args.snr.split(",")]
    names = args.front_ends.split(",")
    for name in names:
        front_end_named(name)
    started, load = time.perf_counter(), os.getloadavg()
    trials = (_coffee if args.which == "coffee" else _natural)(args, names)
    seconds = time.perf_counter() - started
    every = summarize(trials)
    voices = {s.voice for s in every}
    summaries = [s for s in every if s.voice == "all" or len(voices) == 1]
    versus = paired(trials, args.baseline)
    print(f"\n{args.which}, {args.noise} noise: {seconds:.0f} s, load average at start "
          f"{load[0]:.2f}, at end {os.getloadavg()[0]:.2f}")  # fmt: skip
    print("| front end | SNR | trials | right | OOD accepted | RTF | wins/losses vs baseline |")
    for s in sorted(summaries, key=lambda s: (snr_label(s.snr_db), names.index(s.engine))):
        pair = versus.get(s.engine, {}).get(snr_label(s.snr_db), ["", ""])
        ood = f"{s.false_accepts}/{s.out_of_domain}" if s.out_of_domain else ""
        print(
            f"| {s.engine} | {snr_label(s.snr_db)} | {s.trials} | {100 * s.accuracy:.1f}% "
            f"| {ood} | {s.real_time_factor:.3f} | +{pair[0]}/-{pair[1]} |"
        )
    if args.json is not None:
        args.json.write_text(
            json.dumps(
                {
                    "set": args.which,
                    "noise": args.noise,
                    "snr": args.snr,
                    "limit": args.limit,
                    "seconds": round(seconds, 1),
                    "load_average": [round(x, 2) for x in load],
                    "summaries": [s.__dict__ for s in summaries],
                    "paired": versus,
                    "trials": [t.__dict__ for t in trials],
                },
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
