"""The bundled red-flag examples checked against the screen: content errors a writer fixes
(``voicecare content check``). Apart from the screen so that the screen stays about screening.
"""

from __future__ import annotations

from voicecare.safety.screen import SafetyScreen


def content_problems(screen: SafetyScreen, filename: str = "safety.yaml") -> list[str]:
    """Examples that do not fire their sign, counter-examples that fire one: content
    errors, one line each, naming file, sign and field."""
    found = []
    for sign in screen.red_flags.signs:
        entry = f"{filename}: red flag sign '{sign.id}'"
        for index, example in enumerate(sign.examples):
            finding = screen.check(example)
            if finding is None or not finding.certain:
                found.append(f"{entry}: examples[{index}]: '{example}' fires no sign")
            elif finding.sign != sign.id:
                found.append(
                    f"{entry}: examples[{index}]: '{example}' fires '{finding.sign}' instead"
                )
        for index, counter in enumerate(sign.counter_examples):
            finding = screen.check(counter)
            if finding is not None:
                found.append(
                    f"{entry}: counter_examples[{index}]: '{counter}' fires '{finding.sign}'"
                )
    return found
