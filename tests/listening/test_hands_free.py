"""Hands-free through a real (virtual) microphone: a spoken complaint starts the routine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.listening.speech import require_espeak, silence, speak
from tests.virtual_audio import Transcript, ensure_virtual_devices, play_into_microphone, write_wav

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def voicecare_listening():
    ensure_virtual_devices()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voicecare",
            "--engine",
            "pocketsphinx",
            "--mute",
            "--hold-scale",
            "0.05",
        ],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    transcript = Transcript(process)
    yield transcript
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def test_spoken_complaint_starts_the_right_routine(voicecare_listening, tmp_path, library):
    require_espeak()
    transcript = voicecare_listening
    assert transcript.wait_for("Tell me where it hurts", timeout=60), transcript.lines
    wav = write_wav(
        tmp_path / "complaint.wav",
        silence(0.5) + speak("there is a knot in my shoulder") + silence(1.5),
    )
    play_into_microphone(wav)
    first_step = library.routine("shoulders").steps[0].text
    assert transcript.wait_for(first_step, timeout=60), transcript.lines
    title = library.routine("shoulders").title
    assert any(line == f"Let's start: {title}." for line in transcript.lines)


def test_no_microphone_is_one_clear_line(tmp_path):
    """Without any audio server or device, listening explains itself instead of crashing."""
    result = subprocess.run(
        [sys.executable, "-m", "voicecare", "--engine", "pocketsphinx", "--mute"],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "PULSE_SERVER": "unix:/nonexistent",
            "HOME": str(tmp_path),
            "PYTHONPATH": str(ROOT),
        },
    )
    errors = [line for line in result.stderr.splitlines() if line.startswith("voicecare:")]
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert any("no microphone found" in line and "voicecare chat" in line for line in errors), (
        result.stderr
    )
