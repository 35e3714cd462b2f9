"""The command table and the content agree: every command id has one handler, and the voice
controls and the help line come from the same table."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicecare.coach import Coach, lines
from voicecare.coach.barge_in import VOICE_CONTROLS
from voicecare.coach.commands import COMMANDS, HELP_ROUTINE, command_problems
from voicecare.content import load_library
from voicecare.errors import ContentError
from voicecare.matching.intents import command_intent
from voicecare.understanding import Understanding


def test_the_bundled_commands_and_the_handlers_agree(library):
    assert command_problems(library) == []


def test_a_missing_and_an_unknown_command_are_content_problems(content_copy):
    _rename_next_to_jump(content_copy)
    found = command_problems(load_library(content_copy))
    assert found[0] == "commands.yaml: command 'next': (entry): is missing"
    assert found[1].startswith("commands.yaml: command 'jump': id: unknown command (known: next,")
    assert len(found) == 2


def test_the_coach_will_not_start_on_commands_it_cannot_handle(content_copy):
    _rename_next_to_jump(content_copy)
    library = load_library(content_copy)
    with pytest.raises(ContentError, match="command 'jump': id: unknown command"):
        Coach(library, Understanding(library))


def _rename_next_to_jump(content: Path) -> None:
    """In commands.yaml, and in the examples the intent classifier learns from."""
    for name, old, new in (
        ("commands.yaml", "  - id: next\n", "  - id: jump\n"),
        ("examples.yaml", "  command:next:\n", "  command:jump:\n"),
    ):
        text = (content / name).read_text()
        (content / name).write_text(text.replace(old, new))


def test_the_bundled_commands_are_the_table(library):
    assert sorted(command.id for command in library.commands) == sorted(COMMANDS)


def test_the_voice_controls_are_the_short_commands_that_cut_speech():
    names = ("stop", "pause", "next", "repeat", "skip", "back", "pain")
    assert frozenset(command_intent(name) for name in names) == VOICE_CONTROLS


def test_the_routine_help_line_names_the_commands_in_the_table():
    assert HELP_ROUTINE == (
        "You can say: next, back, repeat, skip, pause, resume, slower, faster, "
        "how much longer, start over, stop, ouch, or goodbye."
    )
    assert lines.you_can_say(["yes", "no"]) == "You can say: yes, or no."
