"""Understanding: from an utterance's text to one intent."""

from voicecare.matching.intents import NONE, RED_FLAGS, Alternative, Match
from voicecare.matching.matcher import IntentMatcher
from voicecare.matching.tuning import Tuning
from voicecare.normalize import normalize, words

__all__ = [
    "NONE",
    "RED_FLAGS",
    "Alternative",
    "IntentMatcher",
    "Match",
    "Tuning",
    "normalize",
    "words",
]
