"""Shared fakes and helpers: a fake clock, a recording speaker, scripted lines, and a
runner for conversations written as data (through the shell's own turn loop)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from voicecare.coach import Action, Coach, Say, Start, Typed
from voicecare.errors import AudioError
from voicecare.shell.session import TurnLoop
from voicecare.speaking.synthesis import Speech


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.time = start

    def now(self) -> float:
        return self.time

    def sleep_until(self, deadline: float) -> None:
        self.time = max(self.time, deadline)

    def advance(self, seconds: float) -> float:
        self.time += seconds
        return self.time


@dataclass
class RecordingSpeaker:
    """Remembers what it was asked to say and when it was told to stop."""

    said: list[tuple[str, int]] = field(default_factory=list)
    stops: int = 0
    closed: bool = False

    def say(self, text: str, rate: int) -> None:
        self.said.append((text, rate))

    def stop(self) -> None:
        self.stops += 1

    def wait(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    @property
    def texts(self) -> list[str]:
        return [text for text, _ in self.said]


class ScriptedLines:
    """Lines as a person would type them; None when the script is over."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = list(lines)

    def next_line(self, timeout: float | None) -> str | None:
        return self._lines.pop(0) if self._lines else None


def said(actions: Iterable[Action]) -> list[str]:
    return [a.text for a in actions if isinstance(a, Say)]


class Conversation:
    """Drive a coach through the shell's own turn loop, with speech taking no time.

    ``hear`` and ``wait`` return every line the coach said in response.
    """

    def __init__(self, coach: Coach, clock: FakeClock | None = None) -> None:
        self.coach = coach
        self.clock = clock or FakeClock()
        self.log: list[tuple[float, str]] = []
        self.actions: list[Action] = []
        self.loop = TurnLoop(coach, RecordingSpeaker(), self.clock, self._caption)
        self.opening = self._settle(self.loop.send(Start()))

    def _caption(self, text: str) -> None:
        self.log.append((self.clock.now(), text))

    def _settle(self, actions: list[Action]) -> list[str]:
        done = self.loop.settle(actions)
        self.actions.extend(done)
        return said(done)

    def perform(self, actions: list[Action]) -> list[str]:
        """Actions a test got from the coach directly (``start_routine``), spoken at once."""
        self.loop.perform(actions)
        return self._settle(actions)

    def hear(self, text: str, finish_speaking: bool = True) -> list[str]:
        """What the coach says in reply; with ``finish_speaking=False`` the reply is still
        being spoken afterwards (no speech-finished event yet)."""
        actions = self.loop.send(Typed(text))
        if finish_speaking:
            return self._settle(actions)
        self.actions.extend(actions)
        return said(actions)

    def wait(self, seconds: float) -> list[str]:
        """Let ``seconds`` pass, ticking at every deadline on the way."""
        end = self.clock.now() + seconds
        done = self.loop.tick_until(end)
        self.actions.extend(done)
        self.clock.sleep_until(end)
        return said(done)

    def run_out(self, limit: float = 10_000.0) -> list[str]:
        """Let the clock run until nothing is scheduled."""
        out: list[str] = []
        start = self.clock.now()
        while (deadline := self.coach.next_deadline) is not None:
            assert deadline - start < limit, "the routine never ends"
            done = self.loop.tick_until(deadline)
            self.actions.extend(done)
            out.extend(said(done))
        return out


def run_script(coach: Coach, script: Sequence[tuple[str, str | None]]) -> None:
    """A conversation as data: (what the person says, a line the coach must say in reply).

    ``"<wait N>"`` lets N seconds pass instead of saying something.
    """
    talk = Conversation(coach)
    for utterance, expected in script:
        if utterance.startswith("<wait "):
            replies = talk.wait(float(utterance[6:-1]))
        else:
            replies = talk.hear(utterance)
        if expected is not None:
            assert any(expected in reply for reply in replies), (
                f"after {utterance!r} expected a line containing {expected!r}, got {replies!r}"
            )


class TextSynthesizer:
    """Turns text into "audio" that is just its UTF-8 bytes, so a player can tell lines apart."""

    def __init__(self) -> None:
        self.closed = False

    def synthesize(self, text: str, rate: int) -> Speech:
        data = text.encode()
        return Speech(data + b"\0" * (len(data) % 2), sample_rate=rate)

    def close(self) -> None:
        self.closed = True


class RecordingPlayer:
    """Remembers what it played; with ``hold=True`` each line plays until ``release`` is called
    or the speaker cancels it, so a test can stop the speaker mid-line."""

    def __init__(self, hold: bool = False, fail_on: str | None = None) -> None:
        self.hold = hold
        self.fail_on = fail_on
        self.played: list[tuple[str, bool]] = []  # (text, played to the end)
        self.started = threading.Semaphore(0)
        self._release = threading.Event()
        self.closed = False

    def play(self, speech: Speech, cancelled: threading.Event) -> bool:
        text = speech.pcm.rstrip(b"\0").decode()
        self.started.release()
        if text == self.fail_on:
            raise AudioError("the fake device broke")
        finished = True
        if self.hold:
            while not self._release.is_set():
                if cancelled.wait(0.001):
                    finished = False
                    break
            self._release.clear()
        self.played.append((text, finished))
        return finished

    def release(self) -> None:
        self._release.set()

    def wait_until_playing(self, timeout: float = 10.0) -> bool:
        return self.started.acquire(timeout=timeout)

    def close(self) -> None:
        self.closed = True


class AudioTimeSpeaker:
    """An audible speaker on a recording's clock: each line takes ``seconds_per_word`` per
    word of audio time, so a voice session keeps reading audio while it "speaks"."""

    def __init__(self, clock, seconds_per_word: float = 0.4) -> None:
        self.clock = clock
        self.seconds_per_word = seconds_per_word
        self.said: list[tuple[float, str]] = []  # (when queued, text)
        self.cut: list[tuple[float, str]] = []  # (when stopped, the line that was playing)
        self._lines: list[tuple[float, float, str]] = []  # (start, end, text)

    def say(self, text: str, rate: int) -> None:
        now = self.clock.now()
        start = max([now, *(end for _, end, _ in self._lines)])
        self._lines.append((start, start + self.seconds_per_word * len(text.split()), text))
        self.said.append((now, text))

    def stop(self) -> None:
        now = self.clock.now()
        playing = [text for start, end, text in self._lines if start <= now < end]
        if playing:
            self.cut.append((now, playing[0]))
        self._lines = []

    @property
    def speaking(self) -> bool:
        now = self.clock.now()
        return any(end > now for _, end, _ in self._lines)

    @property
    def current_text(self) -> str:
        now = self.clock.now()
        return next((text for start, end, text in self._lines if start <= now < end), "")

    def wait(self) -> None:
        self.clock.sleep_until(max([self.clock.now(), *(end for _, end, _ in self._lines)]))
        self._lines = []

    def close(self) -> None:
        self._lines = []

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self.said]
