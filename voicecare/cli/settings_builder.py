"""The one place where command-line arguments become settings."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from voicecare.cli.break_options import build_break_settings
from voicecare.cli.screen_option import build_screen_settings
from voicecare.errors import UsageError
from voicecare.settings import (
    CoachSettings,
    EvalSettings,
    ListeningSettings,
    Settings,
    SpeechSettings,
)

T = TypeVar("T")


def build_settings(args: argparse.Namespace) -> Settings:
    """The one place where command-line arguments become settings."""
    speech = SpeechSettings()
    rate = getattr(args, "rate", None)
    if rate is not None:
        speech = replace(speech, rate=_speech_rate(rate))
    if getattr(args, "mute", False):
        speech = replace(speech, mute=True)
    if getattr(args, "voice", None):
        speech = replace(speech, voice=args.voice.strip())
    coach = CoachSettings(
        hold_scale=getattr(args, "hold_scale", 1.0), breaks=build_break_settings(args)
    )
    listening = ListeningSettings(
        engine=getattr(args, "engine", ListeningSettings().engine),
        model=getattr(args, "model", None),
        audio_in=getattr(args, "audio_in", None),
        captions=not getattr(args, "quiet", False),
        echo_cancellation=getattr(args, "echo_cancel", True),
        noise_front_end=getattr(args, "noise_front_end", ListeningSettings().noise_front_end),
    )
    return Settings(
        content_dir=args.content,
        speech=speech,
        coach=coach,
        listening=listening,
        screen=build_screen_settings(args),
    )


def _speech_rate(rate: int) -> int:
    """The coach's own range ("slower" and "faster" stop there)."""
    from voicecare.coach.commands import FASTEST_RATE, SLOWEST_RATE

    if not SLOWEST_RATE <= rate <= FASTEST_RATE:
        raise UsageError(
            f"--rate {rate}: give a speech rate from {SLOWEST_RATE} to {FASTEST_RATE} "
            f"words per minute (the default is {SpeechSettings().rate})"
        )
    return rate


def build_eval_settings(args: argparse.Namespace) -> EvalSettings:
    defaults = EvalSettings()
    if args.limit is not None and args.limit < 1:
        raise UsageError(f"--limit {args.limit}: give a number of utterances, 1 or more")
    return EvalSettings(
        set_file=args.set_file,
        voices=_items("--voices", args.voices, str) if args.voices else defaults.voices,
        rates=_items("--rates", args.rates, _rate) if args.rates else defaults.rates,
        snrs=_items("--snr", args.snr, _snr) if args.snr else defaults.snrs,
        engines=tuple(dict.fromkeys(args.engines)) if args.engines else defaults.engines,
        limit=args.limit,
        json_file=args.json_file,
        plot_file=args.plot_file,
        cache_dir=args.cache_dir,
        recordings=args.recordings,
        noise_file=args.noise_file,
    )


def _items(option: str, text: str, parse: Callable[[str], T]) -> tuple[T, ...]:
    """A comma-separated list, each item parsed; duplicates dropped."""
    items = [item.strip() for item in text.split(",") if item.strip()]
    if not items:
        raise UsageError(f"{option}: give a comma-separated list, e.g. {option} a,b")
    try:
        return tuple(dict.fromkeys(parse(item) for item in items))
    except ValueError as error:
        raise UsageError(f"{option} {text}: {error}") from None


def _rate(text: str) -> int:
    if not text.isdigit() or not 80 <= int(text) <= 450:
        raise ValueError(f"'{text}' is not a rate in words per minute from 80 to 450")
    return int(text)


def _snr(text: str) -> float | None:
    if text.lower() == "clean":
        return None
    try:
        value = float(text.lower().removesuffix("db"))
    except ValueError:
        raise ValueError(f"'{text}' is neither a number of dB nor 'clean'") from None
    if not -20 <= value <= 60:
        raise ValueError(f"{text} dB is outside -20 to 60 dB")
    return value
