"""Whole conversations written as data: (what the person says, a line the coach says)."""

from __future__ import annotations

import pytest

from tests.fakes import Conversation, run_script
from voicecare.coach import CancelTimer, Mode, StopSpeaking

CONVERSATIONS = {
    "red flag stops a hold and nothing resumes by itself": [
        ("do the test drill", "Step one text."),
        ("<wait 10>", None),
        ("my arm went numb", "I have stopped the routine. That is a warning sign"),
        ("<wait 120>", None),
        ("resume", "I stopped the routine because of what you told me"),
        ("start over", "I stopped the routine because of what you told me"),
    ],
    "chest pain gets the emergency advice": [
        ("do the test drill", "Step one text."),
        ("i have chest pain", "emergency"),
    ],
    "red flag beats a complaint in the same sentence": [
        ("my neck hurts and i have a fever", "A stiff neck with a fever needs a doctor today"),
    ],
    "question in idle is answered": [
        ("what causes knots", "posture"),
    ],
    "question mid-routine pauses it and offers it back": [
        ("do the test drill", "Step one text."),
        ("<wait 10>", None),
        ("how do i prevent knots", "Shall we continue Test drill?"),
        ("<wait 100>", None),
        ("yes", "Resuming."),
        ("<wait 20>", "And release."),
    ],
    "choice by name": [
        ("my neck and shoulders are tight", "Did you mean"),
        ("the shoulders", "Let's start: Shoulder"),
    ],
    "choice by ordinal": [
        ("my neck and shoulders are tight", "Did you mean"),
        ("the second one", "Let's start"),
    ],
    "a new complaint mid-routine asks before switching, yes switches": [
        ("do the test drill", "Step one text."),
        ("actually my lower back is killing me", "Shall we switch to Lower back release?"),
        ("yes", "Let's start: Lower"),
    ],
    "asked to switch, no goes on with the routine where it was": [
        ("do the test drill", "Step one text."),
        ("<wait 10>", None),
        ("actually my lower back is killing me", "or no to go on with Test drill"),
        ("<wait 100>", None),
        ("no", "Resuming."),
        ("<wait 20>", "And release."),
    ],
    "asked to switch, naming the same routine again switches": [
        ("do the test drill", "Step one text."),
        ("my lower back hurts", "Shall we switch to Lower back release?"),
        ("my lower back", "Let's start: Lower"),
    ],
    "asked to switch, stop stops the routine being done": [
        ("do the test drill", "Step one text."),
        ("my lower back hurts", "Shall we switch to Lower back release?"),
        ("stop", "I stopped Test drill"),
    ],
    "asked to switch, a red flag still comes first": [
        ("do the test drill", "Step one text."),
        ("my lower back hurts", "Shall we switch to Lower back release?"),
        ("my arm went numb", "I have stopped the routine."),
        ("yes", "Tell me where it hurts"),
    ],
    "a red flag that is not a routine's body area is not that routine": [
        ("I can't feel my legs", "That is a warning sign a coach cannot check"),
        ("my hand went dead", "That is a warning sign"),
    ],
    "fainting and breathing get the emergency advice": [
        ("I passed out", "call emergency services now"),
        ("I can't breathe", "Trouble breathing is an emergency"),
    ],
    "ordinary aches are not red flags": [
        ("I have a stiff neck", "Let's start: Neck"),
    ],
    "a doubtful red flag mid-routine asks, no goes on where it was": [
        ("do the test drill", "Step one text."),
        ("<wait 10>", None),
        ("my arm is numbb", "Did you say your arm is numb?"),
        ("<wait 100>", None),
        ("no", "All right, let us go on."),
        ("<wait 20>", "And release."),
    ],
    "a doubtful red flag, yes gives the advice and stops the routine": [
        ("do the test drill", "Step one text."),
        ("my arm is numbb", "Did you say your arm is numb?"),
        ("yes", "I have stopped the routine. That is a warning sign"),
        ("resume", "I stopped the routine because of what you told me"),
    ],
    "a doubtful red flag at idle, no is an apology": [
        ("my fingers are numbb", "Did you say your fingers are numb?"),
        ("no", "All right."),
    ],
    "a doubtful red flag, something else is understood as usual": [
        ("my arm is numbb", "Did you say"),
        ("what causes knots", "posture"),
    ],
    "a sure red flag while asked about a doubtful one gives the advice at once": [
        ("do the test drill", "Step one text."),
        ("my arm is numbb", "Did you say"),
        ("I have chest pain", "I have stopped the routine. Pain, pressure or tightness"),
    ],
    "an ambiguous body area asks which, and the answer picks": [
        ("my back hurts", "Upper back or lower back?"),
        ("lower", "Let's start: Lower back release"),
    ],
    "an ambiguous body area, answered by the routine's name": [
        ("there's a knot in my back", "Upper back or lower back?"),
        ("my upper back", "Let's start: Upper back"),
    ],
    "an ambiguous arm, answered by the shoulder": [
        ("my arm is so tight", "Your forearm and wrist, or your shoulder and upper arm?"),
        ("the shoulder", "Let's start: Shoulder"),
    ],
    "a knot with no area asks where, and the area starts its routine": [
        ("I have a knot", "Where is the knot?"),
        ("in my neck", "Let's start: Neck release"),
    ],
    "the answer to where is understood by the area it names, however short": [
        ("I have a knot", "Where is the knot?"),
        ("the neck", "Let's start: Neck release"),
    ],
    "an answer to where that names an ambiguous area asks which": [
        ("something's really tight", "Where is the knot?"),
        ("it's the back", "Upper back or lower back?"),
        ("lower", "Let's start: Lower back"),
    ],
    "an area named with nothing asked is not taken for an answer": [
        ("the neck", "Sorry"),
    ],
    "the area of the routine being done goes on with it": [
        ("do the test drill", "Step one text."),
        ("<wait 10>", None),
        ("do the test drill", "We are on it."),
        ("<wait 50>", "Switch sides."),
    ],
    "asked whether to end, no stays and something else is understood": [
        ("stop", "Shall I stop listening?"),
        ("no", "All right, I am still here."),
        ("stop", "Shall I stop listening?"),
        ("what causes knots", "posture"),
        ("stop", "Shall I stop listening?"),
    ],
    "goodbye ends the session at once, even mid-routine": [
        ("do the test drill", "Step one text."),
        ("goodbye", "Goodbye. Take care of yourself."),
    ],
    "small talk: thanks, hello and feeling better": [
        ("hello", "Hello."),
        ("thank you", "You are welcome. Tell me if anything else feels tight."),
        ("do the test drill", "Step one text."),
        ("thanks", "You are welcome."),
        ("that feels better", "Good, I am glad."),
        ("<wait 50>", "Switch sides."),
    ],
    "yes and no when nothing was asked get a helpful line": [
        ("yes", "There is no question right now"),
        ("no", "There is no question right now"),
    ],
    "yes after a wrap-up that suggests a routine starts it": [
        ("my neck is stiff", "Let's start: Neck release."),
        ("<wait 900>", "Say yes to start Shoulder and trap release."),
        ("yes", "Let's start: Shoulder and trap release."),
    ],
    "after the list of routines, the first one starts the first": [
        ("what routines do you have", "I have routines for"),
        ("the first one", "Let's start: Forearms"),
    ],
    "three misses in a row bring the help line": [
        ("play some music", "I can only help with muscle knots"),
        ("what's the weather", "I can only help with muscle knots"),
        ("tell me a joke", "Tell me where it hurts, for example"),
    ],
    "a miss during a routine is short": [
        ("do the test drill", "Step one text."),
        ("play some music", "Sorry, I did not catch that."),
    ],
    "restart in idle runs the last routine again": [
        ("do the test drill", "Step one text."),
        ("stop", "I stopped Test drill"),
        ("start over", "Starting Test drill again from the beginning."),
    ],
    "repeat in idle repeats the last answer": [
        ("what causes knots", "posture"),
        ("say that again", "posture"),
    ],
}


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
def test_conversation(drill_coach, name):
    run_script(drill_coach, CONVERSATIONS[name])


