"""Broken content folders through the listening commands (``--audio-in``, ``match
--audio``) and ``chat``: one 'voicecare: ...' line naming the file, status 2, and nothing
said. tests/content/test_loader.py covers each validation rule on the loader itself."""

from __future__ import annotations

import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.listening.speech import silence
from tests.robustness.cli_runs import as_plain_user, assert_one_clear_line, voicecare
from tests.virtual_audio import write_wav
from voicecare.content import default_content_dir


def yaml_syntax_error(root: Path) -> str:
    (root / "routines" / "neck.yaml").write_text("id: neck\n  title: [unclosed\n")
    return "routines/neck.yaml: not valid YAML at line 2"


def not_utf8(root: Path) -> str:
    (root / "topics.yaml").write_bytes("caf\u00e9: tea\n".encode("latin-1"))
    return "topics.yaml: not UTF-8 text at line 1"


def empty_file(root: Path) -> str:
    (root / "safety.yaml").write_text("")
    return "safety.yaml: the file is empty"


def no_routine_files(root: Path) -> str:
    for routine in (root / "routines").glob("*.yaml"):
        routine.unlink()
    return "no routine files"


def no_routines_folder(root: Path) -> str:
    shutil.rmtree(root / "routines")
    return "no routine files"


def a_routine_that_is_a_folder(root: Path) -> str:
    (root / "routines" / "extra.yaml").mkdir()
    return "routines/extra.yaml: cannot be read"


def unreadable_file(root: Path) -> str:
    (root / "commands.yaml").chmod(0)
    return "commands.yaml: cannot be read"


BREAKAGES: dict[str, Callable[[Path], str]] = {
    "YAML syntax error": yaml_syntax_error,
    "not UTF-8": not_utf8,
    "empty file": empty_file,
    "no routine files": no_routine_files,
    "no routines folder": no_routines_folder,
    "a routine that is a folder": a_routine_that_is_a_folder,
    "unreadable file": unreadable_file,
}


def arguments(command: str, content: Path, recording: Path) -> tuple[str, ...]:
    if command == "audio-in":
        return ("--content", str(content), "--mute", "--engine", "pocketsphinx", "--audio-in")
    if command == "match":
        return ("match", "--content", str(content), "--engine", "pocketsphinx", "--audio")
    return ("chat", "--content", str(content), "--mute")


@pytest.fixture
def broken_copy(tmp_path) -> Iterator[Path]:
    target = tmp_path / "content"
    shutil.copytree(default_content_dir(), target)
    yield target
    for path in target.rglob("*"):  # let tmp_path be cleaned up
        path.chmod(stat.S_IRWXU)


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
@pytest.mark.parametrize("command", ["audio-in", "match", "chat"])
def test_broken_content_is_one_line_naming_the_file(tmp_path, broken_copy, breakage, command):
    prefix = as_plain_user() if breakage == "unreadable file" else ()
    expected = BREAKAGES[breakage](broken_copy)
    recording = write_wav(tmp_path / "said.wav", silence(0.5))
    args = arguments(command, broken_copy, recording)
    if command != "chat":
        args = (*args, str(recording))
    result = voicecare(*args, stdin="my neck hurts\n", prefix=prefix)
    assert_one_clear_line(result, status=2, mentions=expected)
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["audio-in", "chat"])
def test_content_that_is_a_file(tmp_path, command):
    recording = write_wav(tmp_path / "said.wav", silence(0.5))
    args = arguments(command, recording, recording)
    if command != "chat":
        args = (*args, str(recording))
    result = voicecare(*args, stdin="")
    assert_one_clear_line(result, status=2, mentions=str(recording))
