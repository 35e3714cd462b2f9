"""Argument parsing only; each sub-command's handler lives in its own module and is set here
as the function itself (``args.handler(args)``). The command modules import what only they
need (the evaluation, the download machinery) when they run, so parsing stays cheap."""

from __future__ import annotations

import argparse
from pathlib import Path

from voicecare import __version__
from voicecare.cli.break_options import add_break_options
from voicecare.cli.chat_command import run_chat
from voicecare.cli.config_file import run_config
from voicecare.cli.content_commands import run_check, run_routines, run_show, run_topics
from voicecare.cli.doctor_command import run_doctor
from voicecare.cli.eval_command import run_eval
from voicecare.cli.history_commands import run_forget, run_history
from voicecare.cli.listen_command import run_listen
from voicecare.cli.match_commands import run_match, run_vocab
from voicecare.cli.model_commands import run_model_download, run_model_list
from voicecare.cli.screen_option import add_screen_options
from voicecare.cli.voice_commands import run_voice_download, run_voice_list
from voicecare.settings import AUTO_ENGINE, DEFAULT_NOISE_FRONT_END, ENGINES, NOISE_FRONT_ENDS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voicecare",
        description="An offline voice coach for muscle knots.",
        parents=[_common_options(default=None)],
    )
    # Sub-commands accept the same options; SUPPRESS keeps a value given before the
    # sub-command from being overwritten by the sub-command's default.
    common = _common_options(default=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"voicecare {__version__}")
    _listening_options(parser, top_level=True)
    _speech_options(parser, top_level=True)
    add_break_options(parser, top_level=True)
    add_screen_options(parser, top_level=True)
    parser.add_argument(
        "--audio-in", type=Path, metavar="FILE.wav", help="run a session from a recording"
    )
    parser.add_argument("--quiet", action="store_true", help="do not print what is spoken")
    parser.add_argument(
        "--echo-cancel",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="take VoiceCare's own voice out of the microphone (on by default; it steps "
        "aside by itself when there is no echo, as with headphones)",
    )
    parser.set_defaults(handler=run_listen)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    routines = commands.add_parser("routines", parents=[common], help="list the routines")
    routines.add_argument("--json", action="store_true", help="print JSON")
    routines.set_defaults(handler=run_routines)

    show = commands.add_parser(
        "show", parents=[common], help="a routine as it would be spoken, with timings"
    )
    show.add_argument("routine", metavar="ROUTINE", help="a routine id, e.g. neck")
    show.set_defaults(handler=run_show)

    topics = commands.add_parser("topics", parents=[common], help="list the info topics")
    topics.add_argument("--json", action="store_true", help="print JSON")
    topics.set_defaults(handler=run_topics)

    content = commands.add_parser("content", parents=[common], help="work with content folders")
    content_actions = content.add_subparsers(title="actions", metavar="ACTION", required=True)
    check = content_actions.add_parser("check", parents=[common], help="validate a content folder")
    check.add_argument("directory", nargs="?", type=Path, metavar="DIR")
    check.set_defaults(handler=run_check)

    match = commands.add_parser("match", parents=[common], help="what an utterance means")
    match.add_argument("texts", nargs="*", metavar="TEXT", help="default: lines of stdin")
    match.add_argument("--json", action="store_true", help="one JSON object per line")
    match.add_argument(
        "--audio", type=Path, metavar="FILE.wav", help="recognize a recording, then match it"
    )
    _listening_options(match)
    match.set_defaults(handler=run_match)

    vocab = commands.add_parser("vocab", parents=[common], help="every word content uses")
    vocab.set_defaults(handler=run_vocab)

    chat = commands.add_parser("chat", parents=[common], help="talk to the coach by typing")
    _speech_options(chat)
    add_break_options(chat)
    add_screen_options(chat)
    chat.set_defaults(handler=run_chat)

    model = commands.add_parser("model", parents=[common], help="speech models")
    model_actions = model.add_subparsers(title="actions", metavar="ACTION", required=True)
    model_list = model_actions.add_parser(
        "list", parents=[common], help="installed and downloadable models"
    )
    model_list.set_defaults(handler=run_model_list)
    download = model_actions.add_parser(
        "download", parents=[common], help="download a Vosk model (default: small US English)"
    )
    download.add_argument("name", nargs="?", metavar="NAME", help="a model from 'model list'")
    download.add_argument("--dir", type=Path, metavar="DIR", help="where to install it")
    download.add_argument("--url", metavar="URL", help="download from this address instead")
    download.add_argument("--force", action="store_true", help="replace an installed copy")
    download.add_argument("--sha256", metavar="HEX", help="check the archive against this sha256")
    download.set_defaults(handler=run_model_download)

    _voice_parser(commands, common)
    _eval_parser(commands, common)

    history = commands.add_parser("history", parents=[common], help="the sessions kept")
    history.add_argument("--json", action="store_true", help="print JSON")
    history.set_defaults(handler=run_history)
    forget = commands.add_parser("forget", parents=[common], help="delete all history")
    forget.add_argument("--yes", action="store_true", help="do not ask first")
    forget.set_defaults(handler=run_forget)
    config = commands.add_parser(
        "config", parents=[common], help="the settings, and where each came from"
    )
    config.set_defaults(handler=run_config)

    doctor = commands.add_parser(
        "doctor", parents=[common], help="check microphone, speech, engines, models, content"
    )
    doctor.set_defaults(handler=run_doctor)
    return parser


