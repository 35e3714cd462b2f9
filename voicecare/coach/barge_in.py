"""Barge-in: which recognized words to act on while VoiceCare may be speaking. Pure logic.

Two rules decide:

* A partial result is acted on at once when it is a short voice control ("stop", "pause",
  "next", "repeat", "skip", "back", "ouch": the table in ``commands`` marks them); the final
  result of that same utterance is then dropped unless it is a red flag (see
  ``BargeIn.on_result``).
* The echo guard drops text that is mostly words VoiceCare is saying right then (or said a
  moment ago: captured audio reaches the recognizer late). Without headphones the
  microphone hears VoiceCare itself, and it must not obey its own voice.

Words are compared one by one (rapidfuzz ratio of each heard word against the spoken
words), not with a partial ratio of the whole strings: "stop" would score 86 against any
line that contains "top", and a person's "stop" must not be lost that way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from voicecare.coach.commands import VOICE_CONTROLS
from voicecare.heard import Heard
from voicecare.matching import RED_FLAGS, Match, words

logger = logging.getLogger(__name__)

MAX_PARTIAL_WORDS = 4  # longer partials wait for the final result
ECHO_WORD_SCORE = 90.0  # a heard word this close to a spoken one is echo ("stop"/"top": 86)
ECHO_SHARE = 0.75  # text with at least this share of echoed words is VoiceCare's own
ECHO_LINGER_SECONDS = 1.5  # a line still counts as "being said" this long after it ended


@dataclass(frozen=True)
class EchoSettings:
    word_score: float = ECHO_WORD_SCORE
    share: float = ECHO_SHARE
    linger_seconds: float = ECHO_LINGER_SECONDS


class EchoGuard:
    """Remembers the line VoiceCare is playing right now (and those it played a moment ago)
    and tells whether heard text is that. Only the line actually playing counts, not the
    whole queue: a queued safety note saying "stop if it hurts" must not swallow the
    person's "stop" while the step before it is read."""

    def __init__(self, settings: EchoSettings | None = None) -> None:
        self.settings = settings or EchoSettings()
        self._playing = ""
        self._said: list[tuple[float, str]] = []  # (when it stopped playing, line)

    def playing(self, text: str, now: float) -> None:
        """``text`` is being played now ("" for silence)."""
        if text == self._playing:
            return
        if self._playing:
            self._said.append((now, self._playing))
        self._playing = text
        linger = self.settings.linger_seconds
        self._said = [(end, line) for end, line in self._said if now - end <= linger]

    def finished(self, now: float) -> None:
        """Nothing is playing any more (spoken to the end or cut off)."""
        self.playing("", now)

    def recent_lines(self, now: float) -> list[str]:
        linger = self.settings.linger_seconds
        recent = [text for end, text in self._said if now - end <= linger]
        return [self._playing, *recent] if self._playing else recent

    def is_echo(self, heard: str, now: float) -> bool:
        heard_words = words(heard, drop_fillers=False)
        lines = self.recent_lines(now)
        if not heard_words or not lines:
            return False
        spoken = {word for line in lines for word in words(line, drop_fillers=False)}
        echoed = sum(
            1
            for word in heard_words
            if process.extractOne(
                word, spoken, scorer=fuzz.ratio, score_cutoff=self.settings.word_score
            )
        )
        return echoed / len(heard_words) >= self.settings.share


@dataclass(frozen=True)
class Reaction:
    """Hand ``match`` to the coach; ``cut`` first stops the speech (a voice control)."""

    match: Match
    cut: bool

    @property
    def text(self) -> str:
        return self.match.text


class BargeIn:
    """Turns the recognizer's partial and final results into what the coach should hear."""

    def __init__(self, match: Callable[..., Match], guard: EchoGuard) -> None:
        """``match(text, alternatives=(), first_pass=None)``: what the coach understands
        (Understanding.match)."""
        self._match = match
        self.guard = guard
        self._acted_on: str | None = None  # intent already acted on in this utterance

    def on_result(self, heard: Heard, now: float, interruptible: bool = True) -> Reaction | None:
        """``interruptible``: something is being said or run that a control would cut; when
        not (idle and silent), partials are not acted on -- the final decides."""
        text = heard.text.strip()
        if heard.final:
            acted_on, self._acted_on = self._acted_on, None
            said = text or (heard.first_pass or "").strip()  # two passes: either ear
            if not said or self._echo(said, now):
                return None
            match = self._match(
                text, heard.alternatives, first_pass=heard.first_pass, confidence=heard.confidence
            )
            if not match.text.strip():
                return None  # the accurate ear heard nothing and vetoed the fast one
            if acted_on is not None and match.intent != RED_FLAGS:
                # A control was acted on from a partial: only a red flag in the final is a
                # new request. VoiceCare answers the control at once, so without headphones
                # the end of the utterance often holds the start of its own reply, turned
                # into content words: "stop achilles" matched the legs routine (70) as
                # closely as a real "there is a knot in my lower back" matches (76), so no
                # score tells them apart. Who said "back, my neck hurts" says it again.
                return None
            return Reaction(match, cut=match.intent in VOICE_CONTROLS)
        if self._acted_on is not None or not text or not interruptible:
            return None
        if len(words(text, drop_fillers=False)) > MAX_PARTIAL_WORDS:
            return None
        match = self._match(text)
        if match.intent not in VOICE_CONTROLS or self._echo(text, now):
            return None
        self._acted_on = match.intent
        return Reaction(match, cut=True)

    def _echo(self, text: str, now: float) -> bool:
        if self.guard.is_echo(text, now):
            logger.debug("ignored %r: VoiceCare is saying that", text)
            return True
        return False
