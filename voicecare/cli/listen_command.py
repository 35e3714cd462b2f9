"""``voicecare`` with no command: listen on the microphone (or ``--audio-in`` a recording)
and coach hands-free."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from voicecare.audio import AudioSource
from voicecare.cli.break_options import on_clock
from voicecare.cli.history_commands import remembered
from voicecare.cli.output import notice
from voicecare.cli.screen_option import opened_screen
from voicecare.cli.settings_builder import build_settings
from voicecare.clock import Clock, MonotonicClock
from voicecare.coach import Coach
from voicecare.content import load_library
from voicecare.listening.engines import create_recognizer
from voicecare.listening.sources import MicrophoneSource, WavFileSource
from voicecare.shell.captions import CaptionPrinter
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.shell.outputs import cancel_echo, make_speaker, microphone_speech
from voicecare.shell.screen_feed import PressedInputs
from voicecare.shell.session import AudioInputs, TurnLoop
from voicecare.understanding import Understanding, recognition_vocabulary


def run_listen(args: argparse.Namespace) -> int:
    settings = build_settings(args)
    library = load_library(settings.content_dir)
    understanding = Understanding(library, settings.matcher, weights=CachedWeights())
    recognizer = create_recognizer(settings.listening, recognition_vocabulary(library), notice)
    source: AudioSource
    clock: Clock
    audio_in = settings.listening.audio_in
    echo_reference = None
    if audio_in is not None:
        recording = WavFileSource(audio_in)
        source, clock = recording, recording.clock
    else:
        source, clock = MicrophoneSource(), MonotonicClock()
        speech, why = microphone_speech(settings.speech)
        if why is not None:
            notice(why)
            settings = replace(settings, speech=speech)
        if settings.listening.echo_cancellation and not settings.speech.mute:
            source, echo_reference = cancel_echo(source, clock, notice)
    coach = Coach(library, understanding, on_clock(settings.coach, clock), settings.speech)
    speaker = make_speaker(settings.speech, notice, echo_reference)
    captions = CaptionPrinter(sys.stdout)
    caption = captions.show if settings.listening.captions else (lambda text: None)
    heard_texts: list[str] = []

    def heard(text: str) -> None:
        heard_texts.append(text)
        print(f"(heard: {text})", file=sys.stderr, flush=True)

    inputs = PressedInputs(AudioInputs(source, recognizer))  # the screen's buttons first
    try:
        with (
            remembered(coach),
            opened_screen(settings.screen, coach, clock, library, inputs.press) as observer,
        ):
            status = TurnLoop(coach, speaker, clock, caption, heard, observer).run(inputs)
        if audio_in is not None and not heard_texts:
            notice(
                f"nothing was heard in {audio_in}: it holds no speech the engine could "
                "recognize (check it with: voicecare match --audio FILE.wav)"
            )
        return status
    finally:
        speaker.close()
        source.close()
        if echo_reference is not None:
            from voicecare.echo.webrtc import release_native_runtime

            release_native_runtime()
