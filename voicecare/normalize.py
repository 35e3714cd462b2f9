"""Turn what a recognizer (or a person typing) produced into comparable words.

Lower case, no punctuation, contractions expanded (with or without the apostrophe, since
recognizers drop it), digits spelled out, filler words removed.
"""

from __future__ import annotations

import re

FILLERS = frozenset(
    [
        "um",
        "umm",
        "uh",
        "uhh",
        "uhm",
        "er",
        "erm",
        "ah",
        "ahh",
        "hmm",
        "hm",
        "mm",
        "mmm",
        "please",
        "okay",
        "ok",
        "so",
        "well",
        "like",
        "just",
        "actually",
        "hey",
        "oh",
        "basically",
        "kinda",
        "kind_of",
        "voicecare",
    ]
)

CONTRACTIONS: dict[str, str] = {
    "im": "i am",
    "ive": "i have",
    "id": "i would",
    "ill": "i will",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "cant": "can not",
    "cannot": "can not",
    "wont": "will not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "havent": "have not",
    "hasnt": "has not",
    "couldnt": "could not",
    "shouldnt": "should not",
    "wouldnt": "would not",
    "its": "it is",
    "thats": "that is",
    "whats": "what is",
    "wheres": "where is",
    "hows": "how is",
    "theres": "there is",
    "heres": "here is",
    "lets": "let us",
    "youre": "you are",
    "theyre": "they are",
    "were": "were",
    "youve": "you have",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "gimme": "give me",
    "lemme": "let me",
}
# "ill" is usually "i'll" from a recognizer; "sick" is the word people use for ill.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_NON_WORD = re.compile(r"[^a-z0-9' ]+")
_DIGITS = re.compile(r"\d+")

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_to_words(number: int) -> str:
    """0 to 999 in words; larger numbers digit by digit."""
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + ("" if ones == 0 else " " + _ONES[ones])
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        head = _ONES[hundreds] + " hundred"
        return head if rest == 0 else f"{head} {number_to_words(rest)}"
    return " ".join(_ONES[int(d)] for d in str(number))


def words(text: str, *, drop_fillers: bool = True) -> tuple[str, ...]:
    """The normalized words of ``text``.

    When every word is a filler ("okay"), the fillers are kept: they are the message.
    """
    lowered = text.lower().translate(_APOSTROPHES).replace("-", " ").replace("_", " ")
    lowered = lowered.replace("[unk]", " ")
    lowered = _DIGITS.sub(lambda m: f" {number_to_words(int(m.group()))} ", lowered)
    cleaned = _NON_WORD.sub(" ", lowered)
    expanded: list[str] = []
    for token in cleaned.split():
        token = token.strip("'")
        if not token:
            continue
        bare = token.replace("'", "")
        if token.endswith("'s") and bare not in CONTRACTIONS:
            bare = bare[:-1] if bare[:-1] in {"it", "that", "what", "there", "here"} else bare
        expanded.extend(CONTRACTIONS.get(bare, bare).split())
    expanded = _join_split_prefixes(expanded)
    if not drop_fillers:
        return tuple(expanded)
    kept = tuple(w for w in expanded if w not in FILLERS)
    return kept or tuple(expanded)


# Recognizers sometimes split a prefix off its word: "re start", "re peat".
_SPLIT_PREFIXES = frozenset(["re", "un"])


def _join_split_prefixes(tokens: list[str]) -> list[str]:
    joined: list[str] = []
    for token in tokens:
        if joined and joined[-1] in _SPLIT_PREFIXES:
            joined[-1] += token
        else:
            joined.append(token)
    return joined


def normalize(text: str) -> str:
    return " ".join(words(text))