def test_greeting_disclaimer_invitation(drill_coach, drill_library):
    talk = Conversation(drill_coach)
    assert talk.opening == [
        "Hi, I am VoiceCare.",
        drill_library.safety.disclaimer,
        "Tell me where it hurts, or ask me about knots.",
    ]
    assert " ".join(talk.opening).count("muscle knots") <= 1  # said once, by the disclaimer


def test_red_flag_cuts_speech_and_timer_first(drill_coach):
    talk = Conversation(drill_coach)
    talk.hear("do the test drill")
    before = len(talk.actions)
    talk.hear("i fell off a ladder and now my back hurts")
    assert talk.actions[before : before + 2] == [StopSpeaking(), CancelTimer()]
    assert drill_coach.mode is Mode.IDLE
    assert drill_coach.next_deadline is None


def test_misses_reset_after_an_understood_line(drill_coach):
    talk = Conversation(drill_coach)
    talk.hear("play some music")
    talk.hear("tell me a joke")
    talk.hear("what causes knots")
    replies = talk.hear("play some music")
    assert not any("for example" in r for r in replies)


def test_silence_and_noise_words_say_nothing(drill_coach):
    talk = Conversation(drill_coach)
    assert talk.hear("") == []
    assert talk.hear("  ") == []
    assert talk.hear("[unk]") == []


def test_stop_in_idle_asks_and_a_second_stop_ends_the_session(drill_coach):
    talk = Conversation(drill_coach)
    assert talk.hear("stop") == [
        "Shall I stop listening? Say stop again, or goodbye, to end; or tell me where it hurts."
    ]
    assert not drill_coach.ended
    talk.hear("stop")
    assert drill_coach.ended
    assert talk.hear("my neck is stiff") == []


def test_stop_right_after_stopping_a_routine_ends_the_session(drill_coach):
    talk = Conversation(drill_coach)
    talk.hear("do the test drill")
    talk.hear("stop")
    assert talk.hear("stop")[-1] == "Goodbye. Take care of yourself."
    assert drill_coach.ended


def test_red_flag_advice_at_idle_does_not_speak_of_a_routine(drill_coach):
    talk = Conversation(drill_coach)
    replies = talk.hear("my hand went dead")
    assert replies and not any("routine" in reply for reply in replies), replies


def test_a_doubtful_red_flag_pauses_the_hold_and_keeps_its_time(drill_coach):
    talk = Conversation(drill_coach)
    talk.hear("do the test drill")
    talk.wait(10)
    deadline = drill_coach.next_deadline
    assert deadline is not None
    talk.hear("my arm is numbb")
    assert drill_coach.mode is Mode.CONFIRMING and drill_coach.next_deadline is None
    talk.wait(60)
    talk.hear("no")
    assert drill_coach.mode is Mode.ROUTINE
    assert drill_coach.next_deadline == pytest.approx(deadline + 60)


def test_a_question_about_a_red_flag_is_answered_with_a_question(drill_coach):
    talk = Conversation(drill_coach)
    replies = talk.hear("can a knot cause numbness?")
    assert replies == ["Did you say you have numbness or tingling?"]
    assert talk.hear("no") == [
        "All right.",
        "Tell me where it hurts, or ask me about knots.",
    ]
