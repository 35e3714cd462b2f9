"""Loading and validating content folders: every error names file, entry and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from voicecare.content import StepKind, load_library
from voicecare.errors import ContentError


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def problems(content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_library(content)
    return caught.value.problems


def test_bundled_content_loads(library):
    assert {r.id for r in library.routines} >= {"neck", "shoulders"}
    assert all(isinstance(s.kind, StepKind) for r in library.routines for s in r.steps)


def test_missing_folder_is_one_clear_line(tmp_path):
    assert problems(tmp_path / "nowhere") == [
        f"{tmp_path / 'nowhere'}: no such content folder; give a folder that holds "
        "routines/, topics.yaml, safety.yaml and commands.yaml"
    ]


def test_the_message_names_files_with_their_folder(content_copy):
    edit_yaml(content_copy / "routines/neck.yaml", lambda d: d.pop("title"))
    with pytest.raises(ContentError) as caught:
        load_library(content_copy)
    assert caught.value.problems == ["routines/neck.yaml: routine 'neck': title: is missing"]
    assert str(caught.value) == (
        f"{content_copy.resolve()}/routines/neck.yaml: routine 'neck': title: is missing"
    )


def test_unknown_field_names_file_entry_and_field(content_copy):
    edit_yaml(content_copy / "routines/neck.yaml", lambda d: d["steps"][1].update(colour="red"))
    assert problems(content_copy) == [
        "routines/neck.yaml: routine 'neck': steps[1].colour: is not a known field"
    ]


def test_missing_field(content_copy):
    edit_yaml(content_copy / "routines/neck.yaml", lambda d: d.pop("safety_note"))
    assert problems(content_copy) == ["routines/neck.yaml: routine 'neck': safety_note: is missing"]


def test_wrong_type(content_copy):
    edit_yaml(content_copy / "routines/neck.yaml", lambda d: d["steps"][0].update(per_side="yes"))
    assert problems(content_copy) == [
        "routines/neck.yaml: routine 'neck': steps[0].per_side: must be true or false"
    ]


def test_number_given_as_text_is_rejected(content_copy):
    edit_yaml(
        content_copy / "routines/neck.yaml", lambda d: d["steps"][1].update(hold_seconds="30")
    )
    assert problems(content_copy) == [
        "routines/neck.yaml: routine 'neck': steps[1].hold_seconds: must be a number"
    ]


@pytest.mark.parametrize("value", [0, -5])
def test_non_positive_hold(content_copy, value):
    edit_yaml(
        content_copy / "routines/neck.yaml", lambda d: d["steps"][1].update(hold_seconds=value)
    )
    assert problems(content_copy) == [
        "routines/neck.yaml: routine 'neck': steps[1].hold_seconds: must be greater than 0"
    ]


def test_step_without_timing(content_copy):
    def drop_timing(data):
        for key in ("hold_seconds", "reps"):
            data["steps"][2].pop(key, None)

    edit_yaml(content_copy / "routines/neck.yaml", drop_timing)
    assert problems(content_copy) == [
        "routines/neck.yaml: routine 'neck': steps[2]: a step needs hold_seconds, reps, or both"
    ]


def test_unknown_step_kind(content_copy):
    edit_yaml(content_copy / "routines/neck.yaml", lambda d: d["steps"][0].update(kind="yoga"))
    assert problems(content_copy) == [
        "routines/neck.yaml: routine 'neck': steps[0].kind: must be one of: "
        "self-massage, massage-ball, foam-roller, stretch, breathing"
    ]


def test_empty_phrase_list(content_copy):
    edit_yaml(content_copy / "topics.yaml", lambda d: d["topics"][0].update(phrases=[]))
    topic_id = yaml.safe_load((content_copy / "topics.yaml").read_text())["topics"][0]["id"]
    assert problems(content_copy) == [
        f"topics.yaml: topic '{topic_id}': phrases: must not be empty"
    ]


def test_duplicate_ids(content_copy):
    def duplicate(data):
        data["topics"].append(dict(data["topics"][0], phrases=["a question nobody asks"]))

    edit_yaml(content_copy / "topics.yaml", duplicate)
    topic_id = yaml.safe_load((content_copy / "topics.yaml").read_text())["topics"][0]["id"]
    assert problems(content_copy) == [f"topics.yaml: topic '{topic_id}': id: duplicate id"]


def test_duplicate_routine_id_across_files_names_both(content_copy):
    text = (content_copy / "routines/neck.yaml").read_text()
    (content_copy / "routines/neck-copy.yaml").write_text(text)
    assert problems(content_copy) == [
        "routines/neck-copy.yaml: routine 'neck': id: must be the file's name; rename the "
        "file to neck.yaml or change the id to 'neck-copy'",
        "routines/neck.yaml: routine 'neck': id: duplicate id (also in routines/neck-copy.yaml)",
    ]


def test_a_routine_file_is_named_after_its_id(content_copy):
    (content_copy / "routines/neck.yaml").rename(content_copy / "routines/nape.yaml")
    assert problems(content_copy) == [
        "routines/nape.yaml: routine 'neck': id: must be the file's name; rename the file to "
        "neck.yaml or change the id to 'nape'"
    ]


def test_an_empty_file_says_it_is_empty(content_copy):
    (content_copy / "routines/neck.yaml").write_text("# nothing yet\n")
    assert problems(content_copy) == [
        "routines/neck.yaml: the file is empty; it must be a mapping of fields"
    ]


def test_a_list_instead_of_fields_says_what_it_found(content_copy):
    (content_copy / "routines/neck.yaml").write_text("- id: neck\n")
    assert problems(content_copy) == [
        "routines/neck.yaml: must be a mapping of fields (name: value), found a list"
    ]


def test_text_that_is_not_utf8_names_the_line(content_copy):
    path = content_copy / "topics.yaml"
    path.write_bytes(path.read_bytes().replace(b"answer", b"\xe9answer", 1))
    line = path.read_bytes().split(b"\xe9")[0].count(b"\n") + 1
    assert problems(content_copy) == [
        f"topics.yaml: not UTF-8 text at line {line}; save the file as UTF-8"
    ]


def test_an_empty_command_phrase_list_is_one_problem(content_copy):
    edit_yaml(content_copy / "commands.yaml", lambda d: d["commands"][0].update(phrases=[]))
    assert problems(content_copy) == ["commands.yaml: command 'next': phrases: must not be empty"]


def test_a_transition_needs_two_sides(content_copy):
    edit_yaml(
        content_copy / "routines/neck.yaml",
        lambda d: d["steps"][1].update(transition_seconds=8),
    )
    assert problems(content_copy) == [
        "routines/neck.yaml: routine 'neck': steps[1]: "
        "transition_seconds applies only to a step with per_side: true"
    ]


def test_a_transition_and_a_gentler_way_are_read(content_copy):
    def per_step(data):
        data["steps"][2].update(transition_seconds=8, gentler="Press with one finger only.")

    edit_yaml(content_copy / "routines/neck.yaml", per_step)
    step = load_library(content_copy).routine("neck").steps[2]
    assert (step.switch_seconds, step.gentler) == (8, "Press with one finger only.")


def test_error_inside_a_red_flag_sign_names_the_sign(content_copy):
    def break_sign(data):
        data["red_flags"]["signs"][0]["examples"] = []

    edit_yaml(content_copy / "safety.yaml", break_sign)
    sign = yaml.safe_load((content_copy / "safety.yaml").read_text())["red_flags"]["signs"][0]
    assert problems(content_copy) == [
        f"safety.yaml: safety > sign '{sign['id']}': examples: must not be empty"
    ]


def test_a_broken_red_flag_pattern_names_sign_field_and_reason(content_copy):
    def break_pattern(data):
        data["red_flags"]["signs"][0]["patterns"][1] = "(pain|pressure in my chest"
        data["red_flags"]["signs"][1]["unless"] = ["{organs} hurt"]

    edit_yaml(content_copy / "safety.yaml", break_pattern)
    signs = yaml.safe_load((content_copy / "safety.yaml").read_text())["red_flags"]["signs"]
    found = problems(content_copy)
    assert found[0] == (
        f"safety.yaml: red flag sign '{signs[0]['id']}': patterns[1]: "
        "'(pain|pressure in my chest' has a '(' that is never closed"
    )
    assert found[1].startswith(
        f"safety.yaml: red flag sign '{signs[1]['id']}': unless[0]: '{{organs}} hurt' "
        "names an unknown list '{organs}'"
    )
    assert len(found) == 2


def test_a_sign_without_any_pattern_is_an_error(content_copy):
    def strip(data):
        sign = data["red_flags"]["signs"][0]
        sign.pop("patterns")
        sign.pop("paired", None)

    edit_yaml(content_copy / "safety.yaml", strip)
    (line,) = problems(content_copy)
    assert line.endswith("(entry): a sign needs patterns, paired patterns, or both")


def test_bad_id_format(content_copy):
    edit_yaml(content_copy / "routines/neck.yaml", lambda d: d.update(id="Neck Routine"))
    assert problems(content_copy) == [
        "routines/neck.yaml: routine 'Neck Routine': id: "
        "must use only lower-case letters, digits and dashes"
    ]


def test_broken_yaml_names_the_line(content_copy):
    (content_copy / "commands.yaml").write_text("commands:\n  - id: next\n   phrases: [a\n")
    (line,) = problems(content_copy)
    assert line.startswith("commands.yaml: not valid YAML at line 3")


def test_phrase_shared_by_two_intents(content_copy):
    neck = yaml.safe_load((content_copy / "routines/neck.yaml").read_text())
    edit_yaml(
        content_copy / "routines/shoulders.yaml",
        lambda d: d["phrases"].append(neck["phrases"][0]),
    )
    (line,) = problems(content_copy)
    assert line.startswith("routines/shoulders.yaml: routine 'shoulders': phrases[")
    assert line.endswith("already belongs to routine 'neck'")


def test_every_problem_is_reported_at_once(content_copy):
    edit_yaml(content_copy / "routines/neck.yaml", lambda d: d.pop("title"))
    edit_yaml(content_copy / "routines/legs.yaml", lambda d: d.update(steps=[]))
    found = problems(content_copy)
    assert "routines/neck.yaml: routine 'neck': title: is missing" in found
    assert "routines/legs.yaml: routine 'legs': steps: must not be empty" in found


def test_a_new_routine_needs_no_code(content_copy):
    (content_copy / "routines/jaw.yaml").write_text(
        """
