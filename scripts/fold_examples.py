"""Fold a labelled intent set (tests/data/intent_*.tsv) into content/examples.yaml.

A held-out set, once scored, becomes training data: each row is appended to its intent's
list (``none`` rows to ``out_of_domain``) under a comment naming the set, in the spelling the
examples use (lower case, no punctuation). Rows whose label names two intents ("a|b") are
left out: the area map answers those. Rows already present anywhere are skipped, so folding
twice changes nothing. The YAML is edited as text so that its comments stay.

    python scripts/fold_examples.py tests/data/intent_heldout_3.tsv [--note "session 9"]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "content" / "examples.yaml"
_ITEM = re.compile(r'^\s+- "(.*)"\s*$')


def spelled(text: str) -> str:
    """The examples' spelling: lower case, apostrophes dropped, other punctuation a space."""
    lowered = text.lower().replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", lowered).split())


def rows(path: Path) -> list[tuple[str, str]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        intent, _, text = line.partition("\t")
        if "|" not in intent and text.strip():
            found.append((intent.strip(), spelled(text)))
    return found


def fold(lines: list[str], new: list[tuple[str, str]], note: str) -> tuple[list[str], int]:
    """``lines`` of examples.yaml with ``new`` rows appended to their blocks."""
    present = {m.group(1) for m in map(_ITEM.match, lines) if m}
    blocks: dict[str, int] = {}  # block key -> index of its last item line
    indent: dict[str, str] = {}
    key = None
    for number, line in enumerate(lines):
        header = re.match(r"^(\s*)([a-z:-]+|out_of_domain):\s*$", line)
        if header and line.strip() != "intents:":
            key = header.group(2)
            blocks[key] = number
            indent[key] = header.group(1) + "  "
        elif key and _ITEM.match(line):
            blocks[key] = number
    additions: dict[str, list[str]] = {}
    for intent, text in new:
        target = "out_of_domain" if intent == "none" else intent
        if text in present or not text:
            continue
        if target not in blocks:
            raise SystemExit(f"no block for {target!r} in {EXAMPLES}")
        present.add(text)
        additions.setdefault(target, []).append(text)
    for target in sorted(additions, key=lambda t: -blocks[t]):  # bottom first: indices hold
        pad = indent[target]
        inserted = [f"{pad}# {note}"] + [f'{pad}- "{t}"' for t in additions[target]]
        at = blocks[target] + 1
        lines[at:at] = inserted
    return lines, sum(len(a) for a in additions.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--note", default="")
    args = parser.parse_args()
    new = [row for path in args.sets for row in rows(path)]
    names = ", ".join(f"tests/data/{p.name}" for p in args.sets)
    note = f"{args.note}: {names}" if args.note else names
    lines = EXAMPLES.read_text(encoding="utf-8").splitlines()
    lines, added = fold(lines, new, note)
    EXAMPLES.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{added} examples added from {names}")


if __name__ == "__main__":
    main()
