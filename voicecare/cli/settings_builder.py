"""The one place where command-line arguments become settings."""

from __future__ import annotations

import argparse
from dataclasses import replace

from voicecare.settings import CoachSettings, ListeningSettings, Settings, SpeechSettings


def build_settings(args: argparse.Namespace) -> Settings:
    """The one place where command-line arguments become settings."""
    speech = SpeechSettings()
    if getattr(args, "rate", None):
        speech = replace(speech, rate=args.rate)
    if getattr(args, "mute", False):
        speech = replace(speech, mute=True)
    coach = CoachSettings(hold_scale=getattr(args, "hold_scale", 1.0))
    listening = ListeningSettings(
        engine=getattr(args, "engine", "auto"),
        model=getattr(args, "model", None),
        audio_in=getattr(args, "audio_in", None),
        captions=not getattr(args, "quiet", False),
    )
    return Settings(content_dir=args.content, speech=speech, coach=coach, listening=listening)
