"""The screen's web application (Starlette): the page, its event stream, its buttons, and the
door in front of them.

Three routes and no others: ``GET /`` the page (HTML, CSS and JavaScript in one response,
package data, nothing from elsewhere), ``GET /events`` the page's states as Server-Sent
Events, ``POST /press`` a button. The door turns away with 403, before any route: a request
without the token when there is one (``?token=``, compared in constant time); on a loopback
address, a request whose ``Host`` is not that address (a web page elsewhere must not reach it
by DNS rebinding); a press without the page's own header (a form on another site cannot set
one, so it cannot press buttons). ``Hub`` is the hand-over between the turn loop's thread and
the server's event loop: ``publish`` from any thread wakes every open stream, which then
sends the newest state (states in between may be skipped; the newest is what a page shows).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import logging
import secrets
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from importlib import resources

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from voicecare.screen.state import BUTTONS, ScreenState

logger = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 15.0  # a comment line on a quiet stream, so a lost page is noticed
PRESS_HEADER = "x-voicecare-press"  # set by the page's own script on every press


@dataclass
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    woken: asyncio.Event


class Hub:
    """The newest state, and the open event streams to wake when it changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest = ScreenState().to_json()
        self._subscribers: list[_Subscriber] = []
        self.closed = False

    @property
    def latest(self) -> str:
        with self._lock:
            return self._latest

    def publish(self, state: ScreenState) -> None:
        """Show ``state`` on every page; safe from any thread."""
        with self._lock:
            self._latest = state.to_json()
        self._wake_all()

    def close(self) -> None:
        """End every stream (the session is over)."""
        self.closed = True
        self._wake_all()

    def _wake_all(self) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            # RuntimeError: its loop has closed (the server stopped).
            with contextlib.suppress(RuntimeError):
                subscriber.loop.call_soon_threadsafe(subscriber.woken.set)

    def subscribe(self) -> _Subscriber:
        """From inside the server's event loop."""
        subscriber = _Subscriber(asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._subscribers.append(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: _Subscriber) -> None:
        with self._lock:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

    async def stream(self, subscriber: _Subscriber) -> AsyncIterator[str]:
        """Server-Sent Events: the newest state now, then after every change."""
        try:
            yield f"data: {self.latest}\n\n"
            while not self.closed:
                try:
                    await asyncio.wait_for(subscriber.woken.wait(), KEEPALIVE_SECONDS)
                except asyncio.TimeoutError:
                    yield ": keepalive\n\n"
                    continue
                subscriber.woken.clear()
                if self.closed:
                    break
                yield f"data: {self.latest}\n\n"
        finally:
            self.unsubscribe(subscriber)


@dataclass(frozen=True)
class Page:
    """The page as served, and the Content-Security-Policy that allows exactly its own
    inline style and script (by their SHA-256) and connections to this server only."""

    html: str
    policy: str


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def load_page() -> Page:
    files = resources.files("voicecare.screen") / "page"
    style = (files / "screen.css").read_text(encoding="utf-8")
    script = (files / "screen.js").read_text(encoding="utf-8")
    html = (files / "index.html").read_text(encoding="utf-8")
    html = html.replace("/*STYLE*/", style).replace("/*SCRIPT*/", script)
    policy = (
        f"default-src 'none'; style-src {_digest(style)}; script-src {_digest(script)}; "
        "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )
    return Page(html, policy)


def make_app(
    hub: Hub,
    on_press: Callable[[str], None],
    token: str | None = None,
    hosts: frozenset[str] | None = None,
) -> ASGIApp:
    """The application behind its door. ``on_press`` gets a button's name (one of
    ``BUTTONS``) on the server's thread, and must only hand it over. ``hosts``: the Host
    headers accepted (None: any, e.g. with a token on 0.0.0.0)."""
    page = load_page()
    headers = {
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",  # the token stays in this page's address
    }

    async def index(request: Request) -> Response:
        return HTMLResponse(page.html, headers={**headers, "Content-Security-Policy": page.policy})

    async def events(request: Request) -> Response:
        return StreamingResponse(
            hub.stream(hub.subscribe()), media_type="text/event-stream", headers=headers
        )

    async def press(request: Request) -> Response:
        if request.headers.get(PRESS_HEADER) != "1":
            return PlainTextResponse("forbidden", status_code=403, headers=headers)
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        button = body.get("button") if isinstance(body, dict) else None
        if button not in BUTTONS:
            return PlainTextResponse(
                f"no such button; give one of {', '.join(BUTTONS)}", 400, headers=headers
            )
        on_press(button)
        return Response(status_code=204, headers=headers)

    app = Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route("/events", events, methods=["GET"]),
            Route("/press", press, methods=["POST"]),
        ]
    )
    return Door(app, token, hosts)


class Door:
    """403 before any route for a request the screen must not answer (see the module)."""

    def __init__(self, app: ASGIApp, token: str | None, hosts: frozenset[str] | None) -> None:
        self.app = app
        self.token = token
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.allows(Request(scope)):
            response = PlainTextResponse("forbidden", status_code=403)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def allows(self, request: Request) -> bool:
        if self.hosts is not None and request.headers.get("host", "") not in self.hosts:
            return False
        if self.token is None:
            return True
        given = request.query_params.get("token", "")
        return secrets.compare_digest(given.encode(), self.token.encode())
