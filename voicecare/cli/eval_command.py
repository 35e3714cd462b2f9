"""``voicecare eval``: speak a labelled set with espeak-ng, mix noise, recognize, match, report."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from voicecare.cli.output import notice
from voicecare.cli.settings_builder import build_eval_settings, build_settings
from voicecare.content import load_library
from voicecare.matching import NONE
from voicecare.settings import EvalSettings, ListeningSettings, Settings
from voicecare.understanding import Understanding, recognition_vocabulary

if TYPE_CHECKING:  # the evaluation (numpy, espeak-ng) loads only when it runs
    from voicecare.evaluation.metrics import Trial
    from voicecare.evaluation.runner import Plan
    from voicecare.evaluation.synthesis import SpeechSynthesizer
    from voicecare.listening.recognizer import Recognizer

logger = logging.getLogger(__name__)


def run_eval(args: argparse.Namespace) -> int:
    from voicecare.evaluation import corpus, report
    from voicecare.evaluation.metrics import summarize
    from voicecare.evaluation.runner import Plan
    from voicecare.evaluation.synthesis import SpeechSynthesizer

    settings = build_settings(args)
    evaluation = build_eval_settings(args)
    if evaluation.plot_file is not None:
        report.check_plotting()
    library = load_library(settings.content_dir)
    understanding = Understanding(library, settings.matcher)
    set_path = evaluation.set_file or corpus.default_set_path()
    examples = corpus.load_set(set_path, {*understanding.intents, NONE})
    examples = corpus.subset(examples, evaluation.limit)
    synthesizer = SpeechSynthesizer(evaluation.cache_dir)
    synthesizer.check_voices(evaluation.voices)
    engines = _engines(settings, evaluation, library)
    plan = Plan(examples, evaluation.voices, evaluation.rates, evaluation.snrs)

    started = time.perf_counter()
    _speak_all(plan, synthesizer)
    speaking = time.perf_counter() - started
    trials = _run_with_progress(plan, synthesizer, engines, understanding)
    seconds = time.perf_counter() - started
    summaries = summarize(trials)
    print(report.table(summaries))
    print(
        f"\n{len(examples)} utterances x {len(plan.voices)} voices x {len(plan.rates)} rates "
        f"x {len(plan.snrs)} SNRs in {seconds:.0f} s; speech: {synthesizer.made} synthesized, "
        f"{synthesizer.reused} from cache, in {speaking:.1f} s",
        file=sys.stderr,
    )
    if evaluation.json_file is not None:
        about = _about(evaluation, set_path, list(engines), synthesizer, len(examples))
        report.write_json(
            evaluation.json_file,
            {**about, "seconds": round(seconds, 2), "speaking_seconds": round(speaking, 2)},
            summaries,
            trials,
        )
    if evaluation.plot_file is not None:
        report.plot(evaluation.plot_file, summaries)
    return 0


def _engines(
    settings: Settings, evaluation: EvalSettings, library
) -> dict[str, Callable[[], Recognizer]]:
    """Each engine by the name of what it resolved to ("auto" becomes vosk or pocketsphinx),
    as a factory of fresh recognizers; built once here so a bad model fails at once."""
    from voicecare.listening.engines import create_recognizer

    engines: dict[str, Callable[[], Recognizer]] = {}
    for engine in evaluation.engines:
        first = create_recognizer(
            replace(settings.listening, engine=engine), recognition_vocabulary(library), notice
        )
        name = type(first).__name__.removesuffix("Recognizer").lower()
        if name in engines:
            continue
        resolved = replace(settings.listening, engine=name)
        unused = [first]

        def make(resolved: ListeningSettings = resolved, unused: list = unused) -> Recognizer:
            return (
                unused.pop()
                if unused
                else create_recognizer(resolved, recognition_vocabulary(library), notice)
            )

        engines[name] = make
    return engines


def _speak_all(plan: Plan, synthesizer: SpeechSynthesizer) -> None:
    from tqdm import tqdm

    clips = list(plan.clips())
    for example, voice, rate in tqdm(clips, desc="speaking", unit="clip", disable=None):
        synthesizer.speak(example.text, voice, rate)


def _run_with_progress(plan: Plan, synthesizer, engines, understanding) -> list[Trial]:
    from tqdm import tqdm

    from voicecare.evaluation.runner import run_plan

    total = plan.trials_per_engine * len(engines)
    with tqdm(total=total, desc="hearing", unit="utt", disable=None, smoothing=0.05) as bar:
        return list(run_plan(plan, synthesizer.load, engines, understanding.match, bar.update))


def _about(
    evaluation: EvalSettings, set_path, engines: list[str], synthesizer, utterances: int
) -> dict[str, Any]:
    from voicecare.evaluation.metrics import snr_label
    from voicecare.evaluation.noise import LEAD_SECONDS, NOISE_KIND, SPEECH_DBFS

    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "set": str(set_path),
        "utterances": utterances,
        "limit": evaluation.limit,
        "engines": engines,
        "voices": list(evaluation.voices),
        "rates_wpm": list(evaluation.rates),
        "snr": [snr_label(snr) for snr in evaluation.snrs],
        "noise": f"{NOISE_KIND}, seeded per utterance, voice and rate",
        "speech_level_dbfs": SPEECH_DBFS,
        "lead_silence_seconds": LEAD_SECONDS,
        "espeak_ng": synthesizer.version,
        "synthesis": {"made": synthesizer.made, "from_cache": synthesizer.reused},
    }
