"""``voicecare eval``: speak a labelled set (natural voices by default) or read recordings, mix
noise, recognize, match, report."""

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
from voicecare.errors import UsageError
from voicecare.matching import NONE
from voicecare.settings import EvalSettings, ListeningSettings, Settings
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.understanding import Understanding, recognition_vocabulary

if TYPE_CHECKING:  # the evaluation (numpy, the synthesizers) loads only when it runs
    from voicecare.evaluation.metrics import Trial
    from voicecare.evaluation.runner import Plan
    from voicecare.evaluation.synthesis import SpeechSynthesizer
    from voicecare.listening.recognizer import Recognizer

logger = logging.getLogger(__name__)


def run_eval(args: argparse.Namespace) -> int:
    from voicecare.evaluation import report
    from voicecare.evaluation.metrics import summarize
    from voicecare.evaluation.recordings import read_noise

    settings = build_settings(args)
    evaluation = build_eval_settings(args)
    if evaluation.plot_file is not None:
        report.check_plotting()
    library = load_library(settings.content_dir)
    understanding = Understanding(library, settings.matcher, weights=CachedWeights())
    noise = None if evaluation.noise_file is None else read_noise(evaluation.noise_file)
    started = time.perf_counter()
    if evaluation.recordings is not None:
        trials, about = _hear_recordings(settings, evaluation, library, understanding, noise)
    else:
        trials, about = _hear_synthesized(settings, evaluation, library, understanding, noise)
    seconds = time.perf_counter() - started
    summaries = summarize(trials)
    print(report.table(summaries))
    if evaluation.json_file is not None:
        report.write_json(
            evaluation.json_file, {**about, "seconds": round(seconds, 2)}, summaries, trials
        )
    if evaluation.plot_file is not None:
        report.plot(evaluation.plot_file, summaries, _noise_name(evaluation))
    return 0


def _hear_synthesized(
    settings: Settings, evaluation: EvalSettings, library, understanding, noise
) -> tuple[list[Trial], dict[str, Any]]:
    from voicecare.evaluation import corpus
    from voicecare.evaluation.runner import Plan
    from voicecare.evaluation.synthesis import SpeechSynthesizer

    set_path = evaluation.set_file or corpus.default_set_path()
    examples = corpus.load_set(set_path, {*understanding.intents, NONE})
    examples = corpus.subset(examples, evaluation.limit)
    synthesizer = SpeechSynthesizer(evaluation.cache_dir)
    voices = _voices(evaluation, synthesizer)
    engines = _engines(settings, evaluation, library)
    plan = Plan(examples, voices, evaluation.rates, evaluation.snrs)

    started = time.perf_counter()
    _speak_all(plan, synthesizer)
    speaking = time.perf_counter() - started
    trials = _run_with_progress(plan, synthesizer, engines, understanding, noise)
    print(
        f"\n{len(examples)} utterances x {len(plan.voices)} voices x {len(plan.rates)} rates "
        f"x {len(plan.snrs)} SNRs in {time.perf_counter() - started:.0f} s; speech: "
        f"{synthesizer.made} synthesized, {synthesizer.reused} from cache, in {speaking:.1f} s",
        file=sys.stderr,
    )
    about = _about(evaluation, list(engines), len(examples))
    about.update(
        set=str(set_path),
        voices=list(voices),
        synthesizers=synthesizer.versions(voices),
        rates_wpm=list(evaluation.rates),
        speech_level_dbfs=_speech_level(),
        synthesis={"made": synthesizer.made, "from_cache": synthesizer.reused},
        speaking_seconds=round(speaking, 2),
    )
    return trials, about


