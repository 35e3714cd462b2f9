"""Play PCM so that it can be cut off at once.

On Linux with PulseAudio (or PipeWire's pulse server), without echo cancellation (text
chat, ``--no-echo-cancel``), each line goes to a ``pacat`` process with a small latency,
killed on stop: the sound ends within milliseconds. With echo cancellation on (the default
when listening on the microphone), one stream (the "simple" API, through ``pasimple``)
lives for the whole session instead and is fed without a gap: 10 ms pieces of the line
being said, silence in between, with 40 ms buffered. After each piece the server tells how
long until it is heard, so the echo canceller's reference knows when every line really
played (a ``pacat`` process per line started 70-140 ms late, and later lines drifted by up
to 300 ms). Stopping flushes the buffer, so the sound ends at once. Elsewhere PyAudio plays
each line in 20 ms chunks and closing the stream discards what the device buffered. (PyAudio
through ALSA's pulse plugin was measured here to play 1.8 times slower than real time.)
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
import time
from typing import Any, Protocol

from voicecare.audio import float_to_pcm16, pcm16_to_float, resample
from voicecare.errors import AudioError
from voicecare.native_stderr import quiet_native_stderr
from voicecare.speaking.speaker import Player
from voicecare.speaking.synthesis import ESPEAK_SAMPLE_RATE, Speech

logger = logging.getLogger(__name__)

CHUNK_SECONDS = 0.02
PIECE_SECONDS = 0.01
BUFFER_SECONDS = 0.04  # kept in the server: the sound starts this long after it is written
MAX_LATENCY_SECONDS = 0.5  # a longer reading is not believed
RESTAMP_SECONDS = 0.005  # a line that slipped more than this (an underrun) is placed anew
POLL_SECONDS = 0.005
PACAT_LATENCY_MS = 30


class PlaybackNotes(Protocol):
    """Told what is played and when (the echo canceller's reference). ``prepare`` is called
    before a line plays, so that ``started`` can be quick while the stream is being fed."""

    def prepare(self, pcm: bytes, pcm_rate: int) -> Any: ...

    def started(self, at: float, prepared: Any, seconds_in: float = 0.0) -> None:
        """The prepared line, from ``seconds_in`` on, starts being heard at ``at``."""

    def stopped(self, at: float) -> None: ...


def choose_player(notes: PlaybackNotes | None = None) -> Player:
    """Without ``notes``: a ``pacat`` process per line, killed on stop. With ``notes`` (for
    echo cancellation, which needs to know when every line was really heard): one PulseAudio
    stream for the session. Elsewhere PyAudio."""
    if notes is None:
        return PacatPlayer() if PacatPlayer.available() else PyAudioPlayer()
    if PulsePlayer.available():
        return PulsePlayer(notes)
    return NotingPlayer(PyAudioPlayer(), notes)


def output_device_problem() -> str | None:
    """Why nothing spoken would be heard on this machine, or None when there is an output
    device: a PulseAudio sink other than its placeholder ``auto_null`` (which it makes when
    there is no sound card), or else a PyAudio device with output channels."""
    if PacatPlayer.available():
        listing = subprocess.run(
            ["pactl", "list", "short", "sinks"], capture_output=True, text=True, timeout=5
        )
        sinks = [line.split("\t")[1] for line in listing.stdout.splitlines() if "\t" in line]
        if not [name for name in sinks if name != "auto_null"]:
            return "no audio output device (PulseAudio has no sound card to play on)"
        return None
    try:
        import pyaudio

        with quiet_native_stderr():
            audio = pyaudio.PyAudio()
            try:
                count = audio.get_device_count()
                outputs = [
                    i
                    for i in range(count)
                    if audio.get_device_info_by_index(i).get("maxOutputChannels", 0) > 0
                ]
            finally:
                audio.terminate()
    except (ImportError, OSError) as error:
        return f"audio output is not available ({error})"
    if not outputs:
        return "no audio output device found"
    return None


class NotingPlayer:
    """Any ``Player``, telling ``notes`` when each line starts and stops."""

    def __init__(self, player: Player, notes: PlaybackNotes) -> None:
        self._player = player
        self._notes = notes

    def play(self, speech: Speech, cancelled: threading.Event) -> bool:
        prepared = self._notes.prepare(speech.pcm, speech.sample_rate)
        self._notes.started(time.monotonic(), prepared)
        try:
            return self._player.play(speech, cancelled)
        finally:
            self._notes.stopped(time.monotonic())

    def close(self) -> None:
        self._player.close()


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


class PulsePlayer:
    def __init__(self, notes: PlaybackNotes | None = None) -> None:
        self._notes = notes
        self._lock = threading.Lock()
        self._line: _Line | None = None
        self._cut_pending = False
        self._closed = False
        self._rate = ESPEAK_SAMPLE_RATE
        self._feeder: threading.Thread | None = None
        self.errors: list[Exception] = []

    @staticmethod
    def available() -> bool:
        try:
            _open_stream(ESPEAK_SAMPLE_RATE).close()
        except Exception as error:  # no library, no server: PyAudio then
            logger.debug("PulseAudio playback is not available: %s", error)
            return False
        return True

    def play(self, speech: Speech, cancelled: threading.Event) -> bool:
        """Until the line has been heard (True) or ``cancelled`` is set (False)."""
        if speech.sample_rate != self._rate:
            samples = resample(pcm16_to_float(speech.pcm), speech.sample_rate, self._rate)
            speech = Speech(float_to_pcm16(samples), self._rate)
        prepared = self._notes.prepare(speech.pcm, speech.sample_rate) if self._notes else None
        line = _Line(speech, prepared)
        with self._lock:
            if self._closed:
                return False
            self._line = line
            self._start_feeder()
        while not line.heard_by(time.monotonic()):
            if self.errors:
                raise AudioError(f"audio output failed ({self.errors[-1]}); use --mute")
            if cancelled.is_set() or self._closed:
                with self._lock:
                    if self._line is line:
                        self._line = None
                    self._cut_pending = True  # the feeder flushes before its next piece
                return False
            time.sleep(POLL_SECONDS)
        return True

    def close(self) -> None:
        with self._lock:
            self._closed = True
        if self._feeder is not None:
            self._feeder.join(timeout=2)

    def _start_feeder(self) -> None:
        if self._feeder is None or not self._feeder.is_alive():
            self._feeder = threading.Thread(target=self._feed, name="voicecare-audio", daemon=True)
            self._feeder.start()

    def _feed(self) -> None:
        try:
            stream = _open_stream(self._rate)
        except Exception as error:
            self.errors.append(error)
            return
        try:
            while True:
                with self._lock:
                    if self._closed:
                        return
                    if self._cut_pending:
                        self._cut_pending = False
                        stream.flush()
                        if self._notes is not None:
                            self._notes.stopped(time.monotonic())
                    line = self._line
                    piece = self._next_piece(line)
                stream.write(piece)  # returns once the server has room: the card's pace
                if line is not None:
                    heard_in = _sane_latency(stream.get_latency())
                    now = time.monotonic()
                    if heard_in is not None:
                        self._placed(line, now + heard_in - len(piece) / 2 / self._rate)
                    if line.finished:
                        line.heard_at = now + (BUFFER_SECONDS if heard_in is None else heard_in)
        except Exception as error:
            logger.warning("audio output failed: %s", error)
            self.errors.append(error)
        finally:
            stream.close()

    def _next_piece(self, line: _Line | None) -> bytes:
        """10 ms of the line being said (the line advances), or of silence."""
        size = round(self._rate * PIECE_SECONDS) * 2
        if line is None:
            return bytes(size)
        line.piece_start = line.position
        piece = line.speech.pcm[line.position : line.position + size]
        line.position += len(piece)
        if line.position >= len(line.speech.pcm):
            line.finished = True
            self._line = None
        return piece + bytes(size - len(piece))

    def _placed(self, line: _Line, heard_at: float) -> None:
        """The piece just written will be heard from ``heard_at``: tell the notes when the
        line starts, and again if it slipped (the stream ran dry and restarted)."""
        seconds_in = line.piece_start / 2 / line.speech.sample_rate
        expected = None if line.heard_from is None else line.heard_from + seconds_in
        if expected is not None and abs(heard_at - expected) <= RESTAMP_SECONDS:
            return
        line.heard_from = heard_at - seconds_in
        if self._notes is not None:
            self._notes.started(heard_at, line.prepared, seconds_in)


def _sane_latency(microseconds: int) -> float | None:
    """Seconds until the last piece written is heard; None for the readings the server
    gives before its timing is known (seen: 1.8 s, and -1 as an unsigned number)."""
    seconds = microseconds / 1e6
    return seconds if 0.0 <= seconds <= MAX_LATENCY_SECONDS else None


def _open_stream(rate: int) -> Any:
    import pasimple

    piece = round(rate * PIECE_SECONDS) * 2
    return pasimple.PaSimple(
        pasimple.PA_STREAM_PLAYBACK,
        pasimple.PA_SAMPLE_S16LE,
        1,
        rate,
        app_name="voicecare",
        tlength=round(rate * BUFFER_SECONDS) * 2,
        prebuf=piece,
        minreq=piece,
    )


class _Line:
    def __init__(self, speech: Speech, prepared: Any) -> None:
        self.speech = speech
        self.prepared = prepared
        self.position = 0  # bytes handed to the stream
        self.piece_start = 0
        self.finished = False
        self.heard_from: float | None = None  # when its first sample is (was) heard
        self.heard_at: float | None = None  # when its last sample is (was) heard

    def heard_by(self, now: float) -> bool:
        return self.heard_at is not None and now >= self.heard_at


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
