"""Pronunciations, hand-written in the phone set of the pocketsphinx en-us model (ARPAbet
without stress marks), for words the content uses that the wheel's cmudict lacks.

This is data, not code: add a line when ``voicecare doctor`` reports a content word as
missing from the dictionary. Written 2026-11-24 for the 37 words the content then used; a
word may have several pronunciations (British and American "-ising", "masseuse" with S or Z).
Words in the wheel's dictionary take its pronunciations; these are used only for the others.
"""

from __future__ import annotations

SUPPLEMENT: dict[str, tuple[str, ...]] = {
    "agonising": ("AE G AH N AY Z IH NG",),
    "deltoid": ("D EH L T OY D",),
    "deltoids": ("D EH L T OY D Z",),
    "delts": ("D EH L T S",),
    "flexor": ("F L EH K S ER",),
    "flexors": ("F L EH K S ER Z",),
    "glute": ("G L UW T",),
    "glutes": ("G L UW T S",),
    "gluteus": ("G L UW T IY AH S",),
    "hammies": ("HH AE M IY Z",),
    "hunching": ("HH AH N CH IH NG",),
    "kink": ("K IH NG K",),
    "knotting": ("N AA T IH NG",),
    "lowerback": ("L OW ER B AE K",),
    "masseur": ("M AH S ER", "M AE S ER"),
    "masseuse": ("M AH S UW Z", "M AH S UW S"),
    "myofascial": ("M AY OW F AE SH AH L", "M AY OW F AE SH IY AH L"),
    "nape": ("N EY P",),
    "osteopath": ("AA S T IY AH P AE TH",),
    "overstretch": ("OW V ER S T R EH CH",),
    "overstretching": ("OW V ER S T R EH CH IH NG",),
    "physiotherapist": ("F IH Z IY OW TH EH R AH P IH S T",),
    "piriformis": ("P IH R AH F AO R M IH S",),
    "rhomboid": ("R AA M B OY D",),
    "rhomboids": ("R AA M B OY D Z",),
    "rotator": ("R OW T EY T ER",),
    "sacroiliac": ("S AE K R OW IH L IY AE K",),
    "sacrum": ("S AE K R AH M", "S EY K R AH M"),
    "sciatica": ("S AY AE T IH K AH",),
    "shins": ("SH IH N Z",),
    "tailbone": ("T EY L B OW N",),
    "thunderclap": ("TH AH N D ER K L AE P",),
    "tingles": ("T IH NG G AH L Z",),
    "tingly": ("T IH NG G L IY", "T IH NG L IY"),
    "trapezius": ("T R AH P IY Z IY AH S",),
    "tricep": ("T R AY S EH P",),
    "unpause": ("AH N P AO Z",),
}


def supplement_lines(words: set[str]) -> list[str]:
    """Dictionary lines (``word``, ``word(2)`` ...) for those of these words listed here."""
    lines = []
    for word in sorted(words & SUPPLEMENT.keys()):
        for number, phones in enumerate(SUPPLEMENT[word], start=1):
            head = word if number == 1 else f"{word}({number})"
            lines.append(f"{head} {phones}\n")
    return lines
