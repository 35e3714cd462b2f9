"""Response latency: from the end of speech to the first sound of VoiceCare's reply, for a
complaint and for a voice control, with one ear or two.

Runs a real voice session in this process, as benchmarks/stop_latency.py does -- the virtual
microphone (MicrophoneSource on PulseAudio's ``vmic``), the engine asked for, the coach, and
the interruptible speaker (pyttsx3 + the player the CLI would choose, into the null sink
``speaker``) -- and for every try:

1. says the complaint ("there is a knot in my shoulder", espeak-ng, paplay into
   ``micfeed``) while VoiceCare is silent, and measures the end of it (last loud 10 ms piece
   on ``micfeed.monitor``) -> the first loud piece on ``speaker.monitor``: the reply;
2. 1.5 s into the routine's first step, says the control ("stop") and measures its end ->
   the speaker cut off (first silent piece after the cut), as stop_latency does. Barge-in
   acts on partial results, so this can be below zero: cut before the word was over.

    python -m benchmarks.response_latency --engine two-pass            # 15 tries
    python -m benchmarks.response_latency --engine two-pass --beam 1 --threads 2
    python -m benchmarks.response_latency --engine pocketsphinx
    python -m benchmarks.response_latency --decode      # Whisper's decode time alone, per
                                                        # beam and threads (no devices)

Prints each try and the median and p95 of both. The end of speech includes the endpointer's
own wait (the silence it needs before it calls the utterance over). Uses the virtual
PulseAudio devices of tests/virtual_audio.py: run it under
``flock /tmp/voicecare-pulse.lock``, not beside tests that use them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

from benchmarks.stop_latency import KillTimes, StopTimes, first_silence_after, play_into_microphone
from tests.listening.speech import silence, speak
from tests.virtual_audio import (
    LOUD,
    MIC_SINK,
    MonitorRecorder,
    ensure_virtual_devices,
    wait_until,
    write_wav,
)
from voicecare.clock import MonotonicClock
from voicecare.coach import Coach
from voicecare.content import load_library
from voicecare.listening.engines import create_recognizer
from voicecare.listening.recognizer import Recognizer
from voicecare.listening.sources import MicrophoneSource
from voicecare.listening.two_pass import TwoPassRecognizer
from voicecare.settings import ENGINES, POCKETSPHINX, TWO_PASS, WHISPER, ListeningSettings
from voicecare.shell.session import AudioInputs, TurnLoop
from voicecare.speaking.synthesis import Pyttsx3Synthesizer
from voicecare.understanding import Understanding, recognition_vocabulary
from voicecare.vocabulary import Vocabulary

COMPLAINT = "there is a knot in my shoulder"
TRAILING_SILENCE = 0.6  # seconds after each phrase in its WAV: the endpointer needs some


def build(engine: str, vocabulary: Vocabulary, beam: int | None, threads: int | None):
    """The engine as the CLI builds it, or with Whisper's beam and threads given."""
    if beam is None and threads is None:
        return create_recognizer(ListeningSettings(engine=engine), vocabulary, print)
    from voicecare.listening.whisper_engine import WhisperRecognizer
    from voicecare.listening.whisper_models import find_whisper_model

    found, _size = find_whisper_model(None)
    options = {"beam_size": beam or 5, "cpu_threads": threads}
    whisper = WhisperRecognizer.for_vocabulary(found.path, vocabulary, **options)
    if engine == WHISPER:
        return whisper
    first = create_recognizer(ListeningSettings(engine=POCKETSPHINX), vocabulary, print)
    return TwoPassRecognizer(first, whisper)


def first_sound_after(monitor: MonitorRecorder, since: float) -> float | None:
    return next((at for at, peak in list(monitor.pieces) if at > since and peak > LOUD), None)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def decode_times(args: argparse.Namespace) -> int:
    """How long Whisper takes to decode the complaint (its share of the reply's latency),
    for each beam size and thread count: the median of ``--tries`` decodes."""
    from voicecare.listening.whisper_engine import WhisperRecognizer
    from voicecare.listening.whisper_models import find_whisper_model

    vocabulary = recognition_vocabulary(load_library())
    found, size = find_whisper_model(None)
    segment = silence(0.3) + speak(COMPLAINT) + silence(0.3)
    for threads in (1, 2, 4):
        for beam in (1, 2, 5):
            whisper = WhisperRecognizer.for_vocabulary(
                found.path, vocabulary, beam_size=beam, cpu_threads=threads
            )
            whisper.transcribe_segment(segment)  # warm up
            times = []
            for _ in range(args.tries):
                started = time.perf_counter()
                text = whisper.transcribe_segment(segment)
                times.append(1000 * (time.perf_counter() - started))
            print(
                f"{size} beam {beam} threads {threads}: median {statistics.median(times):.0f} ms"
                f" (min {min(times):.0f}) {text!r}"
            )
    return 0


