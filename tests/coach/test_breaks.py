"""Break reminders on a fake clock: due after N minutes without a routine, "later" snoozes,
"no" skips one, quiet hours wait, never during a routine. A working day runs in
microseconds."""

from __future__ import annotations

import pytest

from tests.fakes import Conversation, FakeClock, RecordingSpeaker, ScriptedLines, run_script
from voicecare.coach import Coach, Mode
from voicecare.coach.break_turns import BREAK_REMINDER
from voicecare.coach.breaks import BreakSchedule, asks_for_later
from voicecare.settings import BreakSettings, CoachSettings, SpeechSettings
from voicecare.shell.session import LineInputs, TurnLoop

START = 1000.0  # the fake clock's start, which is 09:00 local time below
NINE = 9 * 3600.0


def hhmm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def break_coach(library, understanding, **settings) -> Coach:
    breaks = BreakSettings(**{"every_minutes": 30, "day_offset": NINE - START, **settings})
    return Coach(library, understanding, CoachSettings(breaks=breaks), SpeechSettings(rate=160))


@pytest.fixture
def coach_with_breaks(drill_library, drill_understanding) -> Coach:
    return break_coach(drill_library, drill_understanding)


def reminders(talk: Conversation) -> list[float]:
    """When the reminder was said, in minutes after the start."""
    return [(at - START) / 60 for at, text in talk.log if text == BREAK_REMINDER]


CONVERSATIONS = {
    "yes starts the desk break": [
        ("<wait 1800>", BREAK_REMINDER),
        ("yes", "Let's start: Desk break."),
    ],
    "later snoozes ten minutes": [
        ("<wait 1800>", BREAK_REMINDER),
        ("later", "All right, I will ask again in ten minutes."),
        ("<wait 599>", None),
        ("<wait 1>", BREAK_REMINDER),
    ],
    "not now snoozes too": [
        ("<wait 1800>", BREAK_REMINDER),
        ("not now", "ask again in ten minutes"),
    ],
    "no skips this one": [
        ("<wait 1800>", BREAK_REMINDER),
        ("no", "All right, no break this time."),
    ],
    "something else lets the offer go and is answered": [
        ("<wait 1800>", BREAK_REMINDER),
        ("what causes knots", "posture"),
        ("yes", "There is no question right now"),
    ],
    "a red flag still comes first": [
        ("<wait 1800>", BREAK_REMINDER),
        ("my arm went numb", "That is a warning sign"),
    ],
}


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
def test_break_conversation(coach_with_breaks, name):
    run_script(coach_with_breaks, CONVERSATIONS[name])


def test_fires_after_n_minutes_idle_and_not_before(coach_with_breaks):
    talk = Conversation(coach_with_breaks)
    assert BREAK_REMINDER not in talk.wait(30 * 60 - 1)
    assert talk.wait(1) == [BREAK_REMINDER]
    assert reminders(talk) == [30.0]


def test_an_unanswered_reminder_comes_again_an_interval_later(coach_with_breaks):
    talk = Conversation(coach_with_breaks)
    talk.wait(95 * 60)
    assert reminders(talk) == [30.0, 60.0, 90.0]


def test_talking_at_idle_is_not_a_break(coach_with_breaks):
    talk = Conversation(coach_with_breaks)
    talk.wait(20 * 60)
    talk.hear("what causes knots")
    talk.wait(10 * 60)
    assert reminders(talk) == [30.0]


def test_later_snoozes_by_the_setting(drill_library, drill_understanding):
    talk = Conversation(break_coach(drill_library, drill_understanding, snooze_minutes=5))
    talk.wait(30 * 60)
    assert talk.hear("remind me later") == ["All right, I will ask again in five minutes."]
    talk.wait(10 * 60)
    assert reminders(talk) == [30.0, 35.0]  # unanswered, the next is at 65


def test_no_skips_this_one_and_the_next_comes_a_full_interval_later(coach_with_breaks):
    talk = Conversation(coach_with_breaks)
    talk.wait(30 * 60)
    talk.hear("no")
    talk.wait(45 * 60)
    assert reminders(talk) == [30.0, 60.0]


