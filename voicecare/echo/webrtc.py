"""WebRTC's echo canceller (AEC3), through LiveKit's ``AudioProcessingModule``.

Chosen over speexdsp's (PyPI ``pyaec``) after measuring both on the same mix (see
benchmarks/echo_cancellers.py): AEC3 finds the echo's delay itself (tested up to 0.5 s),
takes 25-35 dB of the echo out, and left the bundled recognizer hearing only the person's
"stop please"; speexdsp took 3-24 dB out depending on the delay and left words of VoiceCare's
line to be recognized. ``livekit`` is imported lazily: only a session that listens on the
microphone while speaking aloud loads it.
"""

from __future__ import annotations

import logging
from typing import Any

from voicecare.audio import SAMPLE_RATE, SAMPLE_WIDTH
from voicecare.errors import AudioError

logger = logging.getLogger(__name__)

FRAME_SAMPLES = SAMPLE_RATE // 100  # the module works on 10 ms frames


class WebRtcEchoCanceller:
    frame_samples = FRAME_SAMPLES

    def __init__(self, noise_suppression: bool = False) -> None:
        try:
            from livekit import rtc
        except ImportError as error:
            raise AudioError(
                f"echo cancellation is not available ({error}); reinstall VoiceCare "
                "(pip install -e .) or use headphones"
            ) from error
        self._rtc: Any = rtc
        self._module: Any = rtc.AudioProcessingModule(
            echo_cancellation=True, noise_suppression=noise_suppression, high_pass_filter=True
        )

    def process(self, microphone: bytes, reference: bytes) -> bytes:
        if len(microphone) != len(reference):
            raise ValueError("microphone and reference audio must be equally long")
        frame_bytes = FRAME_SAMPLES * SAMPLE_WIDTH
        if len(microphone) % frame_bytes:
            raise ValueError(f"audio must come in whole {FRAME_SAMPLES}-sample frames")
        cleaned = bytearray()
        for start in range(0, len(microphone), frame_bytes):
            played = self._frame(reference[start : start + frame_bytes])
            self._module.process_reverse_stream(played)
            heard = self._frame(microphone[start : start + frame_bytes])
            self._module.set_stream_delay_ms(0)  # AEC3 estimates the delay itself
            self._module.process_stream(heard)
            cleaned += bytes(heard.data.cast("B"))
        return bytes(cleaned)

    def close(self) -> None:
        self._module = None

    def _frame(self, pcm: bytes) -> Any:
        return self._rtc.AudioFrame(bytearray(pcm), SAMPLE_RATE, 1, FRAME_SAMPLES)


def release_native_runtime() -> None:
    """Stop livekit's native runtime while Python is still whole. Left to interpreter exit,
    its worker threads were seen to abort the process (a Rust panic, exit status 134) after
    a long test run. Call it last: no canceller works after it."""
    import sys

    module = sys.modules.get("livekit.rtc._ffi_client")
    client = getattr(getattr(module, "FfiClient", None), "_instance", None)
    if client is not None:
        client._dispose()
