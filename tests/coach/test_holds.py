"""Holds, sides and reps on a fake clock: every cue at its second."""

from __future__ import annotations

import pytest

from tests.fakes import Conversation
from voicecare.coach import Mode, StartTimer


def start_drill(coach) -> Conversation:
    talk = Conversation(coach)
    talk.start_time = talk.clock.now()
    talk.hear("do the test drill")
    return talk


def test_routine_starts_with_title_safety_note_then_step_one(drill_coach):
    talk = Conversation(drill_coach)
    replies = talk.hear("do the test drill")
    assert replies == [
        "Let's start: Test drill.",
        "This is the safety note.",
        "Step one of three.",
        "Step one text.",
        "Left side first. Hold for thirty seconds.",
    ]
    assert drill_coach.mode is Mode.ROUTINE


def test_hold_starts_when_its_announcement_has_been_spoken(drill_coach):
    talk = Conversation(drill_coach)
    drill_coach.hear("do the test drill", talk.clock.now())
    assert drill_coach.next_deadline is None  # still speaking
    talk.clock.advance(4.0)  # speaking took four seconds
    (timer,) = drill_coach.speech_finished(talk.clock.now())
    assert timer == StartTimer(30.0, talk.clock.now() + 30.0)


def test_per_side_hold_cues_at_their_seconds(drill_coach):
    talk = start_drill(drill_coach)
    start = talk.clock.now()
    talk.wait(70)
    timeline = [(round(at - start), text) for at, text in talk.log if at > start]
    assert timeline[:10] == [
        (15, "Halfway."),
        (27, "Three."),
        (28, "Two."),
        (29, "One."),
        (30, "And release."),
        (30, "Switch sides. Hold for thirty seconds."),
        (45, "Halfway."),
        (57, "Three."),
        (58, "Two."),
        (59, "One."),
    ]
    assert (60, "And release.") in timeline
    assert (60, "Step two of three.") in timeline


def test_reps_are_counted_aloud_then_it_moves_on(drill_coach):
    talk = start_drill(drill_coach)
    talk.wait(60)  # both sides of step one
    start = talk.clock.now()
    talk.wait(6)
    timeline = [(round(at - start), text) for at, text in talk.log if at >= start]
    assert timeline[:4] == [
        (0, "And release."),
        (0, "Step two of three."),
        (0, "Step two text."),
        (0, "Three times."),
    ]
    counted = [(t, text) for t, text in timeline if text in ("One.", "Two.", "Three.", "Good.")]
    assert counted == [(2, "One."), (4, "Two."), (6, "Three."), (6, "Good.")]
    assert (6, "Step three of three.") in timeline


def test_last_step_ends_with_wrap_up_and_back_to_idle(drill_coach):
    talk = start_drill(drill_coach)
    talk.run_out()
    assert talk.log[-1][1] == "That is the end of Test drill. Well done. Drink some water."
    assert drill_coach.mode is Mode.IDLE
    assert drill_coach.next_deadline is None
    total = talk.log[-1][0] - talk.log[0][0]
    assert total == pytest.approx(30 + 30 + 6 + 20)


def test_pause_freezes_the_hold_to_the_second(drill_coach):
    talk = start_drill(drill_coach)
    talk.wait(10)
    assert talk.hear("pause") == ["Paused. Say resume when you are ready."]
    assert drill_coach.next_deadline is None
    assert talk.wait(300) == []  # nothing happens while paused
    talk.hear("resume")
    resumed_at = talk.clock.now()
    # 10 s were done; halfway (15 s) is 5 s away, the release 20 s away
    assert drill_coach.next_deadline == pytest.approx(resumed_at + 5)
    talk.wait(20)
    release = [at for at, text in talk.log if text == "And release." and at >= resumed_at]
    assert release[0] == pytest.approx(resumed_at + 20)


def test_ouch_pauses_the_hold_and_resume_goes_on_from_there(drill_coach):
    talk = start_drill(drill_coach)
    talk.wait(12)
    (reply,) = talk.hear("ouch that hurts")
    assert reply.startswith("Let's pause.")
    assert drill_coach.next_deadline is None
    assert talk.wait(120) == []
    talk.hear("resume")
    assert drill_coach.next_deadline == pytest.approx(talk.clock.now() + 3)  # halfway at 15 s


def test_time_left_counts_steps_and_seconds(drill_coach):
    talk = start_drill(drill_coach)
    talk.wait(10)
    (reply,) = talk.hear("how much longer")
    # 20 s of this side, 30 of the other, 6 of reps, 20 of the last hold
    assert (
        reply == "Three steps to go, including this one, about one minute and sixteen seconds left."
    )


def test_hold_scale_shortens_every_hold(drill_library, drill_matcher):
    from voicecare.coach import Coach
    from voicecare.settings import CoachSettings

    coach = Coach(drill_library, drill_matcher, CoachSettings(hold_scale=0.1))
    talk = start_drill(coach)
    start = talk.clock.now()
    talk.run_out()
    assert talk.log[-1][0] - start == pytest.approx(8.6)


def test_instant_holds_with_scale_zero(drill_library, drill_matcher):
    from voicecare.coach import Coach
    from voicecare.settings import CoachSettings

    coach = Coach(drill_library, drill_matcher, CoachSettings(hold_scale=0))
    talk = start_drill(coach)
    start = talk.clock.now()
    talk.run_out()
    assert talk.clock.now() == start
    assert "Step three text." in [text for _, text in talk.log]
