"""The session's journal (routines, steps reached, skips, ouch, red-flag sign ids, durations)
and "continue where I left off", on a fake clock."""

from __future__ import annotations

import pytest

from tests.fakes import Conversation
from voicecare.coach import Heard, Mode, Say
from voicecare.records import (
    FINISHED,
    INTERRUPTED,
    RED_FLAG,
    STOPPED,
    ResumePoint,
    RoutineRecord,
    SessionRecord,
    resume_point,
)


def test_a_finished_routine_with_a_skip_and_an_ouch(drill_coach):
    talk = Conversation(drill_coach)
    talk.hear("do the test drill")
    talk.wait(10)
    talk.hear("ouch")
    talk.hear("resume")
    talk.hear("skip")  # step one skipped
    talk.run_out()
    record = drill_coach.session_record("2026-12-01T09:00:00")
    (routine,) = record.routines
    assert routine.routine_id == "test-drill" and routine.outcome == FINISHED
    assert routine.steps_reached == 3 and routine.step_count == 3
    assert routine.skipped == (1,) and routine.ouch == (1,)
    assert routine.seconds == pytest.approx(talk.clock.now() - 1000.0)
    assert record.red_flags == ()


def test_a_stopped_routine_keeps_its_step_and_the_time_of_its_hold(drill_coach):
    talk = Conversation(drill_coach)
    talk.hear("do the test drill")
    talk.hear("next")
    talk.hear("next")  # step three: a twenty-second hold
    talk.wait(8)
    talk.hear("stop")
    (routine,) = drill_coach.session_record("x").routines
    assert (routine.outcome, routine.last_step, routine.steps_reached) == (STOPPED, 3, 3)
    assert routine.hold_elapsed == pytest.approx(8.0)


def test_a_routine_running_when_the_session_ends_is_interrupted(drill_coach):
    talk = Conversation(drill_coach)
    talk.hear("do the test drill")
    talk.wait(12)
    (routine,) = drill_coach.session_record("x", talk.clock.now()).routines
    assert routine.outcome == INTERRUPTED and routine.last_step == 1
    assert routine.hold_elapsed == pytest.approx(12.0)


def test_red_flags_are_kept_as_sign_ids_only(drill_coach):
    talk = Conversation(drill_coach)
    talk.hear("do the test drill")
    talk.hear("my arm went numb")
    talk.hear("my arm is numbb")  # doubtful: asked, denied
    talk.hear("no")
    talk.hear("i have chest pain")
    record = drill_coach.session_record("x")
    assert record.routines[0].outcome == RED_FLAG
    assert record.red_flags == ("numbness", "chest-pain")
    assert "arm" not in repr(record)  # nothing that was said


def test_continue_in_the_same_session_goes_back_to_the_step(drill_coach):
    talk = Conversation(drill_coach)
    talk.hear("do the test drill")
    talk.hear("next")
    talk.hear("stop")
    replies = talk.hear("continue where i left off")
    assert replies[0] == "Picking up Test drill where you left off."
    assert "Step two of three." in replies and "Step two text." in replies


def test_continue_from_an_earlier_session_waits_with_the_time_left(drill_coach):
    drill_coach.resume_from = ResumePoint("test-drill", step=3, segment=0, hold_elapsed=8.0)
    talk = Conversation(drill_coach)
    replies = talk.hear("continue where I left off")
    assert "Step three of three." in replies and "Step three text." in replies
    assert replies[-1] == "Twelve seconds left in this hold. Say resume when you are ready."
    assert drill_coach.mode is Mode.PAUSED
    assert talk.hear("resume") == ["Resuming."]
    assert "And release." not in talk.wait(11.9)  # twelve seconds were left, not twenty
    assert "And release." in talk.wait(0.1)


def test_nothing_to_continue_is_the_usual_answer(drill_coach):
    talk = Conversation(drill_coach)
    replies = talk.hear("continue where i left off")
    assert replies and not any("Picking up" in reply for reply in replies)
    assert drill_coach.mode is Mode.IDLE


def test_no_continuing_after_a_red_flag():
    routine = RoutineRecord("neck", 5, 2, 2, outcome=RED_FLAG)
    assert resume_point([SessionRecord("2026-12-01T09:00:00", 60, (routine,))]) is None


def test_the_newest_session_decides():
    stopped = RoutineRecord("neck", 5, 3, 3, outcome=STOPPED)
    finished = RoutineRecord("legs", 5, 5, 5, outcome=FINISHED)
    old = SessionRecord("2026-12-01T09:00:00", 60, (stopped,))
    new = SessionRecord("2026-12-01T10:00:00", 60, (finished,))
    empty = SessionRecord("2026-12-01T11:00:00", 5, ())
    assert resume_point([old, new, empty]) is None
    assert resume_point([old, empty]) == ResumePoint("neck", 3)


@pytest.mark.parametrize("said", ["continue where I left off", "pick up where I left off"])
def test_continue_by_voice(drill_coach, said):
    drill_coach.resume_from = ResumePoint("test-drill", step=3)
    talk = Conversation(drill_coach)
    actions = talk.loop.send(Heard(said, final=True))
    replies = [a.text for a in actions if isinstance(a, Say)]
    assert replies[:1] == ["Picking up Test drill where you left off."]
    assert "Step three of three." in replies and replies[-1] == "Hold for twenty seconds."
    assert drill_coach.mode is Mode.ROUTINE


def test_continue_is_offered_once_a_routine_of_this_session_finished(drill_coach):
    drill_coach.resume_from = ResumePoint("test-drill", step=2)
    talk = Conversation(drill_coach)
    talk.hear("do the test drill")
    talk.run_out()
    replies = talk.hear("continue where i left off")
    assert not any("Picking up" in reply for reply in replies)
