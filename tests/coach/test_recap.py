"""What the history says, spoken: this week's routines, how often one was done, and the one
line at start-up or after a routine. Pure: sessions and today's date in, sentences out."""

from __future__ import annotations

from datetime import date

import pytest

from tests.fakes import Conversation
from voicecare.coach.recap import routine_count, start_up_line, week_summary
from voicecare.records import FINISHED, STOPPED, RoutineRecord, SessionRecord

TODAY = date(2026, 12, 1)


def done(routine_id: str, outcome: str = FINISHED, step: int = 5) -> RoutineRecord:
    return RoutineRecord(routine_id, 5, step, step, outcome=outcome)


SESSIONS = [
    SessionRecord("2026-11-20T08:00:00", 300, (done("legs"),)),  # before this week
    SessionRecord("2026-11-25T09:00:00", 600, (done("neck"), done("desk-break", STOPPED, 3))),
    SessionRecord("2026-12-01T07:30:00", 300, (done("neck"),)),
]


def test_the_week(library):
    assert week_summary(SESSIONS, TODAY, library) == (
        "In the last seven days you did three routines: Neck release twice, Desk break once."
    )


def test_an_empty_week(library):
    assert week_summary(SESSIONS[:1], TODAY, library).startswith("You have not done a routine")


@pytest.mark.parametrize(
    ("routine_id", "answer"),
    [
        ("neck", "You did Neck release twice in the last seven days, and twice in all."),
        ("legs", "Not in the last seven days; you did Legs release once before that."),
        ("shoulders", "You have not done Shoulder and trap release with me yet."),
    ],
)
def test_how_often(library, routine_id, answer):
    assert routine_count(SESSIONS, TODAY, library, routine_id) == answer


def test_a_red_flag_in_the_week_is_mentioned_kindly(library):
    flagged = [*SESSIONS, SessionRecord("2026-11-30T10:00:00", 60, (), ("numbness",))]
    assert "warning sign" in week_summary(flagged, TODAY, library)


def test_start_up_line_offers_to_continue(library):
    assert start_up_line(SESSIONS[:2], library) == (
        "Last time you stopped Desk break at step three. "
        "Say continue where I left off to pick it up."
    )
    assert start_up_line(SESSIONS, library) == ""  # the newest session finished its routine


def test_asked_by_voice_how_often_i_did_my_neck(coach):
    coach.past_sessions, coach.today = tuple(SESSIONS), TODAY
    talk = Conversation(coach)
    assert talk.hear("how often did I do my neck") == [
        "You did Neck release twice in the last seven days, and twice in all."
    ]
    assert talk.hear("what did I do this week")[0].startswith("In the last seven days")
    assert coach.player is None  # asking about the neck did not start it


def test_the_greeting_ends_with_the_line_from_the_history(coach):
    coach.past_sessions = tuple(SESSIONS[:2])
    talk = Conversation(coach)
    assert talk.opening[-1].startswith("Last time you stopped Desk break at step three.")


def test_after_a_routine_how_it_adds_up(drill_coach):
    drill_coach.today = TODAY
    drill_coach.past_sessions = (SessionRecord("2026-11-30T09:00:00", 60, (done("test-drill"),)),)
    talk = Conversation(drill_coach)
    talk.hear("do the test drill")
    replies = talk.run_out()
    assert replies[-2].startswith("That is the end of Test drill.")
    assert replies[-1] == "That is twice this week. Keep it up."
