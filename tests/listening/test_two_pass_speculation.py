"""The decision behind speculative decoding in two-pass hearing (``speculation``), alone: when
an early decode starts and whether it stands for the utterance the first pass ended. Pure:
positions in the stream in, decisions out (the threads and the model are tested with the
real engines in test_two_pass.py)."""

from __future__ import annotations

from voicecare.listening.speculation import Span, Speculation

RATE = 32_000  # bytes per second of 16 kHz 16-bit audio
FRAME = 960  # 30 ms


def at(seconds: float) -> int:
    return round(seconds * RATE)


def follow(speculation: Speculation, pattern: str, start: float = 0.0) -> int:
    """Frames of 30 ms from ``start``: "s" speech, "." silence; the position after them."""
    position = at(start)
    for mark in pattern:
        position += FRAME
        speculation.heard(position, mark == "s")
    return position


def test_nothing_starts_before_speech_or_without_an_utterance_start():
    speculation = Speculation(RATE)
    now = follow(speculation, "..........")
    assert speculation.start(0, now) is None  # silence only
    now = follow(speculation, "ssssssssssss....", start=now / RATE)
    assert speculation.start(None, now) is None  # the endpointer found no start yet


def test_an_early_decode_starts_after_a_few_frames_of_silence_after_speech():
    speculation = Speculation(RATE)
    now = follow(speculation, "ssssssssssss..")  # 0.36 s of speech, 60 ms of silence
    assert speculation.start(0, now) is None
    now = follow(speculation, ".", start=now / RATE)  # 90 ms
    assert speculation.start(0, now) == Span(0, now)
    later = follow(speculation, "...", start=now / RATE)
    assert speculation.start(0, later) is None  # it already holds all the speech


def test_too_little_speech_is_not_decoded_early():
    speculation = Speculation(RATE)
    now = follow(speculation, "sss......")  # 90 ms of speech
    assert speculation.start(0, now) is None


def test_the_early_decode_stands_when_only_silence_followed_it():
    speculation = Speculation(RATE)
    now = follow(speculation, "ssssssssssss...")
    early = speculation.start(0, now)
    assert early is not None
    final = follow(speculation, "....", start=now / RATE)
    assert speculation.keep(Span(0, final))


def test_speech_after_the_early_decode_drops_it_and_a_new_one_starts():
    speculation = Speculation(RATE)
    now = follow(speculation, "ssssssssssss...")
    first = speculation.start(0, now)
    now = follow(speculation, "ssss", start=now / RATE)  # the person went on
    assert not speculation.keep(Span(0, now))
    now = follow(speculation, "...", start=now / RATE)
    second = speculation.start(0, now)
    assert second is not None and second != first
    final = follow(speculation, "...", start=now / RATE)
    assert speculation.keep(Span(0, final))


def test_an_early_decode_of_another_start_or_past_the_end_does_not_stand():
    speculation = Speculation(RATE)
    now = follow(speculation, "ssssssssssss...")
    assert speculation.start(at(0.03), now) is not None
    assert not speculation.keep(Span(0, now + FRAME))  # the utterance begins elsewhere
    assert not speculation.keep(Span(at(0.03), now - FRAME))  # it ends before the decode


def test_a_new_utterance_forgets_the_last_early_decode():
    speculation = Speculation(RATE)
    now = follow(speculation, "ssssssssssss...")
    assert speculation.start(0, now) is not None
    speculation.next_segment()
    assert not speculation.keep(Span(0, now))


def test_the_same_frames_give_the_same_decisions():
    def decisions() -> list:
        speculation = Speculation(RATE)
        made = []
        position = 0
        for mark in "..sssss.ssssss....sss.ssss....":
            position += FRAME
            speculation.heard(position, mark == "s")
            made.append(speculation.start(0, position))
        return [*made, speculation.keep(Span(0, position))]

    assert decisions() == decisions()
    assert sum(span is not None for span in decisions()[:-1]) == 2
