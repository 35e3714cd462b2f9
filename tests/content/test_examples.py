"""content/examples.yaml: what the intent classifier learns from, validated on load."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicecare.content import load_library
from voicecare.errors import ContentError


def _problems(content: Path, text: str) -> list[str]:
    (content / "examples.yaml").write_text(text)
    with pytest.raises(ContentError) as raised:
        load_library(content)
    lines = str(raised.value).splitlines()
    return [line.removeprefix(f"{content}/") for line in lines if "examples.yaml" in line]


def test_the_bundled_examples_load(library):
    assert "routine:neck" in library.examples.intents
    assert library.examples.out_of_domain


def test_examples_are_optional(content_copy):
    (content_copy / "examples.yaml").unlink()
    library = load_library(content_copy)
    assert not library.examples.intents and not library.examples.out_of_domain


def test_an_unknown_intent_is_named(content_copy):
    [problem] = _problems(content_copy, "intents:\n  routine:nek: [my neck hurts]\n")
    assert problem == (
        "examples.yaml: intents: 'routine:nek': is not an intent of this content; write "
        "routine:ID, info:ID or command:ID of an existing routine, topic or command, "
        "or ask:where (a complaint that names no body area)"
    )


def test_one_utterance_under_two_intents_is_named(content_copy):
    [problem] = _problems(
        content_copy,
        "intents:\n  command:stop: [im done]\n  command:goodbye: [bye, Im  done]\n",
    )
    assert problem == (
        "examples.yaml: intents: 'command:goodbye': [1]: 'Im  done' is already an example "
        "of command:stop"
    )
    [problem] = _problems(content_copy, "intents:\n  command:next: [next]\nout_of_domain: [next]\n")
    assert "out_of_domain: [0]: 'next' is already an example of command:next" in problem


def test_wrong_types_name_the_field(content_copy):
    assert _problems(content_copy, "intents:\n  command:next: []\nout_of_domain: nope\n") == [
        "examples.yaml: examples: intents.command:next: must not be empty",
        "examples.yaml: examples: out_of_domain: must be a list",
    ]
    [problem] = _problems(content_copy, "intents: {}\nexamples: []\n")
    assert problem == "examples.yaml: examples: examples: is not a known field"
