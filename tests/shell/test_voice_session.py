"""The hands-free loop with the real bundled recognizer, on recordings (audio time)."""

from __future__ import annotations

import pytest

from tests.fakes import AudioTimeSpeaker, RecordingSpeaker
from tests.listening.speech import require_espeak, silence, speak
from tests.virtual_audio import write_wav
from voicecare.coach import Coach, lines
from voicecare.listening.pocketsphinx_engine import PocketSphinxRecognizer
from voicecare.listening.sources import WavFileSource
from voicecare.settings import CoachSettings
from voicecare.shell.session import AudioInputs, TurnLoop
from voicecare.understanding import recognition_vocabulary


@pytest.fixture(scope="module")
def recognizer(library):
    return PocketSphinxRecognizer.for_vocabulary(recognition_vocabulary(library))


def session(tmp_path, library, understanding, recognizer, pcm, hold_scale=0.01):
    require_espeak()
    recognizer.reset()
    source = WavFileSource(write_wav(tmp_path / "session.wav", pcm))
    coach = Coach(library, understanding, CoachSettings(hold_scale=hold_scale))
    speaker = RecordingSpeaker()
    heard: list[str] = []
    code = TurnLoop(coach, speaker, source.clock, lambda t: None, heard.append).run(
        AudioInputs(source, recognizer)
    )
    return code, coach, speaker, heard


def test_a_spoken_session_runs_the_routine_and_ends(tmp_path, library, understanding, recognizer):
    pcm = silence(0.5) + speak("there is a knot in my shoulder") + silence(1.5)
    code, _coach, speaker, heard = session(tmp_path, library, understanding, recognizer, pcm)
    shoulders = library.routine("shoulders")
    assert code == 0
    assert len(heard) == 1 and "shoulder" in heard[0]
    assert [s.text for s in shoulders.steps] == [
        t for t in speaker.texts if t in {s.text for s in shoulders.steps}
    ]
    assert speaker.texts[-1].startswith(f"That is the end of {shoulders.title}")


def test_stop_twice_ends_the_session(tmp_path, library, understanding, recognizer):
    pcm = (
        silence(0.5)
        + speak("there is a knot in my shoulder")
        + silence(1.5)
        + speak("stop")
        + silence(1.5)
        + speak("stop")
        + silence(1.5)
    )
    code, coach, speaker, heard = session(
        tmp_path, library, understanding, recognizer, pcm, hold_scale=1.0
    )
    assert code == 0
    # the first stop cuts on its partial; in idle the second waits for the final ("stop it")
    assert [understanding.match(text).intent for text in heard[-2:]] == ["command:stop"] * 2
    assert coach.ended
    assert speaker.texts[-1] == "Goodbye. Take care of yourself."


def test_silence_says_nothing_back(tmp_path, library, understanding, recognizer):
    code, _coach, speaker, heard = session(tmp_path, library, understanding, recognizer, silence(5))
    assert code == 0
    assert heard == []
    assert len(speaker.texts) == 3  # greeting, disclaimer, invitation


def audible_session(tmp_path, library, understanding, recognizer, pcm, hold_scale=1.0):
    """Like ``session`` but VoiceCare's lines take audio time, so the person can talk over
    them (barge-in)."""
    require_espeak()
    recognizer.reset()
    source = WavFileSource(write_wav(tmp_path / "session.wav", pcm))
    coach = Coach(library, understanding, CoachSettings(hold_scale=hold_scale))
    speaker = AudioTimeSpeaker(source.clock)
    heard: list[str] = []
    code = TurnLoop(coach, speaker, source.clock, lambda t: None, heard.append).run(
        AudioInputs(source, recognizer)
    )
    return code, coach, speaker, heard


