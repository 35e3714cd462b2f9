"""WAV files of every common kind become 16 kHz mono 16-bit PCM; bad files are one clear line."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from voicecare.audio import Resampler, iter_chunks, resample
from voicecare.errors import AudioError
from voicecare.listening.wav_audio import read_wav

RATE = 16_000


def sine(rate: int, seconds: float = 1.0, frequency: float = 440.0, amplitude: float = 0.5):
    t = np.arange(int(rate * seconds)) / rate
    return amplitude * np.sin(2 * np.pi * frequency * t)


def write_with_wave(path: Path, channels: list[np.ndarray], rate: int, width: int) -> Path:
    """Integer PCM through the standard library (8-bit unsigned, 16- and 32-bit signed)."""
    frames = np.stack(channels, axis=1)
    if width == 1:
        data = np.clip(np.rint(frames * 128 + 128), 0, 255).astype(np.uint8)
    else:
        full = 2 ** (8 * width - 1)
        data = np.clip(np.rint(frames * full), -full, full - 1).astype(f"<i{width}")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(len(channels))
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(data.tobytes())
    return path


def riff(
    code: int, channels: int, rate: int, bits: int, data: bytes, extensible: bool = False
) -> bytes:
    """A RIFF/WAVE file written by hand (for what the wave module cannot write)."""
    block = channels * bits // 8
    tag = 0xFFFE if extensible else code
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    if extensible:
        guid_tail = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        fmt += struct.pack("<HHI", 22, bits, 0) + struct.pack("<H", code) + guid_tail
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt
    chunks += b"LIST" + struct.pack("<I", 5) + b"extra\x00"  # an odd-sized chunk to skip
    chunks += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def samples(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0


def dominant_frequency(signal: np.ndarray, rate: int = RATE) -> float:
    middle = signal[len(signal) // 8 : -len(signal) // 8]
    spectrum = np.abs(np.fft.rfft(middle * np.hanning(len(middle))))
    return float(np.argmax(spectrum)) * rate / len(middle)


def amplitude(signal: np.ndarray) -> float:
    """Peak of a sine estimated from its RMS, away from the edges."""
    middle = signal[len(signal) // 8 : -len(signal) // 8]
    return float(np.sqrt(2 * np.mean(middle**2)))


# ----------------------------------------------------------------- good files


def test_16k_mono_16bit_comes_back_unchanged(tmp_path):
    path = write_with_wave(tmp_path / "a.wav", [sine(RATE)], RATE, 2)
    with wave.open(str(path)) as original:
        expected = original.readframes(original.getnframes())
    assert read_wav(path) == expected


@pytest.mark.parametrize("rate", [8_000, 11_025, 22_050, 44_100, 48_000, 96_000])
def test_any_rate_becomes_16k_and_keeps_the_tone(tmp_path, rate):
    path = write_with_wave(tmp_path / "a.wav", [sine(rate)], rate, 2)
    out = samples(read_wav(path))
    assert len(out) == RATE
    assert dominant_frequency(out) == pytest.approx(440, abs=2)
    assert amplitude(out) == pytest.approx(0.5, abs=0.01)


def test_stereo_channels_are_averaged(tmp_path):
    channels = [sine(RATE, amplitude=0.6), sine(RATE, amplitude=0.2)]
    path = write_with_wave(tmp_path / "a.wav", channels, RATE, 2)
    out = samples(read_wav(path))
    assert len(out) == RATE
    assert amplitude(out) == pytest.approx(0.4, abs=0.005)


def test_opposite_channels_cancel(tmp_path):
    tone = sine(44_100)
    out = samples(read_wav(write_with_wave(tmp_path / "a.wav", [tone, -tone], 44_100, 2)))
    assert np.abs(out).max() < 0.001


def test_8bit_unsigned(tmp_path):
    path = write_with_wave(tmp_path / "a.wav", [sine(8_000, frequency=300)], 8_000, 1)
    out = samples(read_wav(path))
    assert len(out) == RATE
    assert dominant_frequency(out) == pytest.approx(300, abs=2)
    assert amplitude(out) == pytest.approx(0.5, abs=0.02)


def test_32bit_integer(tmp_path):
    path = write_with_wave(tmp_path / "a.wav", [sine(RATE), sine(RATE)], RATE, 4)
    out = samples(read_wav(path))
    assert np.abs(out - sine(RATE)).max() < 2 / 32768


def test_24bit_values_are_exact(tmp_path):
    values = [0x400000, -0x200000, 0x7FFFFF, -0x800000, 0]  # 0.5, -0.25, ~1, -1, 0
    data = b"".join(v.to_bytes(3, "little", signed=True) for v in values)
    path = tmp_path / "a.wav"
    path.write_bytes(riff(1, 1, RATE, 24, data))
    assert list(np.frombuffer(read_wav(path), "<i2")) == [16384, -8192, 32767, -32768, 0]


def test_24bit_stereo_tone(tmp_path):
    tone = np.rint(sine(22_050, frequency=1000) * 2**23).astype(np.int64)
    frames = np.repeat(tone, 2)  # same in both channels
    data = b"".join(int(v).to_bytes(3, "little", signed=True) for v in frames)
    path = tmp_path / "a.wav"
    path.write_bytes(riff(1, 2, 22_050, 24, data))
    out = samples(read_wav(path))
    assert len(out) == RATE
    assert dominant_frequency(out) == pytest.approx(1000, abs=2)
    assert amplitude(out) == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize("extensible", [False, True])
def test_32bit_float(tmp_path, extensible):
    tone = sine(48_000, frequency=250, amplitude=0.25).astype("<f4")
    path = tmp_path / "a.wav"
    path.write_bytes(riff(3, 1, 48_000, 32, tone.tobytes(), extensible=extensible))
    out = samples(read_wav(path))
    assert len(out) == RATE
    assert dominant_frequency(out) == pytest.approx(250, abs=2)
    assert amplitude(out) == pytest.approx(0.25, abs=0.005)


def test_float_values_and_clipping(tmp_path):
    values = np.array([0.5, -0.5, 2.0, -2.0, np.nan], dtype="<f4")
    path = tmp_path / "a.wav"
    path.write_bytes(riff(3, 1, RATE, 32, values.tobytes()))
    assert list(np.frombuffer(read_wav(path), "<i2")) == [16384, -16384, 32767, -32768, 0]


def test_64bit_float(tmp_path):
    path = tmp_path / "a.wav"
    path.write_bytes(riff(3, 1, RATE, 64, np.array([0.25, -1.0], "<f8").tobytes()))
    assert list(np.frombuffer(read_wav(path), "<i2")) == [8192, -32768]


def test_data_size_larger_than_the_file_reads_what_is_there(tmp_path):
    data = np.array([100, -100, 200], "<i2").tobytes()
    whole = bytearray(riff(1, 1, RATE, 16, data))
    whole[-len(data) - 4 : -len(data)] = struct.pack("<I", 0xFFFFFFFF)  # streamed WAV
    path = tmp_path / "a.wav"
    path.write_bytes(bytes(whole))
    assert read_wav(path) == data


# ----------------------------------------------------------------- bad files


def error_line(path: Path) -> str:
    with pytest.raises(AudioError) as raised:
        read_wav(path)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    return message


def test_missing_file(tmp_path):
    assert "no such file" in error_line(tmp_path / "nowhere.wav")


def test_empty_file(tmp_path):
    (tmp_path / "a.wav").write_bytes(b"")
    assert "empty" in error_line(tmp_path / "a.wav")


def test_mp3_is_not_a_wav(tmp_path):
    (tmp_path / "a.wav").write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(100))
    message = error_line(tmp_path / "a.wav")
    assert "not a WAV file" in message and "MP3" in message


def test_text_is_not_a_wav(tmp_path):
    (tmp_path / "a.wav").write_text("hello, this is not audio\n")
    message = error_line(tmp_path / "a.wav")
    assert "not a WAV file" in message and "text" in message


@pytest.mark.parametrize(
    "content",
    [
        b"RIFF\x10\x00",
        b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00",
        b"RIFF\x04\x00\x00\x00WAVE",
    ],
    ids=["riff-only", "short-fmt", "no-chunks"],
)
def test_truncated_header(tmp_path, content):
    (tmp_path / "a.wav").write_bytes(content)
    assert "truncated header" in error_line(tmp_path / "a.wav")


def test_fmt_without_data_chunk(tmp_path):
    whole = riff(1, 1, RATE, 16, b"\x00\x00")
    (tmp_path / "a.wav").write_bytes(whole[: whole.index(b"data")])
    assert "no 'data' chunk" in error_line(tmp_path / "a.wav")


@pytest.mark.parametrize(
    ("code", "bits", "name"),
    [(6, 8, "A-law"), (7, 8, "mu-law"), (2, 4, "ADPCM"), (0x11, 4, "ADPCM"), (0x55, 0, "MP3")],
)
def test_unsupported_encodings(tmp_path, code, bits, name):
    (tmp_path / "a.wav").write_bytes(riff(code, 1, 8_000, bits, bytes(100)))
    message = error_line(tmp_path / "a.wav")
    assert "unsupported encoding" in message and name in message


def test_unsupported_extensible_subformat(tmp_path):
    (tmp_path / "a.wav").write_bytes(riff(7, 1, 8_000, 8, bytes(100), extensible=True))
    assert "unsupported encoding mu-law" in error_line(tmp_path / "a.wav")


def test_unsupported_bit_depth(tmp_path):
    (tmp_path / "a.wav").write_bytes(riff(1, 1, RATE, 12, bytes(100)))
    assert "unsupported encoding 12-bit" in error_line(tmp_path / "a.wav")


def test_zero_length_audio(tmp_path):
    path = write_with_wave(tmp_path / "a.wav", [np.zeros(0)], RATE, 2)
    assert "zero-length audio" in error_line(path)


def test_a_folder_is_not_a_file(tmp_path):
    assert "folder" in error_line(tmp_path)


# ------------------------------------------------------------- chunks, resampling


def test_iter_chunks():
    pcm = bytes(range(256)) * 30  # 7680 bytes
    chunks = list(iter_chunks(pcm))
    assert [len(c) for c in chunks] == [3200, 3200, 1280]
    assert b"".join(chunks) == pcm
    assert list(iter_chunks(b"")) == []
    assert [len(c) for c in iter_chunks(bytes(10), chunk_bytes=4)] == [4, 4, 2]
    with pytest.raises(ValueError):
        list(iter_chunks(pcm, chunk_bytes=0))


def test_streaming_resampler_matches_one_shot():
    signal = np.random.default_rng(0).standard_normal(44_100).astype(np.float32)
    whole = resample(signal, 44_100, RATE)
    resampler = Resampler(44_100, RATE)
    pieces = [resampler.process(signal[i : i + 1234]) for i in range(0, len(signal), 1234)]
    streamed = np.concatenate([*pieces, resampler.flush()])
    assert len(streamed) == len(whole) == RATE
    assert np.abs(streamed - whole).max() < 1e-5


def test_downsampling_removes_what_16k_cannot_hold():
    """A 10 kHz tone at 48 kHz would alias to 6 kHz; it must vanish instead."""
    out = resample(sine(48_000, frequency=10_000), 48_000, RATE)
    assert np.abs(out[100:-100]).max() < 0.01
