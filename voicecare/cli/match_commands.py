"""``voicecare match`` and ``voicecare vocab``."""

from __future__ import annotations

import argparse
import json
import sys

from voicecare.cli.output import notice
from voicecare.cli.settings_builder import build_settings
from voicecare.content import load_library
from voicecare.matching import Match
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.understanding import Understanding, recognition_vocabulary


def run_match(args: argparse.Namespace) -> int:
    settings = build_settings(args)
    library = load_library(settings.content_dir)
    understanding = Understanding(library, settings.matcher, weights=CachedWeights())
    if args.audio is not None:
        return _match_audio(args, settings, library, understanding)
    # One output line per input line, an empty one included ("none"), so that a batch's
    # answers line up with its questions.
    texts = args.texts or (line.rstrip("\r\n") for line in sys.stdin)
    for text in texts:
        match = understanding.match(text)
        print(json.dumps(match.to_dict()) if args.json else format_match(match), flush=True)
    return 0


def _match_audio(args: argparse.Namespace, settings, library, understanding: Understanding) -> int:
    from voicecare.listening.engines import create_recognizer, transcribe_both
    from voicecare.listening.wav_audio import read_wav

    pcm = read_wav(args.audio)
    recognizer = create_recognizer(settings.listening, recognition_vocabulary(library), notice)
    heard = transcribe_both(recognizer, pcm)
    transcript = heard.text
    match = understanding.match(transcript, heard.alternatives, first_pass=heard.first_pass)
    if args.json:
        print(json.dumps({"transcript": transcript, **match.to_dict()}))
    else:
        print(f"transcript: {transcript}\n{format_match(match)}")
    return 0


def format_match(match: Match) -> str:
    line = f"{match.intent:<28} {match.score:5.1f}  {match.text}"
    if match.sign:
        line += f"  [sign: {match.sign}]"
    if match.alternatives:
        others = ", ".join(f"{a.intent} {a.score:.1f}" for a in match.alternatives)
        line += f"  (or: {others})"
    return line


def run_vocab(args: argparse.Namespace) -> int:
    settings = build_settings(args)
    library = load_library(settings.content_dir)
    understanding = Understanding(library, settings.matcher, weights=CachedWeights())
    print("\n".join(understanding.vocabulary))
    return 0
