"""Bad recordings through the real command line (``match --audio`` and ``--audio-in``):
each gives a clear result or one 'voicecare: ...' line, never a traceback."""

from __future__ import annotations

import json
import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.listening.speech import require_espeak, silence, speak
from tests.robustness.cli_runs import assert_no_traceback, assert_one_clear_line, voicecare
from tests.robustness.soak_audio import white_noise
from tests.virtual_audio import write_wav
from voicecare.audio import resample
from voicecare.understanding import recognition_vocabulary

SENTENCE = "my shoulders are tight"
MATCH = ("match", "--json", "--engine", "pocketsphinx", "--audio")
LISTEN = ("--mute", "--hold-scale", "0", "--engine", "pocketsphinx", "--audio-in")
FRAME_BYTES = 960  # pocketsphinx's endpointer frame: 30 ms of 16 kHz 16-bit audio


def write_raw_wav(path: Path, frames: bytes, rate: int, channels: int, width: int) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(frames)
    return path


def spoken() -> np.ndarray:
    pcm = silence(0.3) + speak(SENTENCE) + silence(0.8)
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bad-audio")


@pytest.fixture(scope="module")
def odd_formats(folder) -> dict[str, Path]:
    """The sentence in formats VoiceCare converts: 8-bit, 48 kHz stereo, 32-bit."""
    require_espeak()
    samples = spoken()
    high = resample(samples, 16_000, 48_000)
    stereo = np.stack([high, high], axis=1)
    return {
        "8-bit": write_raw_wav(
            folder / "8bit.wav",
            np.clip(np.rint(samples * 127 + 128), 0, 255).astype(np.uint8).tobytes(),
            16_000,
            1,
            1,
        ),
        "48 kHz stereo": write_raw_wav(
            folder / "48k-stereo.wav",
            np.clip(np.rint(stereo * 32767), -32768, 32767).astype("<i2").tobytes(),
            48_000,
            2,
            2,
        ),
        "32-bit": write_raw_wav(
            folder / "32bit.wav",
            np.rint(samples * 0.99 * 2**31).astype("<i4").tobytes(),
            16_000,
            1,
            4,
        ),
    }


@pytest.fixture(scope="module")
def clipped(folder) -> Path:
    """The sentence driven 8 times too loud: flat-topped at full scale."""
    require_espeak()
    loud = np.clip(spoken() * 8.0, -1.0, 1.0)
    return write_wav(folder / "clipped.wav", np.rint(loud * 32767).astype("<i2").tobytes())


