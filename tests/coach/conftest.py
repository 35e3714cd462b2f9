"""A content folder with a small routine whose timings are easy to reason about."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicecare.coach import Coach
from voicecare.content import Library, load_library
from voicecare.settings import CoachSettings, SpeechSettings
from voicecare.understanding import Understanding

TEST_ROUTINE = """
id: test-drill
title: Test drill
areas: [elbow]
keywords: [elbow drill]
phrases: [do the test drill, start the test drill]
safety_note: This is the safety note.
wrap_up: Drink some water.
steps:
  - text: Step one text.
    kind: stretch
    hold_seconds: 30
    per_side: true
  - text: Step two text.
    kind: breathing
    reps: 3
    rep_seconds: 2
  - text: Step three text.
    kind: self-massage
    hold_seconds: 20
"""


@pytest.fixture(scope="session")
def drill_library(tmp_path_factory) -> Library:
    import shutil

    from voicecare.content import default_content_dir

    folder: Path = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(default_content_dir(), folder)
    (folder / "routines" / "test-drill.yaml").write_text(TEST_ROUTINE)
    return load_library(folder)


@pytest.fixture(scope="session")
def drill_understanding(drill_library) -> Understanding:
    return Understanding(drill_library)


@pytest.fixture
def drill_coach(drill_library, drill_understanding) -> Coach:
    return Coach(drill_library, drill_understanding, CoachSettings(), SpeechSettings(rate=160))
