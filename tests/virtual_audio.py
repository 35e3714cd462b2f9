"""Real audio devices without hardware: a PulseAudio server with a virtual microphone and a
virtual speaker.

    micfeed (sink)  --monitor-->  vmic (default source)  : what VoiceCare hears
    speaker (default sink)  --monitor-->  speaker.monitor : what VoiceCare says

Playing a WAV into ``micfeed`` is speaking into the microphone; recording
``speaker.monitor`` is listening to VoiceCare.
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import subprocess
import threading
import time
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

MIC_SINK = "micfeed"
MIC_SOURCE = "vmic"
SPEAKER_SINK = "speaker"


def _pactl(*args: str) -> str:
    return subprocess.run(
        ["pactl", *args], capture_output=True, text=True, timeout=10, check=True
    ).stdout


def _server_running() -> bool:
    return subprocess.run(["pactl", "info"], capture_output=True, timeout=10).returncode == 0


def ensure_virtual_devices() -> None:
    """Start PulseAudio if needed and create the devices once; skip when PulseAudio is
    not installed (the setup script installs it)."""
    for tool in ("pulseaudio", "pactl", "paplay", "parec"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (bash scripts/setup.sh installs PulseAudio)")
    if not _server_running():
        subprocess.run(
            ["pulseaudio", "-D", "--exit-idle-time=-1", "--log-target=syslog"],
            capture_output=True,
            timeout=30,
        )
        for _ in range(50):
            if _server_running():
                break
            time.sleep(0.1)
        else:
            pytest.skip("PulseAudio would not start")
    sinks = _pactl("list", "short", "sinks")
    sources = _pactl("list", "short", "sources")
    if f"\t{MIC_SINK}\t" not in sinks:
        _pactl("load-module", "module-null-sink", f"sink_name={MIC_SINK}")
    if f"\t{SPEAKER_SINK}\t" not in sinks:
        _pactl("load-module", "module-null-sink", f"sink_name={SPEAKER_SINK}")
    if f"\t{MIC_SOURCE}\t" not in sources:
        _pactl(
            "load-module",
            "module-remap-source",
            f"master={MIC_SINK}.monitor",
            f"source_name={MIC_SOURCE}",
        )
    _pactl("set-default-source", MIC_SOURCE)
    _pactl("set-default-sink", SPEAKER_SINK)


def write_wav(path: Path, pcm: bytes, rate: int = 16_000) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)
    return path


def play_into_microphone(wav: Path) -> None:
    """Returns once the WAV has been played (paplay drains before it exits)."""
    subprocess.run(
        ["paplay", "-d", MIC_SINK, "--latency-msec=20", str(wav)], check=True, timeout=120
    )


def loud_seconds(pcm: bytes, rate: int) -> float:
    """Seconds of ``pcm`` (16-bit mono) that the monitor recorder would count as sound."""
    samples = np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.int32))
    piece = int(rate * MONITOR_CHUNK_SECONDS)
    count = len(samples) // piece
    peaks = samples[: count * piece].reshape(count, piece).max(axis=1)
    return float((peaks > LOUD).sum()) * MONITOR_CHUNK_SECONDS


@dataclass
class Transcript:
    """Lines a running VoiceCare prints, collected by a thread as they arrive."""

    process: subprocess.Popen
    lines: list[str] = field(default_factory=list)
    _queue: queue.Queue = field(default_factory=queue.Queue)

    def __post_init__(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, text: str, timeout: float = 60.0) -> bool:
        """True once a line containing ``text`` was printed (bounded wait)."""
        if any(text in line for line in self.lines):
            return True
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                return False
            if line is None:
                return False
            self.lines.append(line)
            if text in line:
                return True
        return False


MONITOR_RATE = 16_000
MONITOR_CHUNK_SECONDS = 0.01
LOUD = 300  # peak sample value above which a 10 ms piece of the monitor counts as sound


class MonitorRecorder:
    """Records what the virtual speaker plays (``speaker.monitor``) in 10 ms pieces, each with
    the monotonic time it arrived, from a background thread."""

    def __init__(self, source: str = f"{SPEAKER_SINK}.monitor") -> None:
        self._process = subprocess.Popen(
            [
                "parec",
                "-d",
                source,
                "--format=s16le",
                f"--rate={MONITOR_RATE}",
                "--channels=1",
                "--latency-msec=10",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.pieces: list[tuple[float, int]] = []  # (arrival time, peak sample value)
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        size = int(MONITOR_RATE * MONITOR_CHUNK_SECONDS) * 2
        while chunk := self._process.stdout.read(size):
            peak = int(np.abs(np.frombuffer(chunk, dtype="<i2").astype(np.int32)).max())
            with self._lock:
                self.pieces.append((time.monotonic(), peak))

    def loud_since(self, since: float) -> float:
        """Seconds of sound that arrived after ``since``."""
        with self._lock:
            loud = sum(1 for at, peak in self.pieces if at > since and peak > LOUD)
        return loud * MONITOR_CHUNK_SECONDS

    def last_sound_between(self, start: float, end: float) -> float | None:
        """Arrival time of the last loud piece between ``start`` and ``end``."""
        with self._lock:
            times = [at for at, peak in self.pieces if start <= at <= end and peak > LOUD]
        return times[-1] if times else None

    def last_sound(self) -> float | None:
        with self._lock:
            times = [at for at, peak in self.pieces if peak > LOUD]
        return times[-1] if times else None

    def wait_for_sound(self, timeout: float = 60.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                if any(peak > LOUD for _, peak in self.pieces[-10:]):
                    return True
            time.sleep(0.01)
        return False

    def wait_for_silence(self, seconds: float, timeout: float = 60.0) -> bool:
        """True once the last ``seconds`` of the monitor were silent."""
        end = time.monotonic() + timeout
        pieces = round(seconds / MONITOR_CHUNK_SECONDS)
        while time.monotonic() < end:
            with self._lock:
                recent = self.pieces[-pieces:]
            if len(recent) == pieces and all(peak <= LOUD for _, peak in recent):
                return True
            time.sleep(0.05)
        return False

    def close(self) -> None:
        self._process.kill()
        self._process.wait()
        self._thread.join(timeout=2)


@contextlib.contextmanager
def speaker_monitor() -> Iterator[MonitorRecorder]:
    recorder = MonitorRecorder()
    try:
        yield recorder
    finally:
        recorder.close()


@contextlib.contextmanager
def loopback_into_microphone(volume_percent: int = 100) -> Iterator[None]:
    """Route everything the virtual speaker plays back into the virtual microphone, as a
    loudspeaker heard by a microphone in the same room (no headphones)."""
    module = _pactl(
        "load-module",
        "module-loopback",
        f"source={SPEAKER_SINK}.monitor",
        f"sink={MIC_SINK}",
        "latency_msec=60",
    ).strip()
    try:
        if volume_percent != 100:
            _pactl("set-sink-input-volume", _sink_input_of(module), f"{volume_percent}%")
        yield
    finally:
        _pactl("unload-module", module)


def _sink_input_of(module: str) -> str:
    """The sink input a module created ("Owner Module: N" in pactl's long listing)."""
    for block in _pactl("list", "sink-inputs").split("Sink Input #")[1:]:
        if f"Owner Module: {module}\n" in block:
            return block.split("\n", 1)[0].strip()
    raise RuntimeError(f"no sink input of module {module}")


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    """Poll ``condition`` every 10 ms until it holds (True) or ``timeout`` seconds pass."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return False
