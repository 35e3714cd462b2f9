"""Read any WAV file as 16 kHz mono signed 16-bit little-endian PCM.

The RIFF container is parsed here rather than with the ``wave`` module, which rejects
32-bit float (``WAVE_FORMAT_IEEE_FLOAT``) and ``WAVE_FORMAT_EXTENSIBLE`` files. Integer
PCM of 8 (unsigned), 16, 24 and 32 bits and float of 32 and 64 bits are read, channels
are averaged, and the rate is converted by the resampler of ``voicecare.audio``.
Anything else is an ``AudioError`` with one line naming the file and the problem.
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicecare.audio import SAMPLE_RATE, float_to_pcm16, resample
from voicecare.errors import AudioError

logger = logging.getLogger(__name__)

_PCM = 0x0001
_FLOAT = 0x0003
_EXTENSIBLE = 0xFFFE
_UNSUPPORTED = {
    0x0002: "Microsoft ADPCM",
    0x0006: "A-law",
    0x0007: "mu-law",
    0x0011: "IMA ADPCM",
    0x0031: "GSM 6.10",
    0x0050: "MPEG",
    0x0055: "MP3",
}
_CONVERT = "convert it to PCM, e.g. 'sox IN -e signed -b 16 OUT.wav'"
_SIGNATURES = (
    (b"ID3", "an MP3 file"),
    (b"\xff\xfb", "an MP3 file"),
    (b"\xff\xf3", "an MP3 file"),
    (b"\xff\xf2", "an MP3 file"),
    (b"OggS", "an Ogg file"),
    (b"fLaC", "a FLAC file"),
    (b"FORM", "an AIFF file"),
    (b"RIFX", "a big-endian RIFX file"),
    (b"RF64", "an RF64 file"),
)


@dataclass(frozen=True)
class WavFormat:
    encoding: int  # _PCM or _FLOAT
    channels: int
    sample_rate: int
    bits: int  # container bits per sample


def read_wav(path: str | Path) -> bytes:
    """The whole file as 16 kHz mono 16-bit PCM (little-endian)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AudioError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise AudioError(f"{path}: is a folder, not a WAV file") from None
    except OSError as error:
        raise AudioError(f"{path}: cannot be read ({error.strerror or error})") from None
    return decode_wav(data, str(path))


def decode_wav(data: bytes, name: str = "audio") -> bytes:
    """WAV bytes as 16 kHz mono 16-bit PCM; ``name`` appears in error messages."""
    fmt, payload = parse_wav(data, name)
    already_right = fmt.encoding == _PCM and fmt.bits == 16 and fmt.channels == 1
    if already_right and fmt.sample_rate == SAMPLE_RATE:
        return bytes(payload)
    samples = to_mono_float(fmt, payload)
    if fmt.sample_rate != SAMPLE_RATE:
        samples = resample(samples, fmt.sample_rate, SAMPLE_RATE)
    return float_to_pcm16(samples)


# ------------------------------------------------------------------ the container


def parse_wav(data: bytes, name: str = "audio") -> tuple[WavFormat, memoryview]:
    """The format and the sample bytes (whole frames only) of a RIFF/WAVE file."""
    if not data:
        raise AudioError(f"{name}: the file is empty")
    if data[:4] != b"RIFF" or (len(data) >= 12 and data[8:12] != b"WAVE"):
        raise AudioError(
            f"{name}: not a WAV file ({_what_it_looks_like(data)}); convert it to WAV, "
            "e.g. with ffmpeg or sox"
        )
    if len(data) < 12:
        raise AudioError(f"{name}: truncated header ({len(data)} bytes)")
    fmt: WavFormat | None = None
    payload: memoryview | None = None
    view = memoryview(data)
    offset = 12
    while offset + 8 <= len(data):
        chunk_id = bytes(data[offset : offset + 4])
        (size,) = struct.unpack_from("<I", data, offset + 4)
        body = offset + 8
        if chunk_id == b"fmt ":
            fmt = _parse_fmt(view[body : body + size], name)
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioError(f"{name}: truncated header (the 'data' chunk comes before 'fmt ')")
            available = len(data) - body
            if size > available:
                if size != 0xFFFFFFFF:
                    logger.warning("%s: data chunk claims %d bytes, has %d", name, size, available)
                size = available
            payload = view[body : body + size]
            break
        offset = body + size + (size & 1)
    if fmt is None:
        raise AudioError(f"{name}: truncated header (no 'fmt ' chunk)")
    if payload is None:
        raise AudioError(f"{name}: truncated header (no 'data' chunk)")
    frame_bytes = fmt.channels * fmt.bits // 8
    whole = len(payload) - len(payload) % frame_bytes
    if whole == 0:
        raise AudioError(f"{name}: zero-length audio (the 'data' chunk holds no samples)")
    if whole != len(payload):
        logger.warning("%s: dropping %d bytes of a partial frame", name, len(payload) - whole)
    return fmt, payload[:whole]


def _parse_fmt(body: memoryview, name: str) -> WavFormat:
    if len(body) < 16:
        raise AudioError(f"{name}: truncated header (the 'fmt ' chunk has {len(body)} bytes)")
    encoding, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", body)
    if encoding == _EXTENSIBLE:
        if len(body) < 40:
            raise AudioError(f"{name}: truncated header (short WAVE_FORMAT_EXTENSIBLE 'fmt ')")
        (encoding,) = struct.unpack_from("<H", body, 24)  # first two bytes of the sub-format
    if encoding not in (_PCM, _FLOAT):
        known = _UNSUPPORTED.get(encoding, f"format code 0x{encoding:04x}")
        raise AudioError(f"{name}: unsupported encoding {known}; {_CONVERT}")
    allowed = (8, 16, 24, 32) if encoding == _PCM else (32, 64)
    if bits not in allowed:
        kind = "integer PCM" if encoding == _PCM else "float"
        raise AudioError(f"{name}: unsupported encoding {bits}-bit {kind}; {_CONVERT}")
    if channels == 0 or rate == 0:
        raise AudioError(f"{name}: invalid header ({channels} channels at {rate} Hz)")
    return WavFormat(encoding, channels, rate, bits)


def _what_it_looks_like(data: bytes) -> str:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return f"it looks like {kind}"
    if len(data) < 12 and b"RIFF".startswith(data[:4]):
        return f"only {len(data)} bytes"
    head = data[:512]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "no RIFF/WAVE header"
    return "it looks like text"


# ------------------------------------------------------------------ samples


def to_mono_float(fmt: WavFormat, payload: bytes | memoryview) -> np.ndarray:
    """Samples as float32 in [-1, 1], channels averaged."""
    if fmt.encoding == _FLOAT:
        dtype = "<f4" if fmt.bits == 32 else "<f8"
        samples = np.frombuffer(payload, dtype=dtype).astype(np.float32)
        np.nan_to_num(samples, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
    elif fmt.bits == 8:
        samples = (np.frombuffer(payload, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif fmt.bits == 16:
        samples = np.frombuffer(payload, dtype="<i2").astype(np.float32) / 32768.0
    elif fmt.bits == 24:
        raw = np.frombuffer(payload, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        value = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        value = np.where(value >= 1 << 23, value - (1 << 24), value)
        samples = value.astype(np.float32) / float(1 << 23)
    else:
        samples = (np.frombuffer(payload, dtype="<i4") / float(1 << 31)).astype(np.float32)
    if fmt.channels > 1:
        samples = samples.reshape(-1, fmt.channels).mean(axis=1, dtype=np.float32)
    return samples
