"""The safety screen on the bundled content: concepts, negation, guards, pairs, near misses,
and the content checks built on it."""

from __future__ import annotations

import pytest

from voicecare.content import load_library
from voicecare.safety import SafetyScreen, content_problems


@pytest.fixture(scope="module")
def screen(library) -> SafetyScreen:
    return SafetyScreen(library.safety.red_flags)


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("I can't feel my legs", "numbness"),
        ("my hand went dead", "numbness"),
        ("my foot has gone to sleep and won't wake up", "numbness"),
        ("I passed out", "fainting"),
        ("I can't breathe", "breathing"),
        ("trouble breathing", "breathing"),
        ("shortness of breath", "breathing"),
        ("I feel dizzy when I turn my head", "dizziness"),
        ("my knee is swollen", "swollen-limb"),
        ("my calf hurts and it is warm", "swollen-limb"),
        ("I hit my head", "head-injury"),
        ("my face is drooping", "stroke"),
        ("I keep dropping things", "weakness"),
        ("my leg buckled under me", "weakness"),
        ("there is a pressure in my chest", "chest-pain"),
        ("I have a fever and a stiff neck", "fever-stiff-neck"),
        ("a sudden headache, the worst I have had", "sudden-headache"),
        ("I heard a pop in my ankle", "injury"),
        ("I can't put weight on my foot", "injury"),
        ("the pain is ten out of ten", "severe-pain"),
        ("pain is shooting down my leg", "radiating-pain"),
        ("I cannot control my bladder", "bladder-bowel"),
        # A list of can'ts does not negate the last one, nor "without" its own pattern.
        ("can't sleep, can't sit, can't stand the pain", "severe-pain"),
        ("I can't stand without swaying", "dizziness"),
        # "can not walk" negates walking, not the spinning that follows.
        ("I can't walk straight, everything's spinning", "dizziness"),
        ("my head's swimming", "dizziness"),
        # Said as people say it: content's spellings, a dropped final g.
        ("shootin pains doon ma leg", "radiating-pain"),
        ("me heed's spinnin like", "dizziness"),
        ("I used to get numb hands at night but now it's there all day long", "numbness"),
    ],
)
def test_concepts_said_in_many_ways(screen, text, sign):
    finding = screen.check(text)
    assert finding is not None and finding.certain, text
    assert finding.sign == sign


@pytest.mark.parametrize(
    "text",
    [
        "my back hurts",
        "I have a stiff neck",
        "I have a tension headache",
        "my neck is stiff and sore",
        "my laptop keeps crashing",
        "play some music",
        # "as" is not "a is" ("X's" read as "X is" only for longer words).
        "can't lift my leg as high as you say, I'm just not flexible",
        "my chiropractor cracked my back yesterday, feel loads better",
        "the remote fell and the batteries popped out",
        "I can't feel any numbness",
        "it's nowhere near the worst headache, it's a mild one",
        "the power went out during the film",
        "no numbness or tingling",
        "it is not tingling",
        "I don't have any pins and needles",
        "no fever but my neck is stiff",
        "I fell asleep on the sofa and woke up stiff",
        "there is a faint ache in my shoulder",
        "take a deep breath",
        "I can't hold the stretch for long",
        "my calves are tight after a warm up",
        "my arm is not weak, just tired",
    ],
)
def test_everyday_complaints_and_negations_do_not_fire(screen, text):
    assert screen.check(text) is None


def test_negation_ends_at_a_breaker(screen):
    assert screen.check("no pain but my fingers are numb") is not None


def test_the_most_urgent_sign_wins(screen):
    finding = screen.check("my arm is numb and I have chest pain")
    assert finding is not None and finding.sign == "chest-pain"


def test_a_near_miss_is_a_doubtful_finding_with_the_corrected_words(screen):
    finding = screen.check("my arm is numbb")
    assert finding is not None
    assert not finding.certain
    assert finding.heard_as == "my arm is numb"


def test_known_words_are_never_corrected(library):
    screen = SafetyScreen(library.safety.red_flags, known_words=["numbb"])
    assert screen.check("my arm is numbb") is None


def test_bundled_examples_fire_their_sign_and_counter_examples_none(screen):
    assert content_problems(screen) == []


def test_an_example_that_does_not_fire_is_a_content_problem(content_copy):
    text = (content_copy / "safety.yaml").read_text()
    text = text.replace("- I passed out\n", "- I had a lovely walk\n", 1)
    (content_copy / "safety.yaml").write_text(text)
    screen = SafetyScreen(load_library(content_copy).safety.red_flags)
    assert content_problems(screen) == [
        "safety.yaml: red flag sign 'fainting': examples[0]: 'I had a lovely walk' fires no sign"
    ]


def test_a_new_sign_needs_no_code(content_copy):
    text = (content_copy / "safety.yaml").read_text()
    text = text.replace(
        "  signs:\n",
        "  signs:\n"
        "    - id: eye-injury\n"
        "      urgency: medical\n"
        "      question: Did you say something got in your eye?\n"
        "      patterns: ['(something|grit|dust) ... (in|into) my eye']\n"
        "      examples: [there is grit in my eye, something flew into my eye]\n",
        1,
    )
    (content_copy / "safety.yaml").write_text(text)
    screen = SafetyScreen(load_library(content_copy).safety.red_flags)
    finding = screen.check("I think there's something in my eye")
    assert finding is not None and finding.sign == "eye-injury"
    assert content_problems(screen) == []


def test_sentences_for_the_recognizer_cover_every_sign(screen, library):
    said = {" ".join(sentence) for sentence in screen.sentences()}
    for sign in library.safety.red_flags.signs:
        assert any(screen.check(s) and screen.check(s).sign == sign.id for s in said), sign.id


@pytest.mark.parametrize(
    "text",
    [
        "my avatar fainted in the game",
        "I'm dizzy with joy",
        "my gran used to faint when she saw blood",
    ],
)
def test_not_meant_seriously_or_long_ago_is_asked_about_not_advised(screen, text):
    finding = screen.check(text)
    assert finding is not None and not finding.certain


@pytest.mark.parametrize(
    ("text", "certain"),
    [
        ("my daughter always says her feet go numb in ski boots", False),
        ("my boss always complains his chest is tight after the stairs", False),
        # someone else's red flag now is acted on, and so is one the speaker comes into
        ("my dad just collapsed in the garden", True),
        ("my wife always says my face is drooping on one side", True),
    ],
)
def test_a_habit_of_someone_else_is_asked_about_but_their_red_flag_now_is_acted_on(
    screen, text, certain
):
    finding = screen.check(text)
    assert finding is not None and finding.certain is certain


def test_a_guard_said_is_not_undone_by_reading_plurals_as_is(screen):
    # "words" is read "word is" for "the room's spinning"; the guard of the words as said holds
    assert screen.check("i can't find the words to thank you") is None
    assert screen.check("head on the pillow and knees bent right") is None
    assert screen.check("i can't find the words, my speech is slurred") is not None


@pytest.mark.parametrize("text", ["like", "um like", "okay so", "uh", "and", "and i", "down"])
def test_fillers_and_function_words_alone_are_never_guessed_to_be_a_red_flag(understanding, text):
    # The likeness model alone once asked about "like" as a sudden headache and acted on
    # "and" as a fever with a stiff neck: words a recognizer hears in noise.
    assert understanding.safety.likeness is not None
    assert understanding.safety.check(text) is None


def test_a_filler_with_a_symptom_is_still_guessed(understanding):
    assert understanding.safety.check("um like i can't feel my hand") is not None
