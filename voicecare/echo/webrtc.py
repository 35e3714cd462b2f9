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

from voicecare.audio import (
    APM_FRAME_SAMPLES,
    SAMPLE_WIDTH,
    WebRtcAudioProcessing,
    release_native_runtime,
)

logger = logging.getLogger(__name__)

FRAME_SAMPLES = APM_FRAME_SAMPLES  # the module works on 10 ms frames
__all__ = ["FRAME_SAMPLES", "WebRtcEchoCanceller", "release_native_runtime"]


class WebRtcEchoCanceller:
    frame_samples = FRAME_SAMPLES

    def __init__(self, noise_suppression: bool = False) -> None:
        self._module: WebRtcAudioProcessing | None = WebRtcAudioProcessing(
            echo_cancellation=True,
            noise_suppression=noise_suppression,
            high_pass_filter=True,
            unavailable="reinstall VoiceCare (pip install -e .) or use headphones",
        )

    def process(self, microphone: bytes, reference: bytes) -> bytes:
        if len(microphone) != len(reference):
            raise ValueError("microphone and reference audio must be equally long")
        frame_bytes = FRAME_SAMPLES * SAMPLE_WIDTH
        if len(microphone) % frame_bytes:
            raise ValueError(f"audio must come in whole {FRAME_SAMPLES}-sample frames")
        assert self._module is not None, "the echo canceller is closed"
        cleaned = bytearray()
        for start in range(0, len(microphone), frame_bytes):
            self._module.process_reverse(reference[start : start + frame_bytes])
            self._module.set_stream_delay_ms(0)  # AEC3 estimates the delay itself
            cleaned += self._module.process(microphone[start : start + frame_bytes])
        return bytes(cleaned)

    def close(self) -> None:
        if self._module is not None:
            self._module.close()
        self._module = None
