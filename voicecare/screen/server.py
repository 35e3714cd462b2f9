"""The screen's server: uvicorn running the application of ``app.py`` in a thread of its own,
beside the one turn loop, on a socket VoiceCare binds itself (so a port in use is one clear
line, and port 0 takes any free port), plus the addresses to print and their QR code.

Starlette, uvicorn and segno are imported here only, when the screen is asked for: without
them (``pip install 'voicecare[screen]'``) ``--screen`` says so in one line.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from voicecare.errors import VoiceCareError
from voicecare.screen.state import ScreenState
from voicecare.settings import ScreenSettings

logger = logging.getLogger(__name__)

STARTUP_SECONDS = 30.0  # the server thread must be answering by then
SHUTDOWN_SECONDS = 5.0
UNKNOWN_ADDRESS = "<this-machine's-address>"  # shown when no interface has one
MISSING = "the screen needs Starlette and uvicorn: pip install 'voicecare[screen]'"


class ScreenError(VoiceCareError):
    """The screen cannot be served (its libraries are missing, the port is taken)."""


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: only this machine can connect."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        return socket.create_server((host.strip("[]"), port), family=family, backlog=64)
    except OSError as error:
        hint = "pick another with --screen-port N" if port else "check --screen-host"
        raise ScreenError(
            f"cannot serve the screen on {host}:{port}: {error.strerror}; {hint}"
        ) from None


class ScreenServer:
    """Serves the page until ``close``; ``publish`` shows a state on every page (from any
    thread); a button press calls ``on_press(button)`` on the server's thread."""

    def __init__(self, settings: ScreenSettings, on_press: Callable[[str], None]) -> None:
        try:
            import uvicorn

            from voicecare.screen.app import Hub, make_app
        except ImportError as error:
            raise ScreenError(f"{MISSING} ({error.name} is missing)") from None
        if not is_loopback(settings.host) and not settings.token:
            raise ScreenError(
                f"--screen-host {settings.host} is reachable from other machines: it needs a "
                "token (the command line makes one)"
            )
        self.settings = settings
        self.hub = Hub()
        self._socket = _bind(settings.host, settings.port)
        self.port: int = self._socket.getsockname()[1]
        hosts = None
        if is_loopback(settings.host):  # only this address's own name, against DNS rebinding
            names = {"localhost", settings.host, "127.0.0.1", "[::1]"}
            hosts = frozenset(f"{name}:{self.port}" for name in names)
        try:
            app = make_app(self.hub, on_press, settings.token, hosts)
        except BaseException:
            self._socket.close()
            raise
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
            server_header=False,
        )
        self._server: Any = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self._socket.close()
                raise ScreenError("the screen's server did not start; run with -v for details")
            time.sleep(0.01)
        logger.debug("screen served on %s:%d", self.settings.host, self.port)

    def publish(self, state: ScreenState) -> None:
        """Show ``state`` on every page; safe from any thread."""
        self.hub.publish(state)

    def close(self) -> None:
        self.hub.close()  # every event stream ends, so the server need not wait for them
        self._server.should_exit = True
        self._thread.join(SHUTDOWN_SECONDS)
        self._socket.close()

    def urls(self) -> list[str]:
        """Where to open the page: this address, or for 0.0.0.0 (or ::) this machine's own
        addresses, each with the token when there is one."""
        host = self.settings.host
        hosts = [host]
        if host in ("0.0.0.0", "::", ""):
            hosts = _own_addresses() or [UNKNOWN_ADDRESS]
        query = f"?token={self.settings.token}" if self.settings.token else ""
        shown = [f"[{h}]" if ":" in h and not h.startswith("[") else h for h in hosts]
        return [f"http://{h}:{self.port}/{query}" for h in shown]


def _own_addresses() -> list[str]:
    """The machine's IPv4 addresses other machines may reach: each network interface's
    (asked of the kernel, nothing is sent), else those of its host name."""
    found = _interface_addresses()
    if not found:
        try:
            infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        except OSError:
            infos = []
        found = [str(info[4][0]) for info in infos]
    addresses = [ipaddress.ip_address(address) for address in dict.fromkeys(found)]
    return [str(a) for a in addresses if not (a.is_loopback or a.is_link_local)]


def _interface_addresses() -> list[str]:
    """Linux: SIOCGIFADDR for every interface; elsewhere (no fcntl) nothing."""
    try:
        import fcntl
        import struct
    except ImportError:
        return []
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for _, name in socket.if_nameindex():
            request = struct.pack("256s", name.encode()[:15])
            try:
                answer = fcntl.ioctl(probe.fileno(), 0x8915, request)  # SIOCGIFADDR
            except OSError:  # no IPv4 address on this interface
                continue
            found.append(socket.inet_ntoa(answer[20:24]))
    return found


def qr_code(text: str) -> str:
    """``text`` as a QR code of block characters, for a terminal; "" without segno."""
    try:
        import segno
    except ImportError:
        return ""
    import io

    out = io.StringIO()
    segno.make(text).terminal(out=out, compact=True)
    return out.getvalue()
