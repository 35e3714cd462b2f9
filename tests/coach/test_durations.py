"""One reckoning of a routine's length: the header of ``show``, the end of its timeline and
"how much longer" at step one agree."""

from __future__ import annotations

import pytest

from tests.fakes import Conversation
from voicecare.coach.durations import intro_seconds, routine_seconds, speaking_seconds
from voicecare.coach.script import routine_script
from voicecare.content import load_library


def test_speaking_time_is_the_word_count_at_the_rate():
    assert speaking_seconds("Hold for thirty seconds.", 120) == pytest.approx(2.0)


@pytest.mark.parametrize("routine_id", [r.id for r in load_library().routines])
def test_the_total_is_where_the_timeline_ends(library, routine_id):
    routine = library.routine(routine_id)
    script = routine_script(library, routine)
    assert script[-1][1].startswith("That is the end of")
    assert routine_seconds(routine) == pytest.approx(script[-1][0])


def test_the_total_counts_speech_and_the_change_of_sides(library):
    neck = library.routine("neck")
    holds_and_reps = sum(
        ((s.hold_seconds or 0) + (s.reps or 0) * s.rep_seconds) * len(s.sides) for s in neck.steps
    )
    changes = sum(s.switch_seconds for s in neck.steps if s.per_side)
    assert changes == 4 * 5
    # The old figure (holds and reps only) was a third short of the timeline.
    assert routine_seconds(neck) > holds_and_reps + changes + 60


def test_time_left_at_step_one_is_the_timeline_from_step_one(library, coach):
    neck = library.routine("neck")
    talk = Conversation(coach)
    coach.start_routine(neck)  # step one is being announced
    script = routine_script(library, neck)
    step_one_at = next(at for at, text in script if text == "Step one of seven.")
    left = coach.player.seconds_left(talk.clock.now(), coach.rate)
    assert left == pytest.approx(script[-1][0] - step_one_at)
    assert left == pytest.approx(routine_seconds(neck) - intro_seconds(neck, coach.rate))
    (reply,) = talk.hear("how much longer", finish_speaking=False)
    assert reply == "This is step one of seven, about eight and a half minutes left."


def test_time_left_once_the_first_breaths_are_counted(library, coach):
    neck = library.routine("neck")
    talk = Conversation(coach)
    talk.perform(coach.start_routine(neck))  # announced: the count has started
    script = routine_script(library, neck)
    counting_from = next(at for at, text in script if text == "Five times.")
    counting_from += speaking_seconds("Five times.", coach.rate)
    left = coach.player.seconds_left(talk.clock.now(), coach.rate)
    assert left == pytest.approx(script[-1][0] - counting_from)


def test_speaking_slower_makes_the_estimate_longer(library):
    neck = library.routine("neck")
    assert routine_seconds(neck, rate=115) > routine_seconds(neck, rate=165) + 30
