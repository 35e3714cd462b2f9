"""The user's cache folder, and files written there whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def user_cache_path(name: str) -> Path:
    """``name`` inside VoiceCare's user cache folder (e.g. ~/.cache/voicecare/NAME)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("voicecare")) / name


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, so a reader
    never sees half a file, even after a crash or Ctrl-C."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
