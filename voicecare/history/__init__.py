"""Local history: every session's routines, steps, skips, "ouch" moments, red-flag sign ids
and durations, in one SQLite file in the user data folder. An adapter: the command line opens
it and hands the records to and from the coach; nothing here is heard or spoken."""

from voicecare.history.store import (
    SCHEMA_VERSION,
    History,
    NoHistory,
    SqliteHistory,
    data_folder,
    default_history_file,
)

__all__ = [
    "SCHEMA_VERSION",
    "History",
    "NoHistory",
    "SqliteHistory",
    "data_folder",
    "default_history_file",
]
