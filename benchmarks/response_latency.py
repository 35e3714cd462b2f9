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
    python -m benchmarks.response_latency --engine two-pass --no-speculation --window-padding none
    python -m benchmarks.response_latency --decode   # Whisper's decode time alone, per beam,
                                                     # threads and window (no devices)

Reports per turn and overall median/p95 of end of speech -> first reply sound, split into
endpointer (end of speech -> final result), coach (final result -> actions returned) and
output (-> first sound: synthesis, pacat start, leading silence of the synthesized audio).
With two passes the endpointer share is split again: end of speech -> the first pass's
final, and from there -> the two-pass final (Whisper's decode, or the wait for a
speculative one); when Whisper's decode of the turn started and ended, relative to the end
of speech, is printed too (negative: before it).
Misheard turns (no final result, a wrong intent, or no reply within the timeout) are counted
and left out of the figures. Uses the virtual PulseAudio devices of tests/virtual_audio.py:
run it alone, not beside tests that use them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tests.listening.speech import silence, speak
from tests.virtual_audio import (
    LOUD,
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
from voicecare.heard import Heard
from voicecare.listening import sources
from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer
from voicecare.listening.recognizer import Recognizer
from voicecare.listening.two_pass import TwoPassRecognizer
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.shell.outputs import cancel_echo
from voicecare.shell.session import AudioInputs, TurnLoop
from voicecare.speaking.playback import choose_player
from voicecare.speaking.speaker import InterruptibleSpeaker
from voicecare.speaking.synthesis import Pyttsx3Synthesizer, Speech
from voicecare.understanding import Understanding, recognition_vocabulary

UTTERANCES = {
    "info:causes": "what causes knots",
    "routine:shoulders": "there is a knot in my shoulder",
    "command:stop": "stop",
}
TRAILING_SILENCE = 0.3  # seconds after the utterance in its WAV
QUIET_BEFORE = 0.8  # seconds of silence on the speaker's monitor before each utterance
CUE_MARGIN = 4.0  # do not speak when a routine cue is due sooner than this
REPLY_TIMEOUT = 8.0


class TimedRecognizer:
    """The real recognizer, noting when each final result came out of ``accept_audio``."""

    def __init__(self, inner: Recognizer) -> None:
        self.inner = inner
        self.finals: list[tuple[float, str]] = []

    def accept_audio(self, chunk: bytes) -> Heard | None:
        result = self.inner.accept_audio(chunk)
        if result is not None and result.final:
            self.finals.append((time.monotonic(), result.text))
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class TimedSecondPass:
    """Whisper inside two-pass hearing, noting (start, end, text) of every decode (a
    speculative one runs on another thread; list appends are atomic)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.decodes: list[tuple[float, float, str]] = []

    def transcribe_segment(self, pcm: bytes) -> str:
        started = time.monotonic()
        text = self.inner.transcribe_segment(pcm)
        self.decodes.append((started, time.monotonic(), text))
        return text

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class TimedCoach(Coach):
    """The real coach, noting when it returned actions for what it understood (heard or
    typed, both end in ``_hear_match``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decisions: list[tuple[float, str, int]] = []

    def _hear_match(self, match: Any, now: float) -> list:
        actions = super()._hear_match(match, now)
        self.decisions.append((time.monotonic(), match.text, len(actions)))
        return actions


class TimedSynthesizer(Pyttsx3Synthesizer):
    """The real synthesizer, noting (start, end, text, leading silence seconds)."""

    def __init__(self) -> None:
        super().__init__()
        self.runs: list[tuple[float, float, str, float]] = []

    def synthesize(self, text: str, rate: int) -> Speech:
        started = time.monotonic()
        speech = super().synthesize(text, rate)
        self.runs.append((started, time.monotonic(), text, leading_silence(speech)))
        return speech


class TimedPlayer:
    """The player the CLI would choose (``choose_player``), noting when each line was
    handed to it."""

    def __init__(self, notes: Any = None) -> None:
        self._player = choose_player(notes)
        self.starts: list[float] = []

    def play(self, speech: Speech, cancelled: threading.Event) -> bool:
        self.starts.append(time.monotonic())
        return self._player.play(speech, cancelled)

    def close(self) -> None:
        self._player.close()


def leading_silence(speech: Speech) -> float:
    samples = np.abs(np.frombuffer(speech.pcm, dtype="<i2").astype(np.int32))
    loud = np.flatnonzero(samples > LOUD)
    first = int(loud[0]) if loud.size else samples.size
    return first / speech.sample_rate


@dataclass
class Turn:
    intent: str
    from_partial: bool  # a voice control acted on from a partial result, before the final
    total: float
    endpointer: float
    first_final: float  # end of speech -> the first pass's final (= endpointer for one pass)
    second_pass: float  # the first pass's final -> the two-pass final (0 for one pass)
    decode_start: float | None  # end of speech -> the start of this turn's last decode
    decode_end: float | None  # end of speech -> its end
    coach: float
    output: float
    synthesis: float
    pacat_to_sound: float
    lead_in: float


def first_after(times: list[tuple], since: float) -> tuple | None:
    return next((item for item in list(times) if item[0] > since), None)


def first_sound_after(monitor: MonitorRecorder, since: float) -> float | None:
    return next((at for at, peak in list(monitor.pieces) if at > since and peak > LOUD), None)


def wait_for_quiet(coach: Coach, speaker: InterruptibleSpeaker, monitor: MonitorRecorder) -> None:
    """Nothing queued, the monitor quiet, and no routine cue about to be spoken."""
    for _ in range(20):
        wait_until(lambda: not speaker.speaking, 120)
        monitor.wait_for_silence(QUIET_BEFORE, timeout=120)
        deadline = coach.next_deadline
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left < CUE_MARGIN:
            time.sleep(max(left, 0) + 0.5)  # let the cue be spoken, then wait again
            continue
        if not speaker.speaking:
            return


def heard_finals(recognizer: TimedRecognizer) -> list[tuple[float, str]]:
    return [final for final in list(recognizer.finals) if final[1]]


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
    return {"speculative": not args.no_speculation}


def stages(recognizer: Any, final_at: float, speech_end: float) -> tuple:
    """(first pass final, its decode start, decode end), relative to the end of speech, of
    the turn whose two-pass final came at ``final_at``; the first pass is the recognizer
    itself with one pass."""
    inner = recognizer.inner
    if not isinstance(inner, TwoPassRecognizer):
        return final_at - speech_end, None, None
    first = [at for at, _text in inner.first.finals if at <= final_at + 1e-6]
    first_at = first[-1] if first else final_at
    decodes = [d for d in inner.second.decodes if d[1] <= final_at + 1e-6]
    if not decodes or decodes[-1][1] < first_at - 2.0:  # no decode for this final
        return first_at - speech_end, None, None
    start, end, _text = decodes[-1]
    return first_at - speech_end, start - speech_end, end - speech_end


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
        from_partial = decision[0] < final[0]
        first_final, decode_start, decode_end = stages(recognizer, final[0], speech_end)
        turn = Turn(
            intent=intent,
            from_partial=from_partial,
            total=sound - speech_end,
            endpointer=final[0] - speech_end,
            first_final=first_final,
            second_pass=final[0] - speech_end - first_final,
            decode_start=decode_start,
            decode_end=decode_end,
            coach=decision[0] - final[0],
            output=sound - decision[0],
            synthesis=synth[1] - synth[0],
            pacat_to_sound=sound - pacat[0],
            lead_in=synth[3],
        )
        turns.append(turn)
        print(
            f"turn {number:2d} {intent:18s} {voice:8s}"
            f" end of speech -> reply {ms(turn.total):5.0f} ms"
            f" (endpointer {ms(turn.endpointer):4.0f} = first pass {ms(turn.first_final):4.0f}"
            f" + second {ms(turn.second_pass):4.0f}{decode_span(turn)},"
            f" coach {ms(turn.coach):3.0f},"
            f" output {ms(turn.output):4.0f}: synthesis {ms(turn.synthesis):4.0f},"
            f" pacat start -> sound {ms(turn.pacat_to_sound):4.0f} of which lead-in silence"
            f" {ms(turn.lead_in):3.0f}){' FROM PARTIAL' if from_partial else ''}"
            f"  acted on {acted_on!r}, reply {caption[1][:30]!r}",
            file=sys.stderr,
        )
    speaker.close()
    speaker_monitor.close()
    mic_monitor.close()
    report(args, turns, misheard)
    print(f"sessions restarted after a misheard goodbye: {restarts}")
    inner = recognizer.inner
    if isinstance(inner, TwoPassRecognizer):
        print(
            f"second pass (last session): {inner.decoded_segments} finals heard, "
            f"{inner.early_decodes} early decodes started, {inner.early_kept} of them used"
        )
    return 0


def ms(seconds: float) -> float:
    return 1000 * seconds


def decode_span(turn: Turn) -> str:
    if turn.decode_start is None or turn.decode_end is None:
        return ""
    return f" [decode {ms(turn.decode_start):+.0f}..{ms(turn.decode_end):+.0f}]"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    values = [ms(v) for v in values]
    return f"median {statistics.median(values):5.0f} ms, p95 {p95(values):5.0f} ms"


def report(args: argparse.Namespace, turns: list[Turn], misheard: list[str]) -> None:
    chunk = args.chunk if args.chunk is not None else sources.CHUNK_SECONDS
    window = "default" if args.endpoint_window is None else f"{args.endpoint_window} s"
    whisper = (
        f", Whisper beam {args.beam or 'default'}, threads {args.threads or 'default'},"
        f" window padding {args.window_padding or 'default'},"
        f" fallback {args.fallback or 'default'},"
        f" speculation {'off' if args.no_speculation else 'on'}"
    )
    print(
        f"{args.engine}{'' if args.engine == 'pocketsphinx' else whisper},"
        f" chunk {chunk} s, endpoint window {window}: {len(turns)} turns measured,"
        f" {len(misheard)} misheard (left out)"
    )
    if not turns:
        return
    print(f"end of speech -> first reply sound: {summary([t.total for t in turns])}")
    by_final = [t for t in turns if not t.from_partial]
    print(f"  acted on the final result ({len(by_final)} turns): ", end="")
    print(summary([t.total for t in by_final]) if by_final else "none")
    names = ("endpointer", "first_final", "second_pass", "decode_start", "decode_end", "coach")
    for name in (*names, "output", "synthesis", "pacat_to_sound", "lead_in"):
        values = [getattr(t, name) for t in by_final if getattr(t, name) is not None]
        if values:
            print(f"    {name:15s} {summary(values)}")
    by_partial = [t for t in turns if t.from_partial]
    if by_partial:
        print(f"  acted on a partial result ({len(by_partial)} turns): ", end="")
        print(summary([t.total for t in by_partial]))
        print(f"    output          {summary([t.output for t in by_partial])}")
    for intent in UTTERANCES:
        mine = [t.total for t in turns if t.intent == intent]
        if mine:
            print(f"  {intent:18s} ({len(mine):2d} turns) {summary(mine)}")


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
    parser.add_argument(
        "--no-speculation", action="store_true", help="two passes without early decodes"
    )
    parser.add_argument("--decode", action="store_true", help="time Whisper's decode alone")
    parser.add_argument("--work", default="/tmp/voicecare-response-latency")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