def test_never_during_a_routine(drill_library, drill_understanding):
    coach = break_coach(drill_library, drill_understanding, every_minutes=1)
    talk = Conversation(coach)
    talk.hear("do the test drill")
    talk.wait(50)
    talk.hear("pause")
    talk.wait(3 * 3600)  # paused for hours: still the routine
    assert reminders(talk) == []
    talk.hear("resume")
    for _ in range(600):  # the routine to its end, a second at a time
        if not coach.in_routine:
            break
        talk.wait(1)
    assert coach.mode is Mode.IDLE and reminders(talk) == []
    ended = talk.log[-1][0]  # the wrap-up
    talk.wait(60)
    assert [(at - ended) for at, text in talk.log if text == BREAK_REMINDER] == [60.0]


def test_the_idle_time_counts_from_the_end_of_a_routine(coach_with_breaks):
    talk = Conversation(coach_with_breaks)
    talk.wait(25 * 60)
    talk.hear("do the test drill")
    talk.hear("stop")  # at 25 minutes
    talk.wait(29 * 60)
    assert reminders(talk) == []
    talk.wait(60)
    assert reminders(talk) == [55.0]


def test_not_while_choosing_a_routine(coach_with_breaks):
    talk = Conversation(coach_with_breaks)
    talk.wait(29 * 60)
    talk.hear("my back hurts")  # "Upper back or lower back?"
    talk.wait(60)
    assert reminders(talk) == []
    talk.hear("lower")
    assert coach_with_breaks.in_routine


def test_quiet_hours_wait_for_their_end(drill_library, drill_understanding):
    # 09:00 + 30 minutes falls in 09:15-10:00: the reminder comes at 10:00.
    coach = break_coach(
        drill_library, drill_understanding, quiet_hours=(hhmm("09:15"), hhmm("10:00"))
    )
    talk = Conversation(coach)
    talk.wait(59 * 60)
    assert reminders(talk) == []
    talk.wait(60)
    assert reminders(talk) == [60.0]


def test_quiet_hours_over_midnight(drill_library, drill_understanding):
    # Starting at 21:50 with a reminder every 30 minutes and quiet from 22:00 to 07:00.
    coach = break_coach(
        drill_library,
        drill_understanding,
        quiet_hours=(hhmm("22:00"), hhmm("07:00")),
        day_offset=hhmm("21:50") * 60 - START,
    )
    talk = Conversation(coach)
    talk.wait(10 * 3600)
    assert reminders(talk) == [(9 * 60 + 10) + 30 * n for n in range(2)]  # 07:00, 07:30


def test_off_by_default(drill_coach):
    Conversation(drill_coach)
    assert drill_coach.next_deadline is None


def test_a_piped_session_ends_with_its_input_although_a_break_is_scheduled(coach_with_breaks):
    speaker = RecordingSpeaker()
    loop = TurnLoop(coach_with_breaks, speaker, FakeClock(START), lambda text: None)
    assert loop.run(LineInputs(ScriptedLines(["what causes knots"]))) == 0
    assert BREAK_REMINDER not in speaker.texts


@pytest.mark.parametrize(
    ("text", "later"),
    [
        ("later", True),
        ("maybe later", True),
        ("not now", True),
        ("in ten minutes", True),
        ("no", False),
        ("yes", False),
        ("no thanks", False),
    ],
)
def test_what_puts_a_break_off(text, later):
    assert asks_for_later(text) is later


def test_schedule_quiet_hours_edges():
    schedule = BreakSchedule(BreakSettings(every_minutes=10, quiet_hours=(hhmm("12:00"), 780)))
    assert not schedule.quiet(hhmm("11:59") * 60.0)
    assert schedule.quiet(hhmm("12:00") * 60.0)
    assert not schedule.quiet(hhmm("13:00") * 60.0)
    schedule.start(hhmm("11:55") * 60.0)
    assert schedule.due == hhmm("13:00") * 60.0
