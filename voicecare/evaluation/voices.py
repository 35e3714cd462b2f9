"""The voices ``voicecare eval`` speaks with, named ``engine:voice``: espeak-ng (``espeak:en-us``),
flite (``flite:slt``), festival (``festival:us-slt-hts``) and hibari-tts (``hibari:us``).

espeak-ng is a formant synthesizer no person sounds like; the others are natural voices
(diphone/cluster units, HMM and a small neural model) and are the default, because a
recognizer tuned on espeak-ng would be tuned on an accent nobody has. Each backend turns text
and a rate into 16 kHz mono 16-bit PCM, says why it cannot when its program or package is
missing, and has a version that goes into the cache key.

Rates are words per minute. espeak-ng takes them as they are; the other voices have no such
setting, so ``NATURAL_WPM`` stands for their own pace and a rate is a speed relative to it.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol

from voicecare.audio import SAMPLE_RATE, float_to_pcm16, resample
from voicecare.errors import AudioError, UsageError
from voicecare.listening.wav_audio import read_wav

logger = logging.getLogger(__name__)

NATURAL_WPM = 170  # the natural voices' own pace, taken as this many words a minute
NATURAL_VOICES = ("hibari:us", "flite:slt", "flite:rms", "flite:awb", "festival:us-slt-hts")
ESPEAK_VOICES = ("espeak:en-us", "espeak:en-gb-x-rp", "espeak:en-us+f3")
APT_HINT = "sudo apt-get install -y flite festival festvox-us-slt-hts espeak-ng"
ESPEAK_HINT = "list the English voices with: espeak-ng --voices=en"
_HTS_SPEED = '(set! hts_engine_params (append hts_engine_params (list (list "-r" {:.4f}))))'
_TIMEOUT = 60  # seconds for one utterance
_FESTIVAL_VOICES = Path("/usr/share/festival/voices")


@dataclass(frozen=True)
class Voice:
    backend: str
    name: str

    def __str__(self) -> str:
        return f"{self.backend}:{self.name}"


def parse_voice(text: str) -> Voice:
    """``engine:voice``; a bare name is an espeak-ng voice (``en-us``)."""
    backend, colon, name = text.strip().partition(":")
    if not colon:
        return Voice("espeak", backend)
    if backend not in BACKENDS or not name:
        known = ", ".join(f"{b}:VOICE" for b in BACKENDS)
        raise ValueError(f"'{text}' is not a voice; name it as one of {known}, e.g. flite:slt")
    return Voice(backend, name)


class Backend(Protocol):
    def version(self) -> str: ...

    def problem(self, voice: str) -> str | None:
        """Why ``voice`` cannot be spoken here, with what to do; None when it can."""

    def synthesize(self, text: str, voice: str, rate: int) -> bytes: ...


class _Program:
    """A command-line synthesizer: found on PATH, run with a timeout."""

    program = ""
    package = ""

    def __init__(self, program: str | None = None) -> None:
        self.program = program or self.program
        self._version: str | None = None

    def path(self) -> str | None:
        return shutil.which(self.program)

    def missing(self) -> str | None:
        if self.path() is None:
            return (
                f"{self.program} is not installed; 'voicecare eval' speaks with it: install it "
                f"(Debian/Ubuntu: sudo apt-get install {self.package})"
            )
        return None

    def version(self) -> str:
        if self._version is None:
            result = self.run(["--version"])
            first = (result.stdout.strip().splitlines() or ["unknown"])[0]
            self._version = first
        return self._version

    def run(self, arguments: list[str], stdin: str | None = None) -> subprocess.CompletedProcess:
        found = self.path()
        if found is None:
            raise UsageError(self.missing() or self.program)
        try:
            return subprocess.run(
                [found, *arguments],
                capture_output=True,
                text=True,
                timeout=_TIMEOUT,
                input=stdin,
                stdin=None if stdin is not None else subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise AudioError(f"{self.program} did not run ({error}); {self.missing()}") from None


class Espeak(_Program):
    program = "espeak-ng"
    package = "espeak-ng"

    def version(self) -> str:
        first = super().version()
        found = re.search(r"text-to-speech:\s*(\S+)", first)
        return found.group(1) if found else first

    def problem(self, voice: str) -> str | None:
        missing = self.missing()
        if missing:
            return missing
        if self.run(["-v", voice, "-q", "test"]).returncode != 0:
            return f"espeak-ng has no voice '{voice}'; {ESPEAK_HINT}"
        return None

    def synthesize(self, text: str, voice: str, rate: int) -> bytes:
        with tempfile.TemporaryDirectory(prefix="voicecare-eval-") as folder:
            wav = Path(folder) / "speech.wav"
            result = self.run(["-v", voice, "-s", str(rate), "-w", str(wav), "--", text])
            if result.returncode != 0:
                reason = (result.stderr.strip().splitlines() or ["no reason given"])[-1]
                raise AudioError(
                    f"espeak-ng could not say {text!r} with voice '{voice}' ({reason}); "
                    + ESPEAK_HINT
                )
            return read_wav(wav)


class Flite(_Program):
    program = "flite"
    package = "flite"

    def voices(self) -> list[str]:
        listed = self.run(["-lv"]).stdout
        return listed.partition(":")[2].split()

    def version(self) -> str:
        result = self.run(["--version"])
        found = re.search(r"flite-\S+", result.stdout)
        return found.group(0) if found else "flite"

    def problem(self, voice: str) -> str | None:
        missing = self.missing()
        if missing:
            return missing
        if voice not in self.voices():
            found = " ".join(self.voices())
            return f"flite has no voice '{voice}' (it has: {found}); see flite -lv"
        return None

    def synthesize(self, text: str, voice: str, rate: int) -> bytes:
        stretch = f"duration_stretch={NATURAL_WPM / rate:.4f}"
        with tempfile.TemporaryDirectory(prefix="voicecare-eval-") as folder:
            wav = Path(folder) / "speech.wav"
            result = self.run(["-voice", voice, "--setf", stretch, "-t", text, "-o", str(wav)])
            return _read_result(self.program, result, wav, text, voice)


class Festival(_Program):
    """festival's ``text2wave``; ``us-slt-hts`` (the Debian package festvox-us-slt-hts) is
    the voice ``cmu_us_slt_arctic_hts``; any voice folder's own name works too."""

    program = "text2wave"
    package = "festival festvox-us-slt-hts"

    def version(self) -> str:
        festival = shutil.which("festival")
        if festival is None:
            return "unknown"
        result = subprocess.run(
            [festival, "--version"], capture_output=True, text=True, timeout=_TIMEOUT
        )
        found = re.search(r"System: (\S+?):", result.stdout)
        return f"festival {found.group(1)}" if found else "festival"

    @staticmethod
    def folder_name(voice: str) -> str:
        parts = voice.split("-")
        if len(parts) == 3 and "_" not in voice:  # us-slt-hts
            language, speaker, kind = parts
            return f"cmu_{language}_{speaker}_arctic_{kind}"
        return voice

    def problem(self, voice: str) -> str | None:
        missing = self.missing()
        if missing:
            return missing
        folder = self.folder_name(voice)
        if not any(_FESTIVAL_VOICES.glob(f"*/{folder}")):
            return (
                f"festival has no voice '{voice}' (no {_FESTIVAL_VOICES}/*/{folder}); "
                f"install it (Debian/Ubuntu: sudo apt-get install festvox-{voice})"
            )
        return None

    def synthesize(self, text: str, voice: str, rate: int) -> bytes:
        folder = self.folder_name(voice)
        speed = rate / NATURAL_WPM
        if folder.endswith("_hts"):  # HTS voices take a speed; the others a duration stretch
            pace = _HTS_SPEED.format(speed)
        else:
            pace = f"(Parameter.set 'Duration_Stretch {1 / speed:.4f})"
        with tempfile.TemporaryDirectory(prefix="voicecare-eval-") as temporary:
            wav = Path(temporary) / "speech.wav"
            arguments = ["-eval", f"(voice_{folder})", "-eval", pace, "-o", str(wav)]
            result = self.run(arguments, stdin=text + "\n")
            return _read_result("festival", result, wav, text, voice)


