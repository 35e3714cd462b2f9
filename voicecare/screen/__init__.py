"""The companion screen: a page on this machine (or a phone on the same Wi-Fi) that shows the
routine, the step, a countdown ring for the hold, what VoiceCare says and heard, and what can
be said now, with buttons that do what the spoken commands do.

An output adapter of the shell, like the speaker: the shell turns the coach's state into a
``ScreenState`` after every turn and ``publish``es it; the server (``server.py``, Starlette on
uvicorn, imported only when asked for) streams it to every page as Server-Sent Events. A
button press comes back as the button's name, which the shell hands to the turn loop as the
command typed. The screen imports nothing of the core; the core does not know it exists.
"""

from voicecare.screen.state import BUTTONS, HOLD, REPS, SWITCH, ScreenState, Timer

__all__ = ["BUTTONS", "HOLD", "REPS", "SWITCH", "ScreenState", "Timer"]
