"""``voicecare model list`` and ``voicecare model download [NAME]``: Vosk models, and the
Whisper models of ``--engine whisper`` (names starting ``whisper-``)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import urlparse

from voicecare.errors import ModelError, UsageError
from voicecare.listening.model_store import (
    CATALOG,
    DEFAULT_MODEL_NAME,
    MODEL_ENV_VAR,
    FoundModel,
    find_model,
    folder_size,
    human_size,
    installed_models,
    known_model,
    model_dirs,
    model_problem,
    user_models_dir,
)
from voicecare.listening.whisper_models import CATALOG as WHISPER_CATALOG
from voicecare.listening.whisper_models import (
    installed_whisper_models,
    is_whisper_name,
    whisper_model_problem,
)
from voicecare.settings import AUTO_ENGINE

if TYPE_CHECKING:  # the download machinery and tqdm load only when a model is downloaded
    from tqdm import tqdm


def run_model_list(args: argparse.Namespace) -> int:
    installed = installed_models()
    try:
        active: FoundModel | None = find_model(getattr(args, "model", None))
        in_use = f"{active.path} ({active.origin})"
    except ModelError as error:
        active = None
        if (
            getattr(args, "engine", AUTO_ENGINE) == AUTO_ENGINE
            and getattr(args, "model", None) is None
        ):
            in_use = f"PocketSphinx, the bundled engine; {error}"
        else:
            in_use = f"none: {error}"
    print("Installed models:")
    if not installed:
        print("  none")
    for model in installed:
        status = "ok" if model.valid else f"BROKEN: {model.problem}"
        mark = "*" if active is not None and _same(model.path, active.path) else " "
        size = human_size(folder_size(model.path)) if model.path.exists() else "-"
        print(f"{mark} {model.name}  {size}  {status}  [{model.origin}] {model.path}")
    whisper = installed_whisper_models()
    print("Installed Whisper models (--engine whisper):")
    if not whisper:
        print("  none")
    for model in whisper:
        status = "ok" if model.valid else f"BROKEN: {model.problem}"
        size = human_size(folder_size(model.path)) if model.path.exists() else "-"
        print(f"  {model.name}  {size}  {status}  [{model.origin}] {model.path}")
    print("Downloadable models:")
    ready = {model.name for model in [*installed, *whisper] if model.valid}
    width = max(len(spec.name) for spec in (*CATALOG, *WHISPER_CATALOG))
    for spec in (*CATALOG, *WHISPER_CATALOG):
        size = human_size(spec.size)
        size = size if spec.size_is_exact else f"~{size}"
        tags = ["default"] if spec.name == DEFAULT_MODEL_NAME else []
        if spec.name in ready:
            tags.append("installed")
        note = f"  ({', '.join(tags)})" if tags else ""
        line = f"  {spec.name:<{width}}  {spec.language:<5}  {size:>10}  {spec.description}"
        print(line + note)
    print(f"In use: {in_use}")
    return 0


def run_model_download(args: argparse.Namespace) -> int:
    from voicecare.listening.download import DownloadRequest, install_model

    name = args.name or (_name_from_url(args.url) if args.url else DEFAULT_MODEL_NAME)
    destination: Path = args.dir.expanduser() if args.dir else user_models_dir()
    sha256 = getattr(args, "sha256", None)
    if args.url:  # another archive: the catalog's size and checksum do not apply to it
        request = DownloadRequest(name, args.url, destination, sha256=sha256, force=args.force)
    elif is_whisper_name(name):
        request = _whisper_request(name, destination, args.force)
    else:
        request = DownloadRequest.for_spec(known_model(name), destination, force=args.force)
    if sha256 and not args.url:
        request = replace(request, sha256=sha256)
    if args.url and is_whisper_name(name):
        request = replace(request, check=whisper_model_problem)
    target = request.target
    if target.exists() and not args.force:
        problem = (request.check or model_problem)(target)
        if problem is None:
            print(f"{name} is already installed in {target} (--force downloads it again)")
            return 0
        raise ModelError(
            f"{target} exists but is not a valid model ({problem}); "
            f"run again with --force to replace it"
        )
    print(f"downloading {name} from {request.url}", file=sys.stderr)
    if request.sha256 is None:
        print(
            "  (no checksum known for it: only the archive's own CRCs are checked)", file=sys.stderr
        )
    bar = ProgressBar(sys.stderr, name)
    try:
        path = install_model(request, bar)
    finally:
        bar.close()
    print(f"downloaded {human_size(bar.received)}", file=sys.stderr)
    print(f"installed {name} in {path} ({human_size(folder_size(path))})")
    searched = {_key(directory) for _, directory in model_dirs()}
    if _key(destination) not in searched:
        print(f"use it with --model {path} or {MODEL_ENV_VAR}={path}")
    return 0


def _whisper_request(name: str, destination: Path, force: bool):
    from voicecare.listening.download import DownloadRequest

    for spec in WHISPER_CATALOG:
        if spec.name == name:
            if not spec.url:
                raise UsageError(
                    f"no archive of {name} is published; give --url (a zip or tar of its "
                    f"CTranslate2 folder) and --sha256"
                )
            return DownloadRequest.for_spec(spec, destination, force, whisper_model_problem)
    known = ", ".join(spec.name for spec in WHISPER_CATALOG)
    raise UsageError(f"no known model called '{name}' (known: {known}); or give its --url")


class ProgressBar:
    """A tqdm bar on ``stream`` when it is a terminal; always counts what was received."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.received = 0
        self._bar: tqdm | None = None

    def __call__(self, received: int, total: int | None) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total,
                desc=self.label,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                file=self.stream,
                disable=not _is_terminal(self.stream),
                leave=False,
            )
        self._bar.update(received - self.received)
        self.received = received

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _name_from_url(url: str) -> str:
    """The folder an archive from ``url`` is installed as: its file name without the
    archive ending (``.../vosk-model-small-de-0.15.zip`` -> ``vosk-model-small-de-0.15``)."""
    file_name = urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]
    for ending in (".tar.gz", ".tgz", ".zip", ".tar"):
        if file_name.lower().endswith(ending):
            return file_name[: -len(ending)]
    if not file_name:
        raise UsageError(f"--url {url}: no file name in it; give the model's NAME as well")
    return file_name


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _same(first: Path, second: Path) -> bool:
    return _key(first) == _key(second)


def _key(path: Path) -> Path:
    return path.expanduser().resolve()
