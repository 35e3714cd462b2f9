"""Ending utterances sooner (``voicecare.listening.early_end``): what it gains, and whether it
cuts people off. The eval utterances (every 5th of tests/data/eval_utterances.tsv, as
``spoken_accuracy``) said by espeak-ng or flite voices, through one PocketSphinx engine per
setting (as a session would hear them, in order), with the early end on and off:

* intent accuracy on all of an utterance's finals joined (what ``voicecare eval`` scores) and
  on its first final alone (what a live session acts on first: a cut-off sentence is acted
  on half-heard);
* utterances heard as more than one final (split);
* audio from the end of the speech to the first final (median, seconds).

``--pause S`` says each utterance in two halves, cut at a seeded word boundary, with S
seconds of silence between them (espeak's and flite's own silences trimmed): a pause inside
a sentence, the case an early end must not cut.

    python -m benchmarks.early_end --limit 60
    python -m benchmarks.early_end --limit 60 --pause 0.25 --voices flite:slt,flite:rms
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from dataclasses import dataclass

import numpy as np

from benchmarks.spoken_accuracy import EVAL_SET, EVERY
from tests.listening.speech import silence, speak
from voicecare.audio import SAMPLE_RATE, SAMPLE_WIDTH, iter_chunks
from voicecare.content import load_library
from voicecare.listening.early_end import EARLY_SILENCE
from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer
from voicecare.matching.evaluation import Example, read_labelled
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.understanding import Understanding, recognition_vocabulary

CHUNK = 960  # 30 ms, as the microphone reads
BEFORE, AFTER = 0.5, 1.0


@dataclass
class Heard:
    example: Example
    finals: list[str]  # the non-empty finals
    first_at: float | None  # audio seconds from the end of speech to the first final


def trimmed(pcm: bytes) -> bytes:
    samples = np.frombuffer(pcm, dtype="<i2")
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 100)
    return samples[loud[0] : loud[-1] + 1].tobytes() if loud.size else b""


def clip(example: Example, voice: str, pause: float | None, rng: random.Random) -> bytes:
    """Silence, the utterance (in two halves ``pause`` seconds apart), silence."""
    said = example.text.split()
    if pause is None or len(said) < 2:
        return silence(BEFORE) + trimmed(speak(example.text, voice)) + silence(AFTER)
    cut = rng.randrange(1, len(said))
    first, second = " ".join(said[:cut]), " ".join(said[cut:])
    return (
        silence(BEFORE)
        + trimmed(speak(first, voice))
        + silence(pause)
        + trimmed(speak(second, voice))
        + silence(AFTER)
    )


def hear(engine: PocketSphinxRecognizer, example: Example, pcm: bytes) -> Heard:
    speech_end = (len(pcm) / SAMPLE_WIDTH / SAMPLE_RATE) - AFTER
    finals: list[str] = []
    first_at = None
    position = 0
    for chunk in iter_chunks(pcm, CHUNK):
        position += len(chunk)
        result = engine.accept_audio(chunk)
        if result is not None and result.final and result.text:
            finals.append(result.text)
            if first_at is None:
                first_at = position / SAMPLE_WIDTH / SAMPLE_RATE - speech_end
    last = engine.finish()
    if last.text:
        finals.append(last.text)
    return Heard(example, finals, first_at)


def summarise(name: str, heard: list[Heard], understanding: Understanding) -> None:
    def right(text: str, example: Example) -> bool:
        return understanding.match(text).intent in example.expected

    joined = sum(right(" ".join(h.finals), h.example) for h in heard)
    first = sum(right(h.finals[0] if h.finals else "", h.example) for h in heard)
    split = [h for h in heard if len(h.finals) > 1]
    waits = [h.first_at for h in heard if h.first_at is not None]
    wait = f"{statistics.median(waits):.3f} s" if waits else "-"
    count = len(heard)
    print(
        f"{name:9s} n {count}: accuracy joined {100 * joined / count:5.1f}%,"
        f" first final alone {100 * first / count:5.1f}%, split {len(split)},"
        f" end of speech -> first final {wait} (median, audio)"
    )
    for h in split:
        print(f"    split: {h.example.text!r} -> {h.finals}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--offset", type=int, default=0, help="every-5th subset start (0-4)")
    parser.add_argument("--voices", default="en-us,en", help="espeak-ng or flite:NAME voices")
    parser.add_argument("--pause", type=float, help="seconds of silence inside each utterance")
    parser.add_argument("--early-silence", type=float, default=EARLY_SILENCE)
    args = parser.parse_args()
    library = load_library()
    understanding = Understanding(library, weights=CachedWeights())
    vocabulary = recognition_vocabulary(library)
    voices = args.voices.split(",")
    examples = read_labelled(EVAL_SET)[args.offset :: EVERY][: args.limit]
    rng = random.Random(0)
    clips = [clip(e, voices[i % len(voices)], args.pause, rng) for i, e in enumerate(examples)]
    for name, early in (("waiting", None), ("early", args.early_silence)):
        engine = PocketSphinxRecognizer.for_vocabulary(vocabulary, early_silence=early)
        heard = [hear(engine, e, pcm) for e, pcm in zip(examples, clips, strict=True)]
        summarise(name, heard, understanding)
        if early is not None:
            print(
                f"          utterances decoded again after an early check: "
                f"{engine.early_checks_resumed}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
