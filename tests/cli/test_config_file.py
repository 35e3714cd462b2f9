"""config.toml: its values become the defaults, the command line still wins, a bad value is
one line naming the file and the key, and ``voicecare config`` says where each came from."""

from __future__ import annotations

import io
import sys

import pytest

from voicecare.cli import main
from voicecare.cli.config_file import apply_config
from voicecare.cli.parser import build_parser
from voicecare.cli.settings_builder import build_settings


@pytest.fixture
def config(tmp_path, monkeypatch):
    path = tmp_path / "config" / "voicecare" / "config.toml"
    path.parent.mkdir(parents=True)
    monkeypatch.delenv("VOICECARE_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return path


def settings_for(*argv: str):
    parser = build_parser()
    apply_config(parser)
    return build_settings(parser.parse_args(list(argv)))


def test_the_file_gives_the_defaults_and_the_command_line_wins(config):
    config.write_text('rate = 140\nbreak_every = 45\nquiet_hours = "22:00-07:00"\nmute = true\n')
    settings = settings_for("chat")
    assert settings.speech.rate == 140 and settings.speech.mute
    assert settings.coach.breaks.every_minutes == 45
    assert settings.coach.breaks.quiet_hours == (22 * 60, 7 * 60)
    assert settings_for("chat", "--rate", "200").speech.rate == 200
    assert settings_for("--break-every", "20").coach.breaks.every_minutes == 20


def test_config_shows_each_value_and_where_it_came_from(config, capsys):
    config.write_text("rate = 140\nsnooze = 5\n")
    assert main(["--hold-scale", "0.5", "config"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"# config file {config}"
    assert "rate = 140  (config file)" in out
    assert "snooze = 5.0  (config file)" in out
    assert "hold_scale = 0.5  (command line)" in out
    assert "engine = auto  (default)" in out


def test_no_file_is_all_defaults(config, capsys):
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "(not there yet)" in out and "rate = 165  (default)" in out
    assert "(config file)" not in out


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('rate = "fast"\n', "rate = 'fast': give a whole number"),
        ("rate = 1000\n", "rate = 1000: give a speech rate from 90 to 260"),
        ('engine = "kaldi"\n', "engine = 'kaldi': give one of auto, vosk, pocketsphinx, whisper"),
        ('quiet_hours = "25:00-3"\n', "quiet_hours = '25:00-3': give a span of the day"),
        ("hold_scale = -1\n", "hold_scale = -1: must be 0 or more"),
        ("speed = 3\n", "unknown setting 'speed'"),
        ("rate = [\n", "not a readable TOML file"),
    ],
)
def test_a_bad_file_is_one_line_naming_it(config, capsys, monkeypatch, text, says):
    config.write_text(text)
    monkeypatch.setattr(sys, "stdin", io.StringIO("hello\n"))
    assert main(["chat", "--mute"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"voicecare: {config}: ")
    assert says in err
