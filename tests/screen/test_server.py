"""The screen's server, for real: uvicorn on a free port of this machine, spoken to over HTTP.

The door: on a non-local address (0.0.0.0) every request without the token gets 403, with
it the page; on 127.0.0.1, a foreign Host gets 403; a press needs the page's own header;
only the three routes exist. Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import socket
import sys
from collections.abc import Iterator

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from voicecare.screen import ScreenState, Timer
from voicecare.screen.server import (
    ScreenError,
    ScreenServer,
    _interface_addresses,
    _own_addresses,
    is_loopback,
    qr_code,
)
from voicecare.settings import ScreenSettings

TOKEN = "k3y-" + "x" * 20
TIMEOUT = 30.0


@pytest.fixture
def presses() -> list[str]:
    return []


def _serve(settings: ScreenSettings, presses: list[str]) -> Iterator[ScreenServer]:
    server = ScreenServer(settings, presses.append)
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def local(presses) -> Iterator[ScreenServer]:
    yield from _serve(ScreenSettings(enabled=True, host="127.0.0.1", port=0), presses)


@pytest.fixture
def open_door(presses) -> Iterator[ScreenServer]:
    """Bound to every address, as for a phone, so it needs the token."""
    yield from _serve(ScreenSettings(enabled=True, host="0.0.0.0", port=0, token=TOKEN), presses)


def request(
    server: ScreenServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
    connection.request(method, path, body=body, headers=headers or {})
    return connection.getresponse()


def press(server: ScreenServer, button: str, query: str = "", header: bool = True) -> int:
    headers = {"Content-Type": "application/json"}
    if header:
        headers["X-VoiceCare-Press"] = "1"
    body = json.dumps({"button": button}).encode()
    return request(server, "POST", "/press" + query, body, headers).status


def events(response: http.client.HTTPResponse) -> Iterator[dict]:
    """The data of each Server-Sent Event, as it comes."""
    while True:
        line = response.readline()
        if not line:
            return
        if line.startswith(b"data: "):
            yield json.loads(line[len(b"data: ") :])


# ------------------------------------------------------------------ the door


@pytest.mark.parametrize("path", ["/", "/events", "/press", "/favicon.ico", "/static/x.js"])
@pytest.mark.parametrize("query", ["", "?token=", "?token=wrong", f"?tok={TOKEN}"])
def test_without_the_token_every_request_is_forbidden(open_door, path, query):
    method = "POST" if path == "/press" else "GET"
    assert request(open_door, method, path + query).status == 403


def test_with_the_token_the_page(open_door):
    response = request(open_door, "GET", f"/?token={TOKEN}")
    assert response.status == 200
    page = response.read().decode()
    assert "<title>VoiceCare</title>" in page
    assert "/*SCRIPT*/" not in page and "EventSource" in page  # the script is inlined


def test_with_the_token_no_other_routes(open_door):
    assert request(open_door, "GET", f"/favicon.ico?token={TOKEN}").status == 404
    assert request(open_door, "GET", f"/press?token={TOKEN}").status == 405
    assert request(open_door, "POST", f"/?token={TOKEN}").status == 405


def test_with_the_token_a_button_is_pressed(open_door, presses):
    assert press(open_door, "next") == 403
    assert presses == []
    assert press(open_door, "next", f"?token={TOKEN}") == 204
    assert presses == ["next"]


def test_a_non_local_address_without_a_token_is_refused():
    with pytest.raises(ScreenError, match="token"):
        ScreenServer(ScreenSettings(enabled=True, host="0.0.0.0", port=0), lambda b: None)


def test_locally_the_page_needs_no_token_but_its_own_host(local):
    assert request(local, "GET", "/").status == 200
    for host in ("localhost", "127.0.0.1"):
        assert request(local, "GET", "/", headers={"Host": f"{host}:{local.port}"}).status == 200
    # A web page elsewhere reaching this port by DNS rebinding names its own host.
    foreign = {"Host": f"attacker.example:{local.port}"}
    assert request(local, "GET", "/", headers=foreign).status == 403
    assert request(local, "GET", "/events", headers=foreign).status == 403


def test_a_press_needs_the_pages_own_header_and_a_real_button(local, presses):
    assert press(local, "next", header=False) == 403  # a form on another site cannot set it
    assert press(local, "launch") == 400
    assert request(local, "POST", "/press", b"not json", {"X-VoiceCare-Press": "1"}).status == 400
    for button in ("next", "pause", "resume"):
        assert press(local, button) == 204
    assert presses == ["next", "pause", "resume"]


def test_the_page_may_run_only_its_own_script_and_style(local):
    response = request(local, "GET", "/")
    policy = response.getheader("Content-Security-Policy")
    assert "default-src 'none'" in policy and "script-src 'sha256-" in policy
    assert "connect-src 'self'" in policy
    assert response.getheader("Referrer-Policy") == "no-referrer"
    assert "http://" not in response.read().decode().replace("http://www.w3.org", "")


# ------------------------------------------------------------------ the stream


def test_the_stream_sends_the_state_now_and_every_new_one(local):
    response = request(local, "GET", "/events")
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/event-stream")
    stream = events(response)
    assert next(stream) == json.loads(ScreenState().to_json())
    state = ScreenState(
        routine="Neck release",
        step=3,
        steps=7,
        text="Tilt your head.",
        timer=Timer("hold", 30.0, 30.0, True, "left"),
        in_routine=True,
    )
    local.publish(state)
    shown = next(stream)
    assert (shown["step"], shown["steps"], shown["timer"]["side"]) == (3, 7, "left")


def test_closing_ends_open_streams_and_frees_the_port(presses):
    settings = ScreenSettings(enabled=True, host="127.0.0.1", port=0)
    server = ScreenServer(settings, presses.append)
    server.start()
    response = request(server, "GET", "/events")
    next(events(response))
    server.close()
    assert list(events(response)) == []  # the stream ended
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)


def test_a_port_in_use_is_one_clear_line():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        settings = ScreenSettings(enabled=True, host="127.0.0.1", port=port)
        with pytest.raises(ScreenError, match="--screen-port"):
            ScreenServer(settings, lambda b: None)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIOCGIFADDR is Linux's")
def test_the_addresses_to_print_are_the_interfaces_but_loopback():
    assert "127.0.0.1" in _interface_addresses()  # lo, read from the kernel
    assert all(not is_loopback(address) for address in _own_addresses())


def test_addresses_carry_the_token(open_door, local):
    assert local.urls() == [f"http://127.0.0.1:{local.port}/"]
    assert all(url.endswith(f":{open_door.port}/?token={TOKEN}") for url in open_door.urls())


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("localhost", True),
     ("0.0.0.0", False), ("192.168.1.20", False), ("my-laptop.local", False)],
)  # fmt: skip
def test_which_hosts_are_this_machine_only(host, loopback):
    assert is_loopback(host) is loopback


def test_the_qr_code_is_block_characters():
    pytest.importorskip("segno")
    code = qr_code(f"http://192.168.1.20:8765/?token={TOKEN}")
    assert len(code.splitlines()) > 10 and "█" in code
