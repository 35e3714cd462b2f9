"""The companion page in a real browser: headless Chromium (Debian's chromium and
chromium-driver, through selenium) opens the page of a real ``voicecare chat --screen``
session fed by a script, sees the step and the countdown change, clicks "Next" and sees step
two, pauses and resumes with the button, and goes on with the keyboard's right arrow.

Deterministic: every check waits for a condition (generous timeouts), none for a time; the
holds run 20 times their length, so nothing ends before it is seen.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TIMEOUT = 60.0  # seconds for any one condition; a shared, loaded machine is slow
HOLD_SCALE = 20
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def _need(what: str, present: object) -> None:
    if not present:
        message = f"{what} is not installed (bash scripts/setup.sh --dev)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it: missing there is a failure, not a skip
        pytest.skip(message)


class Session:
    """``voicecare chat --mute --screen`` with a pipe for stdin that stays open."""

    def __init__(self) -> None:
        command = [sys.executable, "-m", "voicecare", "chat", "--mute", "--screen"]
        # Holds 20 times their length: no step can end by itself while the test looks at it,
        # however slow the machine (step one of the neck routine lasts 300 s).
        self.process = subprocess.Popen(
            [*command, "--screen-port", "0", "--hold-scale", str(HOLD_SCALE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self.captions: list[str] = []
        self.notices: list[str] = []
        self._address = threading.Event()
        self.url = ""
        threading.Thread(target=self._read_captions, daemon=True).start()
        threading.Thread(target=self._read_notices, daemon=True).start()
        if not self._address.wait(TIMEOUT):
            self.close()
            pytest.fail(f"no screen address printed: {self.notices}")

    def _read_captions(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.captions.append(line.rstrip("\n"))

    def _read_notices(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.notices.append(line.rstrip("\n"))
            match = re.search(r"the screen is at (http://\S+)", line)
            if match and not self.url:
                self.url = match.group(1)
                self._address.set()

    def say(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def close(self) -> int | None:
        if self.process.poll() is None and self.process.stdin is not None:
            try:
                self.say("stop")
                self.say("stop")
                self.process.stdin.close()
            except BrokenPipeError:
                pass
        try:
            return self.process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(TIMEOUT)
            return None


@pytest.fixture
def session() -> Iterator[Session]:
    pytest.importorskip("starlette")
    chat = Session()
    yield chat
    chat.close()


@pytest.fixture
def browser():
    _need("selenium", _module("selenium"))
    _need("chromium", CHROMIUM)
    _need("chromium-driver", CHROMEDRIVER)
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=500,900")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def _module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def wait_for(driver, condition: Callable[[], object], what: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, TIMEOUT, poll_frequency=0.1).until(
        lambda _: condition(), message=f"waited {TIMEOUT:.0f} s for {what}"
    )


def text_of(driver, element_id: str) -> str:
    return driver.find_element("id", element_id).get_attribute("textContent").strip()


def test_the_page_follows_the_session_and_its_buttons_drive_it(session, browser):
    browser.get(session.url)
    # The first state from the server (the page's own HTML lists nothing one can say).
    wait_for(browser, lambda: "my neck is stiff" in text_of(browser, "can-say"), "idle")
    assert text_of(browser, "step-count") == "Say where it hurts"

    session.say("my neck is stiff")
    wait_for(browser, lambda: text_of(browser, "step-count") == "Step 1 of 7", "step one")
    assert text_of(browser, "routine") == "Neck release"
    assert text_of(browser, "heard") == "my neck is stiff"

    # The countdown: its ring shows and its number changes while the hold runs.
    timer = browser.find_element("id", "timer")
    wait_for(browser, lambda: timer.get_attribute("data-running") == "true", "a hold running")
    first = text_of(browser, "seconds")
    wait_for(browser, lambda: text_of(browser, "seconds") != first, "the countdown to move")

    browser.find_element("id", "btn-next").click()
    wait_for(browser, lambda: text_of(browser, "step-count") == "Step 2 of 7", "step two")
    assert text_of(browser, "heard") == "next"  # the press went in as the typed command
    wait_for(browser, lambda: "Step two of seven." in session.captions, "the coach's step two")

    browser.find_element("id", "btn-pause").click()
    paused = browser.find_element("id", "paused")
    wait_for(browser, lambda: paused.is_displayed(), "paused")
    button = browser.find_element("id", "btn-pause")
    assert button.text == "Resume"
    button.click()
    wait_for(browser, lambda: not paused.is_displayed(), "resumed")
    wait_for(browser, lambda: "Resuming." in session.captions, "the coach's resuming")

    from selenium.webdriver.common.keys import Keys

    browser.find_element("tag name", "body").send_keys(Keys.ARROW_RIGHT)  # the keyboard's next
    wait_for(browser, lambda: text_of(browser, "step-count") == "Step 3 of 7", "step three")

    assert session.close() == 0  # stop, stop, end of input: the session ends as usual
