"""Reading, checking and cutting the labelled set."""

from __future__ import annotations

import pytest

from voicecare.errors import UsageError
from voicecare.evaluation.corpus import DEFAULT_SET, load_set, subset
from voicecare.matching.evaluation import Example

KNOWN = {"routine:neck", "command:stop", "safety:red-flags", "none"}


def write(tmp_path, text: str):
    path = tmp_path / "set.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_intents_and_utterances(tmp_path):
    path = write(tmp_path, "# comment\nroutine:neck\tmy neck\n\ncommand:stop|none\tstop it\n")
    examples = load_set(path, KNOWN)
    assert examples == [
        Example("my neck", ("routine:neck",)),
        Example("stop it", ("command:stop", "none")),
    ]


def test_default_is_the_projects_set(understanding):
    examples = load_set(None, {*understanding.intents, "none"})
    assert DEFAULT_SET.name == "eval_utterances.tsv"
    assert len(examples) > 300


def test_missing_file(tmp_path):
    with pytest.raises(UsageError, match=r"--set .*nothing\.tsv: no such file"):
        load_set(tmp_path / "nothing.tsv", KNOWN)


def test_malformed_line_names_file_and_line(tmp_path):
    path = write(tmp_path, "routine:neck\tmy neck\nroutine:neck my neck without a tab\n")
    with pytest.raises(UsageError, match=rf"^{path}:2: expected 'intent<TAB>utterance'"):
        load_set(path, KNOWN)


def test_unknown_intent_names_file_and_line(tmp_path):
    path = write(tmp_path, "# header\nroutine:neck\tmy neck\ncommand:stop|routine:nek\tstop\n")
    with pytest.raises(UsageError, match=rf"^{path}:3: unknown intent 'routine:nek'"):
        load_set(path, KNOWN)


def test_empty_and_binary_files(tmp_path):
    with pytest.raises(UsageError, match="no utterances"):
        load_set(write(tmp_path, "# only a comment\n"), KNOWN)
    binary = tmp_path / "set.bin"
    binary.write_bytes(b"\xff\xfe\x00routine")
    with pytest.raises(UsageError, match="not UTF-8"):
        load_set(binary, KNOWN)


def test_subset_is_fixed_spread_and_in_file_order():
    examples = [Example(f"utterance {n}", ("none",)) for n in range(200)]
    chosen = subset(examples, 20)
    assert len(chosen) == 20
    assert chosen == subset(list(examples), 20)  # the same every time
    positions = [examples.index(e) for e in chosen]
    assert positions == sorted(positions)
    assert positions != list(range(20))  # not just the head of the file
    assert set(subset(examples, 10)) <= set(chosen)  # a smaller limit is a subset
    assert subset(examples, None) == examples
    assert subset(examples, 500) == examples
