"""Every command in every state: what the coach says and where it ends up.

States: idle, speaking a step (announcement not finished), holding, paused, choosing a
routine, answering a question mid-routine (offering to continue), and asking whether to
switch to another routine named mid-routine. At idle a single stop asks whether to end
(tests/coach/test_conversations.py has the rest of that exchange).
"""

from __future__ import annotations

import pytest

from tests.fakes import Conversation
from voicecare.coach import Mode, StopSpeaking


def idle(talk: Conversation) -> None:
    pass


def speaking(talk: Conversation) -> None:
    talk.hear("do the test drill", finish_speaking=False)


def holding(talk: Conversation) -> None:
    talk.hear("do the test drill")
    talk.wait(5)


def paused(talk: Conversation) -> None:
    holding(talk)
    talk.hear("pause")


def choosing(talk: Conversation) -> None:
    talk.hear("my neck and shoulders are tight")
    assert talk.coach.mode is Mode.CHOOSING


def answering(talk: Conversation) -> None:
    holding(talk)
    talk.hear("what causes knots")


def switching(talk: Conversation) -> None:
    holding(talk)
    talk.hear("my lower back is killing me")
    assert talk.coach.switch_to is not None


STATES = {
    "idle": idle,
    "speaking": speaking,
    "holding": holding,
    "paused": paused,
    "choosing": choosing,
    "answering": answering,
    "switching": switching,
}
IDLE, ROUTINE, PAUSED, CHOOSING, OFFERING, ENDED, ENDING = (
    Mode.IDLE,
    Mode.ROUTINE,
    Mode.PAUSED,
    Mode.CHOOSING,
    Mode.OFFERING,
    Mode.ENDED,
    Mode.ENDING,
)
NO_ROUTINE = "No routine is running"
STEP_TWO = "Step two of three."
STEP_ONE = "Step one of three."
REASK = "Did you mean"

