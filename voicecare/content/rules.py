"""The writing rules of content/SCHEMA.md that ``voicecare content check`` enforces on top of
what loading checks: how many steps and phrases, and step text written to be heard.

Loading rejects what the coach cannot run (a missing field, a hold of minus five seconds).
These rules are about quality: a routine with two phrases runs, but is rarely recognized;
a step that says "hold for thirty seconds" has the coach say it twice. So the coach still
runs content that breaks only these, and ``content check`` (exit status 2) says what to
fix before the content is shared. Problems are lines in the loader's format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from voicecare.content.models import Command, Library, Routine, Topic

MIN_STEPS, MAX_STEPS = 4, 8
MIN_ROUTINE_PHRASES = 10
MIN_TOPIC_PHRASES = 8
MIN_COMMAND_PHRASES = 5
MIN_ANSWER_SENTENCES, MAX_ANSWER_SENTENCES = 2, 5

# Step text is heard after "Step two of seven." and before the coach's own "Hold for thirty
# seconds." and "Switch sides.": it must not say them again, nor hold a digit or a symbol.
_STEP_TEXT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\d+"), "write numbers as words (no digits)"),
    (
        re.compile(r"\b(seconds?|minutes?|hold (it )?for)\b", re.IGNORECASE),
        "says a hold time; the coach announces it from hold_seconds",
    ),
    (
        re.compile(r"\b(switch|change|swap)(es)? sides?\b", re.IGNORECASE),
        'says "switch sides"; the coach says it for per_side steps',
    ),
    (re.compile(r"[&%/+=@#*<>|]"), "has a symbol; write it as words"),
)
_PHRASE = re.compile(r"[a-z0-9' ]+")
_SENTENCE_END = re.compile(r"[.!?](\s|$)")


def authoring_problems(library: Library) -> list[str]:
    """Every writing rule the library breaks, one line each."""
    problems: list[str] = []
    for routine in library.routines:
        problems.extend(_routine_problems(routine))
    for topic in library.topics:
        problems.extend(_topic_problems(topic))
    for command in library.commands:
        problems.extend(_command_problems(command))
    return problems


def _routine_problems(routine: Routine) -> Iterator[str]:
    where = f"routines/{routine.id}.yaml: routine '{routine.id}'"
    count = len(routine.steps)
    if not MIN_STEPS <= count <= MAX_STEPS:
        yield f"{where}: steps: has {count}; a routine has {MIN_STEPS} to {MAX_STEPS} steps"
    yield from _phrase_problems(where, routine.phrases, MIN_ROUTINE_PHRASES)
    for index, step in enumerate(routine.steps):
        for pattern, rule in _STEP_TEXT_RULES:
            found = pattern.search(step.text)
            if found:
                yield f"{where}: steps[{index}].text: '{found.group(0)}': {rule}"


def _topic_problems(topic: Topic) -> Iterator[str]:
    where = f"topics.yaml: topic '{topic.id}'"
    sentences = len(_SENTENCE_END.findall(topic.answer))
    if not MIN_ANSWER_SENTENCES <= sentences <= MAX_ANSWER_SENTENCES:
        yield (
            f"{where}: answer: has {sentences} sentence(s); an answer has "
            f"{MIN_ANSWER_SENTENCES} to {MAX_ANSWER_SENTENCES}"
        )
    yield from _phrase_problems(where, topic.phrases, MIN_TOPIC_PHRASES)


def _command_problems(command: Command) -> Iterator[str]:
    where = f"commands.yaml: command '{command.id}'"
    yield from _phrase_problems(where, command.phrases, MIN_COMMAND_PHRASES)


def _phrase_problems(where: str, phrases: tuple[str, ...], minimum: int) -> Iterator[str]:
    if len(phrases) < minimum:
        yield f"{where}: phrases: has {len(phrases)}; give {minimum} or more"
    for index, phrase in enumerate(phrases):
        if not _PHRASE.fullmatch(phrase):
            yield (
                f"{where}: phrases[{index}]: '{phrase}': write it in lower case without "
                "punctuation, as a recognizer returns it"
            )
