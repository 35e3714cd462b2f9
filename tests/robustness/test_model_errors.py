"""Broken speech models, an unusable cache, missing espeak-ng: one clear line each, through
the real command line.

Tests run as root here, and root reads a folder whatever its mode. The unreadable-folder
tests therefore run the child without the capabilities that let root ignore permissions
(``setpriv --bounding-set -dac_override,-dac_read_search``); without setpriv they skip.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.listening.speech import silence
from tests.robustness.cli_runs import (
    as_plain_user,
    assert_no_traceback,
    assert_one_clear_line,
    child_env,
    voicecare,
)
from tests.virtual_audio import write_wav

KALDI_MAGIC = b"\x00B<TransitionModel>"
OPENFST_MAGIC = b"\xd6\xfd\xb2\x7e"
COMMANDS = {
    "match": ("match", "--json", "--audio"),
    "audio-in": ("--mute", "--hold-scale", "0", "--audio-in"),
}


def arguments(command: str, engine: tuple[str, ...], recording: Path) -> tuple[str, ...]:
    """Engine options go after ``match`` (see test_engine_before_the_sub_command)."""
    if command == "match":
        return ("match", *engine, "--json", "--audio", str(recording))
    return (*engine, *COMMANDS[command], str(recording))


@pytest.fixture
def recording(tmp_path) -> Path:
    return write_wav(tmp_path / "quiet.wav", silence(1))


@pytest.fixture
def locked(tmp_path) -> Iterator[list[Path]]:
    """Paths to make unreadable; their modes are restored so tmp_path can be removed."""
    paths: list[Path] = []
    yield paths
    for path in paths:
        path.chmod(stat.S_IRWXU)


def plausible_model(folder: Path) -> Path:
    """Every file Vosk reads, each starting with the right magic bytes, then garbage."""
    for name, content in {
        "am/final.mdl": KALDI_MAGIC + b"garbage" * 10,
        "conf/mfcc.conf": b"--sample-frequency=16000\n",
        "conf/model.conf": b"--min-active=200\n",
        "graph/HCLr.fst": OPENFST_MAGIC + b"garbage",
        "graph/Gr.fst": OPENFST_MAGIC + b"garbage",
        "graph/disambig_tid.int": b"1\n",
    }.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    return folder


def broken_models(root: Path) -> dict[str, Path]:
    empty = root / "empty"
    empty.mkdir()
    junk = root / "junk"
    (junk / "am").mkdir(parents=True)
    (junk / "conf").mkdir()
    (junk / "am" / "final.mdl").write_text("garbage")
    (junk / "conf" / "model.conf").write_text("garbage")
    zero = root / "zero-bytes"
    (zero / "am").mkdir(parents=True)
    (zero / "conf").mkdir()
    (zero / "am" / "final.mdl").write_bytes(b"")
    (zero / "conf" / "model.conf").write_bytes(b"")
    archive = root / "vosk-model-small-en-us-0.15.zip"
    archive.write_bytes(b"PK\x03\x04" + bytes(100))
    return {
        "missing": root / "nowhere",
        "empty": empty,
        "garbage files": junk,
        "zero-byte files": zero,
        "plausible but corrupt": plausible_model(root / "corrupt"),
        "an archive": archive,
    }


@pytest.mark.parametrize(
    "kind",
    [
        "missing",
        "empty",
        "garbage files",
        "zero-byte files",
        "plausible but corrupt",
        "an archive",
    ],
)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_broken_vosk_model_is_one_line(tmp_path, recording, kind, command):
    model = broken_models(tmp_path)[kind]
    result = voicecare(*arguments(command, ("--engine", "vosk", "--model", str(model)), recording))
    assert_one_clear_line(result, status=1, mentions=str(model))
    assert result.stdout == ""


# model_store._layout_problem calls Path.is_file() inside the folder; on Python 3.11
# is_file() raises PermissionError (it only hides "does not exist" errors).


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_model_folder_without_read_permission(tmp_path, recording, locked, command):
    prefix = as_plain_user()
    model = plausible_model(tmp_path / "model")
    model.chmod(0)
    locked.append(model)
    result = voicecare(
        *arguments(command, ("--engine", "vosk", "--model", str(model)), recording),
        prefix=prefix,
    )
    assert_one_clear_line(result, status=1, mentions=str(model))


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_model_file_without_read_permission(tmp_path, recording, locked, command):
    prefix = as_plain_user()
    model = plausible_model(tmp_path / "model")
    acoustic = model / "am" / "final.mdl"
    acoustic.chmod(0)
    locked.append(acoustic)
    result = voicecare(
        *arguments(command, ("--engine", "vosk", "--model", str(model)), recording),
        prefix=prefix,
    )
    line = assert_one_clear_line(result, status=1, mentions=str(model))
    assert "cannot be read" in line


def test_unreadable_folder_among_installed_models_does_not_break_auto(tmp_path, recording, locked):
    """The default engine looks through the models folders; one locked folder there must
    not stop VoiceCare (it falls back to PocketSphinx or names the folder)."""
    prefix = as_plain_user()
    data = tmp_path / "data"
    model = plausible_model(data / "voicecare" / "models" / "locked-model")
    model.chmod(0)
    locked.append(model)
    result = voicecare(
        *arguments("match", (), recording),
        prefix=prefix,
        env=child_env(XDG_DATA_HOME=str(data), drop=("VOICECARE_MODEL",)),
    )
    assert_no_traceback(result)
    assert result.returncode in (0, 1)
    assert all(line.startswith("voicecare: ") for line in result.stderr.splitlines())


def test_unwritable_pocketsphinx_cache_is_one_line(tmp_path, recording):
    not_a_folder = tmp_path / "cache-is-a-file"
    not_a_folder.write_text("")
    result = voicecare(
        *arguments("match", ("--engine", "pocketsphinx"), recording),
        env=child_env(XDG_CACHE_HOME=str(not_a_folder)),
    )
    assert_one_clear_line(result, status=1, mentions="pocketsphinx")


def without_espeak(tmp_path: Path) -> dict[str, str]:
    """An environment where espeak-ng is not installed: no espeak-ng program on PATH, and
    its library refuses to load (pyttsx3 loads libespeak-ng with ctypes, not the program)."""
    hook = tmp_path / "no-espeak"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import ctypes\n"
        "_load = ctypes.cdll.LoadLibrary\n"
        "def _refuse(name, *args, **kwargs):\n"
        "    if 'espeak' in str(name):\n"
        "        raise OSError(f'{name}: cannot open shared object file')\n"
        "    return _load(name, *args, **kwargs)\n"
        "ctypes.cdll.LoadLibrary = _refuse\n"
    )
    path = [p for p in os.environ["PATH"].split(os.pathsep) if p]
    kept = [p for p in path if not (Path(p) / "espeak-ng").exists()]
    return child_env(PATH=os.pathsep.join(kept), PYTHONPATH=str(hook))


def test_chat_without_espeak_says_so_once_and_shows_text(tmp_path):
    result = voicecare(
        "--voice",
        "system",  # the platform voice: with the piper extra, Piper would speak instead
        "chat",
        "--hold-scale",
        "0",
        stdin="my neck hurts\n",
        env=without_espeak(tmp_path),
        timeout=120,
    )
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("voicecare: speech synthesis is not available")
    assert "espeak-ng" in line and "--mute" in line
    assert "That is the end of Neck release" in result.stdout


def test_session_without_espeak_says_so_once_and_shows_text(tmp_path, recording):
    result = voicecare(
        "--voice",
        "system",
        "--engine",
        "pocketsphinx",
        "--hold-scale",
        "0",
        "--audio-in",
        str(recording),
        env=without_espeak(tmp_path),
        timeout=120,
    )
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    synthesis, heard = result.stderr.splitlines()
    assert synthesis.startswith("voicecare: speech synthesis is not available")
    assert heard.startswith(f"voicecare: nothing was heard in {recording}")  # a quiet recording
    assert result.stdout.startswith("Hi, I am VoiceCare")


def test_engine_before_the_sub_command(tmp_path, recording):
    """``voicecare --engine vosk --model DIR match --audio F`` must use that model, as
    ``voicecare match --engine vosk --model DIR --audio F`` does."""
    model = tmp_path / "nowhere"
    result = voicecare(
        "--engine", "vosk", "--model", str(model), "match", "--json", "--audio", str(recording)
    )
    assert_one_clear_line(result, status=1, mentions=str(model))
