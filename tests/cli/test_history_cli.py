"""History between sessions, through the command line: a routine stopped at step three is
continued by a new process on the same data folder; ``history --json``, ``forget``; a
damaged or newer history is one clear line and the session still runs."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from voicecare.cli import main
from voicecare.cli.doctor_command import check_history
from voicecare.errors import VoiceCareError
from voicecare.history import SCHEMA_VERSION
from voicecare.settings import Settings

STOPPED_AT_STEP_THREE = "do the desk break\nnext\nnext\nstop\ngoodbye\n"


def chat_process(data: Path, lines: str) -> subprocess.CompletedProcess:
    """``voicecare chat`` in a new process whose user data folder is ``data``."""
    env = {**os.environ, "XDG_DATA_HOME": str(data)}
    env.pop("VOICECARE_HISTORY", None)
    return subprocess.run(
        [sys.executable, "-m", "voicecare", "chat", "--mute", "--hold-scale", "0"],
        input=lines,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    """This process's user data folder, with history on."""
    folder = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    monkeypatch.delenv("VOICECARE_HISTORY", raising=False)
    return folder


def history_file(data: Path) -> Path:
    return data / "voicecare" / "history.sqlite3"


def chat(capsys, monkeypatch, lines: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    code = main(["chat", "--mute", "--hold-scale", "0"])
    out, err = capsys.readouterr()
    return code, out, err


def test_continue_where_i_left_off_in_a_new_process(tmp_path, library):
    data = tmp_path / "data"
    first = chat_process(data, STOPPED_AT_STEP_THREE)
    assert first.returncode == 0, first.stderr
    assert "I stopped Desk break" in first.stdout
    second = chat_process(data, "continue where I left off\ngoodbye\n")
    assert second.returncode == 0, second.stderr
    lines = second.stdout.splitlines()
    heading = lines.index("Step three of seven.")
    assert lines[heading + 1] == library.routine("desk-break").steps[2].text
    assert "Picking up Desk break where you left off." in lines[:heading]


def test_history_json_lists_routines_steps_and_durations(data, capsys, monkeypatch):
    chat(capsys, monkeypatch, STOPPED_AT_STEP_THREE)
    chat(capsys, monkeypatch, "my neck is stiff\nouch\nresume\nskip\n")
    assert main(["history", "--json"]) == 0
    sessions = json.loads(capsys.readouterr().out)
    assert len(sessions) == 2
    desk, neck = sessions[0]["routines"][0], sessions[1]["routines"][0]
    assert (desk["routine_id"], desk["steps_reached"], desk["outcome"]) == (
        "desk-break",
        3,
        "stopped",
    )
    assert neck["routine_id"] == "neck" and neck["outcome"] == "finished"
    assert neck["skipped"] == [1] and neck["ouch"] == [1]
    assert neck["steps_reached"] == neck["step_count"]
    for session in sessions:
        assert session["seconds"] >= 0 and session["started"][:2] == "20"
        assert all(r["seconds"] >= 0 for r in session["routines"])


def test_history_in_text(data, capsys, monkeypatch):
    assert main(["history"]) == 0
    assert capsys.readouterr().out.startswith("No sessions yet")
    chat(capsys, monkeypatch, STOPPED_AT_STEP_THREE)
    assert main(["history"]) == 0
    assert "desk-break: step 3 of 7, stopped" in capsys.readouterr().out


def test_forget_yes_leaves_no_file_behind(data, capsys, monkeypatch):
    chat(capsys, monkeypatch, STOPPED_AT_STEP_THREE)
    assert history_file(data).exists()
    assert main(["forget", "--yes"]) == 0
    assert "is deleted" in capsys.readouterr().out
    assert [p for p in data.rglob("*") if p.is_file()] == []
    assert main(["history", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize(("answer", "kept"), [("n\n", True), ("\n", True), ("yes\n", False)])
def test_forget_asks_first(data, capsys, monkeypatch, answer, kept):
    chat(capsys, monkeypatch, STOPPED_AT_STEP_THREE)
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer))
    assert main(["forget"]) == (1 if kept else 0)
    assert "Delete all of VoiceCare's history" in capsys.readouterr().out
    assert history_file(data).exists() is kept


def test_a_damaged_history_is_one_line_and_the_session_runs(data, capsys, monkeypatch):
    history_file(data).parent.mkdir(parents=True)
    history_file(data).write_bytes(b"not a database at all\n" * 200)
    code, out, err = chat(capsys, monkeypatch, "what causes knots\ngoodbye\n")
    assert code == 0 and "posture" in out
    assert err.count("\n") == 1 and "is damaged" in err and "voicecare forget" in err
    assert main(["history"]) == 1
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_a_newer_history_is_one_line_and_left_alone(data, capsys, monkeypatch):
    history_file(data).parent.mkdir(parents=True)
    with sqlite3.connect(history_file(data)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    code, out, err = chat(capsys, monkeypatch, "my neck is stiff\nstop\ngoodbye\n")
    assert code == 0 and "Let's start: Neck release." in out
    assert err.count("\n") == 1 and "newer VoiceCare" in err
    with sqlite3.connect(history_file(data)) as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_doctor_shows_the_data_folder(data):
    assert str(data / "voicecare") in check_history(Settings())


def test_doctor_warns_of_a_damaged_history_once(data):
    history_file(data).parent.mkdir(parents=True)
    history_file(data).write_bytes(b"garbage\n" * 200)
    with pytest.raises(VoiceCareError) as caught:
        check_history(Settings())
    assert str(caught.value).startswith(f"{history_file(data)} is damaged")
