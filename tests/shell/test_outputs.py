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


def test_on_the_microphone_the_system_voice_speaks_unless_piper_is_asked_for():
    from voicecare.settings import SpeechSettings
    from voicecare.shell.outputs import microphone_speech
    from voicecare.speaking.piper_voices import find_voice

    speech, why = microphone_speech(SpeechSettings())
    if find_voice(None) is None:  # no Piper voice installed: nothing to change
        assert (speech, why) == (SpeechSettings(), None)
        return
    assert speech.voice == "system" and "--voice en_US-joe-medium" in why
    asked = SpeechSettings(voice="en_US-joe-medium")
    assert microphone_speech(asked) == (asked, None)
    muted = SpeechSettings(mute=True)
    assert microphone_speech(muted) == (muted, None)
