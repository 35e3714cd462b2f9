"""The evaluation loop: every utterance x voice x rate x SNR reaches every engine once, and an
engine that raises on one clip is counted, not fatal. (Recognition itself is tested with real
engines in test_eval_cli.py; the recognizers here only stand in for the loop's bookkeeping.)"""

from __future__ import annotations

import pytest

from tests.listening.speech import require_espeak
from voicecare.evaluation.metrics import summarize
from voicecare.evaluation.runner import Plan, run_plan
from voicecare.evaluation.synthesis import SpeechSynthesizer
from voicecare.heard import Heard
from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer
from voicecare.matching.evaluation import Example
from voicecare.understanding import recognition_vocabulary


class CountingRecognizer:
    """Says it heard "stop" for every clip; raises on the clip number ``fail_on``."""

    sample_rate = 16_000

    def __init__(self, fail_on: int | None = None) -> None:
        self.clips = 0
        self.fed = 0
        self.fail_on = fail_on

    def accept_audio(self, chunk: bytes) -> Heard | None:
        self.fed += len(chunk)
        return None

    def finish(self) -> Heard:
        self.clips += 1
        if self.clips == self.fail_on:
            raise IndexError("Out of bounds on buffer access (axis 0)")
        return Heard("stop", final=True)

    def reset(self) -> None:
        pass


@pytest.fixture
def plan() -> Plan:
    examples = [Example("stop", ("command:stop",)), Example("my neck", ("routine:neck",))]
    return Plan(examples, voices=["en-us", "en-gb-x-rp"], rates=[150], snrs=[None, 10.0])


def test_every_combination_reaches_every_engine_once(plan, tmp_path, understanding):
    require_espeak()
    one, two = CountingRecognizer(), CountingRecognizer()
    engines = {"one": lambda: one, "two": lambda: two}
    steps = []
    trials = list(
        run_plan(
            plan, SpeechSynthesizer(tmp_path).speak, engines, understanding.match, steps.append
        )
    )
    assert len(trials) == plan.trials_per_engine * 2 == 16
    assert sum(steps) == 16
    assert one.clips == two.clips == 8
    assert one.fed == two.fed > 0
    combos = {(t.engine, t.text, t.voice, t.rate, t.snr_db) for t in trials}
    assert len(combos) == 16
    assert all(t.transcript == "stop" and t.intent == "command:stop" for t in trials)


def test_an_engine_that_raises_is_counted_and_left_out(plan, tmp_path, understanding):
    require_espeak()
    flaky = CountingRecognizer(fail_on=2)
    trials = list(
        run_plan(
            plan, SpeechSynthesizer(tmp_path).speak, {"flaky": lambda: flaky}, understanding.match
        )
    )
    failed = [t for t in trials if t.error]
    assert len(trials) == 8
    assert [t.error for t in failed] == ["IndexError: Out of bounds on buffer access (axis 0)"]
    assert not failed[0].correct
    summaries = summarize(trials)
    assert [(s.voice, s.snr_db) for s in summaries] == [
        ("en-us", None), ("en-gb-x-rp", None), ("all", None),
        ("en-us", 10.0), ("en-gb-x-rp", 10.0), ("all", 10.0),
    ]  # fmt: skip
    us, british, clean, _, _, noisy = summaries
    assert (us.engine_errors, british.engine_errors) == (0, 1)  # the voice it failed on
    assert (us.trials, british.trials) == (2, 1)
    assert (clean.engine_errors, noisy.engine_errors) == (1, 0)
    assert (clean.trials, noisy.trials) == (3, 4)
    assert clean.accuracy == pytest.approx(1 / 3)  # "stop" once (once failed), "my neck" never
    assert noisy.accuracy == pytest.approx(2 / 4)


def test_each_snr_is_heard_by_a_fresh_recognizer(plan, tmp_path, understanding, library):
    """Clean results do not depend on which noisy conditions ran before them."""
    require_espeak()
    speech = SpeechSynthesizer(tmp_path).speak

    def pocketsphinx() -> PocketSphinxRecognizer:
        return PocketSphinxRecognizer.for_vocabulary(recognition_vocabulary(library))

    def clean_transcripts(snrs: list[float | None]) -> list[str]:
        said = [Example("my shoulders are tight", ("routine:shoulders",)), *plan.examples]
        noisy_first = Plan(said, ["en-us"], [150], snrs)
        trials = run_plan(noisy_first, speech, {"pocketsphinx": pocketsphinx}, understanding.match)
        return [t.transcript for t in trials if t.snr_db is None]

    alone = clean_transcripts([None])
    assert len(alone) == 3 and alone[0] == "my shoulders are tight"
    assert clean_transcripts([0.0, None]) == alone


class NumbRecognizer(CountingRecognizer):
    """Hears "my arm is numb", its next guesses not: a red flag the coach would ask about."""

    def finish(self) -> Heard:
        return Heard("my arm is numb", final=True, alternatives=("my arm is fine", "my arms"))


def test_the_engine_s_next_guesses_reach_the_safety_screen(tmp_path, understanding):
    require_espeak()
    plan = Plan([Example("my arm is numb", ("safety:red-flags",))], ["en-us"], [150], [None])
    speech = SpeechSynthesizer(tmp_path).speak
    (trial,) = run_plan(plan, speech, {"numb": NumbRecognizer}, understanding.match)
    assert trial.intent == "safety:red-flags" and trial.doubtful
    (summary,) = summarize([trial])
    assert (summary.red_flag_recall, summary.red_flags_asked) == (0.0, 1)