# (state, command) -> (a line the reply must contain, or "" for silence; the mode after)
EXPECTED: dict[tuple[str, str], tuple[str, Mode]] = {
    ("idle", "next"): (NO_ROUTINE, IDLE),
    ("idle", "back"): (NO_ROUTINE, IDLE),
    ("idle", "repeat"): ("Tell me where it hurts", IDLE),
    ("idle", "skip this one"): (NO_ROUTINE, IDLE),
    ("idle", "pause"): (NO_ROUTINE, IDLE),
    ("idle", "resume"): (NO_ROUTINE, IDLE),
    ("idle", "stop"): ("Shall I stop listening?", ENDING),
    ("idle", "slower"): ("more slowly", IDLE),
    ("idle", "faster"): ("faster", IDLE),
    ("idle", "help"): ("Tell me where it hurts", IDLE),
    ("idle", "what routines do you have"): ("I have routines for", CHOOSING),
    ("idle", "how much longer"): (NO_ROUTINE, IDLE),
    ("idle", "start over"): (NO_ROUTINE, IDLE),
    ("idle", "yes"): ("There is no question right now", IDLE),
    ("idle", "no"): ("There is no question right now", IDLE),
    ("speaking", "next"): (STEP_TWO, ROUTINE),
    ("speaking", "back"): ("This is the first step.", ROUTINE),
    ("speaking", "repeat"): ("Step one text.", ROUTINE),
    ("speaking", "skip this one"): ("Skipping this one.", ROUTINE),
    ("speaking", "pause"): ("Paused.", PAUSED),
    ("speaking", "resume"): ("We are not paused.", ROUTINE),
    ("speaking", "stop"): ("I stopped Test drill", IDLE),
    ("speaking", "slower"): ("more slowly", ROUTINE),
    ("speaking", "faster"): ("faster", ROUTINE),
    ("speaking", "help"): ("You can say: next, back", ROUTINE),
    ("speaking", "what routines do you have"): ("I have routines for", ROUTINE),
    ("speaking", "how much longer"): ("This is step one of three", ROUTINE),
    ("speaking", "start over"): ("again from the beginning", ROUTINE),
    ("speaking", "yes"): ("Okay.", ROUTINE),
    ("speaking", "no"): ("Say next, pause or stop", ROUTINE),
    ("holding", "next"): (STEP_TWO, ROUTINE),
    ("holding", "back"): ("This is the first step.", ROUTINE),
    ("holding", "repeat"): ("Step one text.", ROUTINE),
    ("holding", "skip this one"): ("Skipping this one.", ROUTINE),
    ("holding", "pause"): ("Paused.", PAUSED),
    ("holding", "resume"): ("We are not paused.", ROUTINE),
    ("holding", "stop"): ("I stopped Test drill", IDLE),
    ("holding", "slower"): ("more slowly", ROUTINE),
    ("holding", "faster"): ("faster", ROUTINE),
    ("holding", "help"): ("You can say: next, back", ROUTINE),
    ("holding", "what routines do you have"): ("I have routines for", ROUTINE),
    ("holding", "how much longer"): ("This is step one of three", ROUTINE),
    ("holding", "start over"): ("again from the beginning", ROUTINE),
    ("holding", "yes"): ("Okay.", ROUTINE),
    ("holding", "no"): ("Say next, pause or stop", ROUTINE),
    ("paused", "next"): (STEP_TWO, ROUTINE),
    ("paused", "back"): ("This is the first step.", ROUTINE),
    ("paused", "repeat"): ("Step one text.", ROUTINE),
    ("paused", "skip this one"): ("Skipping this one.", ROUTINE),
    ("paused", "pause"): ("We are paused.", PAUSED),
    ("paused", "resume"): ("Resuming.", ROUTINE),
    ("paused", "stop"): ("I stopped Test drill", IDLE),
    ("paused", "slower"): ("more slowly", PAUSED),
    ("paused", "faster"): ("faster", PAUSED),
    ("paused", "help"): ("You can say: next, back", PAUSED),
    ("paused", "what routines do you have"): ("I have routines for", PAUSED),
    ("paused", "how much longer"): ("This is step one of three", PAUSED),
    ("paused", "start over"): ("again from the beginning", ROUTINE),
    ("paused", "yes"): ("We are paused.", PAUSED),
    ("paused", "no"): ("We are paused.", PAUSED),
    ("choosing", "next"): (REASK, CHOOSING),
    ("choosing", "back"): (REASK, CHOOSING),
    ("choosing", "repeat"): (REASK, CHOOSING),
    ("choosing", "skip this one"): (REASK, CHOOSING),
    ("choosing", "pause"): (REASK, CHOOSING),
    ("choosing", "resume"): (REASK, CHOOSING),
    ("choosing", "stop"): ("Tell me where it hurts", IDLE),
    ("choosing", "slower"): ("more slowly", CHOOSING),
    ("choosing", "faster"): ("faster", CHOOSING),
    ("choosing", "help"): ("the first one", CHOOSING),
    ("choosing", "what routines do you have"): ("I have routines for", CHOOSING),
    ("choosing", "how much longer"): (REASK, CHOOSING),
    ("choosing", "start over"): (REASK, CHOOSING),
    ("choosing", "yes"): ("Let's start", ROUTINE),
    ("choosing", "no"): ("Let's start", ROUTINE),
    ("answering", "next"): (STEP_TWO, ROUTINE),
    ("answering", "back"): ("This is the first step.", ROUTINE),
    ("answering", "repeat"): ("Shall we continue Test drill?", OFFERING),
    ("answering", "skip this one"): ("Skipping this one.", ROUTINE),
    ("answering", "pause"): ("We are paused.", OFFERING),
    ("answering", "resume"): ("Resuming.", ROUTINE),
    ("answering", "stop"): ("I stopped Test drill", IDLE),
    ("answering", "slower"): ("more slowly", OFFERING),
    ("answering", "faster"): ("faster", OFFERING),
    ("answering", "help"): ("You can say: next, back", OFFERING),
    ("answering", "what routines do you have"): ("I have routines for", OFFERING),
    ("answering", "how much longer"): ("This is step one of three", OFFERING),
    ("answering", "start over"): ("again from the beginning", ROUTINE),
    ("answering", "yes"): ("Resuming.", ROUTINE),
    ("answering", "no"): ("I stopped Test drill", IDLE),
    ("switching", "next"): (STEP_TWO, ROUTINE),
    ("switching", "back"): ("This is the first step.", ROUTINE),
    ("switching", "repeat"): ("Shall we switch to Lower back release?", OFFERING),
    ("switching", "skip this one"): ("Skipping this one.", ROUTINE),
    ("switching", "pause"): ("We are paused.", OFFERING),
    ("switching", "resume"): ("Resuming.", ROUTINE),
    ("switching", "stop"): ("I stopped Test drill", IDLE),
    ("switching", "slower"): ("more slowly", OFFERING),
    ("switching", "faster"): ("faster", OFFERING),
    ("switching", "help"): ("You can say: next, back", OFFERING),
    ("switching", "what routines do you have"): ("I have routines for", OFFERING),
    ("switching", "how much longer"): ("This is step one of three", OFFERING),
    ("switching", "start over"): ("again from the beginning", ROUTINE),
    ("switching", "yes"): ("Let's start: Lower back release.", ROUTINE),
    ("switching", "no"): ("Resuming.", ROUTINE),
    ("idle", "ouch that hurts"): ("I am sorry it hurts", IDLE),
    ("speaking", "ouch that hurts"): ("Let's pause", PAUSED),
    ("holding", "ouch that hurts"): ("Let's pause", PAUSED),
    ("paused", "ouch that hurts"): ("Let's pause", PAUSED),
    ("choosing", "ouch that hurts"): ("I am sorry it hurts", CHOOSING),
    ("answering", "ouch that hurts"): ("Let's pause", OFFERING),
    ("switching", "ouch that hurts"): ("Let's pause", OFFERING),
    ("idle", "thank you"): ("You are welcome", IDLE),
    ("idle", "hello"): ("Hello.", IDLE),
    ("idle", "goodbye"): ("Goodbye", ENDED),
    ("idle", "that feels better"): ("Good, I am glad", IDLE),
    ("speaking", "thank you"): ("You are welcome", ROUTINE),
    ("speaking", "hello"): ("Hello.", ROUTINE),
    ("speaking", "goodbye"): ("Goodbye", ENDED),
    ("speaking", "that feels better"): ("Good, I am glad", ROUTINE),
    ("holding", "thank you"): ("You are welcome", ROUTINE),
    ("holding", "hello"): ("Hello.", ROUTINE),
    ("holding", "goodbye"): ("Goodbye", ENDED),
    ("holding", "that feels better"): ("Good, I am glad", ROUTINE),
    ("paused", "thank you"): ("You are welcome", PAUSED),
    ("paused", "hello"): ("Hello.", PAUSED),
    ("paused", "goodbye"): ("Goodbye", ENDED),
    ("paused", "that feels better"): ("Good, I am glad", PAUSED),
    ("choosing", "thank you"): ("You are welcome", CHOOSING),
    ("choosing", "hello"): ("Hello.", IDLE),
    ("choosing", "goodbye"): ("Goodbye", ENDED),
    ("choosing", "that feels better"): ("Good, I am glad", CHOOSING),
    ("answering", "thank you"): ("You are welcome", OFFERING),
    ("answering", "hello"): ("Hello.", OFFERING),
    ("answering", "goodbye"): ("Goodbye", ENDED),
    ("answering", "that feels better"): ("Good, I am glad", OFFERING),
    ("switching", "thank you"): ("You are welcome", OFFERING),
    ("switching", "hello"): ("Hello.", OFFERING),
    ("switching", "goodbye"): ("Goodbye", ENDED),
    ("switching", "that feels better"): ("Good, I am glad", OFFERING),
    # What the history says; a routine goes on (this session counts: it is in the history).
    ("idle", "what did i do this week"): ("You have not done a routine", IDLE),
    ("speaking", "what did i do this week"): ("you did one routine: Test drill once", ROUTINE),
    ("holding", "what did i do this week"): ("you did one routine", ROUTINE),
    ("paused", "what did i do this week"): ("you did one routine", PAUSED),
    ("choosing", "what did i do this week"): ("You have not done a routine", CHOOSING),
    ("answering", "what did i do this week"): ("you did one routine", OFFERING),
    ("switching", "what did i do this week"): ("you did one routine", OFFERING),
}


