"""Run the real command line in a child process and judge how it failed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "voicecare: "


def voicecare(
    *args: str,
    timeout: float = 180,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    prefix: tuple[str, ...] = (),
) -> subprocess.CompletedProcess:
    """``python -m voicecare ARGS`` from the repository, run after ``prefix`` if given."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "voicecare", *args],
        cwd=ROOT,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(env) if env is not None else None,
    )


def child_env(*, drop: tuple[str, ...] = (), **changes: str) -> dict[str, str]:
    """The current environment with ``changes`` (e.g. a private cache folder), without
    the variables named in ``drop``."""
    env = {**os.environ, **changes}
    for name in drop:
        env.pop(name, None)
    return env


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout


def assert_one_clear_line(
    result: subprocess.CompletedProcess, status: int = 1, mentions: str = ""
) -> str:
    """Failed with ``status`` and exactly one 'voicecare: ...' line on stderr, which
    mentions ``mentions``; returns that line."""
    assert_no_traceback(result)
    assert result.returncode == status, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    (line,) = lines
    assert line.startswith(PREFIX), line
    assert mentions in line, line
    return line


def as_plain_user() -> tuple[str, ...]:
    """A command prefix under which file permissions apply, even for root."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: folder permissions would not apply")
    return (setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--")
