"""Choosing the speech output: muted, spoken, or captions only when nothing can be heard."""

from __future__ import annotations

from voicecare.settings import SpeechSettings
from voicecare.shell.outputs import make_speaker
from voicecare.speaking.speaker import SilentSpeaker


def test_without_an_output_device_it_says_so_once_and_shows_text(monkeypatch):
    from voicecare.speaking import playback

    monkeypatch.setattr(playback, "output_device_problem", lambda: "no audio output device found")
    notices: list[str] = []
    speaker = make_speaker(SpeechSettings(), notices.append)
    assert isinstance(speaker, SilentSpeaker)
    assert notices == ["no audio output device found; showing text only (--mute hides this)"]


def test_muted_needs_no_device_and_says_nothing(monkeypatch):
    from voicecare.speaking import playback

    def no_probe():
        raise AssertionError("muted: the device is not looked for")

    monkeypatch.setattr(playback, "output_device_problem", no_probe)
    notices: list[str] = []
    assert isinstance(make_speaker(SpeechSettings(mute=True), notices.append), SilentSpeaker)
    assert notices == []
