"""The learned text models' fitted weights, kept in the user's cache between runs.

The intent classifier and the safety screen's likeness model are fitted with scikit-learn
(seconds on two cores); their weights are plain arrays (voicecare/text_model.py), and the core
keeps them in whatever ``WeightsStore`` it is handed. A real session (chat, listen, match,
eval, the benchmarks) hands it this one, so the second start-up reads a file instead of
fitting: each key is an ``.npz`` (no pickle) in the user's cache folder, e.g.
``~/.cache/voicecare/safety/likeness-<hash>.npz``, written whole or not at all. Here, at the
shell's edge, because it is file I/O and the core does none. A file that is missing, broken
or cannot be written only costs a fit (logged, never an error).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from voicecare.cache import user_cache_path, write_atomically
from voicecare.text_model import Arrays

logger = logging.getLogger(__name__)

_KEY = re.compile(r"[\w-]+(/[\w-]+)?")  # a name, or a folder and a name: never "..", "/x"


class CachedWeights:
    """A ``WeightsStore`` of ``.npz`` files under ``folder`` (None: the user's cache)."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder

    @property
    def folder(self) -> Path:
        if self._folder is None:
            self._folder = user_cache_path("")  # platformdirs is imported only when used
        return self._folder

    def path(self, key: str) -> Path:
        """The file the arrays of ``key`` are kept in."""
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a weights key: {key!r}")
        return self.folder / f"{key}.npz"

    def read(self, key: str) -> Arrays | None:
        path = self.path(key)
        try:
            with np.load(path, allow_pickle=False) as saved:
                return {name: saved[name] for name in saved.files}
        except FileNotFoundError:
            return None
        except Exception as problem:  # a broken or foreign file: the caller fits again
            logger.debug("%s unreadable (%s): fitting again", path, problem)
            return None

    def keep(self, key: str, arrays: Mapping[str, np.ndarray]) -> None:
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            buffer = io.BytesIO()
            np.savez_compressed(buffer, **arrays)
            write_atomically(path, buffer.getvalue())
        except OSError as problem:  # only a fit next time
            logger.debug("%s not kept: %s", path, problem)
