"""Speech for the evaluation: a voice (``voices``: espeak-ng, flite, festival, hibari-tts) says
each utterance at a rate, as 16 kHz mono 16-bit PCM, cached on disk so a second run does not
synthesize again.

The cache key is a hash of (text, voice, rate, the synthesizer's version); each entry is one
raw PCM file under the user cache folder (``platformdirs``), written atomically. An espeak-ng
voice is keyed by its bare name, as before voices had engines, so old entries stay valid.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

from voicecare.cache import user_cache_path, write_atomically
from voicecare.errors import UsageError
from voicecare.evaluation.voices import BACKENDS, Backend, parse_voice

logger = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    return user_cache_path("eval-speech")


class SpeechSynthesizer:
    """``speak(text, voice, rate)`` -> PCM; counts what it ``made`` and ``reused``.
    ``voice`` is ``engine:name`` (a bare name is espeak-ng's)."""

    def __init__(
        self, cache_dir: Path | None = None, backends: Mapping[str, Backend] | None = None
    ) -> None:
        self.cache_dir = cache_dir or default_cache_dir()
        self.backends: dict[str, Backend] = {name: make() for name, make in BACKENDS.items()}
        self.backends.update(backends or {})
        self.made = 0
        self.reused = 0

    def check_voices(self, voices: Sequence[str]) -> None:
        """Fail at once, naming the voice, rather than after a long run has started."""
        for text in voices:
            try:
                voice = parse_voice(text)
            except ValueError as error:
                raise UsageError(f"--voices: {error}") from None
            problem = self.backends[voice.backend].problem(voice.name)
            if problem is not None:
                raise UsageError(problem)

    def versions(self, voices: Sequence[str]) -> dict[str, str]:
        """The synthesizer version behind each voice (for the report)."""
        return {text: self._version(text) for text in voices}

    def speak(self, text: str, voice: str, rate: int) -> bytes:
        cached = self.cache_dir / f"{self.key(text, voice, rate)}.pcm"
        try:
            pcm = cached.read_bytes()
        except OSError:
            pcm = b""
        if pcm:
            self.reused += 1
            return pcm
        parsed = parse_voice(voice)
        pcm = self.backends[parsed.backend].synthesize(text, parsed.name, rate)
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
        parsed = parse_voice(voice)
        name = parsed.name if parsed.backend == "espeak" else str(parsed)
        identity = "\x1f".join((text, name, str(rate), self._version(voice)))
        return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:40]

    def _version(self, voice: str) -> str:
        return self.backends[parse_voice(voice).backend].version()

    def _store(self, path: Path, pcm: bytes) -> None:
        """Best effort: an unwritable cache only costs time."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, pcm)
        except OSError as error:
            logger.warning("cannot cache synthesized speech in %s (%s)", path.parent, error)
