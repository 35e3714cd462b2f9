"""The microphone unplugged mid-session: PyAudio's stream starts raising OSError. The real
MicrophoneSource (with SpeechRecognition's Microphone replaced by one whose stream fails
after some chunks) and the real recognizer; the session ends with one clear line, speech
stopped and the microphone released."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.fakes import FakeClock, RecordingSpeaker
from tests.listening.speech import require_espeak, silence, speak
from voicecare.audio import SAMPLE_RATE, SAMPLE_WIDTH
from voicecare.cli import main
from voicecare.coach import Coach
from voicecare.errors import AudioError
from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer
from voicecare.listening.sources import CHUNK_SECONDS, MicrophoneSource
from voicecare.settings import CoachSettings
from voicecare.shell.session import AudioInputs, TurnLoop
from voicecare.understanding import recognition_vocabulary

UNPLUGGED = OSError(-9999, "Unanticipated host error")


@dataclass
class FailingStream:
    """Gives ``pcm`` chunk by chunk, then raises as PyAudio does when the device goes."""

    pcm: bytes
    fail_after: int  # chunks
    clock: FakeClock | None = None
    reads: int = 0

    def read(self, frames: int) -> bytes:
        if self.reads >= self.fail_after:
            raise UNPLUGGED
        size = frames * SAMPLE_WIDTH
        start = self.reads * size
        self.reads += 1
        if self.clock is not None:
            self.clock.advance(frames / SAMPLE_RATE)
        chunk = self.pcm[start : start + size]
        return chunk + bytes(size - len(chunk))


@dataclass
class FakeMicrophone:
    """Stands for ``speech_recognition.Microphone``: what MicrophoneSource uses of it."""

    stream: FailingStream
    SAMPLE_WIDTH: int = SAMPLE_WIDTH
    exits: list[object] = field(default_factory=list)

    def __enter__(self) -> FakeMicrophone:
        return self

    def __exit__(self, *details: object) -> None:
        self.exits.append(details)


@pytest.fixture
def unplugged(monkeypatch):
    """Install a microphone that fails after ``fail_after`` chunks of ``pcm``."""
    import speech_recognition

    made: list[FakeMicrophone] = []

    def install(pcm: bytes, fail_after: int, clock: FakeClock | None = None) -> list:
        def microphone(**options: object) -> FakeMicrophone:
            made.append(FakeMicrophone(FailingStream(pcm, fail_after, clock)))
            return made[-1]

        monkeypatch.setattr(speech_recognition, "Microphone", microphone)
        return made

    return install


def chunks(seconds: float) -> int:
    """How many microphone reads make ``seconds`` of audio."""
    return round(seconds / CHUNK_SECONDS)


def speech_then_more() -> bytes:
    require_espeak()
    return silence(0.5) + speak("there is a knot in my shoulder") + silence(60)


def test_the_session_ends_with_an_audio_error_and_stops_speech(unplugged, library, understanding):
    clock = FakeClock(0.0)
    microphones = unplugged(speech_then_more(), fail_after=chunks(8.0), clock=clock)  # mid-routine
    source = MicrophoneSource()
    coach = Coach(library, understanding, CoachSettings(hold_scale=1.0))
    speaker = RecordingSpeaker()
    heard: list[str] = []
    with pytest.raises(AudioError, match="the microphone stopped working"):
        TurnLoop(coach, speaker, clock, lambda text: None, heard.append).run(
            AudioInputs(
                source, PocketSphinxRecognizer.for_vocabulary(recognition_vocabulary(library))
            )
        )
    assert microphones[0].stream.reads == chunks(8.0)
    assert heard and coach.in_routine  # it failed in the middle of the routine
    assert speaker.stops >= 1  # speech cut off on the way out
    source.close()
    assert len(microphones[0].exits) == 1


def test_the_command_line_says_one_line_and_releases_the_microphone(unplugged, library, capsys):
    microphones = unplugged(speech_then_more(), fail_after=chunks(4.0))
    code = main(["--mute", "--engine", "pocketsphinx", "--hold-scale", "0"])
    out, err = capsys.readouterr()
    assert code == 1
    problems = [line for line in err.splitlines() if not line.startswith("(heard: ")]
    assert problems == [
        "voicecare: the microphone stopped working ([Errno -9999] Unanticipated host error)"
    ]
    assert "Traceback" not in err
    assert out.startswith("Hi, I am VoiceCare") and out.endswith("\n")
    assert len(microphones) == 1 and len(microphones[0].exits) == 1  # released once
