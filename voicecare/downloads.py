"""Download a file with its size and SHA-256 checked, unpack archives safely, and move the
result into place in one rename: what speech models and Piper voices share.

It lives on the bottom floor because two adapters need it (listening's models, speaking's
voices) and an adapter may not import another. Callers work in a hidden folder inside the
destination (so the final rename is on one file system, hence atomic) and remove it whatever
happens: a model or voice appears complete or not at all. Unpacking rejects absolute paths,
``..`` components, links, special files and anything that would land outside the target;
zip members are checked against their CRC-32 as they are read. Every failure is one
``ModelError`` line that ends with ``hint`` (what to do by hand).
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import logging
import os
import re
import shutil
import stat
import tarfile
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from voicecare import __version__
from voicecare.errors import ModelError

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
TIMEOUT_SECONDS = 30.0
_ZIP_MAGIC = b"PK\x03\x04"
_GZIP_MAGIC = b"\x1f\x8b"
_DAMAGED = (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)

ProgressHook = Callable[[int, int | None], None]
"""Called with (bytes received so far, expected total or None) as the download goes."""


def human_size(size: float) -> str:
    for unit in ("B", "KiB", "MiB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


def fetch(
    url: str,
    path: Path,
    hint: str,
    size: int | None = None,
    sha256: str | None = None,
    progress: ProgressHook | None = None,
    timeout: float = TIMEOUT_SECONDS,
    what: str = "the archive",
) -> None:
    """Download ``url`` into the file ``path``; its length and checksum must be ``size`` and
    ``sha256`` when given (and the length the server announced). ``what`` names it in
    messages."""
    headers = {"User-Agent": f"voicecare/{__version__}"}
    digest = hashlib.sha256()
    received = 0
    announced: int | None = None
    try:
        with (
            urllib.request.urlopen(
                urllib.request.Request(url, headers=headers), timeout=timeout
            ) as response,
            path.open("wb") as out,
        ):
            announced = _content_length(response.headers.get("Content-Length"))
            total = announced if announced is not None else size
            if progress is not None:
                progress(0, total)
            while chunk := response.read(CHUNK_SIZE):
                _write(out, chunk, path)
                digest.update(chunk)
                received += len(chunk)
                if progress is not None:
                    progress(received, total)
    except urllib.error.HTTPError as error:
        raise ModelError(_cannot(url, f"HTTP {error.code} {error.reason}", hint)) from None
    except urllib.error.URLError as error:
        raise ModelError(_cannot(url, str(error.reason), hint)) from None
    except (OSError, http.client.HTTPException) as error:
        raise ModelError(_cannot(url, str(error) or type(error).__name__, hint)) from None
    except ValueError as error:  # urllib's answer to a malformed URL
        raise ModelError(f"cannot download {url!r}: {error}") from None
    logger.debug("received %d bytes from %s", received, url)
    if announced is not None and received != announced:
        raise ModelError(
            _cannot(url, f"the connection closed early ({received} of {announced} bytes)", hint)
        )
    if size is not None and received != size:
        raise ModelError(
            f"{what} from {url} is {received} bytes, expected {size} "
            f"({human_size(size)}); try again, or {hint}"
        )
    if sha256 is not None and digest.hexdigest() != sha256.lower():
        raise ModelError(
            f"{what} from {url} has sha256 {digest.hexdigest()}, expected "
            f"{sha256.lower()} (corrupt or not the published file); try again, or {hint}"
        )


def _write(out: BinaryIO, chunk: bytes, path: Path) -> None:
    try:
        out.write(chunk)
    except OSError as error:  # not a network problem: say so, not "could not download"
        raise ModelError(f"cannot write {path.parent}: {error}") from None


def _content_length(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _cannot(url: str, reason: str, hint: str) -> str:
    return f"could not download {url}: {reason}; check the connection, or {hint}"


def unpack_archive(archive: Path, target: Path, source: str, hint: str) -> None:
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
            raise ModelError(f"{source} is not a zip or tar archive; {hint}")
    except _DAMAGED as error:
        raise ModelError(
            f"the archive from {source} is damaged ({error}); try again, or {hint}"
        ) from None
    except (FileExistsError, NotADirectoryError, IsADirectoryError) as error:
        raise ModelError(f"the archive from {source} has clashing entries ({error})") from None
    except OSError as error:
        raise ModelError(f"cannot unpack into {target.parent}: {error}") from None


def _unpack_zip(archive: Path, root: Path, source: str) -> None:
    with zipfile.ZipFile(archive) as bundle:
        for info in bundle.infolist():
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise _unsafe(source, info.filename, "a symbolic link")
            if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise _unsafe(source, info.filename, "a special file")
            path = member_path(root, info.filename, source)
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
            path = member_path(root, member.name, source)
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


def member_path(root: Path, name: str, source: str) -> Path | None:
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


def move_into_place(item: Path, target: Path, work: Path, force: bool, what: str) -> None:
    """Rename ``item`` to ``target``; with ``force``, whatever is there is set aside in
    ``work`` first (and removed with it), or put back if anything goes wrong. ``what``
    names the thing in messages ("model", "voice")."""
    replaced = work / "replaced"
    had_old = os.path.lexists(target)
    if had_old and not force:  # it appeared while downloading
        raise ModelError(f"{target} already exists; use --force to replace it")
    try:
        if had_old:
            target.rename(replaced)
        item.rename(target)
    except BaseException as error:
        if os.path.lexists(replaced) and not os.path.lexists(target):
            replaced.rename(target)
        if isinstance(error, OSError):
            raise ModelError(f"cannot move the {what} into {target}: {error}") from None
        raise
