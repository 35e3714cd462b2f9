"""Response latency: from the end of an utterance to the first sound of VoiceCare's reply.

Runs a real voice session in this process -- the virtual microphone (MicrophoneSource on
PulseAudio's ``vmic``), the bundled PocketSphinx engine (or ``--engine two-pass``:
PocketSphinx streaming, then Whisper on each utterance; ``--engine whisper``), the coach,
and the interruptible speaker (pyttsx3 + the player the CLI would choose, into the null sink
``speaker``; echo cancellation on unless ``--no-cancel``, as in the CLI) -- and for every
turn:

1. waits until VoiceCare is silent (nothing queued, the speaker's monitor quiet, and no
   routine cue due within a few seconds), so the first sound measured is the reply;
2. says one utterance into the microphone (espeak-ng, voices in rotation, paplay into
   ``micfeed``): in idle it
   alternates "what causes knots" (an answer) and "there is a knot in my shoulder" (the
   routine's intro); inside the routine, while a hold runs silently, "stop" ("Okay, I
   stopped ...");
3. measures, on parec recordings of both monitors (10 ms pieces, arrival times), the end of
   the utterance (last loud piece on ``micfeed.monitor``) and the reply's first sound (first
   loud piece on ``speaker.monitor`` after it).

    python -m benchmarks.response_latency                         # 33 turns
    python -m benchmarks.response_latency --turns 45 --chunk 0.1  # 100 ms microphone reads
    python -m benchmarks.response_latency --endpoint-window 0.2   # a shorter endpointer window
    python -m benchmarks.response_latency --engine two-pass --beam 1 --threads 2
    python -m benchmarks.response_latency --engine two-pass --speculation --window-padding none
    python -m benchmarks.response_latency --decode   # Whisper's decode time alone, per beam,
                                                     # threads and window (no devices)

Reports per turn and overall median/p95 of end of speech -> first reply sound, split into
endpointer (end of speech -> final result), coach (final result -> actions returned) and
output (-> first sound: synthesis, pacat start, leading silence of the synthesized audio).
With two passes the endpointer share is split again: end of speech -> the first pass's
final, and from there -> the two-pass final (Whisper's decode, or the wait for a
speculative one); when Whisper's decode of the turn started and ended, relative to the end
of speech, is printed too (negative: before it); the timed parts, the breakdown and the
report are in ``response_turns``. Misheard turns (no final result, a wrong intent, or no
reply within the timeout) are counted and left out of the figures. Uses the virtual
PulseAudio devices of tests/virtual_audio.py: run it alone, not beside tests that use them.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.response_turns import (
    TimedCoach,
    TimedPlayer,
    TimedRecognizer,
    TimedSecondPass,
    TimedSynthesizer,
    Turn,
    first_after,
    first_sound_after,
    heard_finals,
    measured_turn,
    print_turn,
    report,
    speculation,
    summary,
    wait_for_quiet,
)
from tests.listening.speech import silence, speak
from tests.virtual_audio import (
    MIC_SINK,
    MonitorRecorder,
    ensure_virtual_devices,
    play_into_microphone,
    wait_until,
    write_wav,
)
from voicecare.clock import MonotonicClock
from voicecare.coach import Coach
from voicecare.content import load_library
from voicecare.listening import sources
from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer
from voicecare.listening.recognizer import Recognizer
from voicecare.listening.two_pass import TwoPassRecognizer
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.shell.outputs import cancel_echo
from voicecare.shell.session import AudioInputs, TurnLoop
from voicecare.speaking.speaker import InterruptibleSpeaker
from voicecare.understanding import Understanding, recognition_vocabulary

UTTERANCES = {
    "info:causes": "what causes knots",
    "routine:shoulders": "there is a knot in my shoulder",
    "command:stop": "stop",
}
TRAILING_SILENCE = 0.3  # seconds after the utterance in its WAV
REPLY_TIMEOUT = 8.0


def next_intent(coach: Coach, idle_turns: int) -> str:
    if coach.in_routine:
        return "command:stop"
    return "info:causes" if idle_turns % 2 == 0 else "routine:shoulders"


def whisper_recognizer(args: argparse.Namespace, vocabulary: Any) -> Any:
    from voicecare.listening.whisper_engine import BEAM_SIZE, WhisperRecognizer
    from voicecare.listening.whisper_models import find_whisper_model

    found, _size = find_whisper_model(None)
    options: dict[str, Any] = {"beam_size": args.beam or BEAM_SIZE, "cpu_threads": args.threads}
    if args.window_padding is not None:
        options["window_padding"] = window_padding(args.window_padding)
    if args.fallback is not None:
        options["fallback"] = args.fallback == "on"
    return WhisperRecognizer.for_vocabulary(found.path, vocabulary, **options)


def window_padding(text: str) -> float | None:
    """``--window-padding``: seconds, or "none" for Whisper's whole 30 s window."""
    return None if text.lower() == "none" else float(text)


