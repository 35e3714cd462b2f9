"""``--screen``, ``--screen-port``, ``--screen-host``: the settings they make (a token only,
and always, for an address other machines can reach), and a real session that prints the
address with its token and a QR code and answers 403 without it. Requests go to 127.0.0.1
only."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from voicecare.cli.parser import build_parser
from voicecare.cli.settings_builder import build_settings

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60.0


def settings(*argv: str):
    return build_settings(build_parser().parse_args(list(argv))).screen


def test_off_unless_asked_for():
    assert not settings().enabled
    assert not settings("chat").enabled


@pytest.mark.parametrize("argv", [("--screen",), ("chat", "--screen")])
def test_the_defaults_are_this_machine_only_without_a_token(argv):
    screen = settings(*argv)
    assert (screen.enabled, screen.host, screen.port, screen.token) == (
        True,
        "127.0.0.1",
        8765,
        None,
    )


def test_a_host_others_can_reach_gets_a_new_random_token_each_time():
    first = settings("chat", "--screen", "--screen-host", "0.0.0.0", "--screen-port", "9000")
    second = settings("--screen", "--screen-host", "0.0.0.0")
    assert first.port == 9000
    assert first.token and second.token and first.token != second.token
    assert len(first.token) >= 20


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_a_port_must_be_a_port(port, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["chat", "--screen-port", port])
    assert "--screen-port" in capsys.readouterr().err


def test_a_session_on_every_address_prints_its_token_and_refuses_requests_without_it():
    pytest.importorskip("starlette")
    command = [sys.executable, "-m", "voicecare", "chat", "--mute", "--screen"]
    process = subprocess.Popen(
        [*command, "--screen-host", "0.0.0.0", "--screen-port", "0"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if "the screen is at" in line:
                found.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert found.wait(TIMEOUT), lines
        url = re.search(r"the screen is at (http://\S+)", "".join(lines)).group(1)
        parts = urlsplit(url)
        token = parts.query.removeprefix("token=")
        assert token and parts.port

        def status(path: str) -> int:
            connection = http.client.HTTPConnection("127.0.0.1", parts.port, timeout=TIMEOUT)
            connection.request("GET", path)
            return connection.getresponse().status

        assert status("/") == 403
        assert status(f"/?token={token}x") == 403
        assert status(f"/?token={token}") == 200
    finally:
        assert process.stdin is not None
        process.stdin.write("goodbye\n")
        process.stdin.close()
        assert process.wait(TIMEOUT) == 0
        reader.join(TIMEOUT)
    printed = "".join(lines)
    assert "phone" in printed and "█" in printed  # the QR code of the address
