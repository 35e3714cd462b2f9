"""What the companion page shows, read from a real coach driven through the shell's own turn
loop on a fake clock: the step, the countdown, the side, paused, captions, the safety advice,
what can be said; and the buttons, which type what the spoken commands say."""

from __future__ import annotations

import pytest

from tests.fakes import FakeClock, RecordingSpeaker, ScriptedLines
from voicecare.coach import Coach, Typed
from voicecare.coach.timeline import step_segments
from voicecare.matching.intents import command_intent
from voicecare.screen import BUTTONS, HOLD, REPS, SWITCH, ScreenState
from voicecare.settings import CoachSettings
from voicecare.shell.screen_feed import (
    PressedInputs,
    ScreenFeed,
    button_line,
    screen_state,
    segment_kinds,
)
from voicecare.shell.session import LineInputs, TurnLoop
from voicecare.shell.text_input import TypedLines


class Screen:
    """A coach, its turn loop with the screen's feed as observer, and every state shown."""

    def __init__(self, library, understanding) -> None:
        self.library = library
        self.clock = FakeClock()
        self.coach = Coach(library, understanding, CoachSettings(hold_scale=1.0))
        self.states: list[ScreenState] = []
        self.feed = ScreenFeed(self.coach, self.clock, library, self.states.append)
        self.loop = TurnLoop(
            self.coach, RecordingSpeaker(), self.clock, lambda text: None, observer=self.feed
        )

    def hear(self, text: str) -> ScreenState:
        self.loop.settle(self.loop.send(Typed(text)))
        return self.states[-1]

    def start(self, routine_id: str) -> ScreenState:
        routine = self.library.routine(routine_id)
        self.loop.settle(self.coach.start_routine(routine))
        return self.feed.state()

    def wait(self, seconds: float) -> ScreenState:
        self.loop.tick_until(self.clock.now() + seconds)
        self.clock.sleep_until(self.clock.now() + seconds)
        return self.feed.state()


@pytest.fixture
def screen(library, understanding) -> Screen:
    return Screen(library, understanding)


def test_before_a_routine_the_page_says_what_to_say(screen):
    state = screen.feed.state()
    assert (state.in_routine, state.step, state.timer, state.routine) == (False, 0, None, "")
    assert "my neck is stiff" in state.can_say
    assert "help" in state.can_say


def test_a_routine_shows_its_step_and_a_countdown_that_runs_on_the_clock(screen, library):
    neck = library.routine("neck")
    state = screen.hear("my neck is stiff")
    assert state.routine == neck.title
    assert (state.step, state.steps, state.text) == (1, len(neck.steps), neck.steps[0].text)
    assert state.timer is not None and state.timer.running
    assert state.timer.kind == REPS and state.timer.reps == neck.steps[0].reps
    assert state.timer.left == state.timer.seconds
    assert screen.wait(2.0).timer.left == pytest.approx(state.timer.seconds - 2.0)
    assert state.heard == "my neck is stiff"
    assert "next" in state.can_say and "pause" in state.can_say


def test_next_shows_step_two_and_what_voicecare_said(screen, library):
    neck = library.routine("neck")
    screen.hear("my neck is stiff")
    state = screen.hear("next")
    assert (state.step, state.text) == (2, neck.steps[1].text)
    assert state.timer.kind == HOLD and state.timer.seconds == neck.steps[1].hold_seconds
    assert state.said == "Hold for forty seconds."


def test_pause_freezes_the_countdown_and_says_paused(screen):
    screen.hear("my neck is stiff")
    screen.hear("next")
    screen.wait(5.0)
    state = screen.hear("pause")
    assert state.paused and not state.timer.running
    left = state.timer.left
    assert screen.wait(10.0).timer.left == left  # frozen while paused
    assert "resume" in state.can_say
    resumed = screen.hear("resume")
    assert not resumed.paused and resumed.timer.running and resumed.timer.left == left


def test_a_per_side_hold_shows_left_then_the_switch_then_right(screen, library):
    step = library.routine("arms-wrists").steps[0]
    assert step.per_side and step.hold_seconds
    state = screen.start("arms-wrists")
    assert (state.timer.kind, state.timer.side) == (HOLD, "left")
    state = screen.wait(step.hold_seconds + 0.01)
    assert (state.timer.kind, state.timer.side) == (SWITCH, "right")
    state = screen.wait(step.switch_seconds + 0.01)
    assert (state.timer.kind, state.timer.side) == (HOLD, "right")


def test_segment_kinds_follow_the_timeline_of_every_step(library):
    for routine in library.routines:
        for step in routine.steps:
            kinds = segment_kinds(step)
            assert len(kinds) == len(step_segments(step)), (routine.id, step.text)
            assert [k for k, _ in kinds].count(SWITCH) == (1 if step.per_side else 0)


def test_a_red_flag_shows_the_advice_until_a_routine_starts_again(screen, library):
    screen.hear("my neck is stiff")
    state = screen.hear("my arm is numb")
    advice = library.safety.red_flags.advice_for("numbness", in_routine=True)
    assert state.advice == advice
    assert (state.in_routine, state.step, state.timer) == (False, 0, None)
    assert screen.hear("what causes knots").advice == advice
    assert screen.hear("my neck is stiff").advice == ""


def test_the_state_a_page_gets_is_json_of_every_field(screen):
    state = screen.hear("my neck is stiff")
    import json

    data = json.loads(state.to_json())
    assert data["step"] == 1 and data["timer"]["running"] is True
    assert set(data) == set(ScreenState.__dataclass_fields__)


def test_screen_state_is_pure(screen, library):
    screen.hear("my neck is stiff")
    now = screen.clock.now()
    first = screen_state(screen.coach, now, library, "a", "b")
    assert first == screen_state(screen.coach, now, library, "a", "b")
    assert screen.feed.state() == screen_state(
        screen.coach, now, library, screen.feed.said, screen.feed.heard
    )


@pytest.mark.parametrize("button", BUTTONS)
def test_each_button_types_its_command(button, library, understanding):
    assert understanding.match(button_line(library, button)).intent == command_intent(button)


def test_a_press_is_the_next_event_of_the_loop_before_more_input():
    inputs = PressedInputs(LineInputs(ScriptedLines(["my neck is stiff"])))
    inputs.press("next")
    assert inputs.next_event(None) == Typed("next")
    assert inputs.next_event(None) == Typed("my neck is stiff")


def test_a_press_reaches_typed_lines_while_they_wait(tmp_path):
    """From another thread, as the server's does: the waiting line reader wakes up."""
    import os
    import threading

    read_end, write_end = os.pipe()  # open while the press comes: nothing is typed
    with os.fdopen(read_end) as stream:
        lines = TypedLines(stream)
        threading.Timer(0.05, lines.feed, args=("next",)).start()
        try:
            assert lines.next_line(timeout=60) == "next"
        finally:
            os.close(write_end)  # the reader sees the end before the stream is closed
        assert lines.next_line(timeout=60) is None


def test_a_button_press_moves_the_routine_through_the_one_loop(screen):
    """The press goes through understanding and the coach's own "next"."""
    screen.hear("my neck is stiff")
    inputs = PressedInputs(LineInputs(ScriptedLines([])))
    inputs.press(button_line(screen.library, "next"))
    event = inputs.next_event(None)
    screen.loop.settle(screen.loop.send(event))
    assert screen.states[-1].step == 2
