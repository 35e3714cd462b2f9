"""Floors on the labelled safety sets, both parts: the dev part the screen was tuned on
(tests/data/safety_utterances.tsv, safety_heldout_2 to _19 (each held out once in an earlier
round) and safety_dev_12, _14 to _16, _21 to _23 (tuning sets); their phrasings also teach the
likeness model) and the held-out part scored once after tuning (safety_heldout_20.tsv). "Caught"
counts red flags acted on at once; one asked about ("Did you say ...?") is not counted as
caught, nor an everyday utterance asked about as a false alarm. The figures are in
benchmarks/RESULTS.md, with their commands."""

from __future__ import annotations

import pytest

from tests.conftest import DATA_DIR
from voicecare.safety.evaluation import read_safety_set, score

SET = [
    utterance
    for name in ["safety_utterances.tsv"]
    + [f"safety_heldout_{n}.tsv" for n in (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 17, 18, 19, 20)]
    + [f"safety_dev_{n}.tsv" for n in (12, 14, 15, 16, 21, 22, 23)]
    for utterance in read_safety_set(DATA_DIR / name)
]
# Floors at what was measured, so that a content change that costs recall or adds false
# alarms fails here (held-out set 20, its one scoring in session 9: 99.5% caught, 100% caught
# or asked, 11 of 560 false alarms = 1.96%; the dev sets, whose phrasings the likeness model
# learned, near 100%). See RESULTS.md.
# split: (least caught, least caught or asked, most false alarms)
FLOORS = {"dev": (0.995, 0.998, 0.002), "held-out": (0.99, 0.995, 0.02)}


def test_the_set_is_big_enough_and_covers_every_sign(library):
    signs = {s.id for s in library.safety.red_flags.signs}
    positives = [u for u in SET if u.sign != "-"]
    assert len(positives) >= 150 and len(SET) - len(positives) >= 150
    assert {u.sign for u in positives} == signs
    for split in FLOORS:
        assert {u.sign for u in positives if u.split == split} == signs, split


@pytest.mark.parametrize("split", sorted(FLOORS))
def test_recall_and_false_alarms(understanding, split):
    report = score(understanding.safety, [u for u in SET if u.split == split])
    least_recall, least_caught_or_asked, most_false_alarms = FLOORS[split]
    # Counts only: the held-out utterances are not read while tuning (their texts would be).
    assert report.recall >= least_recall, f"{len(report.missed)} red flags missed"
    assert report.caught_or_asked >= least_caught_or_asked
    assert report.false_alarm_rate <= most_false_alarms, f"{report.false_alarms} false alarms"
