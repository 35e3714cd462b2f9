"""Where Vosk speech models live: the catalog of downloadable models, and discovery.

A model is looked for, in order, at the ``--model PATH`` option, at ``$VOICECARE_MODEL``,
in the repository's ``models/`` folder and in the user data folder's ``models/``. The first
two must be valid when given (no silent fallback); in the two folders, any sub-folder that
is a valid model counts, the default model first.

Real Vosk models come in two layouts (see Vosk's ``model.cc``): the current one with
``am/final.mdl`` and ``conf/model.conf`` (plus ``conf/mfcc.conf``, ``graph/``, ``ivector/``),
and the old flat one with ``final.mdl`` and ``mfcc.conf`` at the top.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

import voicecare
from voicecare.downloads import human_size as human_size  # sizes shown beside models
from voicecare.errors import ModelError, UsageError

logger = logging.getLogger(__name__)

MODEL_ENV_VAR = "VOICECARE_MODEL"
DEFAULT_MODEL_NAME = "vosk-model-small-en-us-0.15"
DOWNLOAD_HINT = "run: voicecare model download"
_ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")
_NO_ACOUSTIC_MODEL = "missing am/final.mdl"


@dataclass(frozen=True)
class ModelSpec:
    """A downloadable Vosk model, as published on alphacephei.com/vosk/models."""

    name: str  # also the folder it is installed as
    url: str
    size: int  # archive size in bytes; exact when size_is_exact, otherwise approximate
    sha256: str | None  # of the archive; None when no trustworthy published value is known
    language: str
    description: str
    size_is_exact: bool = True


# The sizes and checksums of the two English archives are pinned in several independent
# public projects (packaging recipes and download scripts); Alpha Cephei publishes none.
CATALOG: tuple[ModelSpec, ...] = (
    ModelSpec(
        name=DEFAULT_MODEL_NAME,
        url="https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip",
        size=41_205_931,
        sha256="30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498",
        language="en-US",
        description="small US English model, fast on a laptop or a Raspberry Pi",
    ),
    ModelSpec(
        name="vosk-model-en-us-0.22-lgraph",
        url="https://alphacephei.com/vosk/models/vosk-model-en-us-0.22-lgraph.zip",
        size=130_557_655,
        sha256="d9838b4aaa82a75c4a17f5aca300eaca129aaab2a7cbf951bafbb500eb9c4334",
        language="en-US",
        description="larger US English model with a dynamic graph: more accurate, slower",
    ),
    ModelSpec(
        name="vosk-model-small-ko-0.22",
        url="https://alphacephei.com/vosk/models/vosk-model-small-ko-0.22.zip",
        size=82_000_000,
        sha256=None,
        language="ko",
        description="small Korean model (the coach's content is English only)",
        size_is_exact=False,
    ),
)


def default_spec() -> ModelSpec:
    return known_model(DEFAULT_MODEL_NAME)


def known_model(name: str) -> ModelSpec:
    """The catalog entry called ``name``; a UsageError naming the known ones otherwise."""
    for spec in CATALOG:
        if spec.name == name:
            return spec
    known = ", ".join(spec.name for spec in CATALOG)
    raise UsageError(f"no known model called '{name}' (known: {known}); or give its --url")


@dataclass(frozen=True)
class FoundModel:
    """A folder that is, or was meant to be, a Vosk model."""

    path: Path
    origin: str  # "--model", "$VOICECARE_MODEL", "repository", "user data"
    problem: str | None  # None: a valid model

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def valid(self) -> bool:
        return self.problem is None


def model_problem(path: Path) -> str | None:
    """What keeps ``path`` from being a Vosk model folder, or None when it is one."""
    if not path.exists():
        return "no such folder"
    if not path.is_dir():
        if path.name.endswith(_ARCHIVE_SUFFIXES):
            return "an archive, not a folder: unpack it first"
        return "a file, not a folder"
    problem = _layout_problem(path)
    if problem == _NO_ACOUSTIC_MODEL:
        for child in _subfolders(path):
            if _layout_problem(child) is None:
                return f"{problem}; the model seems to be one level down, in {child}"
    return problem


def is_valid_model(path: Path) -> bool:
    return model_problem(path) is None


def repository_models_dir() -> Path:
    """The ``models/`` folder next to the package (used from a source checkout)."""
    return Path(voicecare.__file__).resolve().parents[1] / "models"


def user_models_dir() -> Path:
    """Where ``voicecare model download`` installs by default."""
    return Path(platformdirs.user_data_dir("voicecare")) / "models"


def model_dirs() -> tuple[tuple[str, Path], ...]:
    """The folders searched for models, in order, each with the origin it gives."""
    return (("repository", repository_models_dir()), ("user data", user_models_dir()))


def installed_models(env: Mapping[str, str] | None = None) -> list[FoundModel]:
    """Every folder that is, or looks meant to be, a model: ``$VOICECARE_MODEL`` first, then
    each sub-folder of the model folders (hidden folders, e.g. downloads in progress, are
    skipped)."""
    found = []
    seen: set[Path] = set()
    env_path = _env_model_path(os.environ if env is None else env)
    if env_path is not None:
        found.append(FoundModel(env_path, f"${MODEL_ENV_VAR}", model_problem(env_path)))
        seen.add(env_path.resolve())
    for origin, directory in model_dirs():
        for child in _ordered(_subfolders(directory)):
            key = child.resolve()
            if key in seen:
                continue
            seen.add(key)
            found.append(FoundModel(child, origin, model_problem(child)))
    return found


def find_model(explicit: Path | None = None, env: Mapping[str, str] | None = None) -> FoundModel:
    """The model to use: a valid FoundModel, or a ModelError saying what to do."""
    if explicit is not None:
        path = explicit.expanduser()
        problem = model_problem(path)
        if problem is not None:
            raise ModelError(
                f"--model {path}: not a Vosk model ({problem}); give a folder with "
                f"am/final.mdl and conf/model.conf, or {DOWNLOAD_HINT}"
            )
        return FoundModel(path, "--model", None)
    env_path = _env_model_path(os.environ if env is None else env)
    if env_path is not None:
        problem = model_problem(env_path)
        if problem is not None:
            raise ModelError(
                f"${MODEL_ENV_VAR}={env_path}: not a Vosk model ({problem}); fix or unset "
                f"{MODEL_ENV_VAR}, or {DOWNLOAD_HINT}"
            )
        return FoundModel(env_path, f"${MODEL_ENV_VAR}", None)
    broken = []
    for origin, directory in model_dirs():
        for child in _ordered(_subfolders(directory)):
            problem = model_problem(child)
            if problem is None:
                logger.debug("using the Vosk model in %s", child)
                return FoundModel(child, origin, None)
            broken.append(f"{child}: {problem}")
    looked = ", ".join(str(directory) for _, directory in model_dirs())
    detail = f"; not valid: {'; '.join(broken)}" if broken else ""
    raise ModelError(
        f"no Vosk model found (looked in: ${MODEL_ENV_VAR} (unset), {looked}{detail}); "
        f"{DOWNLOAD_HINT}"
    )


def folder_size(path: Path) -> int:
    """Bytes of the regular files under ``path`` (symlinks are not followed)."""
    if path.is_file():
        return path.stat().st_size
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            file = Path(root) / name
            if not file.is_symlink():
                total += file.stat().st_size
    return total


def _env_model_path(env: Mapping[str, str]) -> Path | None:
    value = env.get(MODEL_ENV_VAR, "").strip()
    return Path(value).expanduser() if value else None


def _subfolders(directory: Path) -> Iterator[Path]:
    try:
        children = sorted(directory.iterdir())
    except OSError:  # missing or unreadable: nothing there
        return
    for child in children:
        if child.is_dir() and not child.name.startswith("."):
            yield child


def _ordered(folders: Iterator[Path]) -> list[Path]:
    """The default model first, then the other catalog models, then the rest by name."""
    rank = {spec.name: index for index, spec in enumerate(CATALOG)}
    return sorted(folders, key=lambda p: (rank.get(p.name, len(rank)), p.name))


def _layout_problem(folder: Path) -> str | None:
    try:
        if (folder / "am" / "final.mdl").is_file():  # the current layout
            has_conf = (folder / "conf" / "model.conf").is_file()
            return None if has_conf else "missing conf/model.conf"
        if (folder / "final.mdl").is_file():  # the old flat layout
            return None if (folder / "mfcc.conf").is_file() else "missing mfcc.conf"
    except OSError as error:  # e.g. a folder without read permission
        return f"cannot be read ({error.strerror or error})"
    return _NO_ACOUSTIC_MODEL
