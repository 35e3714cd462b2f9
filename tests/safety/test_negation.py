"""The negation rules of the safety screen, on the bundled content's negation words."""

from __future__ import annotations

import pytest

from voicecare.content.patterns import compile_pattern, joined
from voicecare.normalize import words
from voicecare.safety.negation import Negation


@pytest.mark.parametrize(
    ("text", "pattern", "negated"),
    [
        ("no numbness at all", "numbness", True),
        ("my arm is not weak", "{limb} ... weak", True),
        ("no fever but my arm is numb", "numb", False),  # a breaker ends the negation
        ("i can not walk straight everything is spinning", "everything ... spinning", False),
        ("i can not feel any numbness", "numbness", True),  # a verb of noticing
        ("i can not stand up without the room spinning", "room ... spinning", False),
        ("the room will not stop spinning", "room ... spinning", False),  # it goes on
        ("it will not stop tingling", "tingl*", False),
        ("it is not tingling", "tingl*", True),
    ],
)
def test_negation(library, text, pattern, negated):
    red_flags = library.safety.red_flags
    tokens = words(text, drop_fillers=False)
    found = compile_pattern(pattern, red_flags.lists).find(joined(tokens))[0]
    assert Negation(red_flags.negation).negated(tokens, found) is negated
