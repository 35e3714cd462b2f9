"""Spoken accuracy of the bundled PocketSphinx engine: eval utterances said by espeak-ng.

Takes every 5th utterance of tests/data/eval_utterances.tsv (a fixed subset), says it with
espeak-ng (voices alternating, 160 words a minute) between 0.5 s of silence before and
1.0 s after, optionally mixes in seeded white or pink noise at a signal-to-noise ratio,
runs one PocketSphinxRecognizer over all of them in order (as a session would) through
``transcribe``, and matches each transcript with Understanding (safety first, then intent).

    python -m benchmarks.spoken_accuracy                      # 100 utterances, clean
    python -m benchmarks.spoken_accuracy --snr 10             # white noise at 10 dB SNR
    python -m benchmarks.spoken_accuracy --snr 10 --noise pink --json
    python -m benchmarks.spoken_accuracy --offset 2           # a second, disjoint subset

Reports intent accuracy, out-of-domain false accepts, red-flag recall, word error rate
against the written utterance, real-time factor, and the time from the end of speech to
the final result: in audio seconds (how much audio after the last word the endpointer
needed) and wall-clock (processing time of the call that returned the final). Timings
are medians; the machine is shared, so they are noisy.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from voicecare.audio import SAMPLE_RATE, SAMPLE_WIDTH, float_to_pcm16, pcm16_to_float
from voicecare.content import load_library
from voicecare.heard import Heard
from voicecare.listening.engines import transcribe
from voicecare.listening.pocketsphinx_engine import (
    ENDPOINT_WINDOW,
    VAD_MODE,
    PocketSphinxRecognizer,
)
from voicecare.listening.recognizer import Recognizer
from voicecare.listening.wav_audio import read_wav
from voicecare.matching.evaluation import Example, evaluate, read_labelled
from voicecare.normalize import words
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.understanding import Understanding, recognition_vocabulary

EVAL_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval_utterances.tsv"
EVERY = 5
BEFORE, AFTER = 0.5, 1.0  # seconds of silence around each utterance
CHUNK_BYTES = 3200  # 0.1 s


@dataclass
class Clip:
    example: Example
    voice: str
    pcm: bytes
    speech_end: float  # seconds into the clip where espeak's speech ends


@dataclass
class Timings:
    processing: float = 0.0
    audio: float = 0.0
    end_to_final_audio: list[float] = field(default_factory=list)
    end_to_final_wall: list[float] = field(default_factory=list)
    finals_only_at_finish: int = 0


class TimedRecognizer:
    """Passes everything on to the engine, noting when the last final came and how long the
    engine took."""

    def __init__(self, engine: Recognizer) -> None:
        self.engine = engine
        self.sample_rate = engine.sample_rate
        self.fed = 0  # bytes
        self.final_at: float | None = None  # audio seconds
        self.final_wall = 0.0
        self.busy = 0.0

    def accept_audio(self, chunk: bytes) -> Heard | None:
        started = time.perf_counter()
        heard = self.engine.accept_audio(chunk)
        spent = time.perf_counter() - started
        self.busy += spent
        self.fed += len(chunk)
        if heard is not None and heard.final and heard.text:
            self.final_at = self.fed / SAMPLE_WIDTH / self.sample_rate
            self.final_wall = spent
        return heard

    def finish(self) -> Heard:
        started = time.perf_counter()
        heard = self.engine.finish()
        self.busy += time.perf_counter() - started
        return heard

    def reset(self) -> None:
        self.engine.reset()


def speak(text: str, voice: str, rate: int) -> bytes:
    with tempfile.TemporaryDirectory(prefix="voicecare-bench-") as folder:
        wav = Path(folder) / "speech.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(wav), text],
            check=True,
            capture_output=True,
            timeout=30,
        )
        return read_wav(wav)


def noise(kind: str, count: int, rng: np.random.Generator) -> np.ndarray:
    white = rng.normal(0.0, 1.0, count)
    if kind == "white":
        return white
    spectrum = np.fft.rfft(white)
    frequencies = np.fft.rfftfreq(count, 1 / SAMPLE_RATE)
    spectrum[1:] /= np.sqrt(frequencies[1:])  # 1/f power
    spectrum[0] = 0.0
    pink = np.fft.irfft(spectrum, n=count)
    return pink / (np.std(pink) or 1.0)


def make_clip(example: Example, index: int, voice: str, args: argparse.Namespace) -> Clip:
    speech = pcm16_to_float(speak(example.text, voice, args.rate))
    gap = np.zeros(round(BEFORE * SAMPLE_RATE))
    tail = np.zeros(round(AFTER * SAMPLE_RATE))
    samples = np.concatenate([gap, speech, tail])
    if args.snr is not None:
        speech_power = float(np.mean(speech**2)) or 1e-12
        scale = np.sqrt(speech_power / 10 ** (args.snr / 10))
        rng = np.random.default_rng(args.seed + index)
        samples = samples + scale * noise(args.noise, len(samples), rng)
    return Clip(example, voice, float_to_pcm16(samples), BEFORE + len(speech) / SAMPLE_RATE)


def word_errors(reference: tuple[str, ...], hypothesis: tuple[str, ...]) -> int:
    row = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, start=1):
        previous, row[0] = row[0], i
        for j, hyp in enumerate(hypothesis, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ref != hyp))
    return row[-1]


def parse_option(text: str) -> tuple[str, bool | float | str]:
    key, _, value = text.partition("=")
    if value.lower() in ("yes", "true", "no", "false"):  # pocketsphinx takes "no" as true
        return key, value.lower() in ("yes", "true")
    try:
        return key, float(value)
    except ValueError:
        return key, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=100, help="utterances (default 100)")
    parser.add_argument(
        "--offset", type=int, default=0, help="start the every-5th subset here (0-4)"
    )
    parser.add_argument("--snr", type=float, default=None, help="mix noise at this SNR in dB")
    parser.add_argument("--noise", choices=("white", "pink"), default="white")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--voices", default="en-us,en", help="espeak-ng voices, alternating")
    parser.add_argument("--rate", type=int, default=160, help="words per minute")
    parser.add_argument("--vad-mode", type=int, default=VAD_MODE, help="endpointer, 0-3")
    parser.add_argument(
        "--endpoint-window",
        type=float,
        default=ENDPOINT_WINDOW,
        help=f"seconds the endpointer decides on (default {ENDPOINT_WINDOW})",
    )
    parser.add_argument(
        "--decoder", action="append", default=[], metavar="KEY=VALUE", help="decoder option"
    )
    parser.add_argument(
        "--cold", action="store_true", help="a new engine per utterance (first after start)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--errors", action="store_true", help="list misrecognized utterances")
    args = parser.parse_args()
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed: apt-get install espeak-ng", file=sys.stderr)
        return 2
    voices = [v.strip() for v in args.voices.split(",") if v.strip()]
    examples = read_labelled(EVAL_SET)[args.offset :: EVERY][: args.limit]
    clips = [make_clip(e, i, voices[i % len(voices)], args) for i, e in enumerate(examples)]

    library = load_library()
    understanding = Understanding(library, weights=CachedWeights())
    decoder_options = dict(parse_option(o) for o in args.decoder)
    options = {
        "vad_mode": args.vad_mode,
        "endpoint_window": args.endpoint_window,
        "decoder_options": decoder_options,
    }
    engine = PocketSphinxRecognizer.for_vocabulary(recognition_vocabulary(library), **options)
    timings = Timings()
    heard: list[str] = []
    errors = reference_words = 0
    for clip in clips:
        if args.cold:
            engine = PocketSphinxRecognizer.for_vocabulary(
                recognition_vocabulary(library), **options
            )
        timed = TimedRecognizer(engine)
        text = transcribe(timed, clip.pcm, CHUNK_BYTES)
        heard.append(text)
        reference = words(clip.example.text, drop_fillers=False)
        errors += word_errors(reference, words(text, drop_fillers=False))
        reference_words += len(reference)
        timings.processing += timed.busy
        timings.audio += len(clip.pcm) / SAMPLE_WIDTH / SAMPLE_RATE
        if timed.final_at is None:
            timings.finals_only_at_finish += 1
        else:
            timings.end_to_final_audio.append(timed.final_at - clip.speech_end)
            timings.end_to_final_wall.append(timed.final_wall)
    transcripts = iter(heard)  # evaluate() matches the examples in order
    report = evaluate(examples, lambda _written: understanding.match(next(transcripts)))
    said = {id(example): text for example, text in zip(examples, heard, strict=True)}
    median = statistics.median
    result = {
        "utterances": report.total,
        "offset": args.offset,
        "voices": voices,
        "rate": args.rate,
        "cold": args.cold,
        "vad_mode": args.vad_mode,
        "endpoint_window": args.endpoint_window,
        "decoder_options": options["decoder_options"],
        "snr_db": args.snr,
        "noise": args.noise if args.snr is not None else None,
        "intent_accuracy": round(report.accuracy, 4),
        "family_accuracy": {k: round(v, 4) for k, v in report.family_accuracy().items()},
        "out_of_domain": report.out_of_domain,
        "ood_false_accepts": report.false_accepts,
        "red_flag_recall": round(report.red_flag_recall, 4),
        "red_flags": report.red_flags,
        "word_error_rate": round(errors / max(1, reference_words), 4),
        "real_time_factor": round(timings.processing / timings.audio, 4),
        "end_to_final_audio_s_median": round(median(timings.end_to_final_audio), 3)
        if timings.end_to_final_audio
        else None,
        "end_to_final_wall_ms_median": round(1000 * median(timings.end_to_final_wall), 1)
        if timings.end_to_final_wall
        else None,
        "finals_only_at_finish": timings.finals_only_at_finish,
        "engine_startup_s": round(engine.construction_seconds, 2),
        "extra_passes": getattr(engine, "extra_passes", None),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    if args.errors:
        for example, match in report.errors:
            print(
                f"  {example.expected[0]:24} {match.intent:24} "
                f"{example.text!r} -> {said[id(example)]!r}",
                file=sys.stderr,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
