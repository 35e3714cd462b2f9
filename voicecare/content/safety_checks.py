"""Load-time checks of the red-flag patterns in ``safety.yaml``: every pattern compiles and
every list it names exists, reported as one line per problem naming file, sign and field.

(Whether the examples fire their sign is checked by the safety screen itself, which
``voicecare content check`` runs: that needs the screen's negation and guards.)
"""

from __future__ import annotations

from collections.abc import Iterator

from voicecare.content.models import RedFlags
from voicecare.content.patterns import PatternSyntaxError, compile_pattern, list_problems


def pattern_problems(filename: str, red_flags: RedFlags) -> Iterator[str]:
    for problem in list_problems(red_flags.lists):
        yield f"{filename}: red flags: lists.{problem}"
    fields = {
        name: getattr(red_flags, name)
        for name in ("asking", "still_now", "resolved", "not_serious")
    }
    fields["someone_else.people"] = red_flags.someone_else.people
    fields["someone_else.not_now"] = red_flags.someone_else.not_now
    for field, sources in fields.items():
        for index, source in enumerate(sources):
            try:
                compile_pattern(source, red_flags.lists)
            except PatternSyntaxError as exc:
                yield f"{filename}: red flags: {field}[{index}]: '{source}' {exc}"
    for sign in red_flags.signs:
        entry = f"{filename}: red flag sign '{sign.id}'"
        fields: list[tuple[str, tuple[str, ...]]] = [
            ("patterns", sign.patterns),
            ("unless", sign.unless),
        ]
        for index, pair in enumerate(sign.paired):
            fields.append((f"paired[{index}].patterns", pair.patterns))
            fields.append((f"paired[{index}].with", pair.with_))
        for field, patterns in fields:
            for index, source in enumerate(patterns):
                try:
                    compile_pattern(source, red_flags.lists)
                except PatternSyntaxError as exc:
                    yield f"{entry}: {field}[{index}]: '{source}' {exc}"
