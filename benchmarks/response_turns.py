"""The timed parts and the report of ``response_latency``: the real recognizer, second pass,
coach, synthesizer and player, each noting when it did its part; one turn's breakdown from
those notes; and the per-turn lines and medians printed at the end. Kept apart so that
``response_latency`` is the session and the driving of the turns alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from tests.virtual_audio import LOUD, MonitorRecorder, wait_until
from voicecare.coach import Coach
from voicecare.heard import Heard
from voicecare.listening import sources, two_pass
from voicecare.listening.recognizer import Recognizer
from voicecare.listening.two_pass import TwoPassRecognizer
from voicecare.speaking.playback import choose_player
from voicecare.speaking.speaker import InterruptibleSpeaker
from voicecare.speaking.synthesis import Pyttsx3Synthesizer, Speech

QUIET_BEFORE = 0.8  # seconds of silence on the speaker's monitor before each utterance
CUE_MARGIN = 4.0  # do not speak when a routine cue is due sooner than this


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


def measured_turn(
    intent: str,
    recognizer: Any,
    times: tuple[float, float, tuple, tuple, tuple, tuple],
) -> Turn:
    """One turn's breakdown from the notes: ``times`` is (end of speech, first reply sound,
    the two-pass final, the coach's decision, the synthesis run, the player's start)."""
    speech_end, sound, final, decision, synth, pacat = times
    from_partial = decision[0] < final[0]
    first_final, decode_start, decode_end = stages(recognizer, final[0], speech_end)
    return Turn(
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


def print_turn(number: int, voice: str, turn: Turn, acted_on: str, reply: str) -> None:
    print(
        f"turn {number:2d} {turn.intent:18s} {voice:8s}"
        f" end of speech -> reply {ms(turn.total):5.0f} ms"
        f" (endpointer {ms(turn.endpointer):4.0f} = first pass {ms(turn.first_final):4.0f}"
        f" + second {ms(turn.second_pass):4.0f}{decode_span(turn)},"
        f" coach {ms(turn.coach):3.0f},"
        f" output {ms(turn.output):4.0f}: synthesis {ms(turn.synthesis):4.0f},"
        f" pacat start -> sound {ms(turn.pacat_to_sound):4.0f} of which lead-in silence"
        f" {ms(turn.lead_in):3.0f}){' FROM PARTIAL' if turn.from_partial else ''}"
        f"  acted on {acted_on!r}, reply {reply[:30]!r}",
        file=sys.stderr,
    )


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


def speculation(args: argparse.Namespace) -> bool:
    """``--speculation`` / ``--no-speculation``, else the engine's default."""
    return args.speculation or (not args.no_speculation and two_pass.SPECULATIVE)


def report(
    args: argparse.Namespace, turns: list[Turn], misheard: list[str], intents: list[str]
) -> None:
    chunk = args.chunk if args.chunk is not None else sources.CHUNK_SECONDS
    window = "default" if args.endpoint_window is None else f"{args.endpoint_window} s"
    whisper = (
        f", Whisper beam {args.beam or 'default'}, threads {args.threads or 'default'},"
        f" window padding {args.window_padding or 'default'},"
        f" fallback {args.fallback or 'default'},"
        f" speculation {'on' if speculation(args) else 'off'}"
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
    for intent in intents:
        mine = [t.total for t in turns if t.intent == intent]
        if mine:
            print(f"  {intent:18s} ({len(mine):2d} turns) {summary(mine)}")
