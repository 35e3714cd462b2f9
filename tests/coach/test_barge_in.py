"""Barge-in decisions and the echo guard, with the real understanding (no audio)."""

from __future__ import annotations

import pytest

from voicecare.coach.barge_in import BargeIn, EchoGuard, EchoSettings, Reaction
from voicecare.heard import Heard


def as_pair(reaction: Reaction | None) -> tuple[str, bool] | None:
    """A reaction as (the text handed to the coach, whether speech is cut)."""
    return None if reaction is None else (reaction.text, reaction.cut)


STEP = "Sit tall and roll your shoulders slowly backward, then stop at the top."


@pytest.fixture
def guard():
    return EchoGuard(EchoSettings(linger_seconds=1.5))


@pytest.fixture
def barge_in(understanding, guard):
    return BargeIn(understanding.match, guard)


def partial(text: str) -> Heard:
    return Heard(text, final=False)


def final(text: str) -> Heard:
    return Heard(text, final=True)


def test_words_of_the_line_being_said_are_echo(guard):
    guard.playing(STEP, 0.0)
    assert guard.is_echo("roll your shoulders slowly", 0.0)
    assert guard.is_echo("shoulder slowly backwards", 0.0)


def test_a_word_the_line_does_not_hold_is_not_echo(guard):
    guard.playing("Press into the muscles on top of your forearm.", 0.0)
    assert not guard.is_echo("stop", 0.0)  # "top" is in the line, "stop" is not
    assert not guard.is_echo("next step please", 0.0)


def test_a_line_is_remembered_only_briefly_after_it_ended(guard):
    guard.playing(STEP, 9.0)
    guard.finished(10.0)
    assert guard.is_echo("roll your shoulders", 11.0)
    assert not guard.is_echo("roll your shoulders", 12.0)


def test_nothing_said_means_nothing_is_echo(guard):
    assert not guard.is_echo("roll your shoulders", 0.0)


def test_a_spoken_control_acts_on_the_partial_and_its_final_is_dropped(barge_in):
    assert as_pair(barge_in.on_result(partial("stop"), 0.0)) == ("stop", True)
    assert barge_in.on_result(partial("stop it"), 0.1) is None
    assert barge_in.on_result(final("stop it"), 0.3) is None
    assert as_pair(barge_in.on_result(partial("stop"), 2.0)) == ("stop", True)


@pytest.mark.parametrize("control", ["stop", "pause", "next", "repeat", "skip", "go back"])
def test_every_voice_control_cuts_in_on_a_partial(barge_in, control):
    reaction = barge_in.on_result(partial(control), 0.0)
    assert as_pair(reaction) == (control, True)


def test_other_partials_wait_for_the_final(barge_in):
    assert barge_in.on_result(partial("there is a knot"), 0.0) is None
    reaction = barge_in.on_result(final("there is a knot in my shoulder"), 0.5)
    assert as_pair(reaction) == ("there is a knot in my shoulder", False)


def test_a_long_partial_waits_for_the_final(barge_in):
    assert barge_in.on_result(partial("could you please stop for a moment"), 0.0) is None


def test_a_final_control_cuts_too(barge_in):
    assert as_pair(barge_in.on_result(final("stop"), 0.0)) == ("stop", True)


def test_echo_is_not_obeyed_but_the_person_is(barge_in, guard):
    guard.playing("When you are ready, say next, and we will go on.", 0.0)
    assert barge_in.on_result(partial("next"), 0.0) is None
    assert barge_in.on_result(final("say next"), 0.2) is None
    assert as_pair(barge_in.on_result(partial("stop"), 1.0)) == ("stop", True)


def test_only_the_line_playing_counts_not_the_queue(guard):
    """The safety note after the step says "stop"; while the step plays, "stop" is the
    person's."""
    guard.playing("Roll your shoulders slowly backward.", 0.0)
    assert not guard.is_echo("stop", 0.5)
    guard.playing("Stop if pain becomes sharp.", 1.0)
    assert guard.is_echo("stop", 1.5)


def test_the_previous_line_still_counts_for_a_moment(guard):
    guard.playing("Roll your shoulders slowly backward.", 0.0)
    guard.playing("Hold for thirty seconds.", 4.0)
    assert guard.is_echo("shoulders backward", 4.5)
    assert not guard.is_echo("shoulders backward", 6.0)


def test_in_idle_silence_a_partial_is_not_acted_on(barge_in):
    """A partial "what will" (of "what causes knots") once matched stop and ended the session."""
    assert barge_in.on_result(partial("stop"), 0.0, interruptible=False) is None
    assert as_pair(barge_in.on_result(final("stop"), 0.5, interruptible=False)) == ("stop", True)


def test_a_final_meaning_something_else_after_a_control_is_dropped(barge_in, understanding):
    """The end of the utterance held the start of VoiceCare's reply, heard as "achilles"."""
    assert as_pair(barge_in.on_result(partial("stop"), 0.0)) == ("stop", True)
    assert understanding.match("stop achilles").intent == "routine:legs"  # loosely: 70
    assert barge_in.on_result(final("stop achilles"), 0.5) is None


def test_a_red_flag_in_the_final_after_a_control_is_always_heard(barge_in):
    assert as_pair(barge_in.on_result(partial("stop"), 0.0)) == ("stop", True)
    reaction = barge_in.on_result(final("stop my arm is numb"), 0.5)
    assert reaction is not None and reaction.match.intent == "safety:red-flags"
