"""Echo cancellers compared on one mix: VoiceCare reading a step (pyttsx3 + espeak-ng), its
voice reaching the microphone ``--delay`` ms later at ``--gain``, and a person saying
"stop please" 4 s in (espeak-ng), with faint noise.

    python -m benchmarks.echo_cancellers                    # 80 ms, gain 0.3
    python -m benchmarks.echo_cancellers --delay 500 --gain 1.0
    python -m benchmarks.echo_cancellers --gain 0           # headphones: no echo at all

For each canceller: echo reduction (ERLE, dB) before the person speaks and after, how much of
the person is kept (dB), processing cost (ms per second of audio), and what the bundled
PocketSphinx engine hears in the result. The ideal transcript is "stop please". speexdsp
is measured when ``pyaec`` is installed (``pip install pyaec``; not a VoiceCare dependency).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from tests.listening.speech import speak
from voicecare.audio import pcm16_to_float, resample
from voicecare.content import load_library
from voicecare.echo.webrtc import WebRtcEchoCanceller
from voicecare.listening.engines import transcribe
from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer
from voicecare.speaking.synthesis import Pyttsx3Synthesizer
from voicecare.understanding import recognition_vocabulary

RATE = 16_000
FRAME = 160


def mix(delay_ms: int, gain: float):
    library = load_library()
    synthesizer = Pyttsx3Synthesizer()
    speech = synthesizer.synthesize(library.routine("shoulders").steps[0].text, 170)
    synthesizer.close()
    far = resample(pcm16_to_float(speech.pcm), speech.sample_rate, RATE)
    near = pcm16_to_float(speak("stop please"))
    total = (len(far) + RATE) // FRAME * FRAME
    microphone = np.zeros(total, np.float32)
    shift = delay_ms * RATE // 1000
    microphone[shift : shift + len(far)] += gain * far[: total - shift]
    person_at = 4 * RATE
    microphone[person_at : person_at + len(near)] += near
    microphone += np.random.default_rng(0).normal(0, 0.002, total).astype(np.float32)
    played = np.zeros(total, np.float32)
    played[: len(far)] = far[:total]
    as16 = lambda x: (np.clip(x, -1, 1) * 32767).astype("<i2")  # noqa: E731
    return as16(microphone), as16(played), person_at, len(near), shift + len(far)


def webrtc(microphone: np.ndarray, played: np.ndarray) -> np.ndarray:
    cleaned = WebRtcEchoCanceller().process(microphone.tobytes(), played.tobytes())
    return np.frombuffer(cleaned, dtype="<i2")


def speex(microphone: np.ndarray, played: np.ndarray, tail: float) -> np.ndarray:
    import pyaec

    canceller = pyaec.Aec(FRAME, int(tail * RATE), RATE, True)
    out = []
    for start in range(0, len(microphone), FRAME):
        out += canceller.cancel_echo(
            microphone[start : start + FRAME].tolist(), played[start : start + FRAME].tolist()
        )
    return np.asarray(out, dtype="<i2")


def db(samples: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(samples.astype(np.float64) ** 2) + 1.0))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay", type=int, default=80, help="echo delay, ms")
    parser.add_argument("--gain", type=float, default=0.3, help="echo gain (0: no echo)")
    args = parser.parse_args()
    microphone, played, person_at, person_len, echo_end = mix(args.delay, args.gain)
    library = load_library()

    def heard(pcm: np.ndarray) -> str:
        return transcribe(
            PocketSphinxRecognizer.for_vocabulary(recognition_vocabulary(library)), pcm.tobytes()
        )

    print(f"echo delay {args.delay} ms, gain {args.gain}")
    print(f"{'no canceller':24s} heard: {heard(microphone)!r}")
    candidates = {"webrtc (AEC3)": lambda: webrtc(microphone, played)}
    try:
        import pyaec  # noqa: F401

        candidates["speexdsp 0.25 s"] = lambda: speex(microphone, played, 0.25)
        candidates["speexdsp 0.5 s"] = lambda: speex(microphone, played, 0.5)
    except ImportError:
        print("(speexdsp not measured: pip install pyaec)")
    before = slice(RATE, person_at)
    after = slice(person_at + person_len + RATE // 2, echo_end)
    person = slice(person_at, person_at + person_len)
    for name, run in candidates.items():
        started = time.perf_counter()
        cleaned = run()
        cost = (time.perf_counter() - started) * 1000 / (len(microphone) / RATE)
        erle = [db(microphone[part]) - db(cleaned[part]) for part in (before, after)]
        kept = db(cleaned[person]) - db(microphone[person])
        print(
            f"{name:24s} ERLE {erle[0]:5.1f} / {erle[1]:5.1f} dB, person kept {kept:5.1f} dB, "
            f"{cost:4.1f} ms/s, heard: {heard(cleaned)!r}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
