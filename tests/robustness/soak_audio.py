"""A long spoken session for soak runs: turns of complaints, commands, questions, red
flags, noise and silence, said by espeak-ng and joined into one recording.

The mix leaves out everything that would end the session early ("stop", "no", "enough"):
a soak wants every turn to reach the coach. Turns are chosen by a seeded generator, so a
recording of N turns is always the same.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from tests.listening.speech import silence, speak
from voicecare.audio import SAMPLE_RATE

COMPLAINTS = (
    "there is a knot in my shoulder",
    "i slept funny and my neck is stiff",
    "my lower back hurts",
    "my hamstrings are tight",
    "my upper back is sore",
    "my wrists ache from typing",
)
COMMANDS = (
    "pause",
    "continue",
    "next",
    "go back",
    "repeat",
    "skip",
    "slower",
    "faster",
    "help",
    "how much longer",
    "what routines do you have",
    "start over",
    "yes",
)
QUESTIONS = (
    "why do i get knots",
    "what is a muscle knot",
    "how do i prevent knots",
    "what is good posture",
    "does water help with knots",
    "how do i use a foam roller",
)
RED_FLAGS = ("my arm is numb", "i have chest pain")
VOICES = ("en-us", "en")
KINDS = (
    ("complaint", COMPLAINTS, 3),
    ("command", COMMANDS, 4),
    ("question", QUESTIONS, 2),
    ("red flag", RED_FLAGS, 1),
    ("noise", (), 1),
    ("silence", (), 1),
)
GAP_SECONDS = 1.5  # quiet after every turn: the endpointer needs it to close the utterance


@dataclass(frozen=True)
class Turn:
    kind: str
    text: str  # "" for noise and silence
    pcm: bytes


def turns(count: int, seed: int = 7) -> Iterator[Turn]:
    """``count`` turns of the mix, each ending in ``GAP_SECONDS`` of quiet."""
    chooser = random.Random(seed)
    names = [kind for kind, _, _ in KINDS]
    weights = [weight for _, _, weight in KINDS]
    texts = {kind: options for kind, options, _ in KINDS}
    for index in range(count):
        kind = chooser.choices(names, weights)[0]
        if kind == "noise":
            yield Turn(kind, "", white_noise(1.0, level=0.05, seed=index) + silence(GAP_SECONDS))
        elif kind == "silence":
            yield Turn(kind, "", silence(3.0))
        else:
            text = chooser.choice(texts[kind])
            voice = VOICES[index % len(VOICES)]
            yield Turn(kind, text, silence(0.3) + speak(text, voice) + silence(GAP_SECONDS))


def white_noise(seconds: float, level: float, seed: int) -> bytes:
    """Seeded Gaussian noise; ``level`` is its RMS as a share of full scale."""
    count = round(seconds * SAMPLE_RATE)
    noise = np.random.default_rng(seed).normal(0.0, level * 32768.0, count)
    return np.clip(np.rint(noise), -32768, 32767).astype("<i2").tobytes()


def soak_recording(count: int, seed: int = 7) -> tuple[bytes, list[Turn]]:
    """The whole session as 16 kHz mono PCM, and its turns (without their audio)."""
    pieces: list[bytes] = []
    said: list[Turn] = []
    for turn in turns(count, seed):
        pieces.append(turn.pcm)
        said.append(Turn(turn.kind, turn.text, b""))
    return b"".join(pieces), said
