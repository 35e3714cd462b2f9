"""Start-up time to listening-ready, and resident memory, of the real command line.

Each run launches ``python -m voicecare ...`` as a child and times, on the wall clock,
from just before the launch to the moment its stdout shows the invitation ("Tell me where
it hurts ..."), the last opening line: the coach prints it once the content, the understanding,
the recognizer (for ``--audio-in``) and the audio source are ready, right before it first
reads input. Memory: VmRSS from /proc at that moment, and the peak (ru_maxrss from
``os.wait4`` on that child) over the whole run. Medians of ``--runs`` runs (default 5).

* ``chat``: ``voicecare chat --mute``; stdin is closed after the invitation, so it ends.
* ``audio-in``: ``voicecare --audio-in SILENCE.wav --mute --engine pocketsphinx`` on one
  second of silence. "warm": the content language model is in the cache (one run first
  fills it); "cold": a fresh empty cache each run, so the model is built and written.

    python -m benchmarks.startup_memory
    python -m benchmarks.startup_memory --runs 9
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READY_MARKER = b"Tell me where it hurts"


@dataclass(frozen=True)
class Run:
    ready_seconds: float
    ready_rss_mb: float
    peak_rss_mb: float


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(args: list[str], env: dict[str, str] | None = None) -> Run:
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "voicecare", *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert child.stdout is not None and child.stdin is not None
    ready = rss = None
    for line in child.stdout:
        if READY_MARKER in line:
            ready = time.perf_counter() - started
            rss = resident_mb(child.pid)
            break
    child.stdin.close()
    child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if ready is None or rss is None or child.returncode != 0:
        raise SystemExit(f"voicecare {' '.join(args)} failed (status {child.returncode})")
    return Run(ready, rss, usage.ru_maxrss / 1024)  # ru_maxrss is in KB on Linux


def silent_wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(bytes(32_000))
    return path


def summary(name: str, command: str, runs: list[Run]) -> str:
    ready = statistics.median(r.ready_seconds for r in runs)
    rss = statistics.median(r.ready_rss_mb for r in runs)
    peak = statistics.median(r.peak_rss_mb for r in runs)
    spread = f"{min(r.ready_seconds for r in runs):.2f}-{max(r.ready_seconds for r in runs):.2f}"
    return (
        f"{name:<16} ready {ready:5.2f} s (range {spread})  RSS at ready {rss:5.1f} MB  "
        f"peak {peak:5.1f} MB   [{command}]"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="voicecare-startup-") as folder:
        wav = silent_wav(Path(folder) / "silence.wav")
        chat = ["chat", "--mute"]
        audio_in = ["--audio-in", str(wav), "--mute", "--engine", "pocketsphinx"]
        measure(audio_in)  # fill the language-model cache for the warm runs
        results = {
            "chat": [measure(chat) for _ in range(options.runs)],
            "audio-in warm": [measure(audio_in) for _ in range(options.runs)],
        }
        cold = []
        for index in range(options.runs):
            cache = Path(folder) / f"cache-{index}"
            cold.append(measure(audio_in, env={**os.environ, "XDG_CACHE_HOME": str(cache)}))
        results["audio-in cold"] = cold
    shown = {
        "chat": "voicecare chat --mute",
        "audio-in warm": "voicecare --audio-in 1s-silence.wav --mute --engine pocketsphinx",
        "audio-in cold": "the same, empty XDG_CACHE_HOME",
    }
    print(f"median of {options.runs} runs, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    for name, runs in results.items():
        print(summary(name, shown[name], runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
