"""Companion screen latency: from a button press (POST /press, as the page sends it) to the
page's event stream carrying the new step, through a real ``voicecare chat --mute --screen``
session: the server thread, the hand-over to the turn loop, understanding, the coach, the
feed and back out as a Server-Sent Event. And from a typed line to the same, for
comparison (the line goes through the session's stdin).

    python -m benchmarks.screen_latency            # 40 presses, 20 lines
    python -m benchmarks.screen_latency --presses 100 --lines 0

Alternates Next and Back between steps one and two of the neck routine (holds at 20 times
their length, so no step ends by itself). Prints the median, p90 and worst of each, in
milliseconds. Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60.0


class Session:
    def __init__(self) -> None:
        command = [sys.executable, "-m", "voicecare", "chat", "--mute", "--screen"]
        self.process = subprocess.Popen(
            [*command, "--screen-port", "0", "--hold-scale", "20"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "VOICECARE_HISTORY": "off", "VOICECARE_CONFIG": "off"},
        )
        assert self.process.stderr is not None
        for line in self.process.stderr:
            match = re.search(r"the screen is at (http://\S+)", line)
            if match:
                self.port = urlsplit(match.group(1)).port
                break
        else:
            raise SystemExit("the session printed no screen address")
        self.states: queue.Queue[tuple[float, dict]] = queue.Queue()
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        connection.request("GET", "/events")
        response = connection.getresponse()
        while line := response.readline():
            if line.startswith(b"data: "):
                self.states.put((time.perf_counter(), json.loads(line[6:])))

    def step_shown(self, step: int) -> float:
        """When a state with ``step`` arrived (states before it are dropped)."""
        while True:
            arrived, state = self.states.get(timeout=TIMEOUT)
            if state["step"] == step:
                return arrived

    def press(self, button: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        body = json.dumps({"button": button})
        headers = {"Content-Type": "application/json", "X-VoiceCare-Press": "1"}
        connection.request("POST", "/press", body, headers)
        assert connection.getresponse().status == 204

    def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def close(self) -> None:
        self.type("goodbye")
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(TIMEOUT)


def measure(session: Session, count: int, send) -> list[float]:
    took = []
    for index in range(count):
        forward = index % 2 == 0
        started = time.perf_counter()
        send("next" if forward else "back")
        took.append((session.step_shown(2 if forward else 1) - started) * 1000)
    return took


def summary(name: str, took: list[float]) -> str:
    if not took:
        return f"{name}: not measured"
    ordered = sorted(took)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return (
        f"{name}: median {statistics.median(took):.1f} ms, p90 {p90:.1f} ms, "
        f"worst {ordered[-1]:.1f} ms ({len(took)} tries)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--lines", type=int, default=20)
    args = parser.parse_args(argv)
    args.presses += args.presses % 2  # an even number: the lines start from step one again
    session = Session()
    try:
        session.type("my neck is stiff")
        session.step_shown(1)
        presses = measure(session, args.presses, session.press)
        lines = measure(session, args.lines, session.type)
    finally:
        session.close()
    print(summary("button press -> step on the event stream", presses))
    print(summary("typed line -> step on the event stream", lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
