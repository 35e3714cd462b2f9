"""Two-pass hearing scored from two ``voicecare eval --json`` reports of the same audio: one
of the first pass (pocketsphinx), one of the second (whisper).

Each trial (the same sentence, voice, rate and SNR: the noise is seeded by them) is
understood three ways by today's core -- the first pass's transcript alone, the second's
alone, and both as two-pass hearing gives them (``Understanding.match(second,
first_pass=first)``) -- and summarized as ``voicecare eval`` does. What it leaves out: the
n-best alternatives of the first pass (not in the reports) and the small difference between
the segment Whisper decodes inside two-pass hearing (the first pass's, with 0.3 s pre-roll)
and the one its own endpointer cuts. ``voicecare eval --engine two-pass`` runs the real
thing; this scores 1,800-trial sets in seconds from reports already made.

    python -m benchmarks.two_pass_combination FIRST.json SECOND.json
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from voicecare.content import load_library
from voicecare.evaluation.metrics import Trial, summarize
from voicecare.evaluation.report import table
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.understanding import Understanding


def trials(report: Path) -> dict[tuple, Trial]:
    data = json.loads(report.read_text(encoding="utf-8"))
    fields = set(Trial.__dataclass_fields__)
    found = {}
    for raw in data["trials"]:
        trial = Trial(**{k: v for k, v in raw.items() if k in fields})
        trial = replace(trial, expected=tuple(trial.expected))
        found[trial.text, trial.voice, trial.rate, trial.snr_db, trial.source] = trial
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path, help="eval --json of the first pass")
    parser.add_argument("second", type=Path, help="eval --json of the second pass")
    parser.add_argument("--content", type=Path, default=None)
    args = parser.parse_args()
    understanding = Understanding(load_library(args.content), weights=CachedWeights())
    first, second = trials(args.first), trials(args.second)
    shared = [key for key in second if key in first]
    print(f"{len(shared)} trials in both reports", file=sys.stderr)
    scored: list[Trial] = []
    for name, pick in (("first alone", 0), ("second alone", 1), ("two-pass", 2)):
        for key in shared:
            fast, accurate = first[key], second[key]
            if pick == 0:
                match = understanding.match(fast.transcript)
            elif pick == 1:
                match = understanding.match(accurate.transcript)
            else:
                match = understanding.match(accurate.transcript, first_pass=fast.transcript)
            base = accurate if pick else fast
            scored.append(
                replace(
                    base,
                    engine=name,
                    intent=match.intent,
                    doubtful=match.doubtful,
                    error=fast.error or accurate.error if pick == 2 else base.error,
                )
            )
    print(table([s for s in summarize(scored) if s.voice == "all" or len(set(first)) < 2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
