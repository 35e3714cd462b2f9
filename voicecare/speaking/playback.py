"""Play PCM so that it can be cut off at once.

On Linux with PulseAudio (or PipeWire's pulse server) each line goes to a ``pacat`` process
with a small latency, killed on stop: the sound ends within milliseconds. Elsewhere PyAudio
plays it in 20 ms chunks and closing the stream discards what the device buffered. (PyAudio
through ALSA's pulse plugin was measured here to play 1.8 times slower than real time.)
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from typing import Any

from voicecare.errors import AudioError
from voicecare.native_stderr import quiet_native_stderr
from voicecare.speaking.speaker import Player
from voicecare.speaking.synthesis import Speech

logger = logging.getLogger(__name__)

CHUNK_SECONDS = 0.02
PACAT_LATENCY_MS = 30
POLL_SECONDS = 0.005


def choose_player() -> Player:
    if PacatPlayer.available():
        return PacatPlayer()
    return PyAudioPlayer()


class PacatPlayer:
    @staticmethod
    def available() -> bool:
        if shutil.which("pacat") is None or shutil.which("pactl") is None:
            return False
        probe = subprocess.run(["pactl", "info"], capture_output=True, timeout=5)
        return probe.returncode == 0

    def play(self, speech: Speech, cancelled: threading.Event) -> bool:
        process = subprocess.Popen(
            [
                "pacat",
                "--playback",
                "--format=s16le",
                f"--rate={speech.sample_rate}",
                "--channels=1",
                f"--latency-msec={PACAT_LATENCY_MS}",
                "--client-name=voicecare",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        writer = threading.Thread(target=_feed, args=(process, speech.pcm), daemon=True)
        writer.start()
        try:
            while process.poll() is None:
                if cancelled.wait(POLL_SECONDS):
                    process.kill()
                    return False
            return process.returncode == 0
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
            writer.join(timeout=1)

    def close(self) -> None:
        pass


def _feed(process: subprocess.Popen, pcm: bytes) -> None:
    assert process.stdin is not None
    try:
        process.stdin.write(pcm)
        process.stdin.close()
    except (BrokenPipeError, OSError):
        pass  # killed on stop


class PyAudioPlayer:
    def __init__(self) -> None:
        try:
            import pyaudio

            with quiet_native_stderr():
                self._audio: Any = pyaudio.PyAudio()
                self._format = pyaudio.paInt16
        except (ImportError, OSError) as error:
            raise AudioError(
                f"audio output is not available ({error}); install PyAudio "
                "(pip install 'voicecare[mic]') or use --mute"
            ) from error

    def play(self, speech: Speech, cancelled: threading.Event) -> bool:
        """Play until done (True) or until ``cancelled`` is set (False, within a chunk)."""
        try:
            stream = self._audio.open(
                format=self._format,
                channels=1,
                rate=speech.sample_rate,
                output=True,
                frames_per_buffer=int(speech.sample_rate * CHUNK_SECONDS),
            )
        except OSError as error:
            raise AudioError(f"no audio output device ({error}); use --mute") from error
        step = int(speech.sample_rate * CHUNK_SECONDS) * 2
        finished = True
        try:
            for start in range(0, len(speech.pcm), step):
                if cancelled.is_set():
                    finished = False
                    break
                stream.write(speech.pcm[start : start + step])
            if finished:
                stream.stop_stream()  # let the last buffers play out
        finally:
            stream.close()  # discards anything still buffered after a cancel
        return finished

    def close(self) -> None:
        self._audio.terminate()