id: jaw
title: Jaw release
areas: [jaw]
keywords: [jaw, jaws, clench]
phrases: [my jaw is tight from clenching, i grind my teeth at night]
safety_note: Keep it gentle.
steps:
  - text: Rest two fingers on the muscle in front of your ear and make slow circles.
    kind: self-massage
    hold_seconds: 30
"""
    )
    library = load_library(content_copy)
    assert library.routine("jaw").steps[0].hold_seconds == 30


def test_an_area_that_names_a_missing_routine_or_a_keyword(content_copy):
    def break_areas(data):
        back = data["ambiguous"][0]
        back["routines"] = ["lower-back", "middle-back"]
        back["words"] = ["back", "lower back"]
        back["answers"] = {"upper": "upper-back"}

    edit_yaml(content_copy / "areas.yaml", break_areas)
    assert sorted(problems(content_copy)) == [
        "areas.yaml: area 'back': answers.upper: 'upper-back' is not one of this area's "
        "routines (lower-back, middle-back)",
        "areas.yaml: area 'back': routines[1]: no routine 'middle-back' (routines/)",
        "areas.yaml: area 'back': words[1]: 'lower back' is also a keyword of routine "
        "'lower-back'; keep it in one place",
    ]


def test_a_suggested_routine_must_exist(content_copy):
    edit_yaml(content_copy / "routines/neck.yaml", lambda d: d.update(suggests="jaw"))
    assert problems(content_copy) == [
        "routines/neck.yaml: routine 'neck': suggests: 'jaw' is not another routine"
    ]
