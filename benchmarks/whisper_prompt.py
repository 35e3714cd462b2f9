"""``voicecare eval`` (or any ``-m`` module) with Whisper prompted from other words.

Whisper's prompt is made by ``whisper_engine.prompt_words`` from the whole recognition
vocabulary, the ways red flags are said included. This runs the same command with the
prompt made another way, to measure it paired against the shipped one (same cached speech,
same seeded noise); see benchmarks/RESULTS.md, Session 17.

    python -m benchmarks.whisper_prompt --prompt intents:60 eval --engine two-pass --set F \
        --limit 30 --snr clean,10 --rates 150
    python -m benchmarks.whisper_prompt --prompt none -m benchmarks.coffee_orders --engine two-pass

``--prompt``: ``shipped``; ``none``; ``intents[:N]`` (the intent phrases and keywords of the
default content alone, N words, default the shipped count); ``list:a,b,c``.
"""

from __future__ import annotations

import runpy
import sys

from voicecare.content import load_library
from voicecare.listening import whisper_engine
from voicecare.matching.sources import recognition_sentences
from voicecare.vocabulary import Vocabulary


def prompt_maker(variant: str):
    shipped = whisper_engine.prompt_words

    def made(vocabulary: Vocabulary, limit: int = whisper_engine.PROMPT_WORDS) -> tuple[str, ...]:
        if variant == "shipped":
            return shipped(vocabulary, limit)
        if variant == "none":
            return ()
        if variant.startswith("intents"):
            sentences = tuple(s for s in recognition_sentences(load_library()) if s)
            count = int(variant.split(":")[1]) if ":" in variant else limit
            return shipped(Vocabulary(sentences=sentences), count)
        if variant.startswith("list:"):
            return tuple(variant[5:].split(","))
        raise SystemExit(f"--prompt: unknown {variant!r}")

    return made


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "--prompt":
        raise SystemExit(__doc__)
    whisper_engine.prompt_words = prompt_maker(argv[1])
    rest = argv[2:]
    if rest[0] == "-m":
        sys.argv = [rest[1], *rest[2:]]
        runpy.run_module(rest[1], run_name="__main__")
        return 0
    from voicecare.cli import main as voicecare_main

    return voicecare_main(rest)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
