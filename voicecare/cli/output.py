"""The one way commands tell the person something that is not the command's output."""

from __future__ import annotations

import sys

NOTICE_FORMAT = "voicecare: %(message)s"  # warnings logged without -v look the same


def notice(line: str) -> None:
    """One line on standard error, prefixed with the program's name."""
    print(f"voicecare: {line}", file=sys.stderr, flush=True)