def _voices(evaluation: EvalSettings, synthesizer: SpeechSynthesizer) -> tuple[str, ...]:
    """The voices asked for, checked; by default the natural voices installed here, with one
    line naming those that are not."""
    from voicecare.evaluation.voices import APT_HINT, NATURAL_VOICES, installed

    if evaluation.voices is not None:
        synthesizer.check_voices(evaluation.voices)
        return evaluation.voices
    usable, missing = installed(NATURAL_VOICES, synthesizer.backends)
    if not usable:
        raise UsageError(
            "no natural voice is installed for 'voicecare eval'; install them "
            f"({APT_HINT}; pip install hibari-tts) or name voices with --voices espeak:en-us"
        )
    if missing:
        notice(f"natural voices left out (not installed): {'; '.join(missing)}")
    return tuple(usable)


def _hear_recordings(
    settings: Settings, evaluation: EvalSettings, library, understanding, noise
) -> tuple[list[Trial], dict[str, Any]]:
    from tqdm import tqdm

    from voicecare.evaluation.recordings import load_recordings, subset
    from voicecare.evaluation.runner import run_recordings

    assert evaluation.recordings is not None
    for option, value in (("--voices", evaluation.voices), ("--set", evaluation.set_file)):
        if value is not None:
            raise UsageError(
                f"--recordings hears recorded speech; {option} is for synthesized speech: "
                "leave one of them out"
            )
    recordings = load_recordings(evaluation.recordings, {*understanding.intents, NONE})
    recordings = subset(recordings, evaluation.limit)
    engines = _engines(settings, evaluation, library)
    total = len(recordings) * len(evaluation.snrs) * len(engines)
    with tqdm(total=total, desc="hearing", unit="file", disable=None, smoothing=0.05) as bar:
        trials = list(
            run_recordings(
                recordings, evaluation.snrs, engines, understanding.match, bar.update, noise
            )
        )
    about = _about(evaluation, list(engines), len(recordings))
    about["recordings"] = str(evaluation.recordings)
    return trials, about


def _engines(
    settings: Settings, evaluation: EvalSettings, library
) -> dict[str, Callable[[], Recognizer]]:
    """Each engine by the name of what it resolved to ("auto" becomes vosk, pocketsphinx or
    two-pass), as a factory of fresh recognizers; built once here so a bad model fails at
    once."""
    from voicecare.listening.engines import create_recognizer

    engines: dict[str, Callable[[], Recognizer]] = {}
    for engine in evaluation.engines:
        first = create_recognizer(
            replace(settings.listening, engine=engine), recognition_vocabulary(library), notice
        )
        name = (
            getattr(first, "engine_name", "")
            or type(first).__name__.removesuffix("Recognizer").lower()
        )
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


def _run_with_progress(plan: Plan, synthesizer, engines, understanding, noise) -> list[Trial]:
    from tqdm import tqdm

    from voicecare.evaluation.runner import run_plan

    total = plan.trials_per_engine * len(engines)
    with tqdm(total=total, desc="hearing", unit="utt", disable=None, smoothing=0.05) as bar:
        return list(
            run_plan(plan, synthesizer.load, engines, understanding.match, bar.update, noise)
        )


def _about(evaluation: EvalSettings, engines: list[str], utterances: int) -> dict[str, Any]:
    from voicecare.evaluation.metrics import snr_label
    from voicecare.evaluation.noise import LEAD_SECONDS

    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "utterances": utterances,
        "limit": evaluation.limit,
        "engines": engines,
        "snr": [snr_label(snr) for snr in evaluation.snrs],
        "noise": _noise_name(evaluation),
        "lead_silence_seconds": None if evaluation.recordings else LEAD_SECONDS,
    }


def _noise_name(evaluation: EvalSettings) -> str:
    if evaluation.noise_file is not None:
        return f"{evaluation.noise_file.name}, mixed by loudest frames, seeded"
    if evaluation.recordings is not None:
        return "pink, mixed by loudest frames, seeded"
    return "pink, seeded per utterance, voice and rate"


def _speech_level() -> float:
    from voicecare.evaluation.noise import SPEECH_DBFS

    return SPEECH_DBFS
