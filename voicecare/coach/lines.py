"""Everything the coach says that does not come from content, and how numbers are spoken."""

from __future__ import annotations

from voicecare.content.models import Step
from voicecare.normalize import number_to_words

GREETING = "Hi, I am VoiceCare."  # the disclaimer that follows says what I am
INVITATION = "Tell me where it hurts, or ask me about knots."
EXAMPLE = "You can say something like: my neck is stiff, or: what causes knots."
NOT_UNDERSTOOD = "Sorry, I did not catch that."
OUT_OF_SCOPE = "Sorry, I can only help with muscle knots, stretches and self-massage."
HELP_IDLE = (
    "Tell me where it hurts, for example: there is a knot in my shoulder. "
    "Ask me about knots, for example: how do I prevent them. "
    "Say: list, to hear the routines, or: goodbye, to end."
)
HELP_CHOICE = "Say the name of the one you want, or: the first one, or: stop."
GOODBYE = "Goodbye. Take care of yourself."
CONFIRM_END = (
    "Shall I stop listening? Say stop again, or goodbye, to end; or tell me where it hurts."
)
STILL_HERE = "All right, I am still here."
WELCOME = "You are welcome."
WELCOME_IDLE = "You are welcome. Tell me if anything else feels tight."
HELLO = "Hello."
GLAD = "Good, I am glad."
OKAY = "Okay."
NOTHING_ASKED = "There is no question right now. Tell me where it hurts, or say help."
NOTHING_ASKED_IN_ROUTINE = "Okay. Say next, pause or stop whenever you like."
NO_ROUTINE = "No routine is running. Tell me where it hurts to start one."
NOT_PAUSED = "We are not paused."
PAUSED = "Paused. Say resume when you are ready."
ALREADY_PAUSED = "We are paused. Say resume when you are ready."
PAIN_IDLE = (
    "I am sorry it hurts. Tell me where, for example: my neck hurts. If the pain is severe, or "
    "came from a fall or an accident, please see a health professional."
)
RESUMING = "Resuming."
ON_IT = "We are on it."
FIRST_STEP = "This is the first step."
SKIPPING = "Skipping this one."
SLOWER = "Okay, I will speak more slowly."
FASTER = "Okay, I will speak a little faster."
SLOWEST = "This is as slow as I go."
FASTEST = "This is as fast as I go."
NOTHING_TO_ANSWER = "There is no question to answer right now."
HALFWAY = "Halfway."
RELEASE = "And release."
SWITCH_SIDES = "Switch sides. Take a moment to get into position."
REPS_DONE = "Good."
RED_FLAG_RESUME = (
    "I stopped the routine because of what you told me. Please get that checked before we continue."
)


def you_can_say(names: list[str]) -> str:
    """The routine help line: 'You can say: next, back, or stop.'"""
    return f"You can say: {', '.join(names[:-1])}, or {names[-1]}."


def seconds_words(seconds: float) -> str:
    """'thirty seconds', 'one minute', 'one minute and twenty seconds'."""
    total = max(1, round(seconds))
    minutes, rest = divmod(total, 60)
    parts = []
    if minutes:
        parts.append(f"{number_to_words(minutes)} minute{'s' if minutes > 1 else ''}")
    if rest:
        parts.append(f"{number_to_words(rest)} second{'s' if rest > 1 else ''}")
    return " and ".join(parts)


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def hold_announcement(seconds: float) -> str:
    return f"Hold for {seconds_words(seconds)}."


def reps_announcement(reps: int) -> str:
    return f"{sentence(number_to_words(reps))} times." if reps > 1 else "Once."


def count(number: int) -> str:
    return f"{sentence(number_to_words(number))}."


def side_start(side: str) -> str:
    return f"{sentence(side)} side first."


def routine_intro(title: str) -> str:
    return f"Let's start: {title}."


def step_heading(number: int, total: int) -> str:
    return f"Step {number_to_words(number)} of {number_to_words(total)}."


def wrap_up(title: str, suggestion: str | None) -> str:
    """The content's wrap-up says its own well done; without one the coach says it."""
    end = f"That is the end of {title}."
    return f"{end} {suggestion}" if suggestion else f"{end} Well done."


# How to go on more gently after "ouch", by step kind, when the step does not say.
GENTLER = {
    "self-massage": "press more lightly, or move to a spot that feels easier",
    "massage-ball": "take some of your weight off the ball, or move it off the sore spot",
    "foam-roller": "take more of your weight on your hands and feet, and roll more slowly",
    "stretch": "do not go as far into the stretch; a mild pull is enough",
    "breathing": "breathe more softly, in whatever position is most comfortable",
}


def pain_paused(step: Step) -> str:
    """After "ouch" mid-step: pause, and what "more gently" means for this step."""
    gentler = step.gentler or GENTLER[step.kind.value]
    return (
        "Let's pause. Ease off and breathe slowly; this should never be sharp pain. "
        f"To go on more gently, {gentler.rstrip('.')}. "
        "Say resume when you are ready, skip to leave this step out, or stop."
    )


def choice_question(titles: list[str]) -> str:
    return "Did you mean " + ", or ".join(titles) + "?"


def offer_to_continue(title: str) -> str:
    return f"Shall we continue {title}?"


def offer_to_switch(title: str, current_title: str) -> str:
    return f"Shall we switch to {title}? Say yes, or no to go on with {current_title}."


_STOPPED = "Okay, I stopped "


def stopped_routine(title: str) -> str:
    return f"{_STOPPED}{title}. Tell me when you want to start again."


def is_stopped_routine(text: str) -> bool:
    return text.startswith(_STOPPED)


def offer_suggested(title: str) -> str:
    return f"Say yes to start {title}."


def routines_list(titles: list[str]) -> str:
    named = ", ".join(titles[:-1]) + ", and " + titles[-1] if len(titles) > 1 else titles[0]
    return f"I have routines for: {named}. Which one would you like?"


def time_left(step_number: int, step_count: int, seconds_left: float) -> str:
    if step_number >= step_count:
        head = "This is the last step"
    else:
        head = f"This is step {number_to_words(step_number)} of {number_to_words(step_count)}"
    return f"{head}, about {rough_duration_words(seconds_left)} left."


def rough_duration_words(seconds: float) -> str:
    """An estimate as a person says it: 'forty five seconds', 'two and a half minutes'
    (to five seconds under a minute, else to half a minute)."""
    if seconds < 57.5:
        return seconds_words(max(5, 5 * round(seconds / 5)))
    halves = max(2, round(seconds / 30))
    minutes, half = divmod(halves, 2)
    if minutes == 1 and not half:
        return "one minute"
    whole = number_to_words(minutes)
    return f"{whole} and a half minutes" if half else f"{whole} minutes"


def restarting(title: str) -> str:
    return f"Starting {title} again from the beginning."
