"""``voicecare routines | show | topics | content check``."""

from __future__ import annotations

import argparse
import json

from voicecare.cli.settings_builder import build_settings
from voicecare.coach.commands import command_problems
from voicecare.coach.durations import routine_seconds
from voicecare.coach.script import routine_script
from voicecare.content import Library, Routine, default_content_dir, load_library
from voicecare.content.rules import authoring_problems
from voicecare.errors import ContentError, UsageError
from voicecare.safety import SafetyScreen, content_problems


def load(args: argparse.Namespace) -> Library:
    return load_library(build_settings(args).content_dir)


def routine_to_dict(routine: Routine) -> dict[str, object]:
    """Everything a routine file says, and its duration as ``show`` times it."""
    return {
        "id": routine.id,
        "title": routine.title,
        "areas": list(routine.areas),
        "keywords": list(routine.keywords),
        "phrases": list(routine.phrases),
        "total_seconds": round(routine_seconds(routine), 1),
        "safety_note": routine.safety_note,
        "wrap_up": routine.wrap_up,
        "steps": [
            {
                "text": step.text,
                "kind": step.kind.value,
                "hold_seconds": step.hold_seconds,
                "reps": step.reps,
                "rep_seconds": step.rep_seconds if step.reps is not None else None,
                "per_side": step.per_side,
                "transition_seconds": step.switch_seconds if step.per_side else None,
                "gentler": step.gentler,
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
        about = _duration(routine_seconds(routine))
        print(f"{routine.id:<{width}}  {routine.title} ({len(routine.steps)} steps, about {about})")
    return 0


def run_show(args: argparse.Namespace) -> int:
    library = load(args)
    routine = find_routine(library, args.routine)
    script = routine_script(library, routine)
    # The header is where the timeline below ends (the wrap-up starts there).
    print(f"{routine.title} ({len(routine.steps)} steps, about {_duration(script[-1][0])})")
    for at_seconds, line in script:
        minutes, seconds = divmod(round(at_seconds), 60)
        print(f"{minutes:2d}:{seconds:02d}  {line}")
    return 0


def find_routine(library: Library, name: str) -> Routine:
    """A routine by id or title, in any case, with spaces or dashes: "NECK", "neck release",
    "upper back"."""
    wanted = _folded(name)
    for routine in library.routines:
        if wanted in (_folded(routine.id), _folded(routine.title)):
            return routine
    known = ", ".join(r.id for r in library.routines)
    raise UsageError(f"no routine called '{name}' (known: {known})")


def _folded(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").split())


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
    """Loading's checks, then the writing rules of content/SCHEMA.md, the commands against
    the coach's handlers, and the red-flag examples against the safety screen."""
    directory = args.directory or build_settings(args).content_dir
    library = load_library(directory)
    problems = authoring_problems(library) + command_problems(library)
    problems += content_problems(SafetyScreen(library.safety.red_flags))
    if problems:
        raise ContentError(problems, directory or default_content_dir())
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
