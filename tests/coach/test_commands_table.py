"""The command table and the content agree: every command id has one handler, and the voice
controls and the help line come from the same table."""

from __future__ import annotations

from voicecare.coach import lines
from voicecare.coach.barge_in import VOICE_CONTROLS
from voicecare.coach.commands import COMMANDS, HELP_ROUTINE
from voicecare.content.models import COMMAND_IDS
from voicecare.matching.intents import command_intent


def test_every_command_id_has_one_handler_and_no_handler_lacks_an_id():
    assert sorted(COMMANDS) == sorted(COMMAND_IDS)


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
