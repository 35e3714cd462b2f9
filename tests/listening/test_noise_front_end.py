"""The noise front end on real speech (espeak-ng) in white noise, through the real WebRTC
audio processing module: steady noise comes out much lower, speech about as loud, and the
audio as long as it went in whatever the chunk sizes."""

from __future__ import annotations

import numpy as np
import pytest

from tests.listening.speech import require_espeak, speak
from voicecare.audio import SAMPLE_RATE, float_to_pcm16, pcm16_to_float
from voicecare.listening.noise_front_end import (
    BAND_EDGES,
    DEFAULT_FRONT_END,
    FRONT_ENDS,
    STEADY_DB,
    STEADY_HYSTERESIS,
    FrontEnd,
    NoiseFrontEnd,
    band_levels,
    front_end_named,
    is_steady,
    mix,
    noise_steadiness,
)
from voicecare.settings import NOISE_FRONT_ENDS, ListeningSettings

pytest.importorskip("livekit")
LEAD = SAMPLE_RATE  # one second of noise alone before the speech


def level_db(samples: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(samples.astype(np.float64) ** 2) + 1e-12))


@pytest.fixture(scope="module")
def scene() -> tuple[np.ndarray, bytes]:
    """Speech at 10 dB above white noise, after a second of the noise alone."""
    require_espeak()
    speech = pcm16_to_float(speak("my neck is stiff", "en-us", 150))
    clean = np.concatenate([np.zeros(LEAD), speech, np.zeros(SAMPLE_RATE // 2)])
    noise = np.random.default_rng(3).normal(0.0, 1.0, len(clean))
    noise *= np.sqrt(np.mean(speech**2) / 10)
    return speech, float_to_pcm16(clean + noise)


def cleaned(pcm: bytes, chunk: int) -> bytes:
    """``pcm`` through plain suppression (the default, steady-only, decides per noise)."""
    front_end = NoiseFrontEnd(front_end_named("suppress"))
    out = b"".join(front_end.process(pcm[i : i + chunk]) for i in range(0, len(pcm), chunk))
    return out + front_end.flush()


def test_steady_noise_is_taken_down_and_speech_kept(scene: tuple[np.ndarray, bytes]) -> None:
    speech, mixed = scene
    heard, out = pcm16_to_float(mixed), pcm16_to_float(cleaned(mixed, 3200))
    settled = slice(LEAD // 2, LEAD)  # noise alone, once the suppressor has learnt it
    assert level_db(out[settled]) < level_db(heard[settled]) - 6.0
    span = slice(LEAD, LEAD + len(speech))
    assert abs(level_db(out[span]) - level_db(speech)) < 3.0


@pytest.mark.parametrize("chunk", [320, 777, 3200, 3201])
def test_the_audio_comes_out_as_long_as_it_went_in(
    scene: tuple[np.ndarray, bytes], chunk: int
) -> None:
    _, mixed = scene
    assert len(cleaned(mixed, chunk)) == len(mixed)


def test_clear_drops_only_the_partial_frame() -> None:
    front_end = NoiseFrontEnd()
    assert front_end.process(bytes(300)) == b""  # less than one 10 ms frame waits
    front_end.clear()
    assert front_end.flush() == b""
    assert len(front_end.process(bytes(640))) == 640


def test_audio_without_noise_passes_unchanged() -> None:
    """Digital silence then speech: nothing to suppress, so nothing is changed."""
    require_espeak()
    pcm = bytes(SAMPLE_RATE) + speak("stop", "en-us", 150)
    front_end = NoiseFrontEnd()
    assert cleaned(pcm, 3200) == pcm[: len(pcm)]
    front_end.process(pcm)
    assert front_end.quiet


# ------------------------------------------------ configurations and the adaptive choice


def pink(seconds: float, seed: int, level: float = 0.02) -> np.ndarray:
    """Seeded pink noise (power falling 3 dB an octave), ``level`` RMS of full scale."""
    white = np.random.default_rng(seed).standard_normal(int(seconds * SAMPLE_RATE))
    spectrum = np.fft.rfft(white)
    spectrum[1:] /= np.sqrt(np.arange(1, len(spectrum)))
    spectrum[0] = 0.0
    noise = np.fft.irfft(spectrum, n=len(white))
    return noise * level / np.sqrt(np.mean(noise**2))


def clatter(seconds: float, seed: int) -> np.ndarray:
    """Noise whose low and high halves each change level at random every 40 ms (up to 20 dB
    apart), as a kitchen's voices and dishes do: not steady even between its loudest parts."""
    rng = np.random.default_rng(seed)
    count, block = int(seconds * SAMPLE_RATE), SAMPLE_RATE // 25
    spectrum = np.fft.rfft(rng.standard_normal(count))
    split = len(spectrum) // 8  # 1 kHz
    low = np.fft.irfft(np.where(np.arange(len(spectrum)) < split, spectrum, 0), n=count)
    high = np.fft.irfft(np.where(np.arange(len(spectrum)) >= split, spectrum, 0), n=count)
    gains = [10 ** (rng.uniform(-10, 10, count // block + 1).repeat(block)[:count] / 20)
             for _ in range(2)]  # fmt: skip
    noise = gains[0] * low + gains[1] * high
    return noise * 0.02 / np.sqrt(np.mean(noise**2))


def frames_of(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    frames = samples[: len(samples) // 160 * 160].reshape(-1, 160)
    levels = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-20)
    return levels, np.array([band_levels(frame) for frame in frames])


def test_band_levels_find_where_the_energy_is() -> None:
    tone = np.sin(2 * np.pi * 2000 * np.arange(160) / SAMPLE_RATE)  # bin 20 of 100 Hz
    levels = band_levels(tone)
    assert len(levels) == len(BAND_EDGES) - 1
    assert int(np.argmax(levels)) == 4


def test_steady_noise_is_steady_and_clatter_is_not() -> None:
    assert noise_steadiness(*frames_of(pink(3, 1))) < STEADY_DB - STEADY_HYSTERESIS
    assert noise_steadiness(*frames_of(clatter(3, 1))) > STEADY_DB + STEADY_HYSTERESIS
    assert noise_steadiness(np.array([]), np.zeros((0, 8))) == float("inf")


def test_the_decision_holds_near_the_line() -> None:
    assert is_steady(STEADY_DB - 0.1, was_steady=True)
    assert not is_steady(STEADY_DB - 0.1, was_steady=False)
    assert is_steady(STEADY_DB + 0.1, was_steady=True)
    assert not is_steady(STEADY_DB + 0.1, was_steady=False)
    assert not is_steady(STEADY_DB + STEADY_HYSTERESIS + 0.01, was_steady=True)
    assert is_steady(STEADY_DB - STEADY_HYSTERESIS - 0.01, was_steady=False)


def test_mix_takes_the_share_asked_for() -> None:
    cleaned = np.array([0, 1000, -1000], dtype="<i2")
    heard = np.array([2000, 3000, 32767], dtype="<i2")
    assert mix(cleaned, heard, 1.0) is cleaned
    assert mix(cleaned, heard, 0.0).tolist() == heard.tolist()
    assert mix(cleaned, heard, 0.5).tolist() == [1000, 2000, 15884]


def test_front_ends_are_named_and_checked() -> None:
    assert tuple(FRONT_ENDS) == NOISE_FRONT_ENDS  # what --noise-front-end offers
    assert ListeningSettings().noise_front_end == DEFAULT_FRONT_END
    assert front_end_named(DEFAULT_FRONT_END) == FRONT_ENDS[DEFAULT_FRONT_END]
    assert not front_end_named("off").active
    with pytest.raises(ValueError, match="known: off"):
        front_end_named("loud")
    with pytest.raises(ValueError):
        FrontEnd(wet=1.5)
    with pytest.raises(ValueError):
        FrontEnd(unsteady_wet=-0.1)


@pytest.mark.parametrize(
    ("noise", "steady"), [(pink(5, 2), True), (clatter(5, 2), False)], ids=["pink", "clatter"]
)
def test_the_adaptive_front_end_suppresses_only_steady_noise(
    noise: np.ndarray, steady: bool
) -> None:
    front_end = NoiseFrontEnd(FrontEnd(unsteady_wet=0.0))
    pcm = float_to_pcm16(noise)
    out = pcm16_to_float(front_end.process(pcm))
    assert front_end.steady is steady
    last = slice(-SAMPLE_RATE, None)  # a second, once the decision is taken
    taken_down = level_db(noise[last]) - level_db(out[last])
    assert taken_down > 6.0 if steady else abs(taken_down) < 0.5


def test_half_suppression_takes_noise_down_less_than_full() -> None:
    noise = float_to_pcm16(pink(3, 4))
    full = pcm16_to_float(NoiseFrontEnd(FrontEnd()).process(noise))
    half = pcm16_to_float(NoiseFrontEnd(FrontEnd(wet=0.5)).process(noise))
    heard = pcm16_to_float(noise)
    last = slice(-SAMPLE_RATE, None)
    assert level_db(heard[last]) - 6.5 < level_db(half[last]) < level_db(heard[last]) - 3.0
    assert level_db(full[last]) < level_db(half[last]) - 3.0


def test_the_command_line_chooses_the_front_end() -> None:
    from voicecare.cli.parser import build_parser
    from voicecare.cli.settings_builder import build_settings

    parser = build_parser()
    assert build_settings(parser.parse_args([])).listening.noise_front_end == DEFAULT_FRONT_END
    chosen = parser.parse_args(["--noise-front-end", "steady-only"])
    assert build_settings(chosen).listening.noise_front_end == "steady-only"
    evaluation = parser.parse_args(["eval", "--noise-front-end", "off"])
    assert build_settings(evaluation).listening.noise_front_end == "off"
    with pytest.raises(SystemExit):
        parser.parse_args(["--noise-front-end", "loud"])


def test_the_bundled_engine_hears_through_the_front_end_named() -> None:
    pytest.importorskip("pocketsphinx")
    from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer

    words = ["stop", "my", "neck"]
    off = PocketSphinxRecognizer(words, ["stop", "my neck"], front_end="off", rejection=False)
    assert off._front_end is None
    steady = PocketSphinxRecognizer(words, ["stop"], front_end="steady-only", rejection=False)
    assert steady._front_end is not None
    assert steady._front_end.config == FRONT_ENDS["steady-only"]