def run(args: argparse.Namespace) -> int:
    if args.decode:
        return decode_times(args)
    ensure_virtual_devices()
    library = load_library()
    understanding = Understanding(library)
    vocabulary = recognition_vocabulary(library)
    step = library.routine("shoulders").steps[0].text
    folder = Path(args.work)
    folder.mkdir(parents=True, exist_ok=True)
    complaint = write_wav(folder / "complaint.wav", speak(COMPLAINT) + silence(TRAILING_SILENCE))
    control = write_wav(
        folder / "control.wav", silence(0.2) + speak(args.control) + silence(TRAILING_SILENCE)
    )
    recognizer: Recognizer = build(args.engine, vocabulary, args.beam, args.threads)
    speaker_monitor = MonitorRecorder("speaker.monitor")
    mic_monitor = MonitorRecorder(f"{MIC_SINK}.monitor")
    player = KillTimes(None)
    speaker = StopTimes(Pyttsx3Synthesizer(), player)
    loop = TurnLoop(Coach(library, understanding), speaker, MonotonicClock(), print, print)
    inputs = AudioInputs(MicrophoneSource(), recognizer)
    threading.Thread(target=loop.run, args=(inputs,), daemon=True).start()
    replies: list[float] = []
    cuts: list[float] = []
    misses = 0
    for attempt in range(args.tries):
        wait_until(lambda: not speaker.speaking, 60)
        time.sleep(1.0)
        started = time.monotonic()
        play_into_microphone(complaint)
        played = time.monotonic()
        said_end = mic_monitor.last_sound_between(started, played)
        reading = wait_until(lambda: speaker.current_text == step, 30)
        reply = first_sound_after(speaker_monitor, said_end or played)
        if not reading or said_end is None or reply is None:
            misses += 1
            print(f"try {attempt + 1}: the complaint was not answered", file=sys.stderr)
            continue
        replies.append(reply - said_end)
        time.sleep(1.5)
        started = time.monotonic()
        play_into_microphone(control)
        played = time.monotonic()
        obeyed = wait_until(lambda since=started: any(at > since for at in speaker.stops), 5)
        time.sleep(0.3)
        said_end = mic_monitor.last_sound_between(started, played)
        cut = next((at for at in speaker.stops if at > started), None)
        quiet = first_silence_after(speaker_monitor, cut) if cut is not None else None
        if not obeyed or said_end is None or quiet is None:
            misses += 1
            print(f"try {attempt + 1}: the control was not obeyed", file=sys.stderr)
            continue
        cuts.append(quiet - said_end)
        print(
            f"try {attempt + 1}: complaint -> reply {1000 * replies[-1]:5.0f} ms, "
            f"{args.control!r} -> silence {1000 * cuts[-1]:5.0f} ms",
            file=sys.stderr,
        )
    speaker.close()
    speaker_monitor.close()
    mic_monitor.close()
    report(args, replies, cuts, misses)
    return 0


def report(args: argparse.Namespace, replies: list[float], cuts: list[float], misses: int):
    whisper = f", Whisper beam {args.beam or 'default'}, threads {args.threads or 'default'}"
    setup = args.engine + ("" if args.engine == POCKETSPHINX else whisper)
    print(f"{setup}: {len(replies)} complaints, {len(cuts)} controls measured, {misses} missed")
    measured = ((f'"{COMPLAINT}" -> reply', replies), (f'"{args.control}" -> silence', cuts))
    for name, values in measured:
        if values:
            ms = [1000 * value for value in values]
            print(
                f"  {name}: median {statistics.median(ms):.0f} ms, "
                f"p95 {percentile(ms, 0.95):.0f} ms (min {min(ms):.0f}, max {max(ms):.0f})"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=ENGINES, default=TWO_PASS)
    parser.add_argument("--tries", type=int, default=15)
    parser.add_argument("--control", default="stop")
    parser.add_argument("--beam", type=int, default=None, help="Whisper's beam size")
    parser.add_argument("--threads", type=int, default=None, help="Whisper's CPU threads")
    parser.add_argument("--decode", action="store_true", help="time Whisper's decode alone")
    parser.add_argument("--work", default="/tmp/voicecare-response-latency")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
