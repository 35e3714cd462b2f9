"""One base error for everything VoiceCare reports to a person.

Every error carries a message that is a complete, clear line: what is wrong and what to do.
The CLI prints it without a traceback and exits with ``exit_code``.
"""

from __future__ import annotations


class VoiceCareError(Exception):
    """Base class: a problem the user can act on."""

    exit_code: int = 1


class UsageError(VoiceCareError):
    """The command line asked for something that does not exist."""

    exit_code = 2


class ContentError(VoiceCareError):
    """A content folder is missing, unreadable or invalid."""

    exit_code = 2

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class ModelError(VoiceCareError):
    """A speech model is missing, broken or could not be downloaded."""


class AudioError(VoiceCareError):
    """Audio input or output is unavailable or unreadable."""
