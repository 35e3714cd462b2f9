"""Settings, built once at the command-line edge into frozen dataclasses.

Logic receives these objects; it never sees argparse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# The speech engines, named once: the command line offers these, the listening layer builds
# them. "auto": Vosk when a model is found, else the bundled PocketSphinx. "whisper": the
# optional extra (pip install 'voicecare[whisper]'), only when asked for. "two-pass": the
# streaming ear (Vosk or PocketSphinx, as auto picks) and Whisper hearing each utterance again.
AUTO_ENGINE = "auto"
VOSK = "vosk"
POCKETSPHINX = "pocketsphinx"
WHISPER = "whisper"
TWO_PASS = "two-pass"
ENGINES = (AUTO_ENGINE, VOSK, POCKETSPHINX, WHISPER, TWO_PASS)
# The bundled engine's noise front ends (voicecare/listening/noise_front_end.py FRONT_ENDS),
# named here for the command line; the default is measured (benchmarks/RESULTS.md, "Noise
# front end (issue 16, session 8)").
NOISE_FRONT_ENDS = (
    "off",
    "suppress",
    "suppress-half",
    "suppress-double",
    "high-pass",
    "suppress-gain",
    "high-pass-gain",
    "steady-only",
    "steady-else-half",
    "steady-double",
)
DEFAULT_NOISE_FRONT_END = "steady-only"


@dataclass(frozen=True)
class MatcherSettings:
    """Thresholds on the 0-100 match score (calibrated: see benchmarks/RESULTS.md)."""

    reject_below: float = 56.0
    ambiguity_margin: float = 6.0
    learned: bool = True  # the intent classifier decides, fed by the hand-tuned matcher


@dataclass(frozen=True)
class SpeechSettings:
    rate: int = 165  # words per minute at the normal speed
    rate_step: int = 25  # how much "slower" / "faster" change it
    # --voice: a Piper voice (name or .onnx path), or system[:ID] for pyttsx3; None: Piper's
    # default voice when one is installed, else the platform voice
    voice: str | None = None
    volume: float = 1.0
    mute: bool = False


@dataclass(frozen=True)
class BreakSettings:
    """Break reminders (``--break-every``): off unless ``every_minutes`` is given."""

    every_minutes: float | None = None  # minutes without a routine before a reminder
    snooze_minutes: float = 10.0  # what "later" puts it off by
    quiet_hours: tuple[int, int] | None = None  # (start, end) in minutes after midnight
    # Local seconds since midnight minus the session clock's reading, measured at the
    # command-line edge, so the pure schedule knows the time of day.
    day_offset: float = 0.0
    routine: str = "desk-break"  # what "yes" starts


@dataclass(frozen=True)
class CoachSettings:
    hold_scale: float = 1.0  # multiplies every hold and rep; 0 makes them instant
    breaks: BreakSettings = field(default_factory=BreakSettings)


@dataclass(frozen=True)
class ListeningSettings:
    engine: str = AUTO_ENGINE  # one of ENGINES
    # a Vosk model folder (whisper: a CTranslate2 folder or a size, e.g. base.en); None:
    # discover one
    model: Path | None = None
    audio_in: Path | None = None  # a recording instead of the microphone
    captions: bool = True  # print every spoken line
    # Take VoiceCare's own voice out of the microphone (without headphones it hears itself).
    # The echo detector passes the microphone through untouched when there is no echo.
    echo_cancellation: bool = True
    # What the bundled PocketSphinx engine hears through (one of NOISE_FRONT_ENDS).
    noise_front_end: str = DEFAULT_NOISE_FRONT_END


@dataclass(frozen=True)
class EvalSettings:
    """``voicecare eval``: what to say, how, in which noise, heard by which engines."""

    set_file: Path | None = None  # None: the project's own evaluation set
    # engine:voice (espeak:en-us, flite:slt, festival:us-slt-hts, hibari:us); None: the
    # natural voices installed here
    voices: tuple[str, ...] | None = None
    rates: tuple[int, ...] = (150, 190)  # words per minute
    snrs: tuple[float | None, ...] = (None, 20.0, 10.0, 5.0)  # dB; None: clean
    engines: tuple[str, ...] = (AUTO_ENGINE,)
    limit: int | None = None  # a fixed subset of this many utterances
    json_file: Path | None = None
    plot_file: Path | None = None
    cache_dir: Path | None = None  # None: the user cache folder
    # A folder of WAV files and a labels.tsv, heard instead of synthesized speech.
    recordings: Path | None = None
    # A WAV file of noise, mixed the way Picovoice's speech-to-intent benchmark mixes it
    # (loudest frames; see voicecare/evaluation/noise.py) instead of pink noise.
    noise_file: Path | None = None


@dataclass(frozen=True)
class ScreenSettings:
    """The companion page (``--screen``): off unless ``enabled``. ``token`` (made at the
    command-line edge when ``host`` is not a loopback address) must be in every request."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 8765  # 0: any free port (the address printed says which)
    token: str | None = None


@dataclass(frozen=True)
class Settings:
    content_dir: Path | None = None  # None: the bundled content
    matcher: MatcherSettings = field(default_factory=MatcherSettings)
    speech: SpeechSettings = field(default_factory=SpeechSettings)
    coach: CoachSettings = field(default_factory=CoachSettings)
    listening: ListeningSettings = field(default_factory=ListeningSettings)
    screen: ScreenSettings = field(default_factory=ScreenSettings)
