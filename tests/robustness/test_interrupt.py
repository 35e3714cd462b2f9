"""Ctrl-C (SIGINT) at different moments: status 130, 'voicecare: interrupted', no
traceback, nothing written half, and the process gone promptly (a generous 10 s: not a
timing assertion). Speech is muted, except in one test where a stand-in ``pacat`` (the
player VoiceCare uses with PulseAudio) "plays" by sleeping, so nothing reaches a real
audio device and the test can see that Ctrl-C ends the playback."""

from __future__ import annotations

import os
import pty
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.listening.speech import require_espeak
from tests.robustness.cli_runs import ROOT, child_env
from tests.robustness.soak_audio import soak_recording
from tests.virtual_audio import ensure_virtual_devices, speaker_monitor, write_wav
from voicecare.cli import main

# seconds. 10 s was exceeded once in a full fresh-clone run (test_recording_mid_session,
# session 13; alone it exits in about 1 s): a hang still fails, a busy machine does not.
GONE_WITHIN = 30.0
WAIT_FOR_MARKER = 120.0
INVITATION = "Tell me where it hurts"
PROMPT = "> "  # what chat prints before it reads a line
CONTENT_LOADED = "voicecare.content.loader: loaded"


class Running:
    """``python -m voicecare ARGS`` in a child, its output lines collected as they come."""

    def __init__(self, *args: str, stdin: int | None = subprocess.PIPE, env=None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "voicecare", *args],
            cwd=ROOT,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.raw = {"stdout": b"", "stderr": b""}
        self.readers = [
            threading.Thread(target=self._read, args=(name,), daemon=True)
            for name in ("stdout", "stderr")
        ]
        for reader in self.readers:
            reader.start()

    def _read(self, name: str) -> None:
        stream = getattr(self.process, name)
        for line in stream:
            self.raw[name] += line
            self.lines.put((name, line.decode("utf-8", "replace")))

    def wait_for(self, name: str, text: str) -> None:
        while True:
            try:
                stream, line = self.lines.get(timeout=WAIT_FOR_MARKER)
            except queue.Empty:
                self.process.kill()
                pytest.fail(f"no {name} line with {text!r} within {WAIT_FOR_MARKER} s")
            if stream == name and text in line:
                return

    def interrupt(self) -> tuple[int, str, str]:
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=GONE_WITHIN)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"still running {GONE_WITHIN} s after Ctrl-C")
        for reader in self.readers:
            reader.join(timeout=5)
        return code, self.raw["stdout"].decode(), self.raw["stderr"].decode()


def assert_interrupted(code: int, stdout: str, stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert code == 130, (code, stderr)
    assert stderr.splitlines()[-1] == "voicecare: interrupted", stderr
    # No line cut in half. The chat's prompt ("> ") may stand last: whether Ctrl-C comes
    # before or after it is printed is the machine's timing, not a fault.
    whole = stdout.removesuffix(PROMPT)
    assert whole == "" or whole.endswith("\n"), stdout[-200:]


# ------------------------------------------------------------------ chat


def test_chat_during_start_up():
    chat = Running("chat", "--mute", "-v")
    chat.wait_for("stderr", CONTENT_LOADED)  # the understanding is being built now
    assert_interrupted(*chat.interrupt())


def test_chat_while_idle():
    chat = Running("chat", "--mute")
    chat.wait_for("stdout", INVITATION)
    assert_interrupted(*chat.interrupt())


def test_chat_during_a_hold_after_input_ended(library):
    chat = Running("chat", "--mute", "--hold-scale", "1")
    assert chat.process.stdin is not None
    chat.process.stdin.write(b"my neck hurts\n")
    chat.process.stdin.close()  # piped input over: the routine runs on in real time
    chat.wait_for("stdout", library.routine("neck").steps[0].text[:40])
    assert_interrupted(*chat.interrupt())


def test_chat_at_a_terminal_during_a_hold(library):
    """A terminal: lines are read by a thread while the holds run."""
    controller, terminal = pty.openpty()
    try:
        chat = Running("chat", "--mute", "--hold-scale", "1", stdin=terminal)
        os.write(controller, b"my neck hurts\n")
        chat.wait_for("stdout", library.routine("neck").steps[0].text[:40])
        assert_interrupted(*chat.interrupt())
    finally:
        os.close(terminal)
        os.close(controller)


def test_ctrl_c_cuts_speech_off():
    """Real speech on the virtual PulseAudio speaker: after Ctrl-C the speaker goes silent."""
    require_espeak()
    ensure_virtual_devices()
    with speaker_monitor() as monitor:
        chat = Running("chat")
        chat.wait_for("stdout", "Hi, I am VoiceCare")
        assert monitor.wait_for_sound(timeout=30), "VoiceCare never spoke"
        outcome = chat.interrupt()
        interrupted = time.monotonic()
        time.sleep(1.0)
        assert_interrupted(*outcome)
        assert monitor.loud_since(interrupted + 0.3) == 0.0, "still speaking after Ctrl-C"


# ------------------------------------------------------------------ a recording


@pytest.fixture(scope="module")
def long_recording(tmp_path_factory) -> Path:
    require_espeak()
    pcm, _ = soak_recording(60)  # about 3.5 minutes of turns
    return write_wav(tmp_path_factory.mktemp("interrupt") / "long.wav", pcm)


def listening(recording: Path, *extra: str, env=None) -> Running:
    return Running(
        "--audio-in",
        str(recording),
        "--mute",
        "--hold-scale",
        "1",
        "--engine",
        "pocketsphinx",
        *extra,
        stdin=subprocess.DEVNULL,
        env=env,
    )


def test_recording_during_start_up_leaves_no_half_written_model(tmp_path, long_recording):
    """The content language model is built (and written to the cache) during start-up."""
    cache = tmp_path / "cache"
    session = listening(long_recording, "-v", env=child_env(XDG_CACHE_HOME=str(cache)))
    session.wait_for("stderr", CONTENT_LOADED)
    assert_interrupted(*session.interrupt())
    assert list(cache.rglob("*.tmp")) == []
    for manifest in cache.rglob("manifest.json"):  # complete entries only
        assert {p.name for p in manifest.parent.iterdir()} >= {"content.dict", "content.lm"}


def test_recording_mid_session(long_recording):
    session = listening(long_recording)
    session.wait_for("stderr", "(heard: ")
    assert_interrupted(*session.interrupt())


# ------------------------------------------------------------------ the first moments


def test_interrupt_while_the_arguments_are_parsed(monkeypatch, capsys):
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("voicecare.cli.build_parser", interrupted)
    try:
        code = main(["chat", "--mute"])
    except KeyboardInterrupt:
        pytest.fail("KeyboardInterrupt escaped main(): Python prints a traceback")
    assert code == 130
    assert capsys.readouterr().err == "voicecare: interrupted\n"


def test_interrupt_while_python_m_voicecare_imports(tmp_path):
    """Ctrl-C arriving while ``python -m voicecare`` imports its command line (made
    certain here by an import hook that raises KeyboardInterrupt there)."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'voicecare.cli':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
    )
    env = child_env(PYTHONPATH=os.pathsep.join([str(hook), str(ROOT)]))
    result = subprocess.run(
        [sys.executable, "-m", "voicecare", "chat", "--mute"],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 130
