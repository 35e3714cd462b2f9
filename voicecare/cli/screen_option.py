"""The companion screen's options (``--screen``, ``--screen-port``, ``--screen-host``), how
they become ``ScreenSettings`` (with the random token a non-local address requires, made
here, once), and the screen opened around a session: served, its address printed (and its
QR code, for a phone), fed by the turn loop, closed at the end."""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from voicecare.cli.output import notice
from voicecare.clock import Clock
from voicecare.coach import Action, Coach, Event
from voicecare.content.models import Library
from voicecare.settings import ScreenSettings

Observer = Callable[[Event, list[Action]], None]


def add_screen_options(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    """Defaults SUPPRESSed on a sub-command, as for the other shared options."""
    defaults = ScreenSettings()

    def default(value: object) -> object:
        return value if top_level else argparse.SUPPRESS

    parser.add_argument(
        "--screen",
        action="store_true",
        default=default(False),
        help="also show the session on a page in a browser (buttons included)",
    )
    parser.add_argument(
        "--screen-port",
        type=_port,
        metavar="N",
        default=default(defaults.port),
        help=f"the page's port (default: {defaults.port}; 0: any free one)",
    )
    parser.add_argument(
        "--screen-host",
        metavar="HOST",
        default=default(defaults.host),
        help=f"the address to serve the page on (default: {defaults.host}, this machine "
        "only; 0.0.0.0 lets a phone on the same network in, with a token)",
    )


def build_screen_settings(args: argparse.Namespace) -> ScreenSettings:
    from voicecare.screen.server import is_loopback

    defaults = ScreenSettings()
    host = getattr(args, "screen_host", defaults.host)
    return ScreenSettings(
        enabled=getattr(args, "screen", False),
        host=host,
        port=getattr(args, "screen_port", defaults.port),
        token=None if is_loopback(host) else secrets.token_urlsafe(16),
    )


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0 to 65535): {text!r}")
    return int(text)


@contextmanager
def opened_screen(
    settings: ScreenSettings,
    coach: Coach,
    clock: Clock,
    library: Library,
    press: Callable[[str], None],
) -> Iterator[Observer | None]:
    """The turn loop's observer that feeds the page (None without ``--screen``); a button
    press is handed to ``press`` as the line that typing the command gives."""
    if not settings.enabled:
        yield None
        return
    from voicecare.screen.server import UNKNOWN_ADDRESS, ScreenServer, qr_code
    from voicecare.shell.screen_feed import ScreenFeed, button_line

    server = ScreenServer(settings, lambda button: press(button_line(library, button)))
    server.start()
    try:
        urls = server.urls()
        notice(f"the screen is at {urls[0]}" + "".join(f" or {url}" for url in urls[1:]))
        if settings.token and UNKNOWN_ADDRESS not in urls[0]:
            notice("open it on a phone on the same network (the token is in the address):")
            sys.stderr.write(qr_code(urls[0]))
            sys.stderr.flush()
        feed = ScreenFeed(coach, clock, library, server.publish)
        server.publish(feed.state())
        yield feed
    finally:
        server.close()
