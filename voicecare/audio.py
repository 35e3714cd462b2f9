"""Audio basics every part that touches sound shares: the format, PCM conversions, a
streaming resampler, chunking, and the ``AudioSource`` interface.

VoiceCare's audio is 16-bit signed little-endian mono PCM at ``SAMPLE_RATE``. Listening,
speaking, echo cancellation and the evaluation all convert and resample it, so this sits on
the bottom floor where none of them has to import another to do so, and so does the WebRTC
audio processing module both echo cancellation and the recognizers' noise front end use
(``livekit``, imported only when one is made). Otherwise numpy is the only dependency; the
resampler is a Kaiser-windowed sinc evaluated at a fixed set of fractional
positions (polyphase), in vectorized blocks.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from typing import Any, Protocol

import numpy as np

from voicecare.errors import AudioError

SAMPLE_RATE = 16_000
SAMPLE_WIDTH = 2  # bytes: 16-bit PCM

_ZERO_CROSSINGS = 8  # filter half-width, in zero crossings of the sinc
_ROLLOFF = 0.9  # cut-off as a share of the lower Nyquist frequency
_KAISER_BETA = 8.0
_MAX_PHASES = 4096  # fractional positions the filter table holds
_BLOCK = 1 << 16  # outputs computed per vectorized step


class AudioSource(Protocol):
    def read(self) -> bytes | None:
        """The next chunk (about 0.1 s); None when the audio has ended."""

    def discard_pending(self) -> None:
        """Drop audio captured but not read yet (e.g. while VoiceCare itself spoke)."""

    def close(self) -> None: ...


def iter_chunks(pcm: bytes, chunk_bytes: int = 3200) -> Iterator[bytes]:
    """Consecutive pieces of ``chunk_bytes`` (0.1 s of 16 kHz 16-bit audio); the last may be
    shorter."""
    if chunk_bytes <= 0:
        raise ValueError(f"chunk_bytes must be positive, not {chunk_bytes}")
    view = memoryview(pcm)
    for start in range(0, len(pcm), chunk_bytes):
        yield bytes(view[start : start + chunk_bytes])


# ------------------------------------------------------------------ samples


def float_to_pcm16(samples: np.ndarray) -> bytes:
    scaled = np.clip(np.rint(samples * 32768.0), -32768, 32767)
    return scaled.astype("<i2").tobytes()


def pcm16_to_float(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


# ------------------------------------------------------------------ resampling


def resample(samples: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    """The whole signal at ``target_rate``: ``len * target // source`` samples."""
    if source_rate == target_rate:
        return np.asarray(samples, dtype=np.float32)
    resampler = Resampler(source_rate, target_rate)
    head = resampler.process(samples)
    return np.concatenate([head, resampler.flush()])


