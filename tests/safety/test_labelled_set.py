"""Floors on the labelled safety sets, both parts: the dev part the patterns were tuned on
(tests/data/safety_utterances.tsv and safety_heldout_2.tsv to _4.tsv, each held out once in
an earlier round) and the held-out part scored once after tuning (safety_heldout_5.tsv).
The figures are in benchmarks/RESULTS.md, with the commands that made them."""

from __future__ import annotations

import pytest

from tests.conftest import DATA_DIR
from voicecare.safety.evaluation import read_safety_set, score

SET = [
    utterance
    for name in ["safety_utterances.tsv"] + [f"safety_heldout_{n}.tsv" for n in range(2, 6)]
    for utterance in read_safety_set(DATA_DIR / name)
]
# Floors at what was measured (dev 99.8% / 0%; held-out 92.1% / 5.3%, its one scoring), so
# that a content change that costs recall or adds false alarms fails here. The goal
# (held-out recall 99%, false alarms at most 2%) is not reached: see RESULTS.md.
FLOORS = {"dev": (0.99, 0.01), "held-out": (0.92, 0.055)}


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
    least_recall, most_false_alarms = FLOORS[split]
    # Counts only: the held-out utterances are not read while tuning (their texts would be).
    assert report.recall >= least_recall, f"{len(report.missed)} red flags missed"
    assert report.false_alarm_rate <= most_false_alarms, f"{report.false_alarms} false alarms"
