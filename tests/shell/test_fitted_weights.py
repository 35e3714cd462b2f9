"""The file-backed weights store: arrays round-trip, a file is written whole or not at all,
and a broken file costs a fit, never an error."""

from __future__ import annotations

import os

import numpy as np
import pytest

from voicecare.shell.fitted_weights import CachedWeights
from voicecare.text_model import fitted_or_kept

ARRAYS = {
    "classes": np.array(["-", "numbness"]),
    "coef": np.arange(6, dtype=np.float32).reshape(2, 3),
    "temperature": np.array(1.75),
}


def _same(read: dict[str, np.ndarray] | None) -> bool:
    return (
        read is not None
        and set(read) == set(ARRAYS)
        and all(np.array_equal(read[n], a) and read[n].dtype == a.dtype for n, a in ARRAYS.items())
    )


def test_kept_arrays_read_back_from_their_file(tmp_path):
    store = CachedWeights(tmp_path)
    assert store.read("safety/likeness-0123") is None
    store.keep("safety/likeness-0123", ARRAYS)
    assert (tmp_path / "safety" / "likeness-0123.npz").is_file()
    assert _same(store.read("safety/likeness-0123"))
    assert _same(CachedWeights(tmp_path).read("safety/likeness-0123"))  # another run


def test_a_broken_or_foreign_file_reads_as_none(tmp_path):
    store = CachedWeights(tmp_path)
    (tmp_path / "matching").mkdir()
    (tmp_path / "matching" / "intents-1.npz").write_bytes(b"not a model")
    assert store.read("matching/intents-1") is None
    store.keep("matching/intents-2", ARRAYS)
    path = tmp_path / "matching" / "intents-2.npz"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # cut short
    assert store.read("matching/intents-2") is None


def test_a_file_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    store = CachedWeights(tmp_path)
    store.keep("safety/likeness-1", ARRAYS)
    before = (tmp_path / "safety" / "likeness-1.npz").read_bytes()

    def interrupted(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", interrupted)
    store.keep("safety/likeness-1", {"classes": np.array(["other"])})  # only logged
    store.keep("safety/likeness-2", ARRAYS)
    assert sorted(p.name for p in (tmp_path / "safety").iterdir()) == ["likeness-1.npz"]
    assert (tmp_path / "safety" / "likeness-1.npz").read_bytes() == before


def test_a_folder_that_cannot_be_written_costs_only_the_keeping(tmp_path):
    (tmp_path / "safety").write_text("a file where the folder would be")
    store = CachedWeights(tmp_path)
    store.keep("safety/likeness-1", ARRAYS)
    assert store.read("safety/likeness-1") is None


def test_a_corrupt_file_is_fitted_again_and_kept_whole(tmp_path):
    store = CachedWeights(tmp_path)
    fits = []

    def fit() -> dict[str, np.ndarray]:
        fits.append(1)
        return dict(ARRAYS)

    def restore(saved: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {name: saved[name] for name in ARRAYS}  # KeyError: another shape

    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "model-1.npz").write_bytes(b"PK\x03\x04 broken zip")
    assert _same(fitted_or_kept(store, "test/model-1", fit, dict, restore)) and fits == [1]
    assert _same(fitted_or_kept(store, "test/model-1", fit, dict, restore)) and fits == [1]
    store.keep("test/model-1", {"classes": ARRAYS["classes"]})  # another version's file
    assert _same(fitted_or_kept(store, "test/model-1", fit, dict, restore)) and fits == [1, 1]
    assert _same(store.read("test/model-1"))


@pytest.mark.parametrize("key", ["../escape", "/etc/passwd", "a/b/c", "", "a b"])
def test_a_key_never_names_a_file_outside_the_folder(tmp_path, key):
    with pytest.raises(ValueError):
        CachedWeights(tmp_path).read(key)


def test_by_default_the_user_s_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    store = CachedWeights()
    store.keep("safety/likeness-1", ARRAYS)
    assert (tmp_path / "voicecare" / "safety" / "likeness-1.npz").is_file()
