"""The command line's output formats and exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from voicecare.cli import main

ROUTINE_IDS = {
    "neck",
    "shoulders",
    "upper-back",
    "lower-back",
    "hips-glutes",
    "legs",
    "arms-wrists",
    "desk-break",
}
TOPIC_IDS = {
    "causes",
    "what-is-a-knot",
    "prevention",
    "posture",
    "hydration",
    "professional-massage",
    "foam-roller",
    "self-massage",
    "stretching-safety",
    "physical-therapy",
    "acupuncture",
    "dry-needling",
    "heat-or-cold",
    "strengthening",
}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_routines_json(capsys):
    code, out, _ = run(capsys, "routines", "--json")
    routines = json.loads(out)
    assert code == 0
    assert {r["id"] for r in routines} >= ROUTINE_IDS
    for routine in routines:
        assert routine["title"] and routine["areas"]
        assert 4 <= len(routine["steps"]) <= 8
        assert routine["phrases"] and routine["keywords"] and "wrap_up" in routine
        for step in routine["steps"]:
            assert set(step) >= {"text", "hold_seconds", "reps", "rep_seconds", "per_side"}
            assert (step["rep_seconds"] is None) == (step["reps"] is None)
            assert step["hold_seconds"] is None or step["hold_seconds"] > 0
            assert step["reps"] is None or isinstance(step["reps"], int)
            assert isinstance(step["per_side"], bool)


def test_routines_text(capsys):
    code, out, _ = run(capsys, "routines")
    assert code == 0
    assert out.splitlines()[0].split()[0] in ROUTINE_IDS
    assert len(out.splitlines()) >= 8


def test_topics_json(capsys):
    code, out, _ = run(capsys, "topics", "--json")
    topics = json.loads(out)
    assert code == 0
    assert {t["id"] for t in topics} >= TOPIC_IDS
    assert all(t["answer"] for t in topics)


def test_show_speaks_every_step_with_timings(capsys, library):
    code, out, _ = run(capsys, "show", "neck")
    neck = library.routine("neck")
    assert code == 0
    for step in neck.steps:
        assert step.text in out
    lines = out.splitlines()
    assert lines[0].startswith("Neck release (7 steps, about ")
    last_minutes, last_seconds = lines[-1].split()[0].split(":")
    # The header's duration is where the timeline ends.
    assert lines[0].endswith(f"about {int(last_minutes)} min {last_seconds} s)")


def test_routines_and_json_give_the_duration_show_gives(capsys):
    _, show, _ = run(capsys, "show", "neck")
    _, listing, _ = run(capsys, "routines")
    _, as_json, _ = run(capsys, "routines", "--json")
    header_duration = show.splitlines()[0].split("about ")[1].rstrip(")")
    (neck_line,) = [line for line in listing.splitlines() if line.startswith("neck ")]
    assert neck_line.endswith(f"about {header_duration})")
    neck = next(r for r in json.loads(as_json) if r["id"] == "neck")
    last_minutes, last_seconds = show.splitlines()[-1].split()[0].split(":")
    assert round(neck["total_seconds"]) == int(last_minutes) * 60 + int(last_seconds)


@pytest.mark.parametrize("name", ["NECK", "neck release", "Neck Release", "upper back"])
def test_show_finds_a_routine_by_id_or_title_in_any_case(capsys, name):
    code, out, _ = run(capsys, "show", name)
    assert code == 0
    assert out.splitlines()[0].split(" (")[0] in ("Neck release", "Upper back release")


def test_the_second_side_waits_for_the_person_to_change_sides(capsys):
    _, out, _ = run(capsys, "show", "neck")
    lines = [(line[:5].strip(), line[7:]) for line in out.splitlines()[1:]]
    switch = next(i for i, (_, text) in enumerate(lines) if text.startswith("Switch sides."))
    release_at, hold_at = lines[switch - 1][0], lines[switch + 1][0]
    assert lines[switch - 1][1] == "And release."
    assert lines[switch + 1][1] == "Hold for thirty seconds."

    def seconds(stamp: str) -> int:
        minutes, secs = stamp.split(":")
        return int(minutes) * 60 + int(secs)

    assert seconds(hold_at) - seconds(release_at) >= 5


def test_show_unknown_routine_is_one_line_and_status_2(capsys):
    code, out, err = run(capsys, "show", "elbows")
    assert code == 2
    assert out == ""
    assert err.startswith("voicecare: no routine called 'elbows' (known: ")
    assert len(err.splitlines()) == 1


def test_content_check_ok(capsys):
    code, out, _ = run(capsys, "content", "check")
    assert code == 0
    assert out.startswith("content OK: ")


def test_content_check_broken_folder(capsys, content_copy):
    neck = content_copy / "routines" / "neck.yaml"
    neck.write_text(neck.read_text().replace("hold_seconds: 40", "hold_seconds: -1"))
    code, out, err = run(capsys, "content", "check", str(content_copy))
    assert code == 2
    assert out == ""
    assert err == (
        f"voicecare: {content_copy}/routines/neck.yaml: routine 'neck': steps[1].hold_seconds: "
        "must be greater than 0\n"
    )


def test_content_check_applies_the_writing_rules(capsys, content_copy):
    neck = content_copy / "routines" / "neck.yaml"
    neck.write_text(neck.read_text().replace("Keep breathing slowly.", "Hold for 30 seconds."))
    code, out, err = run(capsys, "content", "check", str(content_copy))
    assert code == 2
    assert out == ""
    assert f"voicecare: {content_copy}/routines/neck.yaml: routine 'neck': steps[2].text: " in err


def test_content_check_of_a_missing_folder_does_not_ask_for_one(capsys, tmp_path):
    code, _, err = run(capsys, "content", "check", str(tmp_path / "nowhere"))
    assert code == 2
    assert err.startswith(f"voicecare: {tmp_path / 'nowhere'}: no such content folder; ")
    assert "--content" not in err


def test_content_option_before_or_after_the_command(capsys, content_copy):
    (content_copy / "topics.yaml").unlink()
    for argv in (
        ["--content", str(content_copy), "topics"],
        ["topics", "--content", str(content_copy)],
    ):
        code, _, err = run(capsys, *argv)
        assert code == 2
        assert err == f"voicecare: {content_copy}/topics.yaml: file is missing\n"


def test_match_json(capsys):
    code, out, _ = run(capsys, "match", "--json", "my traps are killing me", "play some music")
    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 0
    assert first["intent"] == "routine:shoulders"
    assert 0 <= first["score"] <= 100
    assert first["text"] == "my traps are killing me"
    assert isinstance(first["alternatives"], list)
    assert second["intent"] == "none"


def test_match_reads_stdin(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("i fell and my back really hurts\n\nnext\n"))
    code, out, _ = run(capsys, "match")
    lines = out.splitlines()
    assert code == 0
    # One answer per line, the empty one included, so that answers line up with questions.
    assert [line.split()[0] for line in lines] == ["safety:red-flags", "none", "command:next"]


def test_vocab_is_one_word_per_line(capsys):
    code, out, _ = run(capsys, "vocab")
    words = out.split("\n")
    assert code == 0
    assert "shoulder" in words and "neck" in words
    assert all(w and " " not in w for w in words if w)


def test_chat_script_from_the_issue(tmp_path, library):
    """The real entry point, piped input: the neck routine's steps in the order asked."""
    script = "my neck is stiff\nnext\nrepeat\nback\nstop\nstop\n"
    result = subprocess.run(
        [sys.executable, "-m", "voicecare", "chat", "--mute", "--hold-scale", "0"],
        input=script,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    steps = [s.text for s in library.routine("neck").steps]
    spoken_steps = [line for line in result.stdout.splitlines() if line in steps]
    assert spoken_steps == [steps[0], steps[1], steps[1], steps[0]]
    assert result.stdout.splitlines()[-1] == "Goodbye. Take care of yourself."


def test_chat_input_ending_lets_the_routine_finish(capsys, monkeypatch, library):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("do the desk break routine\n"))
    code, out, _ = run(capsys, "chat", "--mute", "--hold-scale", "0")
    desk = library.routine("desk-break")
    assert code == 0
    assert all(step.text in out for step in desk.steps)
    assert out.splitlines()[-1].startswith("That is the end of")


@pytest.mark.parametrize("rate", ["0", "-50", "5000", "89", "261"])
def test_a_speech_rate_outside_the_coach_range_is_a_usage_error(capsys, rate):
    code, out, err = run(capsys, "chat", "--mute", "--rate", rate)
    assert code == 2
    assert out == ""
    assert err == (
        f"voicecare: --rate {rate}: give a speech rate from 90 to 260 words per minute "
        "(the default is 165)\n"
    )


def test_a_speech_rate_in_range_reaches_the_speech_settings():
    from voicecare.cli.parser import build_parser
    from voicecare.cli.settings_builder import build_settings

    args = build_parser().parse_args(["chat", "--rate", "120"])
    assert build_settings(args).speech.rate == 120


def test_negative_hold_scale_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["chat", "--hold-scale", "-1"])
    assert caught.value.code == 2


def test_content_check_runs_the_red_flag_examples_and_the_commands(capsys, content_copy):
    safety = content_copy / "safety.yaml"
    safety.write_text(safety.read_text().replace("- I passed out\n", "- I had a lovely walk\n", 1))
    code, _, err = run(capsys, "content", "check", str(content_copy))
    assert code == 2
    assert "red flag sign 'fainting': examples[0]: 'I had a lovely walk' fires no sign" in err