def unreadable_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Files that are not usable audio, with a word the message must contain."""
    empty = folder / "empty.wav"
    empty.write_bytes(b"")
    text = folder / "notes.wav"
    text.write_text("this is a shopping list, not a recording\n")
    mu_law = folder / "mulaw.wav"
    fmt = struct.pack("<HHIIHH", 7, 1, 8000, 8000, 1, 8)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", 800) + bytes(800)
    mu_law.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    header_only = folder / "header-only.wav"
    header_only.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt ")
    no_samples = write_wav(folder / "no-samples.wav", b"")
    return {
        "empty file": (empty, "empty"),
        "not a WAV": (text, "not a WAV file"),
        "mu-law": (mu_law, "mu-law"),
        "truncated header": (header_only, "truncated"),
        "zero samples": (no_samples, "zero-length"),
        "missing file": (folder / "nowhere.wav", "no such file"),
        "a folder": (folder, "folder"),
    }


UNREADABLE = (
    "empty file",
    "not a WAV",
    "mu-law",
    "truncated header",
    "zero samples",
    "missing file",
    "a folder",
)


@pytest.mark.parametrize("kind", UNREADABLE)
@pytest.mark.parametrize("command", [MATCH, LISTEN], ids=["match", "audio-in"])
def test_unusable_file_is_one_line_naming_it(folder, kind, command):
    path, problem = unreadable_files(folder)[kind]
    result = voicecare(*command, str(path))
    line = assert_one_clear_line(result, status=1, mentions=problem)
    assert str(path) in line
    assert result.stdout == ""  # nothing half-said before the error


@pytest.mark.parametrize("kind", ["8-bit", "48 kHz stereo", "32-bit"])
def test_converted_formats_are_understood_by_match(odd_formats, kind):
    result = voicecare(*MATCH, str(odd_formats[kind]))
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    answer = json.loads(result.stdout)
    assert answer["transcript"] == SENTENCE
    assert answer["intent"] == "routine:shoulders"


@pytest.mark.parametrize("kind", ["8-bit", "48 kHz stereo", "32-bit"])
def test_converted_formats_run_a_session(odd_formats, library, kind):
    result = voicecare(*LISTEN, str(odd_formats[kind]))
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    steps = [step.text for step in library.routine("shoulders").steps]
    assert [line for line in result.stdout.splitlines() if line in steps] == steps


def test_clipped_speech_gives_a_result(clipped):
    result = voicecare(*MATCH, str(clipped))
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    answer = json.loads(result.stdout)
    assert set(answer) >= {"transcript", "intent", "score"}


def test_clipped_speech_session_ends_cleanly(clipped):
    result = voicecare(*LISTEN, str(clipped))
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    assert result.stdout.splitlines()[0].startswith("Hi, I am VoiceCare")


def test_pure_silence_matches_nothing(folder):
    wav = write_wav(folder / "silence.wav", silence(30))
    result = voicecare(*MATCH, str(wav))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert (answer["transcript"], answer["intent"]) == ("", "none")


def test_pure_silence_session_says_only_the_opening(folder):
    wav = write_wav(folder / "silence.wav", silence(30))
    result = voicecare(*LISTEN, str(wav))
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    assert "(heard: " not in result.stderr
    assert len(result.stdout.splitlines()) == 3  # greeting, disclaimer, invitation
    assert f"voicecare: nothing was heard in {wav}: " in result.stderr  # not a silent exit


# Speech (or noise the endpointer takes for speech) that runs to the very end of a
# recording whose length is a whole number of 30 ms frames leaves nothing pending, and
# PocketSphinxRecognizer.finish() hands pocketsphinx's Endpointer.end_stream() an empty
# frame, which raises IndexError.


@pytest.mark.parametrize("command", [MATCH, LISTEN], ids=["match", "audio-in"])
def test_speech_cut_off_at_a_frame_boundary(folder, command):
    require_espeak()
    said = silence(0.3) + speak("there is a knot in my shoulder and my neck hurts")
    cut = said[: len(said) // FRAME_BYTES * FRAME_BYTES - 10 * FRAME_BYTES]
    wav = write_wav(folder / "cut-off.wav", cut)
    result = voicecare(*command, str(wav))
    assert_no_traceback(result)
    assert result.returncode == 0


def test_ten_minutes_of_noise_through_a_session(folder):
    """The endpointer takes this loud noise for ten minutes of speech (one utterance to the
    end). Only the session is run: ``match --audio`` goes through the same finish() (see
    test_speech_cut_off_at_a_frame_boundary) and this one file costs half a minute."""
    wav = write_wav(folder / "noise-10min.wav", white_noise(600.0, level=0.1, seed=3))
    result = voicecare(*LISTEN, str(wav), timeout=600)
    assert_no_traceback(result)
    assert result.returncode == 0
    assert result.stdout.startswith("Hi, I am VoiceCare")


LONGEST_UTTERANCE_SECONDS = 60.0  # generous: nobody says one command for a minute


def test_continuous_noise_does_not_make_one_endless_utterance(library):
    """A fan or a vacuum cleaner next to the microphone: the endpointer says speech for as
    long as it runs. The recognizer should still close an utterance now and then. (Without
    the noise front end: it takes steady white noise for silence, which hides what this is
    about, the endpointer's own limit.)"""
    from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer

    recognizer = PocketSphinxRecognizer.for_vocabulary(
        recognition_vocabulary(library), noise_suppression=False
    )
    noise = white_noise(2 * LONGEST_UTTERANCE_SECONDS, level=0.1, seed=5)
    chunk = 3200
    first_final = None
    for start in range(0, len(noise), chunk):
        heard = recognizer.accept_audio(noise[start : start + chunk])
        if heard is not None and heard.final:
            first_final = (start + chunk) / 32_000
            break
    recognizer.reset()
    assert first_final is not None and first_final <= LONGEST_UTTERANCE_SECONDS
