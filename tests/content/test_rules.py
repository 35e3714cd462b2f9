"""The writing rules ``content check`` adds to loading: counts and step text heard aloud."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from voicecare.content import load_library
from voicecare.content.rules import authoring_problems


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def rule_problems(content: Path) -> list[str]:
    return authoring_problems(load_library(content))


def test_the_bundled_content_follows_every_rule(library):
    assert authoring_problems(library) == []


@pytest.mark.parametrize("count", [1, 3, 9])
def test_a_routine_has_four_to_eight_steps(content_copy, count):
    def resize(data):
        steps = data["steps"]
        data["steps"] = (steps * 2)[:count]

    edit_yaml(content_copy / "routines/neck.yaml", resize)
    assert rule_problems(content_copy) == [
        f"routines/neck.yaml: routine 'neck': steps: has {count}; a routine has 4 to 8 steps"
    ]


@pytest.mark.parametrize("count", [4, 8])
def test_four_and_eight_steps_are_fine(content_copy, count):
    edit_yaml(
        content_copy / "routines/neck.yaml", lambda d: d.update(steps=(d["steps"] * 2)[:count])
    )
    assert rule_problems(content_copy) == []


def test_a_routine_needs_ten_phrases(content_copy):
    edit_yaml(content_copy / "routines/neck.yaml", lambda d: d.update(phrases=d["phrases"][:2]))
    assert rule_problems(content_copy) == [
        "routines/neck.yaml: routine 'neck': phrases: has 2; give 10 or more"
    ]


def test_a_topic_needs_eight_phrases_and_two_to_five_sentences(content_copy):
    def shorten(data):
        data["topics"][0].update(phrases=data["topics"][0]["phrases"][:7], answer="Drink water.")

    edit_yaml(content_copy / "topics.yaml", shorten)
    topic = yaml.safe_load((content_copy / "topics.yaml").read_text())["topics"][0]["id"]
    assert rule_problems(content_copy) == [
        f"topics.yaml: topic '{topic}': answer: has 1 sentence(s); an answer has 2 to 5",
        f"topics.yaml: topic '{topic}': phrases: has 7; give 8 or more",
    ]


def test_a_command_needs_five_phrases(content_copy):
    edit_yaml(
        content_copy / "commands.yaml",
        lambda d: d["commands"][0].update(phrases=["next", "next one"]),
    )
    assert rule_problems(content_copy) == [
        "commands.yaml: command 'next': phrases: has 2; give 5 or more"
    ]


def test_phrases_are_written_as_a_recognizer_returns_them(content_copy):
    edit_yaml(
        content_copy / "routines/neck.yaml",
        lambda d: d["phrases"].append("My neck is stiff!"),
    )
    (line,) = rule_problems(content_copy)
    assert line.startswith("routines/neck.yaml: routine 'neck': phrases[20]: 'My neck is stiff!'")


@pytest.mark.parametrize(
    ("text", "found", "rule"),
    [
        ("Press 2 fingers on the muscle.", "2", "write numbers as words (no digits)"),
        ("Press on the muscle for thirty seconds.", "seconds", "says a hold time"),
        ("Hold for a while, then relax.", "Hold for", "says a hold time"),
        ("Press on the muscle, then switch sides.", "switch sides", 'says "switch sides"'),
        ("Press & breathe.", "&", "has a symbol"),
    ],
)
def test_step_text_is_written_to_be_heard(content_copy, text, found, rule):
    edit_yaml(content_copy / "routines/neck.yaml", lambda d: d["steps"][1].update(text=text))
    (line,) = rule_problems(content_copy)
    assert line.startswith(f"routines/neck.yaml: routine 'neck': steps[1].text: '{found}': {rule}")


def test_a_routine_breaking_only_these_rules_still_loads(content_copy):
    edit_yaml(content_copy / "routines/neck.yaml", lambda d: d.update(steps=d["steps"][:1]))
    assert len(load_library(content_copy).routine("neck").steps) == 1
