"""The history store: sessions kept in one SQLite file (the standard library's ``sqlite3``),
opened on first use, its schema versioned (``PRAGMA user_version``) and migrated step by
step.

Only what ``voicecare.records`` holds is written: routine ids, step numbers, outcomes,
red-flag sign ids, times. Never audio, never what was said. A damaged file or one written by
a newer VoiceCare raises ``HistoryError`` with one line saying what to do; the command line
then goes on with ``NoHistory``.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Protocol

from voicecare.errors import HistoryError
from voicecare.records import RoutineRecord, SessionRecord

logger = logging.getLogger(__name__)

HISTORY_FILE = "history.sqlite3"
SCHEMA_VERSION = 1
# MIGRATIONS[n] takes a database at version n - 1 to version n.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            seconds REAL NOT NULL
        )""",
        """CREATE TABLE routines (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            routine_id TEXT NOT NULL,
            step_count INTEGER NOT NULL,
            steps_reached INTEGER NOT NULL,
            last_step INTEGER NOT NULL,
            segment INTEGER NOT NULL,
            hold_elapsed REAL NOT NULL,
            outcome TEXT NOT NULL,
            seconds REAL NOT NULL,
            skipped TEXT NOT NULL,
            ouch TEXT NOT NULL,
            PRIMARY KEY (session_id, position)
        )""",
        """CREATE TABLE red_flags (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            sign TEXT NOT NULL,
            PRIMARY KEY (session_id, position)
        )""",
    ),
}
assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))

_ROUTINE_COLUMNS = (
    "routine_id, step_count, steps_reached, last_step, segment, hold_elapsed, outcome, "
    "seconds, skipped, ouch"
)


def data_folder() -> Path:
    """The user data folder (platformdirs: ``$XDG_DATA_HOME/voicecare`` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("voicecare"))


def default_history_file() -> Path:
    return data_folder() / HISTORY_FILE


class History(Protocol):
    """What the command line needs of a history."""

    path: Path | None

    def sessions(self) -> list[SessionRecord]: ...

    def keep(self, session: SessionRecord) -> SessionRecord: ...

    def forget(self) -> bool: ...

    def close(self) -> None: ...


class NoHistory:
    """Nothing kept, nothing remembered: when the history cannot be used."""

    path: Path | None = None

    def sessions(self) -> list[SessionRecord]:
        return []

    def keep(self, session: SessionRecord) -> SessionRecord:
        return session

    def forget(self) -> bool:
        return False

    def close(self) -> None:
        pass


class SqliteHistory:
    """Sessions in one SQLite file, opened (and created or migrated) on first use."""

    def __init__(self, path: Path | None = None) -> None:
        self.path: Path | None = path or default_history_file()
        self._connection: sqlite3.Connection | None = None

    # ------------------------------------------------------------- reading

    def sessions(self) -> list[SessionRecord]:
        """Every session kept, oldest first; none when there is no file yet."""
        assert self.path is not None
        if self._connection is None and not self.path.exists():
            return []
        db = self._open()
        try:
            rows = db.execute("SELECT id, started, seconds FROM sessions ORDER BY id").fetchall()
            routines: dict[int, list[RoutineRecord]] = {}
            for row in db.execute(
                f"SELECT session_id, {_ROUTINE_COLUMNS} FROM routines ORDER BY session_id, position"
            ):
                routines.setdefault(row[0], []).append(_routine(row[1:]))
            flags: dict[int, list[str]] = {}
            for session_id, sign in db.execute(
                "SELECT session_id, sign FROM red_flags ORDER BY session_id, position"
            ):
                flags.setdefault(session_id, []).append(sign)
        except sqlite3.DatabaseError as error:
            raise self._damaged(error) from None
        return [
            SessionRecord(
                started=started,
                seconds=seconds,
                routines=tuple(routines.get(number, ())),
                red_flags=tuple(flags.get(number, ())),
                id=number,
            )
            for number, started, seconds in rows
        ]

    # ------------------------------------------------------------- writing

    def keep(self, session: SessionRecord) -> SessionRecord:
        """Write ``session``; it comes back with its number."""
        db = self._open()
        try:
            with db:
                cursor = db.execute(
                    "INSERT INTO sessions (started, seconds) VALUES (?, ?)",
                    (session.started, session.seconds),
                )
                number = cursor.lastrowid
                db.executemany(
                    f"INSERT INTO routines (session_id, position, {_ROUTINE_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (number, position, *_routine_row(routine))
                        for position, routine in enumerate(session.routines)
                    ],
                )
                db.executemany(
                    "INSERT INTO red_flags (session_id, position, sign) VALUES (?, ?, ?)",
                    [(number, position, sign) for position, sign in enumerate(session.red_flags)],
                )
        except sqlite3.DatabaseError as error:
            raise self._damaged(error) from None
        logger.debug("kept session %s in %s", number, self.path)
        return SessionRecord(
            session.started, session.seconds, session.routines, session.red_flags, number
        )

    def forget(self) -> bool:
        """Delete the whole history, leaving no file behind; False when there was none."""
        self.close()
        assert self.path is not None
        found = False
        for leftover in (self.path, *(Path(f"{self.path}{s}") for s in ("-journal", "-wal"))):
            if leftover.exists():
                leftover.unlink()
                found = True
        return found

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # ------------------------------------------------------------ the file

    def _open(self) -> sqlite3.Connection:
        if self._connection is not None:
            return self._connection
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path)
        except (OSError, sqlite3.Error) as error:
            raise HistoryError(
                f"history: cannot open {self.path} ({error}); check the folder can be "
                "written; VoiceCare goes on without history"
            ) from None
        try:
            db.execute("PRAGMA foreign_keys = ON")
            self._migrate(db)
        except sqlite3.DatabaseError as error:
            db.close()
            raise self._damaged(error) from None
        except HistoryError:
            db.close()
            raise
        self._connection = db
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryError(
                f"history: {self.path} was written by a newer VoiceCare (schema {version}, "
                f"this one reads up to {SCHEMA_VERSION}); upgrade VoiceCare, or run "
                "'voicecare forget' to start afresh; going on without history"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with db:
                for statement in MIGRATIONS[target]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {target}")
            logger.debug("history %s: schema %d", self.path, target)

    def _damaged(self, error: Exception) -> HistoryError:
        return HistoryError(
            f"history: {self.path} is damaged ({error}); move it away or run "
            "'voicecare forget' to start afresh; going on without history"
        )


def _routine_row(routine: RoutineRecord) -> tuple[object, ...]:
    return (
        routine.routine_id,
        routine.step_count,
        routine.steps_reached,
        routine.last_step,
        routine.segment,
        routine.hold_elapsed,
        routine.outcome,
        routine.seconds,
        ",".join(map(str, routine.skipped)),
        ",".join(map(str, routine.ouch)),
    )


def _routine(row: tuple) -> RoutineRecord:
    (routine_id, count, reached, last, segment, elapsed, outcome, seconds, skipped, ouch) = row
    return RoutineRecord(
        routine_id=routine_id,
        step_count=count,
        steps_reached=reached,
        last_step=last,
        segment=segment,
        hold_elapsed=elapsed,
        outcome=outcome,
        seconds=seconds,
        skipped=tuple(int(n) for n in skipped.split(",") if n),
        ouch=tuple(int(n) for n in ouch.split(",") if n),
    )
