"""The natural voices of ``voicecare eval``, spoken for real: hibari-tts (pip), flite and
festival's HTS voice (apt; scripts/setup.sh installs them). A test skips, saying what to
install, where its voice is missing."""

from __future__ import annotations

import os

import numpy as np
import pytest

from tests.evaluation.test_eval_cli import one_line_error, voicecare
from voicecare.audio import SAMPLE_RATE
from voicecare.evaluation.synthesis import SpeechSynthesizer
from voicecare.evaluation.voices import (
    BACKENDS,
    NATURAL_VOICES,
    Flite,
    Hibari,
    installed,
    parse_voice,
)

SENTENCE = "there is a knot in my shoulder"


def require(voice: str) -> None:
    parsed = parse_voice(voice)
    problem = BACKENDS[parsed.backend]().problem(parsed.name)
    if problem is not None:
        pytest.skip(f"{voice}: {problem}")


@pytest.mark.parametrize("voice", NATURAL_VOICES)
def test_each_natural_voice_speaks_and_takes_a_rate(voice, tmp_path):
    require(voice)
    synthesizer = SpeechSynthesizer(tmp_path)
    normal = synthesizer.speak(SENTENCE, voice, 150)
    fast = synthesizer.speak(SENTENCE, voice, 220)
    seconds = len(normal) / 2 / SAMPLE_RATE
    assert 1.0 < seconds < 5.0  # about two seconds of speech
    samples = np.frombuffer(normal, dtype="<i2").astype(float) / 32768
    assert np.sqrt(np.mean(samples**2)) > 0.01  # not silence
    assert len(fast) < 0.85 * len(normal)  # a faster rate is shorter
    assert synthesizer.made == 2
    assert SpeechSynthesizer(tmp_path).speak(SENTENCE, voice, 150) == normal  # cached


def test_hibari_is_the_same_every_time(tmp_path):
    require("hibari:us")
    first = SpeechSynthesizer(tmp_path / "a").speak("stop", "hibari:us", 170)
    again = SpeechSynthesizer(tmp_path / "b").speak("stop", "hibari:us", 170)
    assert first == again


def test_hibari_downloads_nothing(tmp_path, monkeypatch):
    """Its British voices are downloads: named, never fetched."""
    pytest.importorskip("hibari", reason="hibari-tts is not installed (pip install hibari-tts)")
    monkeypatch.setenv("HIBARI_HOME", str(tmp_path))
    problem = Hibari().problem("emma")
    assert problem is not None and "a download it does not have" in problem
    assert list(tmp_path.iterdir()) == []
    assert "no voice 'zz'" in (Hibari().problem("zz") or "")


def test_an_unknown_flite_voice_lists_the_real_ones():
    require("flite:slt")
    problem = Flite().problem("nobody")
    assert problem is not None and "flite has no voice 'nobody'" in problem and "slt" in problem


def test_missing_programs_are_named_with_their_reason():
    backends = {**{name: make() for name, make in BACKENDS.items()}}
    backends["flite"] = Flite(program="no-such-flite")
    usable, missing = installed(["flite:slt", "flite:awb"], backends)
    assert usable == []
    assert missing == [
        "flite:slt (no-such-flite is not installed)",
        "flite:awb (no-such-flite is not installed)",
    ]


def test_default_voices_are_the_natural_ones_installed(tmp_path):
    """Without flite on the PATH the default set is the other natural voices, and one line
    says which were left out."""
    require("hibari:us")
    require("festival:us-slt-hts")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for program in ("text2wave", "festival"):
        found = next(
            os.path.join(folder, program)
            for folder in os.environ["PATH"].split(os.pathsep)
            if os.path.isfile(os.path.join(folder, program))
        )
        (bin_dir / program).symlink_to(found)
    tiny = tmp_path / "tiny.tsv"
    tiny.write_text("routine:shoulders\tmy shoulders are tight\n", encoding="utf-8")
    result = voicecare(
        "eval", "--set", str(tiny), "--engine", "pocketsphinx", "--rates", "170",
        "--snr", "clean", "--cache-dir", str(tmp_path / "cache"),
        env={"PATH": str(bin_dir)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (left_out,) = [line for line in result.stderr.splitlines() if "left out" in line]
    assert left_out.startswith("voicecare: natural voices left out (not installed): flite:slt")
    assert "flite:awb" in left_out and "hibari" not in left_out and "festival" not in left_out
    assert "| pocketsphinx | hibari:us           | clean |" in result.stdout
    assert "| pocketsphinx | festival:us-slt-hts | clean |" in result.stdout
    assert "| pocketsphinx | all                 | clean |" in result.stdout


def test_no_natural_voice_at_all_says_what_to_install(tmp_path):
    tiny = tmp_path / "tiny.tsv"
    tiny.write_text("command:stop\tstop\n", encoding="utf-8")
    empty = tmp_path / "bin"
    empty.mkdir()
    result = voicecare(
        "eval", "--set", str(tiny), env={"PATH": str(empty)}, prelude="sys.modules['hibari'] = None"
    )
    line = one_line_error(result)
    assert "no natural voice is installed" in line
    assert "apt-get install -y flite festival festvox-us-slt-hts" in line
    assert "pip install hibari-tts" in line and "--voices espeak:en-us" in line
