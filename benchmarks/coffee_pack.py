"""Write the coffee-order content pack (benchmarks/coffee/) from the corpus's grammar.

VoiceCare's content is data, so a coffee maker is a content folder: one routine per drink
(intent ``routine:<drink>``), its phrases the orders the corpus's speakers were asked to
follow (``grammar.yaml``: starters, sizes, roasts, shots, milk, sugar), chosen with a fixed
seed. Nothing here comes from the recordings or their labels, so the benchmark
(coffee_orders.py) hears orders VoiceCare was never shown. The commands and the safety
screen are VoiceCare's own (symbolic links to content/), so the whole hearing path is the
coach's, with only the routines and topics swapped.

    python -m benchmarks.coffee_pack [--grammar /work/shared/speech/coffee-orders/grammar.yaml]
"""

from __future__ import annotations

import argparse
import logging
import random
from pathlib import Path

import yaml

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "benchmarks" / "coffee"
GRAMMAR = Path("/work/shared/speech/coffee-orders/grammar.yaml")
PHRASES_PER_DRINK = 40
SEED = 16
STEPS = [
    ("Warm the cup with a splash of hot water.", 5),
    ("Grind the beans and tamp them down evenly.", 5),
    ("Brew slowly and watch the colour of the stream.", 10),
    ("Add what you asked for and stir gently.", 5),
]


def drink_id(drink: str) -> str:
    return drink.replace(" ", "-")


def spoken(text: str) -> str:
    """As a recognizer returns it: lower case, no punctuation ("i'd" -> "id")."""
    return " ".join(text.lower().replace("'", "").split())


def orders(drink: str, slots: dict[str, list[str]], rng: random.Random) -> list[str]:
    """Phrases for ``drink``: a starter, an article, some of size/roast/shots in any order,
    the drink, and sometimes milk and sugar, as the grammar's templates allow."""
    starters = [
        "brew", "can i get", "can i have", "i want", "get me", "give me", "id like",
        "make me", "may i have",
    ]  # fmt: skip
    found: list[str] = [drink, f"a {drink}", f"{drink} please", f"i want a {drink}"]
    while len(found) < PHRASES_PER_DRINK:
        before = [rng.choice(slots[s]) for s in ("size", "roast", "numberOfShots")]
        before = [b for b in before if rng.random() < 0.5]
        rng.shuffle(before)
        extras = [rng.choice(slots[s]) for s in ("milkAmount", "sugarAmount")]
        extras = [e.strip() for e in extras if rng.random() < 0.4]
        article = "an" if (before or [drink])[0][0] in "aeiou" else "a"
        words = [rng.choice(starters), article, *before, drink]
        if extras:
            words += ["with", " and ".join(extras)]
        phrase = spoken(" ".join(words))
        if phrase not in found:
            found.append(phrase)
    return found


def keywords(drink: str) -> list[str]:
    """The drink's name and what people (and recognizers) write for it: "iced" is often
    said and heard as "ice" ("an ice coffee"), so "ice coffee" names the iced coffee too."""
    found = [drink]
    if drink.startswith("iced "):
        found.append("ice " + drink.removeprefix("iced "))
    return found


def routine(drink: str, phrases: list[str]) -> dict:
    return {
        "id": drink_id(drink),
        "title": drink.capitalize(),
        "areas": ["coffee"],
        "keywords": keywords(drink),
        "phrases": phrases,
        "safety_note": "Careful, the cup will be hot.",
        "steps": [
            {"text": text, "kind": "breathing", "hold_seconds": seconds} for text, seconds in STEPS
        ],
    }


TOPICS = {
    "topics": [
        {
            "id": "menu",
            "title": "What the machine makes",
            "answer": (
                "I make americano, cappuccino, coffee, drip coffee, espresso, house coffee, "
                "iced coffee, iced mocha, latte and mocha. Tell me the size, the roast and the "
                "shots, and any milk or sugar."
            ),
            "keywords": ["menu"],
            "phrases": [
                "what can you make",
                "what drinks do you have",
                "show me the menu",
                "what is on the menu",
                "which coffees can you brew",
                "what sizes are there",
                "what can i order",
                "read me the menu",
            ],
        }
    ]
}


def write_pack(grammar: Path, pack: Path = PACK) -> list[str]:
    slots = yaml.safe_load(grammar.read_text(encoding="utf-8"))["context"]["slots"]
    rng = random.Random(SEED)
    (pack / "routines").mkdir(parents=True, exist_ok=True)
    written = []
    for drink in slots["coffeeDrink"]:
        path = pack / "routines" / f"{drink_id(drink)}.yaml"
        document = routine(drink, orders(drink, slots, rng))
        path.write_text(yaml.safe_dump(document, sort_keys=False, width=100), encoding="utf-8")
        written.append(path.name)
    (pack / "topics.yaml").write_text(yaml.safe_dump(TOPICS, sort_keys=False, width=100))
    for shared in ("commands.yaml", "safety.yaml"):
        link = pack / shared
        if not link.is_symlink():
            link.symlink_to(Path("..") / ".." / "content" / shared)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grammar", type=Path, default=GRAMMAR)
    args = parser.parse_args()
    written = write_pack(args.grammar)
    print(f"wrote {len(written)} routines to {PACK}/routines: {', '.join(written)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
