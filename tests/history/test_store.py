"""The SQLite history: sessions kept and read back, the schema versioned, a damaged or newer
file refused in one line, and forget leaving no file behind."""

from __future__ import annotations

import sqlite3

import pytest

from voicecare.errors import HistoryError
from voicecare.history import SCHEMA_VERSION, SqliteHistory
from voicecare.records import FINISHED, STOPPED, RoutineRecord, SessionRecord

NECK = RoutineRecord("neck", 5, 3, 3, segment=1, hold_elapsed=7.5, outcome=STOPPED, seconds=80)
DESK = RoutineRecord("desk-break", 7, 7, 7, seconds=300, skipped=(2, 4), ouch=(5,))
SESSION = SessionRecord("2026-12-01T09:00:00", 420.5, (DESK, NECK), ("numbness",))


def test_sessions_come_back_as_kept(tmp_path):
    path = tmp_path / "data" / "history.sqlite3"
    history = SqliteHistory(path)
    kept = history.keep(SESSION)
    history.keep(SessionRecord("2026-12-01T10:00:00", 5.0))
    history.close()
    sessions = SqliteHistory(path).sessions()
    assert [s.id for s in sessions] == [kept.id, kept.id + 1]
    first = sessions[0]
    assert first.routines == (DESK, NECK) and first.red_flags == ("numbness",)
    assert (first.started, first.seconds) == (SESSION.started, SESSION.seconds)
    assert first.routines[0].outcome == FINISHED


def test_no_file_is_an_empty_history_and_reading_creates_none(tmp_path):
    path = tmp_path / "history.sqlite3"
    assert SqliteHistory(path).sessions() == []
    assert not path.exists()


def test_the_schema_is_versioned(tmp_path):
    path = tmp_path / "history.sqlite3"
    history = SqliteHistory(path)
    history.keep(SESSION)
    history.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_nothing_said_is_kept(tmp_path):
    path = tmp_path / "history.sqlite3"
    history = SqliteHistory(path)
    history.keep(SESSION)
    history.close()
    with sqlite3.connect(path) as db:
        columns = {
            column[1]
            for table in ("sessions", "routines", "red_flags")
            for column in db.execute(f"PRAGMA table_info({table})")
        }
    assert not columns & {"text", "transcript", "audio", "utterance"}


def test_a_damaged_file_is_one_clear_line(tmp_path):
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    with pytest.raises(HistoryError) as caught:
        SqliteHistory(path).sessions()
    message = str(caught.value)
    assert len(message.splitlines()) == 1
    assert str(path) in message and "damaged" in message and "voicecare forget" in message


def test_a_newer_schema_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="newer VoiceCare") as caught:
        SqliteHistory(path).keep(SESSION)
    assert len(str(caught.value).splitlines()) == 1
    assert path.read_bytes() == before


def test_forget_leaves_no_file_behind(tmp_path):
    path = tmp_path / "history.sqlite3"
    history = SqliteHistory(path)
    history.keep(SESSION)
    assert history.forget() is True
    assert list(tmp_path.iterdir()) == []
    assert history.forget() is False


def test_forget_deletes_a_damaged_file_too(tmp_path):
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"garbage" * 100)
    assert SqliteHistory(path).forget() is True
    assert not path.exists()
