"""The one place where command-line arguments become settings."""

from __future__ import annotations

import argparse
from dataclasses import replace

from voicecare.settings import CoachSettings, Settings, SpeechSettings


def build_settings(args: argparse.Namespace) -> Settings:
    """The one place where command-line arguments become settings."""
    speech = SpeechSettings()
    if getattr(args, "rate", None):
        speech = replace(speech, rate=args.rate)
    if getattr(args, "mute", False):
        speech = replace(speech, mute=True)
    coach = CoachSettings(hold_scale=getattr(args, "hold_scale", 1.0))
    return Settings(content_dir=args.content, speech=speech, coach=coach)
