"""Speech output behind one small interface, and its implementations.

``Speaker``: queue text, stop at once, wait until done. ``AudibleSpeaker``: one whose lines
take time, so the session can tell what is playing (for the echo guard) and when it falls
silent. ``SilentSpeaker`` speaks nothing (--mute, scripted runs); ``InterruptibleSpeaker``
queues lines, plays them from a worker thread, and stops within one playback chunk. Which one
a session gets is chosen in ``voicecare.shell.outputs``.
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Protocol, runtime_checkable

from voicecare.speaking.synthesis import Speech

logger = logging.getLogger(__name__)


class Speaker(Protocol):
    def say(self, text: str, rate: int) -> None:
        """Queue ``text`` after whatever is already queued."""

    def stop(self) -> None:
        """Cut off what is being said and drop the queue."""

    def wait(self) -> None:
        """Block until everything queued has been spoken (or stopped)."""

    def close(self) -> None: ...


@runtime_checkable
class AudibleSpeaker(Protocol):
    """A speaker whose lines take time: ``speaking`` until everything queued was heard."""

    @property
    def speaking(self) -> bool: ...

    @property
    def current_text(self) -> str:
        """The line being played now."""
        ...


class SilentSpeaker:
    """Speaks nothing; for --mute and scripted runs."""

    def say(self, text: str, rate: int) -> None:
        pass

    def stop(self) -> None:
        pass

    def wait(self) -> None:
        pass

    def close(self) -> None:
        pass


class Synthesizer(Protocol):
    """Text to audio; one that also has ``stream(text, rate) -> Iterator[Speech]`` (closed
    when the line is stopped) is played piece by piece."""

    def synthesize(self, text: str, rate: int) -> Speech: ...

    def close(self) -> None: ...


class Player(Protocol):
    def play(self, speech: Speech, cancelled: threading.Event) -> bool:
        """Play until done (True) or until ``cancelled`` is set (False)."""

    def close(self) -> None: ...


class InterruptibleSpeaker:
    """``say`` queues and returns at once; ``stop`` cuts the current line within one playback
    chunk and drops the queue; ``speaking`` tells whether anything is still to be heard."""

    def __init__(self, synthesizer: Synthesizer, player: Player) -> None:
        self._synthesizer = synthesizer
        self._player = player
        self._lines: queue.Queue[tuple[int, str, int] | None] = queue.Queue()
        self._cancelled = threading.Event()
        self._generation = 0  # lines queued before the last stop belong to older generations
        self._pending = 0
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self.current_text = ""
        self.errors: list[Exception] = []
        self._worker = threading.Thread(target=self._run, name="voicecare-speaker", daemon=True)
        self._worker.start()

    def say(self, text: str, rate: int) -> None:
        with self._lock:
            self._pending += 1
            generation = self._generation
        self._lines.put((generation, text, rate))

    def stop(self) -> None:
        with self._lock:
            self._generation += 1
            self._cancelled.set()

    def wait(self, timeout: float | None = None) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    @property
    def speaking(self) -> bool:
        with self._lock:
            return self._pending > 0

    def close(self) -> None:
        self.stop()
        self._lines.put(None)
        self._worker.join(timeout=2)
        self._player.close()
        self._synthesizer.close()

    def _speak(self, text: str, rate: int) -> None:
        """The line in one piece, or piece by piece from a synthesizer that can
        ``stream`` (Piper: a sentence plays while the next is being made)."""
        stream = getattr(self._synthesizer, "stream", None)
        if stream is None:
            self._player.play(self._synthesizer.synthesize(text, rate), self._cancelled)
            return
        pieces = stream(text, rate)
        try:
            for speech in pieces:
                if self._cancelled.is_set() or not self._player.play(speech, self._cancelled):
                    return
        finally:
            pieces.close()

    def _run(self) -> None:
        while (item := self._lines.get()) is not None:
            generation, text, rate = item
            try:
                with self._lock:
                    current = generation == self._generation
                    if current:
                        self._cancelled.clear()
                        self.current_text = text
                if current:
                    self._speak(text, rate)
            except Exception as error:  # a broken device must not kill the session silently
                if str(error) not in {str(e) for e in self.errors}:  # once, not every line
                    logger.warning("speech output failed: %s; the captions go on", error)
                self.errors.append(error)
            finally:
                with self._idle:
                    self._pending -= 1
                    if self._pending == 0:
                        self.current_text = ""
                    self._idle.notify_all()
