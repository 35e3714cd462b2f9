"""Fold labelled sets into the content the models learn from, once they have been scored.

A held-out set, once scored, becomes training data.

* Intent sets (tests/data/intent_*.tsv) go to content/examples.yaml: each row is appended to
  its intent's list (``none`` rows to ``out_of_domain``) in the spelling the examples use
  (lower case, no punctuation). Rows whose label names two intents ("a|b") are left out: the
  area map answers those.
* Safety sets (tests/data/safety_*.tsv) go to content/safety_phrasings.yaml: red flags to
  their sign's list, negatives to ``not_red_flags``, as written.

Each block gets a comment naming the set. Rows already present anywhere are skipped, so
folding twice changes nothing. The YAML is edited as text so that its comments stay.

    python scripts/fold_sets.py tests/data/intent_heldout_3.tsv [--note "session 9"]
    python scripts/fold_sets.py --safety tests/data/safety_heldout_19.tsv --note "session 9"
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from voicecare.matching.evaluation import read_labelled
from voicecare.safety.evaluation import NOT_A_RED_FLAG, read_safety_set

NOT_RED_FLAGS = "not_red_flags"
CONTENT = Path(__file__).resolve().parent.parent / "content"
EXAMPLES = CONTENT / "examples.yaml"
PHRASINGS = CONTENT / "safety_phrasings.yaml"
_ITEM = re.compile(r'^\s+- "(.*)"\s*$')
_ANY_ITEM = re.compile(r"^\s+- (.*?)\s*$")


def spelled(text: str) -> str:
    """The examples' spelling: lower case, apostrophes dropped, other punctuation a space."""
    lowered = text.lower().replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", lowered).split())


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def bare(item: str) -> str:
    """A YAML list item's text as compared for duplicates (quotes, case, apostrophes off)."""
    return spelled(item.strip().strip("'\""))


def safety_rows(path: Path) -> list[tuple[str, str]]:
    """(block, text) of a safety set: its sign, or not_red_flags for a negative."""
    return [
        (NOT_RED_FLAGS if u.sign == NOT_A_RED_FLAG else u.sign, u.text.strip())
        for u in read_safety_set(path)
    ]


def rows(path: Path) -> list[tuple[str, str]]:
    """(intent, text) of an intent set, in the examples' spelling; two-intent rows left out."""
    return [(e.expected[0], spelled(e.text)) for e in read_labelled(path) if len(e.expected) == 1]


def fold(
    lines: list[str], new: list[tuple[str, str]], note: str, *, safety: bool = False
) -> tuple[list[str], int]:
    """``lines`` of examples.yaml (or safety_phrasings.yaml) with ``new`` rows appended to
    their blocks."""
    item = _ANY_ITEM if safety else _ITEM
    present = {bare(m.group(1)) for m in map(item.match, lines) if m}
    blocks: dict[str, int] = {}  # block key -> index of its last item line
    indent: dict[str, str] = {}
    key = None
    for number, line in enumerate(lines):
        header = re.match(r"^(\s*)([a-z:-]+|out_of_domain|not_red_flags):\s*$", line)
        if header and line.strip() not in ("intents:", "red_flags:"):
            key = header.group(2)
            blocks[key] = number
            indent[key] = header.group(1) + "  "
        elif key and item.match(line):
            blocks[key] = number
    additions: dict[str, list[str]] = {}
    for intent, text in new:
        target = "out_of_domain" if intent == "none" else intent
        if bare(text) in present or not text:
            continue
        if target not in blocks:
            raise SystemExit(f"no block for {target!r}")
        present.add(bare(text))
        additions.setdefault(target, []).append(text)
    for target in sorted(additions, key=lambda t: -blocks[t]):  # bottom first: indices hold
        pad = indent[target]
        inserted = [f"{pad}# {note}"] + [f"{pad}- {quoted(t)}" for t in additions[target]]
        at = blocks[target] + 1
        lines[at:at] = inserted
    return lines, sum(len(a) for a in additions.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--note", default="")
    parser.add_argument("--safety", action="store_true", help="safety sets, to the phrasings")
    args = parser.parse_args()
    read = safety_rows if args.safety else rows
    new = [row for path in args.sets for row in read(path)]
    target = PHRASINGS if args.safety else EXAMPLES
    names = ", ".join(f"tests/data/{p.name}" for p in args.sets)
    note = f"{args.note}: {names}" if args.note else names
    lines = target.read_text(encoding="utf-8").splitlines()
    lines, added = fold(lines, new, note, safety=args.safety)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{added} rows added to {target.name} from {names}")


if __name__ == "__main__":
    main()