class Hibari:
    """hibari-tts (pip install hibari-tts): ``us`` is its bundled American voice ("heart");
    other voices are downloads, used only when hibari has them cached already."""

    ALIASES: ClassVar[dict[str, str]] = {"us": "heart"}
    HINT = "install it with: pip install 'voicecare[voices]' (or pip install hibari-tts)"

    def __init__(self) -> None:
        self._models: dict[str, object] = {}

    def version(self) -> str:
        import hibari

        return f"hibari-tts {hibari.__version__}"

    def problem(self, voice: str) -> str | None:
        try:
            from hibari.voices import VOICES, voice_path
        except ImportError:
            return f"hibari-tts is not installed; {self.HINT}"
        name = self.ALIASES.get(voice, voice)
        if name not in VOICES:
            return f"hibari-tts has no voice '{voice}'; it has: us, {', '.join(VOICES)}"
        try:
            voice_path(name, download_missing=False)
        except FileNotFoundError:
            return f"hibari-tts voice '{voice}' is a download it does not have; use hibari:us"
        return None

    def synthesize(self, text: str, voice: str, rate: int) -> bytes:
        name = self.ALIASES.get(voice, voice)
        model = self._models.get(name)
        if model is None:
            from hibari import Hibari as Model

            model = self._models[name] = Model(voice=name)
        audio = model(text, speed=rate / NATURAL_WPM, seed=0)  # type: ignore[operator]
        return float_to_pcm16(resample(audio, model.sample_rate, SAMPLE_RATE))  # type: ignore[attr-defined]


def _read_result(
    program: str, result: subprocess.CompletedProcess, wav: Path, text: str, voice: str
) -> bytes:
    if result.returncode != 0 or not wav.is_file() or wav.stat().st_size <= 44:
        reason = (result.stderr.strip().splitlines() or ["no reason given"])[-1]
        raise AudioError(f"{program} could not say {text!r} with voice '{voice}' ({reason})")
    return read_wav(wav)


BACKENDS: dict[str, type] = {
    "espeak": Espeak,
    "flite": Flite,
    "festival": Festival,
    "hibari": Hibari,
}


def installed(voices: Sequence[str], backends: dict[str, Backend]) -> tuple[list[str], list[str]]:
    """(the voices that can be spoken here, a one-line reason for each one that cannot)."""
    usable, missing = [], []
    for text in voices:
        voice = parse_voice(text)
        problem = backends[voice.backend].problem(voice.name)
        if problem is None:
            usable.append(text)
        else:
            missing.append(f"{text} ({problem.partition(';')[0]})")
    return usable, missing
