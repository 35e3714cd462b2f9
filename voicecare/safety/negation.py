"""Is a red flag's wording negated? "no numbness", "my arm is not weak", but not "I can not
walk straight, everything is spinning" nor "I can not stand up without the room spinning".

The negation rules of the safety screen, apart from its matching so that each stays small:
the words (negators, breakers, modals, verbs of noticing) are content
(``red_flags.negation`` in content/safety.yaml); this module only applies them to the
tokens of an utterance and the occurrence of a pattern in them. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence

from voicecare.content.models import Negation as NegationWords
from voicecare.content.patterns import CompiledPattern, Occurrence, joined
from voicecare.normalize import words


class Negation:
    """``negated(tokens, found)``: is the pattern occurrence ``found`` negated?"""

    def __init__(self, content: NegationWords) -> None:
        self.negators = frozenset(w for text in content.words for w in words(text))
        self._breakers = frozenset(
            w for text in content.breakers for w in words(text, drop_fillers=False)
        )
        self._window = content.window
        self._modals = frozenset(w for text in content.modals for w in words(text))
        self._noticing = frozenset(w for text in content.noticing for w in words(text))
        self._continuing = frozenset(w for text in content.continuing for w in words(text))

    def just_before(self, tokens: Sequence[str], start: int) -> bool:
        """A negating word in the two words before ``start`` ("not joking", "not gone")."""
        return bool(self.negators & set(tokens[max(0, start - 2) : start]))

    def negated(self, tokens: Sequence[str], found: Occurrence) -> bool:
        """A negating word shortly before the words that fired ("no numbness", "do not have
        any tingling"), or in a gap between them ("my arm is not weak"). Words that fired
        and are negative themselves ("can not stand the pain", "without swaying") are not
        negated by the can'ts listed before them ("can not sleep, can not sit, ...")."""
        first = tokens[found.start : found.start + 2]
        modal_not = len(first) == 2 and first[0] in self._modals and first[1] == "not"
        if first and (first[0] in self.negators or modal_not):
            return self._gap_negated(found.gap_words)
        for index in range(found.start - 1, max(-1, found.start - 1 - self._window), -1):
            token = tokens[index]
            if token in self._breakers:
                break
            if token in self.negators:
                if self._cannot_do_something_else(tokens, index, found):
                    continue
                if index + 1 < found.start and tokens[index + 1] in self._continuing:
                    continue  # "will not stop spinning": it goes on
                return not self._cannot_without(tokens, index)
        return self._gap_negated(found.gap_words)

    def anywhere(self, tokens: Sequence[str], patterns: Sequence[CompiledPattern]) -> bool:
        """One of ``patterns`` is in the words but negated ("no tingling in my hands")."""
        text = joined(tokens)
        return any(self.negated(tokens, found) for p in patterns for found in p.find(text))

    def _gap_negated(self, gap: Sequence[str]) -> bool:
        """A negator in a gap between the words that fired ("my arm is not weak"), but not
        one that says it goes on ("the room will not stop spinning")."""
        return any(
            word in self.negators and (i + 1 == len(gap) or gap[i + 1] not in self._continuing)
            for i, word in enumerate(gap)
        )

    def _cannot_do_something_else(
        self, tokens: Sequence[str], index: int, found: Occurrence
    ) -> bool:
        """ "I can not walk straight, everything is spinning": a "can not" followed by a
        verb outside the words that fired negates that verb, not them; but for verbs of
        noticing ("I can not feel any numbness")."""
        after = index + 1
        return (
            index > 0
            and tokens[index] == "not"
            and tokens[index - 1] in self._modals
            and after < found.start
            and tokens[after] not in self._noticing
        )

    def _cannot_without(self, tokens: Sequence[str], index: int) -> bool:
        """ "I can not stand up without the room spinning": "without" after a "not" says
        the thing happens."""
        before = tokens[max(0, index - self._window - 1) : index]
        return tokens[index] == "without" and "not" in before


_TURNS = frozenset(["but", "though", "although", "however", "yet", "except"])


def last_clause(tokens: Sequence[str], end: int) -> Sequence[str]:
    """The words from the last "but" before ``end`` on: what the likeness model judges when
    it doubts a pattern's red flag ("the knot is easing, but I am dizzy now" is judged on
    "I am dizzy now", not on the everyday words before it)."""
    turns = [i for i, token in enumerate(tokens[:end]) if token in _TURNS]
    return tokens[turns[-1] + 1 :] if turns else tokens
