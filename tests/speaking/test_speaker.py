"""InterruptibleSpeaker with a recording player: queueing, stopping, errors, closing."""

from __future__ import annotations

import pytest

from tests.fakes import RecordingPlayer, TextSynthesizer
from voicecare.speaking.speaker import InterruptibleSpeaker

WAIT = 10.0  # a bound for waits that succeed at once when the speaker works


@pytest.fixture
def held():
    player = RecordingPlayer(hold=True)
    speaker = InterruptibleSpeaker(TextSynthesizer(), player)
    yield speaker, player
    speaker.close()


def test_lines_play_in_order_and_wait_returns_when_done():
    player = RecordingPlayer()
    speaker = InterruptibleSpeaker(TextSynthesizer(), player)
    for text in ("one", "two", "three"):
        speaker.say(text, 160)
    assert speaker.wait(WAIT)
    assert player.played == [("one", True), ("two", True), ("three", True)]
    assert not speaker.speaking
    assert speaker.current_text == ""
    speaker.close()


def test_say_returns_while_the_line_is_still_playing(held):
    speaker, player = held
    speaker.say("a long step", 160)
    assert player.wait_until_playing(WAIT)
    assert speaker.speaking
    assert speaker.current_text == "a long step"
    assert not speaker.wait(0.05)  # still playing: the player holds it
    player.release()
    assert speaker.wait(WAIT)
    assert player.played == [("a long step", True)]


def test_stop_cuts_the_current_line_and_drops_the_queue(held):
    speaker, player = held
    speaker.say("step one", 160)
    speaker.say("hold for thirty seconds", 160)
    speaker.say("switch sides", 160)
    assert player.wait_until_playing(WAIT)
    speaker.stop()
    assert speaker.wait(WAIT)
    assert player.played == [("step one", False)]
    assert not speaker.speaking


def test_lines_said_after_a_stop_are_spoken(held):
    speaker, player = held
    speaker.say("step one", 160)
    speaker.say("dropped", 160)
    assert player.wait_until_playing(WAIT)
    speaker.stop()
    speaker.say("Paused.", 160)
    assert player.wait_until_playing(WAIT)
    assert speaker.current_text == "Paused."
    player.release()
    assert speaker.wait(WAIT)
    assert player.played == [("step one", False), ("Paused.", True)]


def test_stop_when_silent_changes_nothing():
    player = RecordingPlayer()
    speaker = InterruptibleSpeaker(TextSynthesizer(), player)
    speaker.stop()
    speaker.say("hello", 160)
    assert speaker.wait(WAIT)
    assert player.played == [("hello", True)]
    speaker.close()


def test_a_broken_device_is_reported_and_later_lines_still_play():
    player = RecordingPlayer(fail_on="boom")
    speaker = InterruptibleSpeaker(TextSynthesizer(), player)
    speaker.say("boom", 160)
    speaker.say("after", 160)
    assert speaker.wait(WAIT)
    assert player.played == [("after", True)]
    assert [str(error) for error in speaker.errors] == ["the fake device broke"]
    speaker.close()


def test_the_same_failure_is_reported_once_not_for_every_line(caplog):
    player = RecordingPlayer(fail_on="boom")
    speaker = InterruptibleSpeaker(TextSynthesizer(), player)
    for _ in range(5):
        speaker.say("boom", 160)
    assert speaker.wait(WAIT)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == ["speech output failed: the fake device broke; the captions go on"]
    assert len(speaker.errors) == 5
    speaker.close()


def test_the_rate_reaches_the_synthesizer():
    player = RecordingPlayer()
    rates: list[int] = []

    class RateSynthesizer(TextSynthesizer):
        def synthesize(self, text, rate):
            rates.append(rate)
            return super().synthesize(text, rate)

    speaker = InterruptibleSpeaker(RateSynthesizer(), player)
    speaker.say("slow", 115)
    speaker.say("fast", 215)
    assert speaker.wait(WAIT)
    assert rates == [115, 215]
    speaker.close()


def test_close_stops_speech_and_closes_player_and_synthesizer(held):
    speaker, player = held
    synthesizer = speaker._synthesizer
    speaker.say("never finished", 160)
    assert player.wait_until_playing(WAIT)
    speaker.close()
    assert player.played == [("never finished", False)]
    assert player.closed and synthesizer.closed
