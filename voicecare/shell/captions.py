"""Captions: every line VoiceCare says, printed as it is said."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO


class CaptionPrinter:
    """Prints every spoken line on its own line (the captions)."""

    def __init__(
        self, stream: TextIO | None = None, before: Callable[[], None] | None = None
    ) -> None:
        self.stream = stream or sys.stdout
        self.before = before  # e.g. take a typing prompt off the line first

    def show(self, text: str) -> None:
        if self.before is not None:
            self.before()
        # One write, so that Ctrl-C never leaves half a line (print writes the end apart).
        self.stream.write(text + "\n")
        self.stream.flush()
