"""The speech gate on real speech with pocketsphinx's real endpointer and voice detector."""

from __future__ import annotations

import pytest

from tests.listening.speech import require_espeak, silence, speak
from voicecare.listening.pocketsphinx_engine import ENDPOINT_RATIO, ENDPOINT_WINDOW, VAD_MODE
from voicecare.listening.sphinx_gate import GateStep, SpeechGate

pocketsphinx = pytest.importorskip("pocketsphinx")


def gate(settle: float | None = 0.1, preroll: float = 0.3) -> SpeechGate:
    return SpeechGate(
        pocketsphinx,
        window=ENDPOINT_WINDOW,
        ratio=ENDPOINT_RATIO,
        vad_mode=VAD_MODE,
        preroll=preroll,
        settle=settle,
    )


def run(speech_gate: SpeechGate, pcm: bytes) -> list[GateStep]:
    speech_gate.push(pcm)
    steps = []
    while (step := speech_gate.step()) is not None:
        steps.append(step)
    return steps


@pytest.fixture
def said() -> bytes:
    require_espeak()
    return silence(1.0) + speak("there is a knot in my shoulder", "en-us", 150) + silence(1.0)


def test_the_decoder_gets_one_unbroken_stretch_of_the_input(said: bytes) -> None:
    """Pre-roll, the speech, in order, nothing twice: a slice of what was pushed."""
    steps = run(gate(), said)
    given = b"".join(step.audio for step in steps)
    assert given and given in said
    start = said.index(given)
    assert 0 < start <= 1.0 * 32_000  # from shortly before the words
    assert sum(step.ended for step in steps) == 1
    assert not steps[-1].audio  # after the end, silence goes nowhere


def test_a_pause_is_told_once_before_the_end(said: bytes) -> None:
    steps = run(gate(), said)
    paused = [i for i, step in enumerate(steps) if step.paused]
    ended = [i for i, step in enumerate(steps) if step.ended]
    assert len(paused) == 1 and paused[0] < ended[0]


def test_no_pause_is_told_when_settling_is_off(said: bytes) -> None:
    assert not any(step.paused for step in run(gate(settle=None), said))


def test_the_last_part_frame_counts_only_while_speech_goes_on(said: bytes) -> None:
    speech_gate = gate()
    cut = len(said) // 2 + 1 - (len(said) // 2 + 1) % 2  # in the middle of the words
    run(speech_gate, said[:cut])
    assert speech_gate.speaking
    assert len(speech_gate.remainder()) < speech_gate.frame_bytes
    run(speech_gate, silence(1.0))
    speech_gate.push(b"\x00\x00" * 10)
    assert speech_gate.remainder() == b""


def test_reset_forgets_speech_in_progress(said: bytes) -> None:
    speech_gate = gate()
    run(speech_gate, said[: len(said) // 2 // 2 * 2])
    speech_gate.reset()
    assert not speech_gate.speaking
    assert b"".join(step.audio for step in run(speech_gate, silence(1.0))) == b""
