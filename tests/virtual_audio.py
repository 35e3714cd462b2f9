"""Real audio devices without hardware: a PulseAudio server with a virtual microphone and a
virtual speaker.

    micfeed (sink)  --monitor-->  vmic (default source)  : what VoiceCare hears
    speaker (default sink)  --monitor-->  speaker.monitor : what VoiceCare says

Playing a WAV into ``micfeed`` is speaking into the microphone; recording
``speaker.monitor`` is listening to VoiceCare.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import threading
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path

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
    subprocess.run(["paplay", "-d", MIC_SINK, str(wav)], check=True, timeout=120)


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