@pytest.mark.parametrize(("state", "command"), sorted(EXPECTED))
def test_command_in_state(drill_coach, state, command):
    talk = Conversation(drill_coach)
    STATES[state](talk)
    expected_line, expected_mode = EXPECTED[(state, command)]
    replies = talk.hear(command)
    if expected_line:
        assert any(expected_line in line for line in replies), replies
    else:
        assert replies == []
    assert drill_coach.mode is expected_mode


def test_every_command_is_covered_in_every_state(drill_library):
    commands = {c.id for c in drill_library.commands}
    said = {
        "skip this one": "skip",
        "what routines do you have": "list",
        "how much longer": "time-left",
        "start over": "restart",
        "ouch that hurts": "pain",
        "thank you": "thanks",
        "that feels better": "feels-better",
        "what did i do this week": "recap",
    }
    for state in STATES:
        covered = {said.get(cmd, cmd) for (s, cmd) in EXPECTED if s == state}
        assert covered == commands, state


@pytest.mark.parametrize("state", ["speaking", "holding", "answering", "switching"])
def test_interrupting_commands_stop_speech_first(drill_coach, state):
    talk = Conversation(drill_coach)
    STATES[state](talk)
    before = len(talk.actions)
    talk.hear("next")
    assert isinstance(talk.actions[before], StopSpeaking)


def test_rate_changes_last_for_the_session(drill_coach):
    talk = Conversation(drill_coach)
    start_rate = drill_coach.rate
    talk.hear("slower")
    talk.hear("do the test drill")
    assert drill_coach.rate == start_rate - drill_coach.speech.rate_step
    rates = {a.rate for a in talk.actions[-5:] if hasattr(a, "rate")}
    assert rates == {drill_coach.rate}


def test_say_that_again_slower_repeats_slower(drill_coach):
    talk = Conversation(drill_coach)
    holding(talk)
    start_rate = drill_coach.rate
    replies = talk.hear("say that again slower")
    assert "Step one text." in replies
    assert drill_coach.rate < start_rate
