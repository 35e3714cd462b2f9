"""Holds, sides and reps on a fake clock: every cue at its second."""

from __future__ import annotations

import pytest

from tests.fakes import Conversation
from voicecare.coach import Mode, SpeechFinished, StartTimer, Typed


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
    drill_coach.handle(Typed("do the test drill"), talk.clock.now())
    assert drill_coach.next_deadline is None  # still speaking
    talk.clock.advance(4.0)  # speaking took four seconds
    (timer,) = drill_coach.handle(SpeechFinished(), talk.clock.now())
    assert timer == StartTimer(30.0, talk.clock.now() + 30.0)


def test_per_side_hold_cues_at_their_seconds(drill_coach):
    talk = start_drill(drill_coach)
    start = talk.clock.now()
    talk.wait(75)
    timeline = [(round(at - start), text) for at, text in talk.log if at > start]
    assert timeline[:11] == [
        (15, "Halfway."),
        (27, "Three."),
        (28, "Two."),
        (29, "One."),
        (30, "And release."),
        (30, "Switch sides. Take a moment to get into position."),
        (35, "Hold for thirty seconds."),  # five seconds to change sides
        (50, "Halfway."),
        (62, "Three."),
        (63, "Two."),
        (64, "One."),
    ]
    assert (65, "And release.") in timeline
    assert (65, "Step two of three.") in timeline


def test_the_time_to_switch_sides_is_set_per_step(drill_coach, drill_library):
    routine = drill_library.routine("test-drill")
    first = routine.steps[0].model_copy(update={"transition_seconds": 12})
    slow = routine.model_copy(update={"steps": (first, *routine.steps[1:])})
    talk = Conversation(drill_coach)
    talk.perform(drill_coach.start_routine(slow))
    start = talk.clock.now()
    talk.wait(45)
    second_side = [at - start for at, text in talk.log if text == "Hold for thirty seconds."]
    assert second_side == [pytest.approx(42)]


def test_a_pause_while_changing_sides_keeps_the_rest_of_it(drill_coach):
    talk = start_drill(drill_coach)
    talk.wait(32)  # two of the five seconds to change sides
    talk.hear("pause")
    talk.wait(60)
    talk.hear("resume")
    assert drill_coach.next_deadline == pytest.approx(talk.clock.now() + 3)


def test_reps_are_counted_aloud_then_it_moves_on(drill_coach):
    talk = start_drill(drill_coach)
    talk.wait(65)  # both sides of step one and the change between them
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
    assert talk.log[-1][1] == "That is the end of Test drill. Drink some water."
    assert drill_coach.mode is Mode.IDLE
    assert drill_coach.next_deadline is None
    total = talk.log[-1][0] - talk.log[0][0]
    assert total == pytest.approx(30 + 5 + 30 + 6 + 20)  # speech takes no time here


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
    # The drill's first step is a stretch without its own gentler way: the stretch advice.
    assert "To go on more gently, do not go as far into the stretch" in reply
    assert drill_coach.next_deadline is None
    assert talk.wait(120) == []
    talk.hear("resume")
    assert drill_coach.next_deadline == pytest.approx(talk.clock.now() + 3)  # halfway at 15 s


def test_ouch_offers_the_step_s_own_gentler_way_when_it_has_one(drill_coach, drill_library):
    routine = drill_library.routine("test-drill")
    first = routine.steps[0].model_copy(update={"gentler": "use one finger only."})
    talk = Conversation(drill_coach)
    talk.perform(drill_coach.start_routine(routine.model_copy(update={"steps": (first,)})))
    (reply,) = talk.hear("ouch")
    assert "To go on more gently, use one finger only. Say resume when you are ready" in reply


def test_time_left_counts_steps_and_seconds(drill_coach):
    talk = start_drill(drill_coach)
    talk.wait(10)
    (reply,) = talk.hear("how much longer")
    # Holds: 20 s of this side, 5 to change sides, 30 of the other, 6 of reps, 20 of the
    # last hold: 81 s; speech at 160 words a minute (what is still to be said): 15.4 s.
    assert drill_coach.player.seconds_left(talk.clock.now(), 160) == pytest.approx(96.375)
    assert reply == "This is step one of three, about one and a half minutes left."


def test_hold_scale_shortens_every_hold(drill_library, drill_understanding):
    from voicecare.coach import Coach
    from voicecare.settings import CoachSettings

    coach = Coach(drill_library, drill_understanding, CoachSettings(hold_scale=0.1))
    talk = start_drill(coach)
    start = talk.clock.now()
    talk.run_out()
    assert talk.log[-1][0] - start == pytest.approx(9.1)


def test_instant_holds_with_scale_zero(drill_library, drill_understanding):
    from voicecare.coach import Coach
    from voicecare.settings import CoachSettings

    coach = Coach(drill_library, drill_understanding, CoachSettings(hold_scale=0))
    talk = start_drill(coach)
    start = talk.clock.now()
    talk.run_out()
    assert talk.clock.now() == start
    assert "Step three text." in [text for _, text in talk.log]
