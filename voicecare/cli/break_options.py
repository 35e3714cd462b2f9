"""The break-reminder options (``--break-every``, ``--snooze``, ``--quiet-hours``) and how
they become ``BreakSettings``: parsed here, at the command-line edge, with the time of day
measured once against the session's clock."""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from voicecare.clock import Clock
from voicecare.errors import UsageError
from voicecare.settings import BreakSettings, CoachSettings


def add_break_options(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    """Defaults SUPPRESSed on a sub-command, as for the other shared options."""

    def default(value: object) -> object:
        return value if top_level else argparse.SUPPRESS

    parser.add_argument(
        "--break-every",
        type=_minutes,
        metavar="MINUTES",
        default=default(None),
        help="remind me to take a break after this long without a routine",
    )
    parser.add_argument(
        "--snooze",
        type=_minutes,
        metavar="MINUTES",
        default=default(BreakSettings().snooze_minutes),
        help="how long 'later' puts a break reminder off (default: 10)",
    )
    parser.add_argument(
        "--quiet-hours",
        metavar="HH:MM-HH:MM",
        default=default(None),
        help="no break reminders in this span of the day, e.g. 22:00-07:00",
    )


def build_break_settings(args: argparse.Namespace) -> BreakSettings:
    defaults = BreakSettings()
    quiet = getattr(args, "quiet_hours", None)
    return BreakSettings(
        every_minutes=getattr(args, "break_every", None),
        snooze_minutes=getattr(args, "snooze", defaults.snooze_minutes),
        quiet_hours=parse_quiet_hours(quiet) if quiet else None,
    )


def on_clock(coach: CoachSettings, clock: Clock) -> CoachSettings:
    """``coach`` with the break schedule told the time of day on ``clock``."""
    local = time.localtime()
    since_midnight = local.tm_hour * 3600 + local.tm_min * 60 + local.tm_sec
    breaks = replace(coach.breaks, day_offset=since_midnight - clock.now())
    return replace(coach, breaks=breaks)


def parse_quiet_hours(text: str) -> tuple[int, int]:
    """ "22:00-07:00" as minutes after midnight, (1320, 420)."""
    try:
        start, end = (_clock_minutes(part) for part in text.split("-"))
    except ValueError:
        raise UsageError(
            f"--quiet-hours {text}: give a span of the day as HH:MM-HH:MM, e.g. 22:00-07:00"
        ) from None
    if start == end:
        raise UsageError(f"--quiet-hours {text}: the span starts and ends at the same time")
    return start, end


def _clock_minutes(text: str) -> int:
    hours, minutes = text.strip().split(":")
    value = int(hours) * 60 + int(minutes)
    if not (0 <= int(hours) <= 24 and 0 <= int(minutes) < 60 and value <= 24 * 60):
        raise ValueError(text)
    return value % (24 * 60)


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of minutes: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("give a number of minutes greater than 0")
    return value
