import pytest

from voicecare.normalize import normalize, number_to_words, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Um, OK so there's a knot in my shoulder!", "there is a knot in my shoulder"),
        ("I can't turn my head", "i can not turn my head"),
        ("i cant turn my head", "i can not turn my head"),
        ("whats next", "what is next"),
        ("hold for 30 seconds please", "hold for thirty seconds"),
        ("it's [unk] stiff", "it is stiff"),
        ("upper-back", "upper back"),
        ("I\u2019m sore", "i am sore"),
        ("re start the routine", "restart the routine"),  # a recognizer split the prefix
        ("un pause", "unpause"),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_only_fillers_are_kept_because_they_are_the_message():
    assert words("okay") == ("okay",)
    assert words("um okay") == ("um", "okay")


def test_punctuation_only_is_empty():
    assert words(" ... !? ") == ()


@pytest.mark.parametrize(
    ("number", "spoken"),
    [
        (0, "zero"),
        (7, "seven"),
        (15, "fifteen"),
        (30, "thirty"),
        (45, "forty five"),
        (100, "one hundred"),
        (250, "two hundred fifty"),
    ],
)
def test_number_to_words(number, spoken):
    assert number_to_words(number) == spoken
