"""Real people ordering coffee, heard through VoiceCare's whole hearing path.

The corpus (/work/shared/speech/coffee-orders, part of Picovoice's speech-to-intent
benchmark: 310 recordings of more than 50 speakers) becomes a ``voicecare eval
--recordings`` folder: the WAV files (linked, not copied) and a labels.tsv of
``file<TAB>routine:<drink>`` from label.json. VoiceCare loads the coffee content pack
(benchmarks/coffee/, written by coffee_pack.py from the corpus's grammar), PocketSphinx
hears each recording clean and with the corpus's kitchen noise mixed the benchmark's way,
and the matcher picks a drink: "drink right" is the intent accuracy. Slots (size, milk...)
are not scored: VoiceCare has none.

The files are split by a hash of their names: two thirds ``dev`` (look at the errors, change
the pack), one third ``held-out`` (scored once, when the pack is done). Not a test: the
corpus must not become something CI depends on.

    python -m benchmarks.coffee_orders [--split dev|held-out|all] [--snr clean,10,5]
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import zlib
from collections import Counter
from pathlib import Path

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/shared/speech/coffee-orders")
PACK = ROOT / "benchmarks" / "coffee"
SPLITS = ("dev", "held-out", "all")


def split_of(name: str) -> str:
    return "held-out" if zlib.crc32(name.encode("utf-8")) % 3 == 0 else "dev"


def drink_intent(drink: str) -> str:
    return "routine:" + drink.strip().replace(" ", "-")


def build_folder(corpus: Path, out: Path, split: str) -> int:
    """``out`` as a recordings folder for ``split``: links to the WAVs and labels.tsv."""
    labels = json.loads((corpus / "label.json").read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    lines = ["# file\tintent (the drink)  -- from label.json of " + str(corpus)]
    for name in sorted(labels):
        if split != "all" and split_of(name) != split:
            continue
        link = out / name
        if not link.is_symlink():
            link.symlink_to(corpus / "clean" / name)
        lines.append(f"{name}\t{drink_intent(labels[name]['slots']['coffeeDrink'])}")
    (out / "labels.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def run(args: argparse.Namespace) -> int:
    folder = args.out / args.split
    count = build_folder(args.corpus, folder, args.split)
    report = args.out / f"coffee-{args.split}.json"
    command = [
        sys.executable, "-m", "voicecare", "eval",
        "--content", str(PACK),
        "--recordings", str(folder),
        "--engine", args.engine,
        "--snr", args.snr,
        "--noise", str(args.corpus / "kitchen.wav"),
        "--json", str(report),
    ]  # fmt: skip
    print(f"{args.split}: {count} recordings\n$ {' '.join(command)}", file=sys.stderr)
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        return result.returncode
    misses(json.loads(report.read_text(encoding="utf-8")), args.errors)
    return 0


def misses(report: dict, show: int) -> None:
    """What the wrong answers were, per SNR: the intent taken instead, most common first."""
    by_snr: dict[str, Counter] = {}
    examples: dict[str, list[str]] = {}
    for trial in report["trials"]:
        if trial["correct"]:
            continue
        snr = "clean" if trial["snr_db"] is None else f"{trial['snr_db']:g} dB"
        wrong = f"{trial['expected'][0]} -> {trial['intent']}"
        by_snr.setdefault(snr, Counter())[wrong] += 1
        examples.setdefault(snr, []).append(f"  {trial['source']}: {trial['transcript']!r}")
    for snr, counter in by_snr.items():
        top = ", ".join(f"{wrong} x{n}" for wrong, n in counter.most_common(8))
        print(f"\n{snr}: {sum(counter.values())} wrong; {top}")
        for line in examples[snr][:show]:
            print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--snr", default="clean,10,5", help="as voicecare eval --snr")
    parser.add_argument("--engine", default="pocketsphinx")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=Path("/tmp/voicecare-coffee"))
    parser.add_argument("--errors", type=int, default=0, help="list this many misses per SNR")
    return run(parser.parse_args())


if __name__ == "__main__":
    raise SystemExit(main())
