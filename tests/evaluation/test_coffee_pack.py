"""The coffee-order content pack of the real-speech benchmark (benchmarks/coffee/) stays a
valid content folder, with VoiceCare's own commands and safety screen linked in, and a
typed order lands on its drink. (The recordings themselves are for the benchmark only.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from voicecare.content import load_library
from voicecare.content.rules import authoring_problems
from voicecare.settings import MatcherSettings
from voicecare.understanding import Understanding

PACK = Path(__file__).resolve().parents[2] / "benchmarks" / "coffee"
DRINKS = {
    "americano", "cappuccino", "coffee", "drip-coffee", "espresso", "house-coffee",
    "iced-coffee", "iced-mocha", "latte", "mocha",
}  # fmt: skip


def test_the_pack_loads_with_one_routine_per_drink():
    library = load_library(PACK)
    assert {routine.id for routine in library.routines} == DRINKS
    assert authoring_problems(library) == []
    assert (PACK / "commands.yaml").resolve() == (PACK.parents[1] / "content" / "commands.yaml")


ORDERS = {
    "can i get a large iced mocha with soy milk": "routine:iced-mocha",
    "may i have a double shot espresso": "routine:espresso",
    "give me a small drip coffee with a little bit of cream": "routine:drip-coffee",
    "stop": "command:stop",
    "i have chest pain": "safety:red-flags",
}
# People, and Whisper, write "an ice coffee": the pack names the iced drinks that way too.
ICE_FOR_ICED = {
    "can i get an ice coffee": "routine:iced-coffee",
    "i want a dark roast ice coffee with a bit of milk": "routine:iced-coffee",
    "ice mocha please": "routine:iced-mocha",
    "give me a large ice mocha with soy milk": "routine:iced-mocha",
    "can i get a large mocha": "routine:mocha",
    "a coffee": "routine:coffee",
}


@pytest.mark.parametrize("said", [ORDERS, ICE_FOR_ICED], ids=["orders", "ice-for-iced"])
def test_orders_land_on_their_drink_and_commands_still_work(said):
    understanding = Understanding(load_library(PACK), MatcherSettings())
    assert {text: understanding.match(text).intent for text in said} == said
