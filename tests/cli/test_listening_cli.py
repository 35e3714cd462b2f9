"""The listening commands through the real entry point: recordings in, captions out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.listening.speech import require_espeak, silence, speak
from tests.virtual_audio import write_wav
from voicecare.cli.parser import build_parser
from voicecare.cli.settings_builder import build_settings

ROOT = Path(__file__).resolve().parents[2]


def voicecare(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "voicecare", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_match_audio_prints_transcript_and_intent(tmp_path):
    require_espeak()
    wav = write_wav(tmp_path / "said.wav", silence(0.3) + speak("my shoulders are tight"))
    result = voicecare("match", "--audio", str(wav), "--json", "--engine", "pocketsphinx")
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["transcript"] == "my shoulders are tight"
    assert line["intent"] == "routine:shoulders"


def test_match_audio_that_is_not_a_wav_is_one_line(tmp_path):
    mp3 = tmp_path / "song.mp3"
    mp3.write_bytes(b"ID3\x03\x00" + bytes(200))
    result = voicecare("match", "--audio", str(mp3), "--engine", "pocketsphinx")
    assert result.returncode == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("voicecare: ") and "song.mp3" in line


def test_auto_engine_without_a_model_says_how_to_get_one(tmp_path):
    require_espeak()
    wav = write_wav(tmp_path / "said.wav", silence(0.3) + speak("my shoulders are tight"))
    result = subprocess.run(
        [sys.executable, "-m", "voicecare", "match", "--audio", str(wav)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "PYTHONPATH": str(ROOT),
            "XDG_DATA_HOME": str(tmp_path / "data"),
        },
    )
    assert result.returncode == 0, result.stderr
    assert "voicecare model download" in result.stderr
    assert "routine:shoulders" in result.stdout


def test_session_from_a_recording(tmp_path, library):
    require_espeak()
    pcm = silence(0.5) + speak("there is a knot in my shoulder") + silence(2)
    wav = write_wav(tmp_path / "session.wav", pcm)
    result = voicecare(
        "--audio-in", str(wav), "--engine", "pocketsphinx", "--mute", "--hold-scale", "0"
    )
    assert result.returncode == 0, result.stderr
    spoken = result.stdout.splitlines()
    steps = [s.text for s in library.routine("shoulders").steps]
    assert [line for line in spoken if line in steps] == steps
    assert "(heard: " in result.stderr  # what was heard is shown on stderr


def test_quiet_prints_no_captions(tmp_path):
    wav = write_wav(tmp_path / "quiet.wav", silence(1))
    result = voicecare("--audio-in", str(wav), "--engine", "pocketsphinx", "--mute", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_vosk_engine_with_a_broken_model_is_one_line(tmp_path):
    broken = tmp_path / "model"
    (broken / "conf").mkdir(parents=True)
    wav = write_wav(tmp_path / "quiet.wav", silence(1))
    result = voicecare("--audio-in", str(wav), "--engine", "vosk", "--model", str(broken))
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"voicecare: --model {broken}: not a Vosk model")


def test_doctor_reports_each_part(tmp_path):
    result = voicecare("doctor", timeout=180)
    names = ["content", "speech output", "microphone", "Vosk engine", "PocketSphinx engine"]
    lines = result.stdout.splitlines()
    for name in names:
        assert any(
            line.startswith(("[ ok ] ", "[warn] ", "[fail] ")) and f"] {name}:" in line
            for line in lines
        ), result.stdout
    assert any(line.startswith("[ ok ] content:") for line in lines)
    failed = [line for line in lines if line.startswith("[fail]")]
    assert result.returncode == (1 if failed else 0)


def test_echo_cancellation_is_on_unless_turned_off():
    def listening(*argv: str):
        return build_settings(build_parser().parse_args(list(argv))).listening

    assert listening().echo_cancellation
    assert listening("--echo-cancel").echo_cancellation
    assert not listening("--no-echo-cancel").echo_cancellation
