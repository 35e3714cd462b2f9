"""``voicecare routines | show | topics | content check``."""

from __future__ import annotations

import argparse
import json

from voicecare.cli.settings_builder import build_settings
from voicecare.coach.script import routine_script
from voicecare.content import Library, Routine, load_library
from voicecare.errors import UsageError


def load(args: argparse.Namespace) -> Library:
    return load_library(build_settings(args).content_dir)


def routine_to_dict(routine: Routine) -> dict[str, object]:
    return {
        "id": routine.id,
        "title": routine.title,
        "areas": list(routine.areas),
        "total_seconds": routine.total_seconds,
        "safety_note": routine.safety_note,
        "steps": [
            {
                "text": step.text,
                "kind": step.kind.value,
                "hold_seconds": step.hold_seconds,
                "reps": step.reps,
                "per_side": step.per_side,
            }
            for step in routine.steps
        ],
    }


def run_routines(args: argparse.Namespace) -> int:
    library = load(args)
    if args.json:
        print(json.dumps([routine_to_dict(r) for r in library.routines], indent=2))
        return 0
    width = max(len(r.id) for r in library.routines)
    for routine in library.routines:
        minutes = _duration(routine.total_seconds)
        print(
            f"{routine.id:<{width}}  {routine.title} ({len(routine.steps)} steps, about {minutes})"
        )
    return 0


def run_show(args: argparse.Namespace) -> int:
    library = load(args)
    routine = library.routine(args.routine)
    if routine is None:
        known = ", ".join(r.id for r in library.routines)
        raise UsageError(f"no routine called '{args.routine}' (known: {known})")
    print(f"{routine.title} ({len(routine.steps)} steps, about {_duration(routine.total_seconds)})")
    for at_seconds, line in routine_script(library, routine):
        minutes, seconds = divmod(round(at_seconds), 60)
        print(f"{minutes:2d}:{seconds:02d}  {line}")
    return 0


def run_topics(args: argparse.Namespace) -> int:
    library = load(args)
    if args.json:
        topics = [{"id": t.id, "title": t.title, "answer": t.answer} for t in library.topics]
        print(json.dumps(topics, indent=2))
        return 0
    for topic in library.topics:
        print(f"{topic.id}: {topic.title}\n    {topic.answer}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    directory = args.directory or build_settings(args).content_dir
    library = load_library(directory)
    print(
        f"content OK: {len(library.routines)} routines, {len(library.topics)} topics, "
        f"{len(library.commands)} commands, "
        f"{len(library.safety.red_flags.signs)} red-flag signs"
    )
    return 0


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    if minutes == 0:
        return f"{rest} s"
    return f"{minutes} min {rest:02d} s" if rest else f"{minutes} min"
