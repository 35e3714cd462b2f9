"""Speech for the evaluation: espeak-ng says each utterance with a voice and a rate, as 16 kHz
mono 16-bit PCM, cached on disk so a second run does not synthesize again.

The cache key is a hash of (text, voice, rate, espeak-ng version); each entry is one raw PCM
file under the user cache folder (``platformdirs``), written atomically.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from voicecare.cache import user_cache_path, write_atomically
from voicecare.errors import AudioError, UsageError
from voicecare.listening.wav_audio import read_wav

logger = logging.getLogger(__name__)

ESPEAK = "espeak-ng"
INSTALL_HINT = "install it (Debian/Ubuntu: sudo apt-get install espeak-ng)"
VOICES_HINT = "list the English voices with: espeak-ng --voices=en"
_TIMEOUT = 60  # seconds for one utterance


def default_cache_dir() -> Path:
    return user_cache_path("eval-speech")


class SpeechSynthesizer:
    """``speak(text, voice, rate)`` -> PCM; counts what it ``made`` and ``reused``."""

    def __init__(self, cache_dir: Path | None = None, program: str = ESPEAK) -> None:
        found = shutil.which(program)
        if found is None:
            raise UsageError(
                f"{program} is not installed; 'voicecare eval' speaks with it: {INSTALL_HINT}"
            )
        self.program = found
        self.version = _version(found)
        self.cache_dir = cache_dir or default_cache_dir()
        self.made = 0
        self.reused = 0

    def check_voices(self, voices: list[str] | tuple[str, ...]) -> None:
        """Fail at once, naming the voice, rather than after a long run has started."""
        for voice in voices:
            result = self._run(["-v", voice, "-q", "test"])
            if result.returncode != 0:
                raise UsageError(f"espeak-ng has no voice '{voice}'; {VOICES_HINT}")

    def speak(self, text: str, voice: str, rate: int) -> bytes:
        cached = self.cache_dir / f"{self.key(text, voice, rate)}.pcm"
        try:
            pcm = cached.read_bytes()
        except OSError:
            pcm = b""
        if pcm:
            self.reused += 1
            return pcm
        pcm = self._synthesize(text, voice, rate)
        self.made += 1
        self._store(cached, pcm)
        return pcm

    def load(self, text: str, voice: str, rate: int) -> bytes:
        """Like ``speak``, but a cache hit is not counted (speech already ``speak``-ed)."""
        try:
            pcm = (self.cache_dir / f"{self.key(text, voice, rate)}.pcm").read_bytes()
        except OSError:
            pcm = b""
        return pcm or self.speak(text, voice, rate)

    def key(self, text: str, voice: str, rate: int) -> str:
        identity = "\x1f".join((text, voice, str(rate), self.version))
        return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:40]

    def _synthesize(self, text: str, voice: str, rate: int) -> bytes:
        with tempfile.TemporaryDirectory(prefix="voicecare-eval-") as folder:
            wav = Path(folder) / "speech.wav"
            result = self._run(["-v", voice, "-s", str(rate), "-w", str(wav), "--", text])
            if result.returncode != 0:
                reason = (result.stderr.strip().splitlines() or ["no reason given"])[-1]
                raise AudioError(
                    f"espeak-ng could not say {text!r} with voice '{voice}' "
                    f"({reason}); {VOICES_HINT}"
                )
            return read_wav(wav)

    def _run(self, arguments: list[str]) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                [self.program, *arguments],
                capture_output=True,
                text=True,
                timeout=_TIMEOUT,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise AudioError(f"espeak-ng did not run ({error}); {INSTALL_HINT}") from None

    def _store(self, path: Path, pcm: bytes) -> None:
        """Best effort: an unwritable cache only costs time."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, pcm)
        except OSError as error:
            logger.warning("cannot cache synthesized speech in %s (%s)", path.parent, error)


def _version(program: str) -> str:
    try:
        result = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=_TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise UsageError(f"espeak-ng does not run ({error}); {INSTALL_HINT}") from None
    first = (result.stdout.strip().splitlines() or ["unknown"])[0]
    found = re.search(r"text-to-speech:\s*(\S+)", first)
    return found.group(1) if found else first
