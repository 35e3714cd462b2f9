"""Body areas route a complaint: one clear area, an ambiguous one, or none at all."""

from __future__ import annotations

import pytest

from voicecare.matching.intents import WHERE


@pytest.mark.parametrize(
    "text",
    [
        "my back hurts",
        "knot in my back",
        "my back is tight",
        "there's a knot in my back",
        "my back",
        "my back's really tight",  # "back's" is one word to the matcher: "backs"
        "i tweaked my back",  # complaint words of everyday speech (areas.yaml)
        "my back has seized",
        "can you do something for my back",  # the speaker's own back, no complaint word
        "my back is in bits",
        "me back's playing up again",
    ],
)
def test_back_alone_offers_both_back_routines(understanding, text):
    match = understanding.match(text)
    both = {match.intent} | {a.intent for a in match.alternatives}
    assert both == {"routine:lower-back", "routine:upper-back"}, match
    assert len(match.alternatives) == 1 and match.area == "back"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("my lower back hurts", "routine:lower-back"),
        ("a knot under my shoulder blade", "routine:upper-back"),
        ("back", "command:back"),  # a command, not a body part
        ("go back", "command:back"),
        ("what causes a knot in your back", "info:causes"),  # a question stays a question
        ("my back garden needs mowing", "none"),
        ("put it in my back pocket", "none"),  # "my back" describing a thing
        ("he always has my back", "none"),  # an idiom, not a body part
        ("my soldiers are so tight", "routine:shoulders"),  # the matcher's near miss stays
        ("the backs of my legs are tight", "routine:legs"),  # "backs" is an area word too
    ],
)
def test_what_the_area_does_not_decide(understanding, text, intent):
    match = understanding.match(text)
    assert match.intent == intent and match.area is None, match


@pytest.mark.parametrize("text", ["I have a knot", "I've got a knot", "i am so sore"])
def test_a_complaint_without_an_area_asks_where(understanding, text):
    assert understanding.match(text).intent == WHERE


@pytest.mark.parametrize(
    ("answer", "routine"),
    [("lower", "lower-back"), ("the upper one", "upper-back"), ("middle", "upper-back")],
)
def test_answers_to_the_area_question(understanding, answer, routine):
    assert understanding.areas.answer("back", answer) == routine


def test_an_answer_that_names_no_side_picks_nothing(understanding):
    assert understanding.areas.answer("back", "hmm not sure") is None
    assert understanding.areas.answer(None, "lower") is None


@pytest.mark.parametrize(
    "text",
    [
        "the knot in my shoelace won't come undone",  # a thing (areas.yaml not_muscles)
        "i've got a sore throat",  # a part no routine is for
        "we're tying the knot next june",  # a saying
        "the hinge on the wardrobe door is stiff",
    ],
)
def test_a_complaint_word_said_of_no_muscle_is_not_asked_where(understanding, text):
    assert understanding.match(text).intent == "none"


def test_a_complaint_of_oneself_beside_a_thing_still_asks_where(understanding):
    match = understanding.match("tying my shoelaces is a mission everything's stiff")
    assert match.intent == WHERE, match
