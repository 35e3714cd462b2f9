"""``voicecare eval`` through the real entry point: real espeak-ng speech, real PocketSphinx.
(The natural voices: test_voices.py; recordings: test_recordings.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.listening.speech import require_espeak

ROOT = Path(__file__).resolve().parents[2]
TINY_SET = (
    "# intent\tutterance\n"
    "routine:shoulders\tmy shoulders are tight\n"
    "command:stop\tstop\n"
    "safety:red-flags\tmy arm is numb and i have chest pain\n"
    "none\twhat is the weather like tomorrow\n"
)
SUMMARY_KEYS = {
    "engine",
    "snr",
    "snr_db",
    "trials",
    "accuracy",
    "out_of_domain",
    "false_accepts",
    "false_accept_rate",
    "red_flags",
    "red_flag_recall",
    "red_flags_asked",
    "not_red_flags",
    "false_alarms",
    "false_alarms_asked",
    "word_error_rate",
    "real_time_factor",
    "latency_median_ms",
    "latency_p95_ms",
    "engine_errors",
    "voice",
}


def voicecare(
    *args: str, env: dict[str, str] | None = None, prelude: str | None = None
) -> subprocess.CompletedProcess:
    """``python -m voicecare ARGS``; with ``prelude``, that code runs first in the process."""
    entry = ["-m", "voicecare"]
    if prelude is not None:
        entry = ["-c", f"import sys; {prelude}; from voicecare.cli import main; sys.exit(main())"]
    return subprocess.run(
        [sys.executable, *entry, *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("voicecare: ")
    return line


@pytest.fixture
def tiny_set(tmp_path) -> Path:
    path = tmp_path / "tiny.tsv"
    path.write_text(TINY_SET, encoding="utf-8")
    return path


def run_tiny(tiny_set: Path, tmp_path: Path, name: str) -> tuple[subprocess.CompletedProcess, dict]:
    report = tmp_path / f"{name}.json"
    result = voicecare(
        "eval",
        "--set", str(tiny_set),
        "--engine", "pocketsphinx",
        "--voices", "en-us",
        "--rates", "150",
        "--snr", "clean,10",
        "--json", str(report),
        "--cache-dir", str(tmp_path / "cache"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result, json.loads(report.read_text())


def test_eval_reports_each_snr_and_reuses_its_speech(tiny_set, tmp_path):
    require_espeak()
    result, report = run_tiny(tiny_set, tmp_path, "first")
    assert report["engines"] == ["pocketsphinx"]
    assert report["utterances"] == 4
    assert report["snr"] == ["clean", "10 dB"]
    assert report["synthesis"] == {"made": 4, "from_cache": 0}
    clean, noisy = report["results"]
    for summary in (clean, noisy):
        assert set(summary) == SUMMARY_KEYS
        assert summary["trials"] == 4
        assert summary["voice"] == "en-us"
        assert summary["engine_errors"] == 0
        assert (summary["out_of_domain"], summary["red_flags"]) == (1, 1)
        for share in ("accuracy", "red_flag_recall", "false_accept_rate"):
            assert 0.0 <= summary[share] <= 1.0
        assert summary["word_error_rate"] >= 0
        assert 0 < summary["real_time_factor"] < 5
        assert 0 <= summary["latency_median_ms"] <= summary["latency_p95_ms"] < 10_000
    assert (clean["snr"], clean["snr_db"], noisy["snr"], noisy["snr_db"]) == (
        "clean", None, "10 dB", 10.0
    )  # fmt: skip
    trials = report["trials"]
    assert len(trials) == 8
    shoulders = next(t for t in trials if t["snr_db"] is None and "shoulders" in t["text"])
    assert shoulders["transcript"] == "my shoulders are tight"
    assert shoulders["intent"] == "routine:shoulders"
    assert shoulders["correct"] and shoulders["word_errors"] == 0
    assert clean["accuracy"] >= 0.25  # the shoulders line at least
    assert "| pocketsphinx | en-us | clean |" in result.stdout  # the table, per voice
    assert "| pocketsphinx | en-us | 10 dB |" in result.stdout
    assert "| all " not in result.stdout  # one voice: no row over all voices

    _, again = run_tiny(tiny_set, tmp_path, "second")
    assert again["synthesis"] == {"made": 0, "from_cache": 4}
    assert [t["transcript"] for t in again["trials"]] == [t["transcript"] for t in trials]


def test_plot_is_written(tiny_set, tmp_path):
    require_espeak()
    pytest.importorskip("matplotlib")
    plot = tmp_path / "accuracy.png"
    result = voicecare(
        "eval", "--set", str(tiny_set), "--engine", "pocketsphinx", "--voices", "en-us",
        "--rates", "150", "--snr", "clean", "--limit", "1", "--plot", str(plot),
        "--cache-dir", str(tmp_path / "cache"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert plot.read_bytes().startswith(b"\x89PNG")


def test_plot_without_matplotlib_stops_before_running(tiny_set, tmp_path):
    result = voicecare(
        "eval", "--set", str(tiny_set), "--plot", str(tmp_path / "a.png"),
        prelude="sys.modules['matplotlib'] = None",
    )  # fmt: skip
    line = one_line_error(result)
    assert "--plot needs matplotlib" in line and "voicecare[plot]" in line
    assert not (tmp_path / "a.png").exists()


def test_missing_set_file(tmp_path):
    line = one_line_error(voicecare("eval", "--set", str(tmp_path / "none.tsv")))
    assert line == f"voicecare: --set {tmp_path / 'none.tsv'}: no such file; " + (
        "give a TSV file of intent<TAB>utterance lines"
    )


def test_malformed_line_is_named(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("routine:neck\tmy neck\n\nroutine:neck no tab here\n", encoding="utf-8")
    line = one_line_error(voicecare("eval", "--set", str(path)))
    assert line.startswith(f"voicecare: {path}:3: expected 'intent<TAB>utterance'")


def test_unknown_intent_is_named(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("routine:neck\tmy neck\nroutine:knee\tmy knee\n", encoding="utf-8")
    line = one_line_error(voicecare("eval", "--set", str(path)))
    assert line.startswith(f"voicecare: {path}:2: unknown intent 'routine:knee'")


def test_missing_espeak(tiny_set, tmp_path):
    no_espeak = tmp_path / "bin"
    no_espeak.mkdir()
    result = voicecare(
        "eval", "--set", str(tiny_set), "--voices", "espeak:en-us", env={"PATH": str(no_espeak)}
    )
    line = one_line_error(result)
    assert "espeak-ng is not installed" in line and "apt-get install espeak-ng" in line


def test_unknown_voice(tiny_set):
    require_espeak()
    line = one_line_error(voicecare("eval", "--set", str(tiny_set), "--voices", "en-us,xx-zz"))
    assert "no voice 'xx-zz'" in line


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--snr", "clean,loud", "'loud' is neither a number of dB nor 'clean'"),
        ("--rates", "150,fast", "'fast' is not a rate in words per minute"),
        ("--limit", "0", "--limit 0: give a number of utterances"),
    ],
)
def test_bad_options(tiny_set, option, value, message):
    line = one_line_error(voicecare("eval", "--set", str(tiny_set), option, value))
    assert message in line
