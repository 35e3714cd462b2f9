"""``voicecare chat``: the coach in text mode."""

from __future__ import annotations

import argparse
import sys

from voicecare.cli.break_options import on_clock
from voicecare.cli.history_commands import remembered
from voicecare.cli.output import notice
from voicecare.cli.screen_option import opened_screen
from voicecare.cli.settings_builder import build_settings
from voicecare.clock import MonotonicClock
from voicecare.coach import Coach
from voicecare.content import load_library
from voicecare.shell.captions import CaptionPrinter
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.shell.outputs import make_speaker
from voicecare.shell.session import LineInputs, LineSource, TurnLoop
from voicecare.shell.text_input import PipedLines, Prompt, TypedLines
from voicecare.understanding import Understanding


def run_chat(args: argparse.Namespace) -> int:
    settings = build_settings(args)
    library = load_library(settings.content_dir)
    understanding = Understanding(library, settings.matcher, weights=CachedWeights())
    clock = MonotonicClock()
    coach = Coach(library, understanding, on_clock(settings.coach, clock), settings.speech)
    speaker = make_speaker(settings.speech, notice)
    prompt = Prompt(sys.stdout)
    source: LineSource
    if sys.stdin.isatty():
        source = TypedLines(sys.stdin, prompt)
        captions = CaptionPrinter(sys.stdout, before=prompt.clear)
    elif settings.screen.enabled:  # read aside, so holds run on while the page is used
        source = TypedLines(sys.stdin)
        captions = CaptionPrinter(sys.stdout)
    else:
        source, captions = PipedLines(sys.stdin), CaptionPrinter(sys.stdout)
    press = source.feed if isinstance(source, TypedLines) else (lambda line: None)
    try:
        with (
            remembered(coach),
            opened_screen(settings.screen, coach, clock, library, press) as observer,
        ):
            loop = TurnLoop(coach, speaker, clock, captions.show, observer=observer)
            return loop.run(LineInputs(source))
    finally:
        prompt.close()
        speaker.close()