class Resampler:
    """Streaming band-limited rate conversion: a Kaiser-windowed sinc evaluated at a fixed
    set of fractional positions (polyphase), applied in vectorized blocks. Output sample n
    sits at input position ``n * source / target``; the signal is zero before the start."""

    def __init__(self, source_rate: int, target_rate: int) -> None:
        if source_rate <= 0 or target_rate <= 0:
            raise ValueError(f"sample rates must be positive ({source_rate}, {target_rate})")
        common = math.gcd(source_rate, target_rate)
        self._up = target_rate // common  # L: output steps per ...
        self._down = source_rate // common  # ... M input steps
        self._phases = min(self._up, _MAX_PHASES)
        scale = min(1.0, target_rate / source_rate) * _ROLLOFF
        half_width = _ZERO_CROSSINGS / scale  # in input samples
        self._reach = math.ceil(half_width)  # K: taps on each side
        taps = np.arange(-self._reach + 1, self._reach + 1)  # offsets k of input i0 + k
        fractions = np.arange(self._phases) / self._phases
        distance = fractions[:, None] - taps[None, :]  # t - (i0 + k)
        inside = np.clip(1.0 - (distance / half_width) ** 2, 0.0, None)
        window = np.i0(_KAISER_BETA * np.sqrt(inside)) / np.i0(_KAISER_BETA)
        window[np.abs(distance) > half_width] = 0.0
        table = np.sinc(scale * distance) * window
        table /= table.sum(axis=1, keepdims=True)  # unit gain at DC for every phase
        self._table = table.astype(np.float32)
        # The buffer starts with K - 1 zeros: the signal before sample 0.
        self._buffer = np.zeros(self._reach - 1, dtype=np.float32)
        self._buffer_start = -(self._reach - 1)  # input index of _buffer[0]
        self._received = 0
        self._produced = 0

    def process(self, samples: np.ndarray) -> np.ndarray:
        samples = np.asarray(samples, dtype=np.float32)
        self._buffer = np.concatenate([self._buffer, samples])
        self._received += len(samples)
        last_usable = self._received - 1 - self._reach  # i0 + K must have arrived
        end = -((-(last_usable + 1) * self._up) // self._down) if last_usable >= 0 else 0
        return self._run(max(end, self._produced))

    def flush(self) -> np.ndarray:
        """The outputs still owed, as if silence followed; the resampler is spent after."""
        self._buffer = np.concatenate([self._buffer, np.zeros(self._reach + 1, np.float32)])
        return self._run(self._received * self._up // self._down)

    def _run(self, end: int) -> np.ndarray:
        pieces = []
        width = 2 * self._reach
        windows = np.lib.stride_tricks.sliding_window_view(self._buffer, width)
        for start in range(self._produced, end, _BLOCK):
            n = np.arange(start, min(end, start + _BLOCK), dtype=np.int64)
            position = n * self._down
            first = position // self._up - self._reach + 1 - self._buffer_start
            phase = (position % self._up) * self._phases // self._up
            rows = windows[first]
            pieces.append(np.einsum("ij,ij->i", rows, self._table[phase]))
        self._produced = max(self._produced, end)
        keep_from = self._produced * self._down // self._up - self._reach + 1
        drop = max(0, keep_from - self._buffer_start)
        if drop:
            self._buffer = self._buffer[drop:]
            self._buffer_start += drop
        if not pieces:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(pieces).astype(np.float32, copy=False)


# ----------------------------------------------------------------- streaming


class PcmRateConverter:
    """16-bit PCM chunks at ``source_rate`` to ``target_rate``, streamed: half a sample split
    between two chunks waits for the next one. What every engine that decodes at a fixed
    rate puts in front of its model."""

    def __init__(self, source_rate: int, target_rate: int) -> None:
        self.source_rate, self.target_rate = source_rate, target_rate
        self.reset()

    def reset(self) -> None:
        self._odd_byte = b""
        self._resampler: Resampler | None = None
        if self.source_rate != self.target_rate:
            try:
                self._resampler = Resampler(self.source_rate, self.target_rate)
            except ValueError as error:
                raise AudioError(f"unusable sample rate {self.source_rate} Hz ({error})") from None

    def convert(self, chunk: bytes, flush: bool = False) -> bytes:
        """``chunk`` at the target rate; ``flush`` at the end of the stream."""
        if self._resampler is None:
            return chunk
        data = self._odd_byte + chunk
        whole = len(data) - len(data) % SAMPLE_WIDTH
        self._odd_byte = data[whole:]
        converted = np.zeros(0, dtype=np.float32)
        if whole:  # Resampler.process fails on no input while its buffer is short
            converted = self._resampler.process(pcm16_to_float(data[:whole]))
        if flush:
            converted = np.concatenate([converted, self._resampler.flush()])
        return float_to_pcm16(converted)


class FrameBuffer:
    """Audio cut into an endpointer's frames, the last ``keep`` remembered, so that the
    ``preroll`` frames before where it put the start of speech can be given back (it hands
    speech back a window late, without the first syllable's onset)."""

    def __init__(self, frame_bytes: int, preroll_frames: int, keep: int) -> None:
        self.frame_bytes = frame_bytes
        self._preroll_frames = preroll_frames
        self._recent: deque[bytes] = deque(maxlen=keep)
        self.pending = bytearray()  # audio not yet cut into a whole frame

    def add(self, pcm: bytes) -> None:
        self.pending += pcm

    def frames(self) -> Iterator[bytes]:
        """Take whole frames off the pending audio, one at a time (what is not taken stays
        pending), remembering them for the pre-roll."""
        while len(self.pending) >= self.frame_bytes:
            frame = bytes(self.pending[: self.frame_bytes])
            del self.pending[: self.frame_bytes]
            self._recent.append(frame)
            yield frame

    def preroll(self, speech: bytes) -> bytes:
        """The audio just before ``speech`` began (empty when its start is not remembered)."""
        first = speech[: self.frame_bytes]
        recent = list(self._recent)
        for index in range(len(recent) - 1, -1, -1):
            if recent[index] == first:
                return b"".join(recent[max(0, index - self._preroll_frames) : index])
        return b""

    def clear(self) -> None:
        self._recent.clear()
        self.pending.clear()


# ------------------------------------------------------------- WebRTC processing

APM_FRAME_SAMPLES = SAMPLE_RATE // 100  # WebRTC's audio processing works on 10 ms frames


class WebRtcAudioProcessing:
    """WebRTC's audio processing module (LiveKit's ``AudioProcessingModule``) on whole 10 ms
    frames of VoiceCare's audio: echo cancellation, noise suppression, high-pass filter and
    gain control, as asked. The echo canceller (voicecare.echo) and the recognizers' noise
    front end (voicecare.listening) both use it, so it sits here. ``livekit`` is imported
    lazily, and its native runtime is stopped at exit (see ``release_native_runtime``);
    ``unavailable`` is the end of the one-line error when it cannot be loaded."""

    frame_bytes = APM_FRAME_SAMPLES * SAMPLE_WIDTH

    def __init__(
        self,
        *,
        echo_cancellation: bool = False,
        noise_suppression: bool = False,
        high_pass_filter: bool = False,
        auto_gain_control: bool = False,
        unavailable: str = "reinstall VoiceCare (pip install -e .)",
    ) -> None:
        try:
            from livekit import rtc
        except ImportError as error:
            raise AudioError(
                f"WebRTC audio processing is not available ({error}); {unavailable}"
            ) from error
        _release_at_exit()
        self._rtc: Any = rtc
        self._module: Any = rtc.AudioProcessingModule(
            echo_cancellation=echo_cancellation,
            noise_suppression=noise_suppression,
            high_pass_filter=high_pass_filter,
            auto_gain_control=auto_gain_control,
        )

    def process(self, frame: bytes) -> bytes:
        """One 10 ms frame of what the microphone heard, processed."""
        heard = self._frame(frame)
        self._module.process_stream(heard)
        return bytes(heard.data.cast("B"))

    def process_reverse(self, frame: bytes) -> None:
        """One 10 ms frame of what is being played (the echo canceller's reference)."""
        self._module.process_reverse_stream(self._frame(frame))

    def set_stream_delay_ms(self, delay_ms: int) -> None:
        self._module.set_stream_delay_ms(delay_ms)

    def close(self) -> None:
        self._module = None

    def _frame(self, pcm: bytes) -> Any:
        if len(pcm) != self.frame_bytes:
            raise ValueError(f"audio must come in whole {APM_FRAME_SAMPLES}-sample frames")
        return self._rtc.AudioFrame(bytearray(pcm), SAMPLE_RATE, 1, APM_FRAME_SAMPLES)


def release_native_runtime() -> None:
    """Stop livekit's native runtime while Python is still whole. Left to interpreter exit,
    its worker threads were seen to abort the process (a Rust panic, exit status 134) after
    a long test run. Called at exit once livekit was loaded; no processing works after it."""
    import sys

    module = sys.modules.get("livekit.rtc._ffi_client")
    client = getattr(getattr(module, "FfiClient", None), "_instance", None)
    if client is not None:
        client._dispose()


_release_registered: list[bool] = []


def _release_at_exit() -> None:
    if not _release_registered:
        import atexit

        atexit.register(release_native_runtime)
        _release_registered.append(True)
