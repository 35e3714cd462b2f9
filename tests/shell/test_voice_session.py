"""The hands-free loop with the real bundled recognizer, on recordings (audio time)."""

from __future__ import annotations

import pytest

from tests.fakes import RecordingSpeaker
from tests.listening.speech import require_espeak, silence, speak
from tests.virtual_audio import write_wav
from voicecare.coach import Coach
from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer
from voicecare.listening.sources import WavFileSource
from voicecare.settings import CoachSettings
from voicecare.shell.voice_session import run_voice_session


@pytest.fixture(scope="module")
def recognizer(library):
    return PocketSphinxRecognizer.for_library(library)


def session(tmp_path, library, matcher, recognizer, pcm, hold_scale=0.01):
    require_espeak()
    recognizer.reset()
    source = WavFileSource(write_wav(tmp_path / "session.wav", pcm))
    coach = Coach(library, matcher, CoachSettings(hold_scale=hold_scale))
    speaker = RecordingSpeaker()
    heard: list[str] = []
    code = run_voice_session(
        coach, source, recognizer, speaker, source.clock, lambda text: None, heard.append
    )
    return code, coach, speaker, heard


def test_a_spoken_session_runs_the_routine_and_ends(tmp_path, library, matcher, recognizer):
    pcm = silence(0.5) + speak("there is a knot in my shoulder") + silence(1.5)
    code, _coach, speaker, heard = session(tmp_path, library, matcher, recognizer, pcm)
    shoulders = library.routine("shoulders")
    assert code == 0
    assert len(heard) == 1 and heard[0].endswith("my shoulder")
    assert [s.text for s in shoulders.steps] == [
        t for t in speaker.texts if t in {s.text for s in shoulders.steps}
    ]
    assert speaker.texts[-1].startswith(f"That is the end of {shoulders.title}")


def test_stop_twice_ends_the_session(tmp_path, library, matcher, recognizer):
    pcm = (
        silence(0.5)
        + speak("there is a knot in my shoulder")
        + silence(1.5)
        + speak("stop")
        + silence(1.5)
        + speak("stop")
        + silence(1.5)
    )
    code, coach, speaker, heard = session(
        tmp_path, library, matcher, recognizer, pcm, hold_scale=1.0
    )
    assert code == 0
    assert heard[-2:] == ["stop", "stop"]
    assert coach.ended
    assert speaker.texts[-1] == "Goodbye. Take care of yourself."


def test_silence_says_nothing_back(tmp_path, library, matcher, recognizer):
    code, _coach, speaker, heard = session(tmp_path, library, matcher, recognizer, silence(5))
    assert code == 0
    assert heard == []
    assert len(speaker.texts) == 3  # greeting, disclaimer, invitation
