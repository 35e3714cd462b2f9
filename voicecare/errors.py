"""One base error for everything VoiceCare reports to a person.

Every error carries a message that is a complete, clear line: what is wrong and what to do.
The CLI prints it without a traceback and exits with ``exit_code``.
"""

from __future__ import annotations

from pathlib import Path


class VoiceCareError(Exception):
    """Base class: a problem the user can act on."""

    exit_code: int = 1


class UsageError(VoiceCareError):
    """The command line asked for something that does not exist."""

    exit_code = 2


class ContentError(VoiceCareError):
    """A content folder is missing, unreadable or invalid.

    ``problems`` name files inside the folder ("routines/neck.yaml: ..."); the message puts
    the folder in front, as a path to open ("content/routines/neck.yaml: ...")."""

    exit_code = 2

    def __init__(self, problems: list[str], folder: Path | None = None) -> None:
        self.problems = list(problems)
        self.folder = folder
        shown = "" if folder is None else f"{_shown(folder)}/"
        super().__init__("\n".join(shown + problem for problem in self.problems))


def _shown(folder: Path) -> str:
    """Relative to the working folder when inside it, else absolute."""
    try:
        return folder.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return folder.resolve().as_posix()


class ModelError(VoiceCareError):
    """A speech model is missing, broken or could not be downloaded."""


class AudioError(VoiceCareError):
    """Audio input or output is unavailable or unreadable."""


class HistoryError(VoiceCareError):
    """The history database cannot be read or written; VoiceCare goes on without it."""
