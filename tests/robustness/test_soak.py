"""Long sessions: a hundred spoken turns through the real recognizer and the file-input
path, and a thousand typed turns through ``voicecare chat``. No crash, the session ends
with status 0, and memory does not keep growing (benchmarks/soak.py runs 1,000 spoken
turns and reports the figures)."""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

import pytest

from tests.listening.speech import require_espeak
from tests.robustness.cli_runs import assert_no_traceback, voicecare
from tests.robustness.soak_audio import COMMANDS, COMPLAINTS, QUESTIONS, RED_FLAGS, soak_recording
from tests.virtual_audio import write_wav
from voicecare.audio import SAMPLE_WIDTH
from voicecare.coach import Coach
from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer
from voicecare.listening.sources import CHUNK_FRAMES, WavFileSource
from voicecare.settings import CoachSettings
from voicecare.shell.session import AudioInputs, TurnLoop
from voicecare.speaking.speaker import SilentSpeaker
from voicecare.understanding import recognition_vocabulary

TURNS = 100
HOLD_SCALE = 0.1  # routines take some audio time, so commands land inside them
PAGE_BYTES = 4096
CHUNK_BYTES = CHUNK_FRAMES * SAMPLE_WIDTH
# Generous bounds: what this run measured is a few kilobytes. Keeping every chunk of
# audio, or every line said, would blow through them.
RSS_GROWTH_LIMIT_MB = 10.0
PYTHON_GROWTH_LIMIT_MB = 1.0


def resident_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * PAGE_BYTES / 1e6


class CountingSpeaker(SilentSpeaker):
    """A silent speaker that keeps only a count (a recording speaker would grow)."""

    def __init__(self) -> None:
        self.lines = 0

    def say(self, text: str, rate: int) -> None:
        self.lines += 1


class MeasuredSource:
    """A WavFileSource that notes memory when each third of the recording has been read."""

    def __init__(self, recording: WavFileSource, total_chunks: int) -> None:
        self.recording = recording
        self.clock = recording.clock
        self.marks = {total_chunks * k // 3 for k in (1, 2, 3)}
        self.chunks = 0
        self.samples: list[tuple[float, float]] = []  # (resident MB, Python-traced MB)

    def read(self) -> bytes | None:
        chunk = self.recording.read()
        if chunk is not None:
            self.chunks += 1
            if self.chunks in self.marks:
                self.samples.append((resident_mb(), tracemalloc.get_traced_memory()[0] / 1e6))
        return chunk

    def discard_pending(self) -> None:
        self.recording.discard_pending()

    def close(self) -> None:
        self.recording.close()


@pytest.fixture(scope="module")
def soak_wav(tmp_path_factory) -> tuple[Path, int, int]:
    """The recording, how many of its turns are spoken (not noise or silence), and how
    many 0.1 s chunks it holds."""
    require_espeak()
    pcm, turns = soak_recording(TURNS)
    wav = write_wav(tmp_path_factory.mktemp("soak") / "soak.wav", pcm)
    return wav, sum(1 for turn in turns if turn.text), -(-len(pcm) // CHUNK_BYTES)


def test_a_hundred_spoken_turns_in_process(soak_wav, library, understanding):
    wav, spoken_turns, total_chunks = soak_wav
    recognizer = PocketSphinxRecognizer.for_vocabulary(recognition_vocabulary(library))
    source = MeasuredSource(WavFileSource(wav), total_chunks)
    speaker = CountingSpeaker()
    heard: list[str] = []
    codes: list[int] = []
    tracemalloc.start()
    try:
        # A turn misheard as "stop" in idle ends a session, as it should: the person then
        # starts VoiceCare again, and the rest of the recording goes to a new session.
        while source.chunks < total_chunks and len(codes) < TURNS:
            recognizer.reset()
            coach = Coach(library, understanding, CoachSettings(hold_scale=HOLD_SCALE))
            codes.append(
                TurnLoop(coach, speaker, source.clock, lambda text: None, heard.append).run(
                    AudioInputs(source, recognizer)
                )
            )
    finally:
        tracemalloc.stop()
    assert set(codes) == {0}
    assert source.chunks == total_chunks
    # Some turns are lost to recognition (noise, cues said over them); most arrive.
    assert len(heard) >= spoken_turns // 3, heard
    assert speaker.lines > len(heard)
    (rss_first, python_first), _, (rss_last, python_last) = source.samples
    assert rss_last - rss_first < RSS_GROWTH_LIMIT_MB, source.samples
    assert python_last - python_first < PYTHON_GROWTH_LIMIT_MB, source.samples


def test_a_hundred_spoken_turns_through_the_command_line(soak_wav):
    wav, _, _ = soak_wav
    result = voicecare(
        "--audio-in",
        str(wav),
        "--mute",
        "--hold-scale",
        str(HOLD_SCALE),
        "--engine",
        "pocketsphinx",
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert_no_traceback(result)
    other = [line for line in result.stderr.splitlines() if not line.startswith("(heard: ")]
    assert other == []
    assert result.stdout.startswith("Hi, I am VoiceCare")


def typed_turns(count: int, seed: int = 11) -> list[str]:
    chooser = random.Random(seed)
    mix = [*COMPLAINTS, *COMMANDS, *QUESTIONS, *RED_FLAGS, "", "zxq blorp", "mmm"]
    return [chooser.choice(mix) for _ in range(count)]


def test_a_thousand_typed_turns_through_chat():
    script = "\n".join(typed_turns(1000)) + "\n"
    result = voicecare("chat", "--mute", "--hold-scale", "0", stdin=script, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert_no_traceback(result)
    assert result.stderr == ""
    assert result.stdout.count("\n") > 1000