def _voice_parser(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    voice = commands.add_parser("voice", parents=[common], help="Piper voices (speech output)")
    actions = voice.add_subparsers(title="actions", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="installed and downloadable voices")
    listing.add_argument("--voice", metavar="NAME", default=argparse.SUPPRESS, help="as chat's")
    listing.set_defaults(handler=run_voice_list)
    download = actions.add_parser(
        "download", parents=[common], help="download a Piper voice (default: the default voice)"
    )
    download.add_argument("name", nargs="?", metavar="NAME", help="a voice from 'voice list'")
    download.add_argument("--dir", type=Path, metavar="DIR", help="where to install it")
    download.add_argument("--force", action="store_true", help="replace an installed copy")
    download.add_argument(
        "--hub", metavar="URL", help="a mirror of rhasspy/piper-voices (the same folders)"
    )
    download.set_defaults(handler=run_voice_download)


def _eval_parser(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    evaluate = commands.add_parser(
        "eval",
        parents=[common],
        help="measure recognition: a labelled set spoken by natural voices, or recordings, "
        "in noise",
    )
    evaluate.add_argument(
        "--set",
        type=Path,
        dest="set_file",
        metavar="FILE",
        help="TSV of intent<TAB>utterance (default: tests/data/eval_utterances.tsv of the "
        "source checkout)",
    )
    evaluate.add_argument(
        "--voices",
        metavar="LIST",
        help="engine:voice list, e.g. hibari:us,flite:slt,flite:awb,festival:us-slt-hts,"
        "espeak:en-us (default: the natural voices installed; a bare name is espeak-ng's)",
    )
    evaluate.add_argument("--rates", metavar="LIST", help="words per minute (default: 150,190)")
    evaluate.add_argument("--snr", metavar="LIST", help="dB or clean (default: clean,20,10,5)")
    evaluate.add_argument(
        "--recordings",
        type=Path,
        metavar="DIR",
        help="hear WAV files instead of synthesized speech; DIR/labels.tsv holds "
        "file<TAB>intent ids (several separated by |)",
    )
    evaluate.add_argument(
        "--noise",
        type=Path,
        dest="noise_file",
        metavar="FILE.wav",
        help="mix this noise (scaled by loudest frames, as Picovoice's benchmark does) "
        "instead of pink noise",
    )
    evaluate.add_argument(
        "--engine",
        dest="engines",
        action="append",
        choices=ENGINES,
        help="speech engine; repeat to compare engines (default: auto)",
    )
    evaluate.add_argument(
        "--model", type=Path, metavar="PATH", help="a Vosk model folder (whisper: or a size)"
    )
    evaluate.add_argument("--limit", type=int, metavar="N", help="a fixed subset of N utterances")
    evaluate.add_argument("--json", type=Path, dest="json_file", metavar="FILE", help="write JSON")
    evaluate.add_argument(
        "--plot", type=Path, dest="plot_file", metavar="FILE.png", help="plot accuracy vs SNR"
    )
    evaluate.add_argument(
        "--cache-dir", type=Path, metavar="DIR", help="synthesized speech cache folder"
    )
    _noise_front_end_option(evaluate)
    evaluate.set_defaults(handler=run_eval)


def _listening_options(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    """On a sub-command the defaults are SUPPRESSed, so that a value given before the
    sub-command (``voicecare --engine vosk match ...``) is kept."""
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default=AUTO_ENGINE if top_level else argparse.SUPPRESS,
        help="speech engine (auto: Vosk when a model is found, else PocketSphinx; whisper: "
        "pip install 'voicecare[whisper]')",
    )
    parser.add_argument(
        "--model",
        type=Path,
        metavar="PATH",
        default=None if top_level else argparse.SUPPRESS,
        help="a Vosk model folder (whisper: a model folder or tiny.en, base.en, small.en)",
    )
    _noise_front_end_option(parser, top_level)


def _noise_front_end_option(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    parser.add_argument(
        "--noise-front-end",
        choices=NOISE_FRONT_ENDS,
        default=DEFAULT_NOISE_FRONT_END if top_level else argparse.SUPPRESS,
        metavar="NAME",
        help="what the bundled PocketSphinx engine hears through: "
        f"{', '.join(NOISE_FRONT_ENDS)} (default: {DEFAULT_NOISE_FRONT_END}; "
        "measured in benchmarks/RESULTS.md)",
    )


def _speech_options(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    """Defaults as in ``_listening_options``."""
    parser.add_argument(
        "--mute",
        action="store_true",
        default=False if top_level else argparse.SUPPRESS,
        help="print only; do not speak",
    )
    parser.add_argument(
        "--hold-scale",
        type=_non_negative_float,
        default=1.0 if top_level else argparse.SUPPRESS,
        metavar="F",
        help="multiply every hold by F (0: instant)",
    )
    parser.add_argument(
        "--rate",
        type=int,
        metavar="WPM",
        default=None if top_level else argparse.SUPPRESS,
        help="speech rate, words per minute",
    )
    parser.add_argument(
        "--voice",
        metavar="NAME",
        default=None if top_level else argparse.SUPPRESS,
        help="a Piper voice (en_US-joe-medium, or a path to an .onnx file; see 'voicecare "
        "voice list'), or system[:ID] for the platform voice (default: Piper's when one is "
        "installed)",
    )


def _common_options(default: object) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--content",
        type=Path,
        metavar="DIR",
        default=default,
        help="content folder (default: the bundled one)",
    )
    common.add_argument(
        "-v", "--verbose", action="store_true", default=default, help="log details to stderr"
    )
    return common


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value
