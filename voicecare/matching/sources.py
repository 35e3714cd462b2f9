"""What the matcher reads from content: phrases and keywords per intent, and word forms.

Red flags are not intents here: the safety screen (voicecare/safety) decides them first."""

from __future__ import annotations

from collections.abc import Iterable

from voicecare.content.models import Library
from voicecare.matching.intents import (
    command_intent,
    info_intent,
    routine_intent,
)
from voicecare.normalize import words

_SUFFIXES = ("s", "es", "ing", "ed", "y")


def variants(token: str) -> list[str]:
    """Other forms of the same word: with or without a plural or verb ending."""
    found = [token + suffix for suffix in _SUFFIXES]
    found += [token[: -len(suffix)] for suffix in _SUFFIXES if token.endswith(suffix)]
    return [form for form in found if len(form) >= 3]


def intent_phrases(library: Library) -> Iterable[tuple[str, tuple[str, ...]]]:
    for routine in library.routines:
        for phrase in routine.phrases:
            yield routine_intent(routine.id), words(phrase)
    for topic in library.topics:
        for phrase in topic.phrases:
            yield info_intent(topic.id), words(phrase)
    for command in library.commands:
        for phrase in command.phrases:
            yield command_intent(command.id), words(phrase)


def intent_keywords(library: Library) -> Iterable[tuple[str, tuple[str, ...]]]:
    for routine in library.routines:
        for keyword in routine.keywords:
            if kw := words(keyword, drop_fillers=False):
                yield routine_intent(routine.id), kw
    for topic in library.topics:
        for keyword in topic.keywords:
            if kw := words(keyword, drop_fillers=False):
                yield info_intent(topic.id), kw
    for command in library.commands:
        for keyword in command.keywords:
            if kw := words(keyword, drop_fillers=False):
                yield command_intent(command.id), kw


def recognition_sentences(library: Library) -> list[tuple[str, ...]]:
    """Every intent phrase and keyword as word sequences: what a person may say to the coach
    that is not a red flag (the safety screen has its own sentences)."""
    sentences = [phrase for _, phrase in intent_phrases(library)]
    sentences += [keyword for _, keyword in intent_keywords(library)]
    return sentences
