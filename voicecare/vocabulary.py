"""What a speech recognizer restricted to the content should expect: a plain data type on
the bottom floor, so the listening adapters take it without knowing content or matching
(the caller builds it: voicecare.understanding.recognition_vocabulary)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Vocabulary:
    sentences: tuple[tuple[str, ...], ...]  # normalized words of everything one may say
    emphasised: tuple[str, ...] = ()  # words that must not be missed (red-flag words)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(sorted({word for sentence in self.sentences for word in sentence}))
