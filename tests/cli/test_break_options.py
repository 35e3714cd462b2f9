"""``--break-every``, ``--snooze`` and ``--quiet-hours`` become the coach's break settings."""

from __future__ import annotations

import io
import sys
import time

import pytest

from tests.fakes import FakeClock
from voicecare.cli import main
from voicecare.cli.break_options import on_clock, parse_quiet_hours
from voicecare.cli.parser import build_parser
from voicecare.cli.settings_builder import build_settings
from voicecare.settings import CoachSettings


@pytest.mark.parametrize("where", [[], ["chat"]])
def test_break_options_reach_the_coach_settings(where):
    argv = ["--break-every", "45", "--snooze", "5", "--quiet-hours", "22:00-07:30"]
    args = build_parser().parse_args([*where, *argv])
    breaks = build_settings(args).coach.breaks
    assert breaks.every_minutes == 45
    assert breaks.snooze_minutes == 5
    assert breaks.quiet_hours == (22 * 60, 7 * 60 + 30)


def test_reminders_are_off_without_the_option():
    breaks = build_settings(build_parser().parse_args(["chat"])).coach.breaks
    assert breaks.every_minutes is None and breaks.snooze_minutes == 10


@pytest.mark.parametrize("text", ["22-07", "25:00-07:00", "22:00", "9:00-9:00", "a:b-c:d"])
def test_bad_quiet_hours_are_one_clear_line(capsys, text):
    assert main(["chat", "--mute", "--quiet-hours", text]) == 2
    _, err = capsys.readouterr()
    assert len(err.splitlines()) == 1 and err.startswith(f"voicecare: --quiet-hours {text}: ")


@pytest.mark.parametrize("minutes", ["0", "-5", "soon"])
def test_break_every_needs_a_positive_number(minutes):
    with pytest.raises(SystemExit) as caught:
        main(["--break-every", minutes])
    assert caught.value.code == 2


def test_the_time_of_day_is_measured_on_the_session_clock():
    coach = on_clock(CoachSettings(), FakeClock(500.0))
    of_day = (500.0 + coach.breaks.day_offset) % 86400
    local = time.localtime()
    since_midnight = local.tm_hour * 3600 + local.tm_min * 60 + local.tm_sec
    assert (since_midnight - of_day) % 86400 <= 2


def test_quiet_hours_may_end_at_midnight():
    assert parse_quiet_hours("13:00-24:00") == (13 * 60, 0)


def test_a_piped_chat_with_breaks_ends_with_its_input(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("what causes knots\n"))
    assert main(["chat", "--mute", "--break-every", "1"]) == 0
    out, _ = capsys.readouterr()
    assert "posture" in out and "Time for a short break" not in out