def build_recognizer(args: argparse.Namespace, vocabulary: Any, options: dict) -> Recognizer:
    """The engine asked for, with the endpointer window and Whisper's beam and threads given;
    two passes with each pass timed (``TimedRecognizer``, ``TimedSecondPass``)."""
    if args.engine == "whisper":
        return whisper_recognizer(args, vocabulary)
    first = PocketSphinxRecognizer.for_vocabulary(vocabulary, **options)
    if args.engine == "pocketsphinx":
        return first
    second = TimedSecondPass(whisper_recognizer(args, vocabulary))
    return TwoPassRecognizer(TimedRecognizer(first), second, **two_pass_options(args))


def two_pass_options(args: argparse.Namespace) -> dict:
    """The keyword arguments ``TwoPassRecognizer`` takes of those asked for."""
    return {"speculative": speculation(args)}


def decode_times(args: argparse.Namespace) -> int:
    """Whisper's decode of one complaint (its share of a two-pass reply's latency), per beam
    size, thread count and encoder window (``--window-padding`` or 10 s and the whole 30 s):
    the median of ``--turns`` decodes after one to warm up."""
    vocabulary = recognition_vocabulary(load_library())
    segment = silence(0.3) + speak(UTTERANCES["routine:shoulders"]) + silence(0.3)
    paddings = [args.window_padding] if args.window_padding is not None else ["10", "none"]
    threads_tried = [args.threads] if args.threads else [1, 2]
    beams = [args.beam] if args.beam else [1, 5]
    for padding in paddings:
        for threads in threads_tried:
            for beam in beams:
                args.beam, args.threads, args.window_padding = beam, threads, padding
                whisper = whisper_recognizer(args, vocabulary)
                whisper.transcribe_segment(segment)
                times = []
                for _ in range(args.turns):
                    started = time.perf_counter()
                    text = whisper.transcribe_segment(segment)
                    times.append(time.perf_counter() - started)
                print(f"window padding {padding} beam {beam} threads {threads}:", end=" ")
                print(f"{summary(times)} {text!r}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.decode:
        return decode_times(args)
    if args.chunk is not None:  # read() looks the module's frame count up on every call
        sources.CHUNK_SECONDS = args.chunk
        sources.CHUNK_FRAMES = int(16_000 * args.chunk)
    ensure_virtual_devices()
    library = load_library()
    understanding = Understanding(library, weights=CachedWeights())
    folder = Path(args.work)
    folder.mkdir(parents=True, exist_ok=True)
    voices = args.voices.split(",")
    wavs = {
        (intent, voice): write_wav(
            folder / f"{intent.replace(':', '_')}-{voice}.wav",
            silence(0.2) + speak(text, voice=voice) + silence(TRAILING_SILENCE),
        )
        for intent, text in UTTERANCES.items()
        for voice in voices
    }
    options = {} if args.endpoint_window is None else {"endpoint_window": args.endpoint_window}
    speaker_monitor = MonitorRecorder("speaker.monitor")
    mic_monitor = MonitorRecorder(f"{MIC_SINK}.monitor")
    source: Any = sources.MicrophoneSource()
    reference = None
    if not args.no_cancel:  # as the CLI does by default
        source, reference = cancel_echo(source, MonotonicClock(), print)
    synthesizer = TimedSynthesizer()
    player = TimedPlayer(reference)
    speaker = InterruptibleSpeaker(synthesizer, player)
    captions: list[tuple[float, str]] = []

    def start_session() -> tuple[TimedCoach, TimedRecognizer, threading.Thread]:
        coach = TimedCoach(library, understanding)
        recognizer = TimedRecognizer(
            build_recognizer(args, recognition_vocabulary(library), options)
        )
        loop = TurnLoop(
            coach, speaker, MonotonicClock(), lambda text: captions.append((time.monotonic(), text))
        )
        inputs = AudioInputs(source, recognizer)
        session = threading.Thread(target=loop.run, args=(inputs,), daemon=True)
        session.start()
        return coach, recognizer, session

    coach, recognizer, session = start_session()
    turns: list[Turn] = []
    misheard: list[str] = []
    restarts = 0
    idle_turns = 0
    for number in range(1, args.turns + 1):
        wait_for_quiet(coach, speaker, speaker_monitor)
        if not session.is_alive():  # something misheard as "stop" in idle said goodbye
            restarts += 1
            coach, recognizer, session = start_session()
            wait_for_quiet(coach, speaker, speaker_monitor)
        intent = next_intent(coach, idle_turns)
        if intent != "command:stop":
            idle_turns += 1
        voice = voices[number % len(voices)]
        started = time.monotonic()
        play_into_microphone(wavs[intent, voice])
        played = time.monotonic()
        speech_end = mic_monitor.last_sound_between(started, played)
        if speech_end is None:
            misheard.append(f"turn {number}: nothing on the microphone monitor")
            continue
        # A voice control may be acted on from a partial result, before the final one and
        # even before the end of the word: look from the start of the utterance.
        wait_until(lambda s=started: first_after(captions, s) is not None, REPLY_TIMEOUT)
        time.sleep(0.3)
        # A control acted on from a partial: its final (both ears) may come later.
        wait_until(lambda s=started, r=recognizer: first_after(heard_finals(r), s) is not None, 3.0)
        final = first_after(heard_finals(recognizer), started)
        decision = first_after(coach.decisions, started)
        caption = first_after(captions, started)
        acted_on = decision[1] if decision else ""
        heard_intent = understanding.match(acted_on).intent if decision else "nothing"
        if final is None or decision is None or caption is None or heard_intent != intent:
            misheard.append(
                f"turn {number}: said {UTTERANCES[intent]!r} ({voice}), acted on {acted_on!r}"
                f" ({heard_intent}), final {final and final[1]!r},"
                f" reply {caption and caption[1][:40]!r}"
            )
            print(misheard[-1], file=sys.stderr)
            continue
        wait_until(lambda d=decision[0]: first_sound_after(speaker_monitor, d) is not None, 10)
        sound = first_sound_after(speaker_monitor, decision[0])
        synth = first_after(synthesizer.runs, decision[0] - 0.001)
        pacat = first_after([(at,) for at in player.starts], decision[0])
        if sound is None or synth is None or pacat is None:
            misheard.append(f"turn {number}: no reply sound for {UTTERANCES[intent]!r}")
            print(misheard[-1], file=sys.stderr)
            continue
        turn = measured_turn(intent, recognizer, (speech_end, sound, final, decision, synth, pacat))
        turns.append(turn)
        print_turn(number, voice, turn, acted_on, caption[1])
    speaker.close()
    speaker_monitor.close()
    mic_monitor.close()
    report(args, turns, misheard, list(UTTERANCES))
    print(f"sessions restarted after a misheard goodbye: {restarts}")
    inner = recognizer.inner
    if isinstance(inner, TwoPassRecognizer):
        print(
            f"second pass (last session): {inner.decoded_segments} finals heard, "
            f"{inner.early_decodes} early decodes started, {inner.early_kept} of them used"
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=33)
    parser.add_argument("--chunk", type=float, help="microphone read size, seconds")
    parser.add_argument("--endpoint-window", type=float, help="endpointer window, seconds")
    parser.add_argument(
        "--voices",
        default="en-us,en,en-gb,en-us+m3",
        help="espeak-ng voices the utterances rotate through (comma-separated)",
    )
    parser.add_argument(
        "--no-cancel", action="store_true", help="without VoiceCare's echo canceller"
    )
    parser.add_argument(
        "--engine", choices=("pocketsphinx", "two-pass", "whisper"), default="pocketsphinx"
    )
    parser.add_argument("--beam", type=int, help="Whisper's beam size")
    parser.add_argument("--threads", type=int, help="Whisper's CPU threads")
    parser.add_argument(
        "--window-padding", help="seconds of padding Whisper's encoder sees, or none (30 s)"
    )
    parser.add_argument("--fallback", choices=("on", "off"), help="Whisper's temperature fallback")
    early = parser.add_mutually_exclusive_group()
    early.add_argument("--speculation", action="store_true", help="two passes with early decodes")
    early.add_argument(
        "--no-speculation", action="store_true", help="two passes without early decodes"
    )
    parser.add_argument("--decode", action="store_true", help="time Whisper's decode alone")
    parser.add_argument("--work", default="/tmp/voicecare-response-latency")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
