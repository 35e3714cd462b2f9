"""Typed and piped lines; the prompt on a terminal."""

from __future__ import annotations

import io

from voicecare.shell.captions import CaptionPrinter
from voicecare.shell.text_input import END_OF_INPUT, PipedLines, Prompt, TypedLines


def test_piped_lines_come_one_by_one_then_end():
    lines = PipedLines(io.StringIO("next\r\n\nstop\n"))
    assert [lines.next_line(None) for _ in range(4)] == ["next", "", "stop", END_OF_INPUT]


def test_typed_lines_show_a_prompt_while_waiting():
    screen = io.StringIO()
    prompt = Prompt(screen)
    lines = TypedLines(io.StringIO("my neck is stiff\n"), prompt)
    assert lines.next_line(5.0) == "my neck is stiff"
    assert screen.getvalue() == "> "
    assert not prompt.showing  # Enter moved the terminal to a new line


def test_a_caption_takes_the_prompt_off_its_line_and_it_comes_back():
    screen = io.StringIO()
    prompt = Prompt(screen)
    captions = CaptionPrinter(screen, before=prompt.clear)
    prompt.show()
    captions.show("Halfway.")
    prompt.show()
    assert screen.getvalue() == "> \r\033[KHalfway.\n> "


def test_closing_leaves_the_terminal_on_a_fresh_line():
    screen = io.StringIO()
    prompt = Prompt(screen)
    prompt.show()
    prompt.close()
    prompt.close()
    assert screen.getvalue() == "> \n"
