"""Speech for the evaluation, cached on disk: espeak-ng here, the natural voices in
test_voices.py."""

from __future__ import annotations

import pytest

from tests.listening.speech import require_espeak
from voicecare.audio import SAMPLE_RATE
from voicecare.errors import UsageError
from voicecare.evaluation.synthesis import SpeechSynthesizer
from voicecare.evaluation.voices import Espeak


def test_second_synthesizer_reuses_the_cached_speech(tmp_path):
    require_espeak()
    first = SpeechSynthesizer(tmp_path)
    made = first.speak("my neck is stiff", "en-us", 150)
    assert (first.made, first.reused) == (1, 0)
    assert 0.5 < len(made) / 2 / SAMPLE_RATE < 5  # about a second of speech

    second = SpeechSynthesizer(tmp_path)
    assert second.speak("my neck is stiff", "en-us", 150) == made
    assert (second.made, second.reused) == (0, 1)
    assert len(list(tmp_path.glob("*.pcm"))) == 1


def test_each_voice_and_rate_is_its_own_entry(tmp_path):
    require_espeak()
    synthesizer = SpeechSynthesizer(tmp_path)
    slow = synthesizer.speak("my neck is stiff", "en-us", 150)
    fast = synthesizer.speak("my neck is stiff", "en-us", 190)
    british = synthesizer.speak("my neck is stiff", "en-gb-x-rp", 150)
    assert synthesizer.made == 3
    assert len(fast) < len(slow)
    assert british != slow
    keys = {
        synthesizer.key("my neck is stiff", voice, rate)
        for voice, rate in [("en-us", 150), ("en-us", 190), ("en-gb-x-rp", 150)]
    }
    assert len(keys) == 3


def test_the_key_includes_the_espeak_version(tmp_path):
    require_espeak()
    synthesizer = SpeechSynthesizer(tmp_path)
    key = synthesizer.key("stop", "en-us", 150)
    assert synthesizer.key("stop", "espeak:en-us", 150) == key  # a bare name is espeak-ng's
    synthesizer.backends["espeak"]._version = "0.0-other"
    assert synthesizer.key("stop", "en-us", 150) != key


def test_an_unwritable_cache_only_costs_time(tmp_path):
    require_espeak()
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    synthesizer = SpeechSynthesizer(blocked / "cache")
    assert synthesizer.speak("stop", "en-us", 150)
    assert synthesizer.speak("stop", "en-us", 150)
    assert synthesizer.made == 2


def test_unknown_voice_is_named(tmp_path):
    require_espeak()
    with pytest.raises(UsageError, match=r"no voice 'xx-nowhere'.*espeak-ng --voices=en"):
        SpeechSynthesizer(tmp_path).check_voices(["en-us", "xx-nowhere"])


def test_missing_espeak_says_how_to_install_it(tmp_path):
    synthesizer = SpeechSynthesizer(tmp_path, {"espeak": Espeak(program="no-such-espeak")})
    with pytest.raises(UsageError, match=r"no-such-espeak is not installed.*apt-get install"):
        synthesizer.check_voices(["espeak:en-us"])


@pytest.mark.parametrize(
    ("voice", "message"),
    [("nothing:slt", "'nothing:slt' is not a voice"), ("flite:", "'flite:' is not a voice")],
)
def test_a_voice_is_named_by_its_engine(tmp_path, voice, message):
    with pytest.raises(UsageError, match=message):
        SpeechSynthesizer(tmp_path).check_voices([voice])
