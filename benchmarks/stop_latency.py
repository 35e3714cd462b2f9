"""Barge-in latency: from the end of a spoken "stop" to silence on the speaker.

Runs a real voice session in this process -- the virtual microphone (MicrophoneSource on
PulseAudio's ``vmic``), the bundled PocketSphinx engine, the coach, and the interruptible
speaker (pyttsx3 + the player the CLI would choose, into the null sink ``speaker``) -- and
for every try:

1. says "there is a knot in my shoulder" into the microphone (espeak-ng, paplay into
   ``micfeed``) and waits until VoiceCare reads the routine's first step aloud;
2. 1.5 s into that step, says the stop phrase into the microphone;
3. measures, on parec recordings of both monitors (10 ms pieces, arrival times), the end of
   the spoken phrase (last loud piece on ``micfeed.monitor``) and the moment the speaker
   went silent (first silent piece on ``speaker.monitor`` after the barge-in cut).

    python -m benchmarks.stop_latency                      # 20 tries, "stop"
    python -m benchmarks.stop_latency --tries 30 --phrase "stop please"
    python -m benchmarks.stop_latency --echo               # speaker looped into the mic
    python -m benchmarks.stop_latency --echo --aec         # ... through module-echo-cancel
    python -m benchmarks.stop_latency --no-cancel          # without VoiceCare's canceller
    python -m benchmarks.stop_latency --voice en_US-joe-medium   # speaking with Piper

Reports the median and spread of end-of-phrase -> silence, split into recognition (end of
phrase -> cut decided) and output (cut -> silence on the monitor), plus misses (the stop was
not obeyed) and self-obeyed voice controls (VoiceCare acted on its own voice). Uses the
virtual PulseAudio devices of tests/virtual_audio.py: run it alone, not beside tests that
use them.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tests.listening.speech import silence, speak
from tests.virtual_audio import (
    MIC_SINK,
    MonitorRecorder,
    _pactl,
    ensure_virtual_devices,
    loopback_into_microphone,
    wait_until,
    write_wav,
)
from voicecare.audio import AudioSource
from voicecare.clock import MonotonicClock
from voicecare.coach import Coach
from voicecare.coach.barge_in import VOICE_CONTROLS
from voicecare.content import load_library
from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer
from voicecare.listening.sources import MicrophoneSource
from voicecare.settings import SpeechSettings
from voicecare.shell.fitted_weights import CachedWeights
from voicecare.shell.outputs import cancel_echo, make_synthesizer
from voicecare.shell.session import AudioInputs, TurnLoop
from voicecare.speaking.playback import choose_player
from voicecare.speaking.speaker import InterruptibleSpeaker
from voicecare.speaking.synthesis import Pyttsx3Synthesizer
from voicecare.understanding import Understanding, recognition_vocabulary

TRAILING_SILENCE = 0.3  # seconds after the phrase in its WAV
SILENT_PIECES = 1  # one silent 10 ms piece: the reply may start ~30 ms after the cut


class StopTimes(InterruptibleSpeaker):
    """The real speaker, noting when it was told to stop."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stops: list[float] = []

    def stop(self) -> None:
        self.stops.append(time.monotonic())
        super().stop()


class KillTimes:
    """The player the CLI would choose (``choose_player``), noting when a cancelled line had
    been given up."""

    def __init__(self, notes=None) -> None:
        self._player = choose_player(notes)
        self.kills: list[float] = []

    def play(self, speech, cancelled) -> bool:
        finished = self._player.play(speech, cancelled)
        if not finished:
            self.kills.append(time.monotonic())
        return finished

    def close(self) -> None:
        self._player.close()


@contextlib.contextmanager
def echo_cancelled() -> Iterator[None]:
    """PulseAudio's WebRTC echo canceller between the virtual devices; VoiceCare plays into
    its sink and listens to its source."""
    module = _pactl(
        "load-module",
        "module-echo-cancel",
        "source_master=vmic",
        "sink_master=speaker",
        "source_name=vmic_ec",
        "sink_name=speaker_ec",
        "aec_method=webrtc",
    ).strip()
    try:
        _pactl("set-default-source", "vmic_ec")
        _pactl("set-default-sink", "speaker_ec")
        yield
    finally:
        _pactl("set-default-source", "vmic")
        _pactl("set-default-sink", "speaker")
        _pactl("unload-module", module)


def play_into_microphone(wav: Path) -> None:
    subprocess.run(["paplay", "-d", MIC_SINK, "--latency-msec=20", str(wav)], check=True)


def first_silence_after(monitor: MonitorRecorder, since: float) -> float | None:
    run: list[float] = []
    for at, peak in list(monitor.pieces):
        if at <= since:
            continue
        if peak <= 300:
            run.append(at)
            if len(run) >= SILENT_PIECES:
                return run[0]
        else:
            run = []
    return None


