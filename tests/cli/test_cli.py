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
        for step in routine["steps"]:
            assert set(step) >= {"text", "hold_seconds", "reps", "per_side"}
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
    assert lines[0].startswith("Neck release (")
    last_minutes, last_seconds = lines[-1].split()[0].split(":")
    assert int(last_minutes) * 60 + int(last_seconds) > neck.total_seconds


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
        "voicecare: routines/neck.yaml: routine 'neck': steps[1].hold_seconds: "
        "must be greater than 0\n"
    )


def test_content_option_before_or_after_the_command(capsys, content_copy):
    (content_copy / "topics.yaml").unlink()
    for argv in (
        ["--content", str(content_copy), "topics"],
        ["topics", "--content", str(content_copy)],
    ):
        code, _, err = run(capsys, *argv)
        assert code == 2
        assert err == "voicecare: topics.yaml: file is missing\n"


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
    assert [line.split()[0] for line in lines] == ["safety:red-flags", "command:next"]


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


def test_negative_hold_scale_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["chat", "--hold-scale", "-1"])
    assert caught.value.code == 2
