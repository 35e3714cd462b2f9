"""The config file: ``config.toml`` in the user config folder (``$XDG_CONFIG_HOME/voicecare``;
``$VOICECARE_CONFIG`` names another file, or ``off``), read once at the command-line edge.

Its values become the parser's defaults, so the command line still wins, and each is checked
by the same parser as its option (a bad value is one line naming the file and the key).
``voicecare config`` shows every setting, its value and where it came from.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

import tomllib

from voicecare.errors import UsageError
from voicecare.settings import SpeechSettings

CONFIG_ENV = "VOICECARE_CONFIG"
CONFIG_FILE = "config.toml"


@dataclass(frozen=True)
class Key:
    name: str  # in config.toml
    dest: str  # the parser's
    kind: type  # what TOML must give
    about: str


KEYS: tuple[Key, ...] = (
    Key("rate", "rate", int, "speech rate, words per minute (--rate)"),
    Key("mute", "mute", bool, "print only, do not speak (--mute)"),
    Key("voice", "voice", str, "voice: a Piper voice or system[:ID] (--voice)"),
    Key("hold_scale", "hold_scale", float, "multiply every hold (--hold-scale)"),
    Key("engine", "engine", str, "speech engine: auto, vosk, pocketsphinx or whisper (--engine)"),
    Key("model", "model", str, "a Vosk model folder (--model)"),
    Key("echo_cancel", "echo_cancel", bool, "take VoiceCare's voice out of the mic"),
    Key("quiet", "quiet", bool, "do not print what is spoken (--quiet)"),
    Key("break_every", "break_every", float, "minutes without a routine before a break"),
    Key("snooze", "snooze", float, "minutes 'later' puts a break off (--snooze)"),
    Key("quiet_hours", "quiet_hours", str, "no break reminders then, HH:MM-HH:MM"),
)


def config_path() -> Path | None:
    chosen = os.environ.get(CONFIG_ENV, "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("voicecare")) / CONFIG_FILE


def read_config(parser: argparse.ArgumentParser, path: Path | None) -> dict[str, object]:
    """The file's values by the parser's names, checked; {} when there is no file."""
    if path is None or not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: not a readable TOML file ({error}); fix or remove it") from None
    keys = {key.name: key for key in KEYS}
    values: dict[str, object] = {}
    for name, value in data.items():
        key = keys.get(name)
        if key is None:
            known = ", ".join(keys)
            raise UsageError(f"{path}: unknown setting '{name}' (known: {known})")
        values[key.dest] = _checked(parser, path, key, value)
    return values


def apply_config(parser: argparse.ArgumentParser) -> dict[str, object]:
    """Make the config file's values the parser's defaults; returns them."""
    values = read_config(parser, config_path())
    if values:
        parser.set_defaults(**values)
    return values


def _checked(parser: argparse.ArgumentParser, path: Path, key: Key, value: object) -> object:
    wrong = f"{path}: {key.name} = {value!r}"
    if key.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, key.kind) or (key.kind is int and isinstance(value, bool)):
        raise UsageError(f"{wrong}: give {_kind_name(key.kind)}; it is the {key.about}")
    action = next((a for a in parser._actions if a.dest == key.dest), None)
    if action is None or key.kind is bool:
        return value
    if action.choices is not None and value not in action.choices:
        raise UsageError(f"{wrong}: give one of {', '.join(map(str, action.choices))}")
    if key.name == "rate":
        from voicecare.cli.settings_builder import _speech_rate

        try:
            return _speech_rate(value)  # type: ignore[arg-type]
        except UsageError as error:
            raise UsageError(f"{wrong}: {str(error).split(': ', 1)[-1]}") from None
    if key.name == "quiet_hours":
        from voicecare.cli.break_options import parse_quiet_hours

        try:
            parse_quiet_hours(str(value))
        except UsageError as error:
            raise UsageError(f"{wrong}: {str(error).split(': ', 1)[-1]}") from None
        return value
    if callable(action.type):
        try:
            return action.type(str(value))
        except (argparse.ArgumentTypeError, ValueError) as error:
            raise UsageError(f"{wrong}: {error}") from None
    return value


def _kind_name(kind: type) -> str:
    return {int: "a whole number", float: "a number", bool: "true or false", str: "text"}[kind]


def run_config(args: argparse.Namespace) -> int:
    """Every setting, its value and where it came from. ``args.build_parser`` (set by the
    CLI's main) makes a parser without the file's defaults, to tell them apart."""
    path = config_path()
    bare = args.build_parser()
    defaults = {key.dest: bare.get_default(key.dest) for key in KEYS}
    from_file = read_config(bare, path)
    where = f"config file {path}" if path is not None else f"no config file ({CONFIG_ENV}=off)"
    print(f"# {where}{'' if path is None or path.is_file() else ' (not there yet)'}")
    for key in KEYS:
        value = getattr(args, key.dest, defaults[key.dest])
        if key.dest in from_file and value == from_file[key.dest]:
            source = "config file"
        elif value == defaults[key.dest]:
            source = "default"
        else:
            source = "command line"
        shown = "(none)" if value is None else value
        if key.dest == "rate" and value is None:
            shown = SpeechSettings().rate
        print(f"{key.name} = {shown}  ({source})")
    return 0