def test_stop_while_a_step_is_read_cuts_it_off(tmp_path, library, understanding, recognizer):
    """The greeting takes ~20 s of audio time (49 words at 0.4 s); the complaint comes after
    it, and "stop the routine" comes 4 s into the routine's opening lines, long before they
    are finished.
    (The bundled engine hears espeak-ng's lone "stop" after a long silence as "talk".)"""
    pcm = (
        silence(21)
        + speak("there is a knot in my shoulder")
        + silence(4)
        + speak("stop the routine")
        + silence(3)
    )
    code, coach, speaker, heard = audible_session(tmp_path, library, understanding, recognizer, pcm)
    title = library.routine("shoulders").title
    assert code == 0
    assert len(heard) == 2 and heard[1].startswith("stop"), heard
    assert len(speaker.cut) == 1, speaker.cut
    assert speaker.cut[0][1] in speaker.texts[3:]  # one of the routine's lines, mid-way
    assert not coach.in_routine
    assert any(title in text and "stop" in text.lower() for text in speaker.texts[-1:])


def test_a_voice_control_is_acted_on_before_the_utterance_ends(tmp_path, library, understanding):
    """ "skip it" acts on a partial result, once: the final of the same utterance means the
    same and is not acted on again. A recognizer of its own: the module's shared one carries
    the earlier tests' audio in its state, and what it hears here then depends on the order
    the tests ran in (in a full run it heard "skip it" as "too")."""
    recognizer = PocketSphinxRecognizer.for_vocabulary(recognition_vocabulary(library))
    pcm = silence(13) + speak("there is a knot in my shoulder") + silence(4)
    pcm += speak("skip it") + silence(3)
    _code, _coach, speaker, heard = audible_session(
        tmp_path, library, understanding, recognizer, pcm
    )
    steps = [step.text for step in library.routine("shoulders").steps]
    assert len(heard) == 2 and heard[1].startswith("skip"), heard
    assert len(speaker.cut) == 1, speaker.cut
    after_skip = speaker.texts[speaker.texts.index(lines.SKIPPING) + 1 :]
    assert steps[0] not in after_skip  # moved on once, never back
    assert after_skip.count(steps[1]) == 1


def test_a_red_flag_said_while_a_step_is_read_stops_speech_and_routine(
    tmp_path, library, understanding, recognizer
):
    """Real recognition: a red flag heard while VoiceCare reads the routine cuts the line,
    ends the routine and gives the advice. (Over a session the bundled engine hears most
    spoken red flags badly on espeak-ng: "i have chest pain" as "i confused do you"; see
    RESULTS.md. "i passed out" it hears, sometimes as "i passed" first.)"""
    pcm = (
        silence(21)
        + speak("there is a knot in my shoulder")
        + silence(4)
        + speak("i passed out")
        + silence(4)
    )
    code, coach, speaker, heard = audible_session(tmp_path, library, understanding, recognizer, pcm)
    assert code == 0
    assert "shoulder" in heard[0], heard
    assert understanding.match(heard[-1]).intent == "safety:red-flags", heard
    # The partial "i passed" is taken for "skip" first (cut once); the final still counts.
    assert speaker.cut, speaker.cut
    assert not coach.in_routine and coach.stopped_for_safety
    assert speaker.texts[-1].startswith("I have stopped the routine."), speaker.texts[-1]


def test_a_red_flag_only_in_the_engines_next_guesses_is_asked_about(
    tmp_path, library, understanding
):
    """Real recognition: the bundled engine's best guess for "i feel dizzy" is "i feel
    really", its second "i feel dizzy". Not sure, VoiceCare asks instead of guessing; "yes"
    gives the advice."""
    recognizer = PocketSphinxRecognizer.for_vocabulary(recognition_vocabulary(library))
    pcm = (
        silence(0.5)
        + speak("my neck is stiff")
        + silence(1.5)
        + speak("stop")
        + silence(1.5)
        + speak("i feel dizzy")
        + silence(1.5)
        + speak("yes")
        + silence(1.5)
    )
    code, _coach, speaker, heard = session(tmp_path, library, understanding, recognizer, pcm)
    assert code == 0
    question = next((t for t in speaker.texts if t.startswith("Did you say")), None)
    assert question is not None, (heard, speaker.texts)
    assert "dizzy" in question
    said_dizzy = next(text for text in heard if text.startswith("i feel"))
    # The best guess alone is no red flag: the question came from the next guesses.
    assert understanding.match(said_dizzy).intent != "safety:red-flags", heard
    advice = library.safety.red_flags.sign("dizziness").advice
    assert speaker.texts.index(advice) > speaker.texts.index(question), speaker.texts
