"""``voicecare voice list`` and ``voicecare voice download [NAME]``: the Piper voices VoiceCare
speaks with, installed and downloadable (from rhasspy/piper-voices on Hugging Face, each file
checked against its pinned size and SHA-256). The speaking layer is imported when a command
runs, so parsing stays cheap."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from voicecare.cli.model_commands import ProgressBar
from voicecare.downloads import human_size
from voicecare.errors import UsageError, VoiceCareError


def run_voice_list(args: argparse.Namespace) -> int:
    from voicecare.speaking import piper_voices as voices

    installed = voices.installed_voices()
    try:
        active = voices.find_voice(getattr(args, "voice", None))
        in_use = _describe(active)
    except UsageError as error:
        active, in_use = None, f"none: {error}"
    print("Installed Piper voices:")
    if not installed:
        print("  none")
    for voice in installed:
        mark = "*" if active is not None and voice.model == active.model else " "
        size = human_size(voice.model.stat().st_size + voice.config.stat().st_size)
        print(f"{mark} {voice.name}  {size}  [{voice.origin}] {voice.model.parent}")
    print("Downloadable Piper voices (voicecare voice download NAME):")
    ready = {voice.name for voice in installed}
    width = max(len(spec.name) for spec in voices.CATALOG)
    for spec in voices.CATALOG:
        tags = ["default"] if spec.name == voices.DEFAULT_VOICE else []
        if spec.name in ready:
            tags.append("installed")
        note = f"  ({', '.join(tags)})" if tags else ""
        print(f"  {spec.name:<{width}}  {human_size(spec.size):>9}  {spec.description}{note}")
    if not voices.piper_installed():
        print("Piper is not installed: pip install 'voicecare[piper]' (speaks with it then)")
    print(f"In use: {in_use}")
    return 0


def _describe(voice: object) -> str:
    from voicecare.speaking.piper_voices import FoundVoice, piper_installed

    if isinstance(voice, FoundVoice):
        return f"Piper {voice.name} ({voice.origin})"
    if not piper_installed():
        return "the platform voice through pyttsx3 (Piper is not installed)"
    return "the platform voice through pyttsx3"


def run_voice_download(args: argparse.Namespace) -> int:
    from voicecare.speaking import piper_voices as voices

    name = args.name or voices.DEFAULT_VOICE
    spec = voices.known_voice(name)
    destination: Path = args.dir.expanduser() if args.dir else voices.user_voices_dir()
    target = destination / spec.name
    if target.exists() and not args.force:
        model, config = target / f"{name}.onnx", target / f"{name}.onnx.json"
        problem = voices.voice_problem(model, config)
        if problem is None:
            print(f"{name} is already installed in {target} (--force downloads it again)")
            return 0
        raise VoiceCareError(
            f"{target} exists but is not a valid voice ({problem}); run again with --force"
        )
    print(
        f"downloading {name} ({human_size(spec.size)}, SHA-256 checked) from "
        f"{spec.url(spec.files[0], _hub(args))}",
        file=sys.stderr,
    )
    bar = ProgressBar(sys.stderr, name)
    try:
        path = voices.install_voice(spec, destination, bar, force=args.force, hub=_hub(args))
    finally:
        bar.close()
    print(f"downloaded {human_size(bar.received)}", file=sys.stderr)
    print(f"installed {name} in {path}")
    if destination != voices.user_voices_dir():
        print(f"use it with --voice {path / (name + '.onnx')}")
    elif name != voices.DEFAULT_VOICE:
        print(f'use it with --voice {name} (or voice = "{name}" in config.toml)')
    return 0


def _hub(args: argparse.Namespace) -> str:
    from voicecare.speaking.piper_voices import HUB_URL

    hub = getattr(args, "hub", None)
    return hub.rstrip("/") if hub else HUB_URL
