"""The content library: routines, topics, safety and commands, loaded from YAML."""

from voicecare.content.loader import default_content_dir, load_library
from voicecare.content.models import (
    Command,
    Library,
    RedFlags,
    RedFlagSign,
    Routine,
    Safety,
    Step,
    StepKind,
    Topic,
)

__all__ = [
    "Command",
    "Library",
    "RedFlagSign",
    "RedFlags",
    "Routine",
    "Safety",
    "Step",
    "StepKind",
    "Topic",
    "default_content_dir",
    "load_library",
]
