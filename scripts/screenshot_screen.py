"""Screenshots of the companion screen for the README: a real ``voicecare chat --screen``
session (muted), the left side's hold running in step three of the neck routine, seen by
headless Chromium at a phone's size, in the light and the dark theme.

    .venv/bin/python scripts/screenshot_screen.py [OUT_DIR]

Needs Debian's chromium and chromium-driver and selenium (``bash scripts/setup.sh --dev``).
Writes OUT_DIR/screen-light.png and OUT_DIR/screen-dark.png (default:
benchmarks/screenshots).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHONE = (412, 915)  # CSS pixels, a common Android phone in portrait
TIMEOUT = 60.0


def _start_session() -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "VOICECARE_HISTORY": "off", "VOICECARE_CONFIG": "off"}
    command = [
        str(ROOT / ".venv/bin/voicecare"),
        "chat",
        "--mute",
        "--screen",
        "--screen-port",
        "0",
    ]
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert process.stderr is not None
    found: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            match = re.search(r"the screen is at (http://\S+)", line)
            if match and not found:
                found.append(match.group(1))
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(TIMEOUT):
        process.kill()
        raise SystemExit("the session printed no screen address")
    return process, found[0]


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(argument)
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver_path), options=options)


def _wait_for(driver, condition, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition(driver):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.1)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "benchmarks" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    process, url = _start_session()
    assert process.stdin is not None
    driver = _browser()
    try:
        width, height = PHONE
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
        )
        driver.get(url)
        process.stdin.write("my neck is stiff\nnext\nnext\n")
        process.stdin.flush()

        def in_a_hold(d) -> bool:
            step = d.find_element("id", "step-count").text
            running = d.find_element("id", "timer").get_attribute("data-running") == "true"
            return step.startswith("Step 3") and running

        _wait_for(driver, in_a_hold, "a hold in step three")
        time.sleep(3)  # a few seconds into the hold, so the ring has moved
        for theme in ("light", "dark"):
            driver.execute_cdp_cmd(
                "Emulation.setEmulatedMedia",
                {"features": [{"name": "prefers-color-scheme", "value": theme}]},
            )
            time.sleep(0.3)
            path = out / f"screen-{theme}.png"
            driver.save_screenshot(str(path))
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    finally:
        driver.quit()
        process.stdin.write("stop\nstop\n")
        process.stdin.close()
        try:
            process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
