"""Soak: 1,000 spoken turns through the file-input path and the dialogue, memory watched.

Builds one long recording of turns (complaints, commands, questions, red flags, noise and
silence, said by espeak-ng; see tests/robustness/soak_audio.py), then measures one of:

* ``session`` (default): a child process runs what ``voicecare --audio-in FILE --mute``
  runs (WavFileSource, the bundled PocketSphinx engine, the coach, the turn loop,
  captions to /dev/null). A turn misheard as "stop" in idle ends a session, as it should;
  the child then starts a new coach on the rest of the recording (the person starts
  VoiceCare again), so every turn is heard. It samples its own resident memory (VmRSS)
  after each tenth of the audio.
* ``cli``: ``voicecare --audio-in FILE --mute --hold-scale F --engine pocketsphinx`` as
  a child, its VmRSS sampled from /proc while it runs, tenths counted in "(heard: ...)"
  lines; one session, so a misheard "stop" ends the run early (reported).

"After warm-up" is the sample after the first tenth; goal: growth to the end under 10 MB.

    python -m benchmarks.soak                    # 1,000 turns, session mode
    python -m benchmarks.soak --mode cli --turns 200
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.robustness.soak_audio import soak_recording
from tests.virtual_audio import write_wav

ROOT = Path(__file__).resolve().parents[1]

GOAL_MB = 10.0
CLI_SAMPLE_SECONDS = 0.25


def resident_mb(pid: int | str = "self", field: str = "VmRSS") -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return None


# ------------------------------------------------------------------ session mode (child)


def child_session(wav: Path, hold_scale: float) -> None:
    """Run the recording to its end, restarting after a "stop"; print one JSON line."""
    import os

    from voicecare.coach import Coach
    from voicecare.content import load_library
    from voicecare.listening.engines import create_recognizer
    from voicecare.listening.sources import CHUNK_FRAMES, WavFileSource
    from voicecare.settings import POCKETSPHINX, CoachSettings, ListeningSettings
    from voicecare.shell.captions import CaptionPrinter
    from voicecare.shell.fitted_weights import CachedWeights
    from voicecare.shell.session import AudioInputs, TurnLoop
    from voicecare.speaking.speaker import SilentSpeaker
    from voicecare.understanding import Understanding, recognition_vocabulary

    started = time.perf_counter()
    library = load_library()
    understanding = Understanding(library, weights=CachedWeights())
    vocabulary = recognition_vocabulary(library)
    recognizer = create_recognizer(ListeningSettings(engine=POCKETSPHINX), vocabulary, print)
    recording = WavFileSource(wav)
    total = -(-(os.path.getsize(wav) - 44) // (CHUNK_FRAMES * 2))
    samples: list[tuple[float, int, float]] = []  # (seconds, heard so far, MB)
    heard: list[str] = []

    class Sampled:
        chunks = 0

        def read(self) -> bytes | None:
            chunk = recording.read()
            if chunk is not None:
                self.chunks += 1
                if self.chunks * 10 % total < 10:  # crossed a tenth of the audio
                    samples.append(
                        (time.perf_counter() - started, len(heard), resident_mb() or 0.0)
                    )
            return chunk

        def discard_pending(self) -> None:
            recording.discard_pending()

        def close(self) -> None:
            recording.close()

    source = Sampled()
    samples.append((time.perf_counter() - started, 0, resident_mb() or 0.0))
    sessions = 0
    status = 0
    with open(os.devnull, "w") as devnull:
        captions = CaptionPrinter(devnull)
        while sessions == 0 or source.chunks < total:
            sessions += 1
            recognizer.reset()
            coach = Coach(library, understanding, CoachSettings(hold_scale=hold_scale))
            status = TurnLoop(
                coach, SilentSpeaker(), recording.clock, captions.show, heard.append
            ).run(AudioInputs(source, recognizer))
            if status != 0:
                break
    print(
        json.dumps(
            {
                "status": status,
                "sessions": sessions,
                "heard": len(heard),
                "seconds": time.perf_counter() - started,
                "samples": samples,
                "peak": resident_mb(field="VmHWM"),
            }
        )
    )


def run_session_mode(wav: Path, hold_scale: float) -> dict:
    command = [sys.executable, "-m", "benchmarks.soak", "--child", str(wav)]
    command += ["--hold-scale", str(hold_scale)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the soak child failed ({done.returncode}):\n{done.stderr}")
    result = json.loads(done.stdout.splitlines()[-1])
    result["command"] = " ".join(["python", "-m", "benchmarks.soak", *sys.argv[1:]])
    result["other_stderr"] = done.stderr.splitlines()
    return result


# ------------------------------------------------------------------ cli mode


def run_cli_mode(wav: Path, hold_scale: float, captions: Path) -> dict:
    command = [
        sys.executable,
        "-m",
        "voicecare",
        "--audio-in",
        str(wav),
        "--mute",
        "--hold-scale",
        str(hold_scale),
        "--engine",
        "pocketsphinx",
    ]
    started = time.perf_counter()
    heard: list[str] = []
    other: list[str] = []
    with captions.open("w") as out:
        child = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.PIPE, text=True)

        def read_stderr() -> None:
            assert child.stderr is not None
            for line in child.stderr:
                (heard if line.startswith("(heard: ") else other).append(line.rstrip("\n"))

        reader = threading.Thread(target=read_stderr, daemon=True)
        reader.start()
        raw: list[tuple[float, int, float]] = []
        peak = 0.0
        while child.poll() is None:
            rss = resident_mb(child.pid)
            if rss is not None:
                raw.append((time.perf_counter() - started, len(heard), rss))
                peak = max(peak, resident_mb(child.pid, "VmHWM") or 0.0)
            time.sleep(CLI_SAMPLE_SECONDS)
        reader.join(timeout=10)
    tenths = [next((s for s in raw if s[1] >= len(heard) * k // 10), raw[-1]) for k in range(11)]
    said = captions.read_text().splitlines()
    return {
        "command": " ".join(["voicecare", *command[3:]]),
        "status": child.returncode,
        "sessions": 1,
        "ended_early": bool(said) and said[-1].startswith("Goodbye"),
        "heard": len(heard),
        "seconds": time.perf_counter() - started,
        "samples": tenths,
        "peak": peak,
        "other_stderr": other,
    }


# ------------------------------------------------------------------ report


def report(result: dict, turns: list, audio_seconds: float) -> bool:
    kinds: dict[str, int] = {}
    for turn in turns:
        kinds[turn.kind] = kinds.get(turn.kind, 0) + 1
    samples = result["samples"]
    warm, end = samples[1], samples[-1]
    growth = end[2] - warm[2]
    print(f"recording: {len(turns)} turns, {audio_seconds / 60:.1f} min of audio; {kinds}")
    print(f"command: {result['command']}")
    print(
        f"status {result['status']}, {result['sessions']} session(s), "
        f"{result['seconds']:.0f} s wall-clock, {result['heard']} utterances heard"
    )
    if result.get("ended_early"):
        print("ended early: a turn was heard as 'stop' (one session in cli mode)")
    print(f"resident memory after warm-up (first tenth): {warm[2]:.1f} MB at {warm[0]:.0f} s")
    print(f"resident memory at the end:                  {end[2]:.1f} MB at {end[0]:.0f} s")
    print(
        f"growth: {growth:+.1f} MB (goal < {GOAL_MB:.0f} MB); peak (VmHWM) {result['peak']:.1f} MB"
    )
    print("resident MB at each tenth: " + ", ".join(f"{s[2]:.1f}" for s in samples))
    for line in result["other_stderr"][:10]:
        print(f"stderr: {line}")
    return result["status"] == 0 and growth < GOAL_MB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=1000)
    parser.add_argument("--hold-scale", type=float, default=0.1)
    parser.add_argument("--mode", choices=("session", "cli"), default="session")
    parser.add_argument("--keep", type=Path, help="write the recording here and keep it")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child_session(args.child, args.hold_scale)
        return 0
    pcm, turns = soak_recording(args.turns)
    audio_seconds = len(pcm) / 32000
    with tempfile.TemporaryDirectory(prefix="voicecare-soak-") as folder:
        wav = write_wav(args.keep or Path(folder) / "soak.wav", pcm)
        del pcm
        if args.mode == "session":
            result = run_session_mode(wav, args.hold_scale)
        else:
            result = run_cli_mode(wav, args.hold_scale, Path(folder) / "captions.txt")
    return 0 if report(result, turns, audio_seconds) else 1


if __name__ == "__main__":
    raise SystemExit(main())
