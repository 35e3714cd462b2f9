"""Which of the offered routines the person picked ("the second one", "shoulders", "yes")."""

from __future__ import annotations

from voicecare.content.models import Library, Routine
from voicecare.matching import Match, words
from voicecare.matching.intents import family, payload

_ORDINALS = {
    "first": 0,
    "former": 0,
    "second": 1,
    "latter": 1,
    "other": 1,
    "third": 2,
    "fourth": 3,
    "fifth": 4,
    "sixth": 5,
    "seventh": 6,
    "eighth": 7,
    "last": -1,
}


def picked_choice(match: Match, choices: tuple[Routine, ...], library: Library) -> Routine | None:
    """The routine ``match`` picks among ``choices``: by ordinal, by name, "yes" for the
    first, "no" for the second of two; None when it picks none."""
    for word in words(match.text):
        if word in _ORDINALS and _ORDINALS[word] < len(choices) and choices:
            return choices[_ORDINALS[word]]
    intent = match.intent
    if family(intent) == "routine":
        return library.routine(payload(intent))
    if intent == "command:yes" and choices:
        return choices[0]
    if intent == "command:no" and len(choices) == 2:
        return choices[1]
    return None
