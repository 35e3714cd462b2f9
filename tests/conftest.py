from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from voicecare.coach import Coach
from voicecare.content import Library, default_content_dir, load_library
from voicecare.matching import IntentMatcher
from voicecare.settings import CoachSettings
from voicecare.understanding import Understanding

DATA_DIR = Path(__file__).parent / "data"
# Sessions the tests run (also in child processes) keep no history in the user's data
# folder; the history tests set their own.
os.environ["VOICECARE_HISTORY"] = "off"
os.environ["VOICECARE_CONFIG"] = "off"  # nor read the user's config file


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="session")
def matcher(library: Library) -> IntentMatcher:
    """Intent matching alone (red flags are not its business)."""
    return IntentMatcher(library)


@pytest.fixture(scope="session")
def understanding(library: Library) -> Understanding:
    """What the coach understands with: safety first, then intent."""
    return Understanding(library)


@pytest.fixture
def coach(library: Library, understanding: Understanding) -> Coach:
    return Coach(library, understanding, CoachSettings(hold_scale=1.0))


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled content."""
    target = tmp_path / "content"
    shutil.copytree(default_content_dir(), target)
    return target


def pytest_unconfigure(config) -> None:
    """Stop livekit's native runtime (the echo canceller tests load it) before exit."""
    from voicecare.echo.webrtc import release_native_runtime

    release_native_runtime()
