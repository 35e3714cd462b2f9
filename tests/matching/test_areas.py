"""Body areas route a complaint: one clear area, an ambiguous one, or none at all."""

from __future__ import annotations

import pytest

from voicecare.matching.intents import WHERE, Match


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
        "my scarf's got a knot i can't undo",  # "scarf's" is heard "scarfs"
        "the boat was doing twelve knots",
        "it's a real pain getting parking round here",
    ],
)
def test_a_complaint_word_said_of_no_muscle_is_not_asked_where(understanding, text):
    assert understanding.match(text).intent == "none"


@pytest.mark.parametrize(
    ("text", "score", "intent"),
    [
        ("these shoes are too tight", 5.0, "none"),  # the classifier saw no meaning
        ("the past tense of run is ran", 1.0, "none"),
        ("i'm stiff as a board", 32.0, WHERE),  # it saw some: ask where
        ("these shoes are too tight", 40.0, WHERE),
    ],
)
def test_nothing_with_a_complaint_word_asks_where_only_if_the_classifier_saw_meaning(
    understanding, text, score, intent
):
    """The score of a ``none`` match is the classifier's best intent's probability x 100."""
    routed = understanding.areas.route(Match(text=text, intent="none", score=score))
    assert routed.intent == intent, routed


def test_a_complaint_of_oneself_beside_a_thing_still_asks_where(understanding):
    match = understanding.match("tying my shoelaces is a mission everything's stiff")
    assert match.intent == WHERE, match


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("my mum's neck has been bad since the operation", "routine:neck"),
        ("the dog's shoulder is sore after the vet", "routine:shoulders"),
        ("her left calf keeps cramping she says", "routine:legs"),
        ("my brother's back is bad", "routine:lower-back"),  # an ambiguous area
        ("my brother's back is bad", "none"),
    ],
)
def test_a_body_part_of_someone_else_starts_no_routine(understanding, text, intent):
    """areas.yaml ``others``: the router turns the matcher's routine into nothing, whatever
    the classifier thought."""
    routed = understanding.areas.route(Match(text=text, intent=intent, score=90.0))
    assert routed.intent == "none", routed


@pytest.mark.parametrize(
    ("text", "score", "intent"),
    [
        ("got a knot in the shoulder", 41.0, "routine:shoulders"),  # a complaint, some meaning
        ("got a knot in the shoulder", 10.0, "none"),  # the classifier saw none
        ("got the shoulder", 41.0, "none"),  # no complaint word
        ("such a pain in the neck", 41.0, "none"),  # a saying (areas.yaml not_muscles)
    ],
)
def test_a_complaint_about_one_routines_area_that_the_classifier_doubted(
    understanding, text, score, intent
):
    routed = understanding.areas.route(Match(text=text, intent="none", score=score))
    assert routed.intent == intent, routed


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("the chair arms are all scratched", "routine:arms-wrists"),  # right before it
        ("the legs of the table are wobbly", "routine:legs"),  # "of" a thing right after it
        ("that piano has lovely carved legs", "routine:legs"),  # earlier, nothing of oneself
        ("the back of the sofa is ripped", "routine:upper-back"),
    ],
)
def test_a_body_word_that_is_a_things_part_starts_no_routine(understanding, text, intent):
    """areas.yaml ``things``."""
    routed = understanding.areas.route(Match(text=text, intent=intent, score=90.0))
    assert routed.intent == "none", routed


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("after the race my legs are dead", "routine:legs"),  # the speaker's own legs
        ("my legs ache from sitting on this chair", "routine:legs"),
        ("legs are dead after the race", "routine:legs"),  # the thing comes after
    ],
)
def test_ones_own_body_part_beside_a_thing_still_starts_its_routine(understanding, text, intent):
    routed = understanding.areas.route(Match(text=text, intent=intent, score=90.0))
    assert routed.intent == intent, routed


@pytest.mark.parametrize(
    "text",
    ["my neck is sore", "i told her my neck is sore", "his music is loud and my neck is stiff"],
)
def test_ones_own_body_part_beside_someone_else_still_starts_its_routine(understanding, text):
    routed = understanding.areas.route(Match(text=text, intent="routine:neck", score=90.0))
    assert routed.intent == "routine:neck", routed


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("that's a weight off my shoulders", "routine:shoulders"),
        ("she's been giving me the cold shoulder", "routine:shoulders"),
        ("you're pulling my leg", "routine:legs"),
        ("i've got a knot in my stomach about this keep an eye on it", "ask:where"),
    ],
)
def test_a_saying_that_names_a_body_part_starts_no_routine(understanding, text, intent):
    """areas.yaml ``sayings``."""
    routed = understanding.areas.route(Match(text=text, intent=intent, score=90.0))
    assert routed.intent == "none", routed


def test_a_literal_complaint_is_no_saying(understanding):
    routed = understanding.areas.route(
        Match(text="my fingers and thumbs are stiff", intent="routine:arms-wrists", score=90.0)
    )
    assert routed.intent == "routine:arms-wrists", routed


@pytest.mark.parametrize(
    ("answer", "intent", "area"),
    [
        ("the neck", "routine:neck", None),  # too short for the classifier to be sure
        ("it's the leg i think", "routine:legs", None),
        ("the back", "routine:lower-back", "back"),  # an ambiguous area asks which
        ("his neck", None, None),  # someone else's
        ("no idea", None, None),
    ],
)
def test_an_answer_to_where_is_taken_by_the_area_it_names(understanding, answer, intent, area):
    named = understanding.areas.named(Match(text=answer, intent="none", score=0.0))
    assert (named and named.intent, named and named.area) == (intent, area), named
