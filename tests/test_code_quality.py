"""The code stays ruff-clean (ruff comes with the dev extra)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def ruff() -> list[str]:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed (pip install -e '.[dev]')")
    return [found]


def test_ruff_check_is_clean():
    result = subprocess.run(
        [*ruff(), "check", "voicecare", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_modules_stay_small():
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "voicecare").rglob("*.py")
        if (n := len(path.read_text().splitlines())) > 400
    }
    assert too_long == {}
