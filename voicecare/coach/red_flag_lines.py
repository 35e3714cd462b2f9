"""What the coach says about a red flag it is not sure it heard: the question, and the
replies to yes and no. (The advice itself is content: safety.yaml.)"""

from __future__ import annotations

from voicecare.content.models import RedFlags
from voicecare.matching import Match

DENIED = "All right."
DENIED_IN_ROUTINE = "All right, let us go on."
ANSWER_PLEASE = "Please say yes or no."
LONGEST_ECHOED = 8  # words: a longer utterance is asked about by its sign's own question

_TO_LISTENER = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "am": "are",
    "we": "you",
    "our": "your",
    "us": "you",
}


def to_listener(text: str) -> str:
    """The person's words as VoiceCare says them back: "my arm is numb" -> "your arm is
    numb"."""
    return " ".join(_TO_LISTENER.get(word, word) for word in text.split())


def question(match: Match, red_flags: RedFlags) -> str:
    """ "Did you say your arm is numb?" for a short near miss, else the sign's question."""
    sign = red_flags.sign(match.sign)
    if sign is not None and (
        match.heard_as is None or len(match.heard_as.split()) > LONGEST_ECHOED
    ):
        return sign.question
    return f"Did you say {to_listener(match.heard_as or match.text)}?"
