"""``voicecare history`` and ``voicecare forget``, and the history around a session: where
the last routine was left is handed to the coach at the start, and the session's record is
kept at the end.

The history is one SQLite file in the user data folder (``$XDG_DATA_HOME/voicecare``);
``$VOICECARE_HISTORY`` names another file, or ``off`` keeps none (the tests use it). When the
file cannot be used, one line says why and the session goes on without history.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

from voicecare.cli.output import notice
from voicecare.coach import Coach
from voicecare.errors import HistoryError
from voicecare.history import History, NoHistory, SqliteHistory, default_history_file
from voicecare.records import FINISHED, SessionRecord, resume_point

HISTORY_ENV = "VOICECARE_HISTORY"


def history_file() -> Path | None:
    """Where the history is kept; None when ``$VOICECARE_HISTORY`` is ``off``."""
    chosen = os.environ.get(HISTORY_ENV, "").strip()
    if chosen.lower() == "off":
        return None
    return Path(chosen).expanduser() if chosen else default_history_file()


def open_history() -> History:
    path = history_file()
    return NoHistory() if path is None else SqliteHistory(path)


@contextmanager
def remembered(coach: Coach) -> Iterator[None]:
    """Run a session with history: the coach learns where the last routine was left; the
    session is kept afterwards, also when it was interrupted."""
    history = open_history()
    started = datetime.now().isoformat(timespec="seconds")
    try:
        sessions = history.sessions()
        coach.resume_from = resume_point(sessions)
        coach.past_sessions = tuple(sessions)
        coach.today = date.today()
    except HistoryError as error:
        notice(str(error))
        history = NoHistory()
    try:
        yield
    finally:
        try:
            history.keep(coach.session_record(started))
        except HistoryError as error:
            notice(str(error))
        finally:
            history.close()


def run_history(args: argparse.Namespace) -> int:
    history = open_history()
    try:
        sessions = history.sessions()
    finally:
        history.close()
    if args.json:
        print(json.dumps([session_json(s) for s in sessions], indent=2))
        return 0
    if not sessions:
        where = history.path or f"nowhere ({HISTORY_ENV}=off)"
        print(f"No sessions yet (history: {where}).")
        return 0
    for session in sessions:
        print(session_line(session))
    return 0


def run_forget(args: argparse.Namespace) -> int:
    history = open_history()
    path = history.path
    if path is None or not path.exists():
        print("There is no history to forget.")
        return 0
    if not args.yes and not _confirmed(f"Delete all of VoiceCare's history ({path})? [y/N] "):
        print("Nothing was deleted.")
        return 1
    history.forget()
    print(f"Forgot everything: {path} is deleted.")
    return 0


def _confirmed(question: str) -> bool:
    print(question, end="", flush=True)
    answer = sys.stdin.readline()
    if not answer.endswith("\n"):
        print()
    return answer.strip().lower() in ("y", "yes")


def session_json(session: SessionRecord) -> dict[str, object]:
    data = asdict(session)
    for routine in data["routines"]:
        routine["skipped"] = list(routine["skipped"])
        routine["ouch"] = list(routine["ouch"])
    data["red_flags"] = list(session.red_flags)
    return data


def session_line(session: SessionRecord) -> str:
    """'2026-12-01 09:00  4 min  neck: step 3 of 5, stopped; desk-break: finished'."""
    when = session.started.replace("T", " ")[:16]
    minutes = f"{max(1, round(session.seconds / 60))} min"
    routines = "; ".join(
        f"{r.routine_id}: finished"
        if r.outcome == FINISHED
        else f"{r.routine_id}: step {r.last_step} of {r.step_count}, {r.outcome}"
        for r in session.routines
    )
    parts = [when, minutes, routines or "no routine"]
    if session.red_flags:
        parts.append("red flags: " + ", ".join(session.red_flags))
    return "  ".join(parts)