def run(args: argparse.Namespace) -> int:
    ensure_virtual_devices()
    library = load_library()
    understanding = Understanding(library, weights=CachedWeights())
    step = library.routine("shoulders").steps[0].text
    folder = Path(args.work)
    folder.mkdir(parents=True, exist_ok=True)
    complaint = write_wav(
        folder / "complaint.wav", speak("there is a knot in my shoulder") + silence(0.3)
    )
    phrase = write_wav(
        folder / "stop.wav", silence(0.2) + speak(args.phrase) + silence(TRAILING_SILENCE)
    )
    stack = contextlib.ExitStack()
    if args.aec:
        stack.enter_context(echo_cancelled())
    if args.echo:
        stack.enter_context(loopback_into_microphone(args.echo_volume))
    with stack:
        speaker_monitor = MonitorRecorder("speaker.monitor")
        mic_monitor = MonitorRecorder(f"{MIC_SINK}.monitor")
        source: AudioSource = MicrophoneSource()
        reference = None
        if not args.no_cancel:
            source, reference = cancel_echo(source, MonotonicClock(), print)
        player = KillTimes(reference)
        # --voice: the synthesizer a session picks for that voice (Piper's, or system)
        synthesizer = (
            make_synthesizer(SpeechSettings(voice=args.voice))
            if args.voice
            else Pyttsx3Synthesizer()
        )
        speaker = StopTimes(synthesizer, player)
        coach = Coach(library, understanding)
        heard: list[tuple[float, str]] = []
        captions: list[tuple[float, str]] = []
        loop = TurnLoop(
            coach,
            speaker,
            MonotonicClock(),
            lambda text: captions.append((time.monotonic(), text)),
            lambda text: heard.append((time.monotonic(), text)),
        )
        recognizer = PocketSphinxRecognizer.for_vocabulary(recognition_vocabulary(library))
        inputs = AudioInputs(source, recognizer)
        session = threading.Thread(target=loop.run, args=(inputs,), daemon=True)
        session.start()
        results: list[tuple[float, float, float]] = []
        misses = 0
        self_obeyed = 0
        offsets: list[float] = []
        for attempt in range(args.tries):
            wait_until(lambda: not speaker.speaking, 60)
            time.sleep(0.5)
            try_start = time.monotonic()
            play_into_microphone(complaint)
            reading = wait_until(lambda: speaker.current_text == step, 30)
            if not reading:
                print(f"try {attempt + 1}: no routine; heard {heard[-2:]}", file=sys.stderr)
                continue
            time.sleep(1.5)
            started = time.monotonic()
            play_into_microphone(phrase)
            played = time.monotonic()
            obeyed = wait_until(lambda since=started: any(at > since for at in speaker.stops), 5)
            time.sleep(0.5)
            own = [
                text
                for at, text in heard
                if try_start < at < started and understanding.match(text).intent in VOICE_CONTROLS
            ]
            if own:
                print(
                    f"try {attempt + 1}: acted on a voice control nobody said: {own}",
                    file=sys.stderr,
                )
            self_obeyed += len(own)
            # With the loopback the microphone also carries VoiceCare: there the end of the
            # phrase comes from paplay's return instead of the microphone's monitor.
            estimate = played - TRAILING_SILENCE
            phrase_end = mic_monitor.last_sound_between(started, played)
            if phrase_end is not None and not args.echo:
                offsets.append(estimate - phrase_end)
            if args.echo:
                phrase_end = estimate
            if not obeyed or phrase_end is None:
                misses += 1
                print(f"try {attempt + 1}: not obeyed; heard {heard[-3:]}", file=sys.stderr)
                continue
            cut = next(at for at in speaker.stops if at > started)
            silent = first_silence_after(speaker_monitor, cut)
            if silent is None:
                misses += 1
                continue
            killed = next((at for at in player.kills if at > cut), cut)
            results.append((silent - phrase_end, cut - phrase_end, silent - cut, killed - cut))
            print(
                f"try {attempt + 1}: end of phrase -> silence"
                f" {1000 * (silent - phrase_end):6.0f} ms"
                f" (recognition {1000 * (cut - phrase_end):6.0f} ms,"
                f" output {1000 * (silent - cut):4.0f} ms, of which until play() gave up"
                f" {1000 * (killed - cut):4.0f} ms)",
                file=sys.stderr,
            )
        speaker.close()
        speaker_monitor.close()
        mic_monitor.close()
    if offsets:
        print(
            f"paplay-based end of phrase minus monitor-based: median "
            f"{1000 * statistics.median(offsets):.0f} ms (used with --echo)"
        )
    report(args, results, misses, self_obeyed)
    return 0


def report(args, results, misses, self_obeyed) -> None:
    setup = "loopback echo" if args.echo else "no echo"
    if args.aec:
        setup += " + module-echo-cancel"
    setup += ", VoiceCare's canceller off" if args.no_cancel else ", VoiceCare's canceller on"
    print(f'phrase "{args.phrase}", {setup}: {len(results)} measured, {misses} missed')
    if results:
        total = sorted(1000 * r[0] for r in results)
        print(
            f"end of phrase -> silence: median {statistics.median(total):.0f} ms "
            f"(min {total[0]:.0f}, max {total[-1]:.0f})"
        )
        print(f"  recognition median {statistics.median(1000 * r[1] for r in results):.0f} ms")
        print(f"  output median {statistics.median(1000 * r[2] for r in results):.0f} ms")
        print(f"    cut -> play() gave up {statistics.median(1000 * r[3] for r in results):.0f} ms")
    print(f"voice controls acted on that the person did not say: {self_obeyed}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tries", type=int, default=20)
    parser.add_argument("--phrase", default="stop")
    parser.add_argument("--echo", action="store_true", help="loop the speaker into the mic")
    parser.add_argument("--echo-volume", type=int, default=100, help="loopback volume, %%")
    parser.add_argument("--aec", action="store_true", help="use module-echo-cancel")
    parser.add_argument(
        "--no-cancel", action="store_true", help="without VoiceCare's own echo canceller"
    )
    parser.add_argument("--work", default="/tmp/voicecare-stop-latency")
    parser.add_argument(
        "--voice", help="speak with this voice as --voice does (default: espeak-ng via pyttsx3)"
    )
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
