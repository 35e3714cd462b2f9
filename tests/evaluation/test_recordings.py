"""``voicecare eval --recordings DIR``: a small folder of WAV files the test makes itself
(espeak-ng speech written as recordings would be: 22.05 kHz stereo), labels.tsv, real
PocketSphinx; the labels' problems as one-line errors."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.evaluation.test_eval_cli import one_line_error, voicecare
from tests.listening.speech import require_espeak, speak
from voicecare.audio import SAMPLE_RATE, resample
from voicecare.evaluation.recordings import load_recordings, subset

KNOWN = {"routine:shoulders", "command:stop", "command:pause", "none"}


def write_wav(path: Path, samples: np.ndarray, rate: int = 22_050, channels: int = 2) -> None:
    pcm = np.clip(np.rint(samples * 32767), -32768, 32767).astype("<i2")
    frames = np.repeat(pcm[:, None], channels, axis=1)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames.tobytes())


def record(folder: Path, name: str, text: str) -> None:
    """``text`` as a recording: 0.3 s of room tone, speech, 0.5 s more, at 22.05 kHz."""
    speech = np.frombuffer(speak(text), dtype="<i2").astype(float) / 32768
    hiss = np.random.default_rng(len(name)).normal(0, 0.001, round(0.8 * SAMPLE_RATE))
    clip = np.concatenate([hiss[:4800], speech, hiss[4800:]])
    write_wav(folder / name, resample(clip, SAMPLE_RATE, 22_050))


@pytest.fixture
def folder(tmp_path) -> Path:
    require_espeak()
    folder = tmp_path / "mine"
    folder.mkdir()
    record(folder, "shoulders.wav", "my shoulders are tight")
    record(folder, "stop.wav", "stop")
    record(folder, "weather.wav", "what is the weather like tomorrow")
    (folder / "labels.tsv").write_text(
        "# file\tintents\ttext\n"
        "shoulders.wav\troutine:shoulders\tmy shoulders are tight\n"
        "stop.wav\tcommand:stop|command:pause\n"
        "weather.wav\tnone\n",
        encoding="utf-8",
    )
    return folder


def run(folder: Path, tmp_path: Path, *extra: str) -> tuple[str, dict]:
    report = tmp_path / "report.json"
    result = voicecare(
        "eval", "--recordings", str(folder), "--engine", "pocketsphinx",
        "--snr", "clean,10", "--json", str(report), *extra,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout, json.loads(report.read_text())


def test_recordings_are_heard_and_scored_per_snr(folder, tmp_path):
    table, report = run(folder, tmp_path)
    assert report["recordings"] == str(folder)
    assert report["utterances"] == 3
    assert report["noise"] == "pink, mixed by loudest frames, seeded"
    clean, noisy = report["results"]
    assert (clean["voice"], clean["snr"], clean["trials"]) == ("recorded", "clean", 3)
    assert (noisy["snr"], noisy["trials"], noisy["out_of_domain"]) == ("10 dB", 3, 1)
    trials = {(t["source"], t["snr_db"]): t for t in report["trials"]}
    assert len(trials) == 6
    shoulders = trials[("shoulders.wav", None)]
    assert shoulders["transcript"] == "my shoulders are tight" and shoulders["correct"]
    assert shoulders["reference_words"] == 4 and shoulders["word_errors"] == 0
    assert trials[("stop.wav", None)]["expected"] == ["command:stop", "command:pause"]
    assert trials[("stop.wav", None)]["reference_words"] == 0  # no text: no word errors
    # the word error rate is over the one labelled with its words
    assert clean["word_error_rate"] == pytest.approx(0.0)
    assert "| pocketsphinx | recorded | clean |" in table
    assert "| pocketsphinx | recorded | 10 dB |" in table

    _, again = run(folder, tmp_path)  # seeded: the same mix, the same transcripts
    assert [t["transcript"] for t in again["trials"]] == [t["transcript"] for t in report["trials"]]


def test_a_noise_file_is_mixed_instead_of_pink_noise(folder, tmp_path):
    noise = tmp_path / "fan.wav"
    hum = np.sin(2 * np.pi * 120 * np.arange(3 * 16_000) / 16_000) * 0.2
    write_wav(noise, hum + np.random.default_rng(0).normal(0, 0.05, len(hum)), 16_000, 1)
    _, report = run(folder, tmp_path, "--noise", str(noise))
    assert report["noise"] == "fan.wav, mixed by loudest frames, seeded"
    assert [t["snr_db"] for t in report["trials"]] == [None] * 3 + [10.0] * 3
    clean = [t for t in report["trials"] if t["snr_db"] is None]
    assert clean[0]["transcript"] == "my shoulders are tight"  # clean is not mixed


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (None, "no labels.tsv in it; write one line per WAV file"),
        ("stop.wav routine:shoulders\n", ":1: expected 'file<TAB>intent ids"),
        ("# only\n\nstop.wav\tcommand:nope\n", ":3: unknown intent 'command:nope'"),
        ("gone.wav\tcommand:stop\n", ":1: no file "),
        ("stop.wav\tcommand:stop\nstop.wav\tnone\n", "'stop.wav' is listed twice"),
        ("# nothing\n", "no recordings listed"),
    ],
)
def test_label_problems_are_one_line(tmp_path, labels, message):
    folder = tmp_path / "mine"
    folder.mkdir()
    write_wav(folder / "stop.wav", np.zeros(1600))
    if labels is not None:
        (folder / "labels.tsv").write_text(labels, encoding="utf-8")
    line = one_line_error(voicecare("eval", "--recordings", str(folder)))
    assert message in line


@pytest.mark.parametrize(("option", "value"), [("--voices", "flite:slt"), ("--set", "x.tsv")])
def test_synthesis_options_do_not_go_with_recordings(folder, option, value):
    line = one_line_error(voicecare("eval", "--recordings", str(folder), option, value))
    assert f"--recordings hears recorded speech; {option} is for synthesized speech" in line


def test_a_missing_folder_and_a_silent_noise(tmp_path):
    line = one_line_error(voicecare("eval", "--recordings", str(tmp_path / "none")))
    assert line.endswith("no such folder; give a folder of WAV files")
    silent = tmp_path / "silent.wav"
    write_wav(silent, np.zeros(1600), 16_000, 1)
    line = one_line_error(voicecare("eval", "--noise", str(silent), "--voices", "en-us"))
    assert "the file is silent" in line


def test_subset_is_by_file_name(tmp_path):
    (tmp_path / "labels.tsv").write_text(
        "".join(f"f{n}.wav\tnone\n" for n in range(30)), encoding="utf-8"
    )
    for n in range(30):
        write_wav(tmp_path / f"f{n}.wav", np.zeros(160), 16_000, 1)
    recordings = load_recordings(tmp_path, KNOWN)
    chosen = subset(recordings, 10)
    assert len(chosen) == 10 and chosen == subset(list(recordings), 10)
    assert [r.name for r in chosen] != [f"f{n}.wav" for n in range(10)]
    assert set(subset(recordings, 5)) <= set(chosen)
