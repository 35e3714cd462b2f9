"""Two-pass hearing in the core: the accurate ear's text decides; only when it heard nothing
does the fast ear's text count: a red flag makes the coach ask, a command stands.
Pure: transcripts in, a match or the coach's actions out."""

from __future__ import annotations

import pytest

from tests.fakes import said
from voicecare.coach import Coach, StopSpeaking
from voicecare.heard import Heard
from voicecare.matching import NONE, RED_FLAGS
from voicecare.settings import CoachSettings


def test_a_red_flag_the_accurate_ear_hears_is_sure(understanding):
    match = understanding.match("i can't feel my legs", first_pass="i can see my legs")
    assert (match.intent, match.doubtful) == (RED_FLAGS, False)


def test_both_ears_hearing_the_red_flag_is_sure(understanding):
    match = understanding.match("i have chest pain", first_pass="i have chest pain")
    assert (match.intent, match.sign, match.doubtful) == (RED_FLAGS, "chest-pain", False)


def test_the_accurate_ears_words_overrule_a_red_flag_only_the_fast_ear_heard(understanding):
    match = understanding.match("my neck is stiff", first_pass="i have chest pain")
    assert match.intent == "routine:neck"


def test_a_red_flag_when_the_accurate_ear_heard_nothing_is_a_question(understanding):
    match = understanding.match("", first_pass="i have chest pain")
    assert (match.intent, match.sign, match.doubtful) == (RED_FLAGS, "chest-pain", True)
    assert match.text == "i have chest pain"  # what the question is about


@pytest.mark.parametrize(
    ("accurate", "fast", "intent"),
    [
        # a routine only the fast ear heard is vetoed: the accurate ear's words decide
        ("", "there is a knot in my shoulder", NONE),
        ("play some music", "there is a knot in my shoulder", NONE),
        # the accurate ear corrects the fast one
        ("i have a stiff neck", "i have a stiff back", "routine:neck"),
        ("what causes knots", "stop", "info:causes"),
        # and confirms it
        ("my back hurts", "my back hurts", "routine:lower-back"),
    ],
)
def test_the_accurate_ear_decides(understanding, accurate, fast, intent):
    assert understanding.match(accurate, first_pass=fast).intent == intent


def test_a_command_stands_when_the_accurate_ear_heard_nothing(understanding):
    assert understanding.match("", first_pass="pause").intent == "command:pause"


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_an_answer_must_be_heard_by_the_accurate_ear(understanding, answer):
    assert understanding.match("", first_pass=answer).intent == NONE


def test_one_ear_is_understood_as_before(understanding):
    assert understanding.match("i have chest pain").doubtful is False
    assert understanding.match("my back hurts", first_pass=None).intent == "routine:lower-back"


@pytest.fixture
def fresh_coach(library, understanding) -> Coach:
    return Coach(library, understanding, CoachSettings(hold_scale=1.0))


def test_the_coach_asks_about_a_red_flag_only_the_fast_ear_heard(fresh_coach):
    actions = fresh_coach.handle(Heard("", final=True, first_pass="my arm is numb"), 1.0)
    assert any(line.startswith("Did you say") for line in said(actions)), said(actions)
    assert not any("stopped" in line for line in said(actions))


def test_the_coach_acts_at_once_on_a_red_flag_the_accurate_ear_heard(fresh_coach):
    heard = Heard("i have chest pain", final=True, first_pass="i have just bang")
    lines = said(fresh_coach.handle(heard, 1.0))
    assert lines and not any(line.startswith("Did you say") for line in lines), lines


def test_the_coach_does_nothing_on_a_routine_only_the_fast_ear_heard(fresh_coach):
    heard = Heard("", final=True, first_pass="there is a knot in my shoulder")
    assert fresh_coach.handle(heard, 1.0) == []


def test_a_control_in_a_partial_cuts_in_before_the_second_pass(fresh_coach):
    """The partial comes from the fast ear alone; the coach acts on it, and the final of the
    same utterance (both ears) is then dropped unless it is a red flag."""
    fresh_coach.handle(Heard("do the neck routine", final=True, first_pass="neck routine"), 1.0)
    cut = fresh_coach.handle(Heard("stop", final=False), 2.0)
    assert cut and isinstance(cut[0], StopSpeaking)
    assert fresh_coach.handle(Heard("stop", final=True, first_pass="stop"), 2.5) == []
