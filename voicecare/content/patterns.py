"""The small pattern language of ``safety.yaml``: how a clinician writes "can't feel <body
part>" once instead of listing every sentence.

A pattern is a sequence of words, matched against the normalized words of an utterance
(lower case, no punctuation, contractions expanded: "can't" is "can not") anywhere in it:

* ``numb`` a word; ``tingl*`` a word with any ending (tingle, tingling, tingly);
* ``(weak|limp|no strength)`` one of the alternatives, each a sequence; they may nest;
* ``[my]`` optional;
* ``{limb}`` any entry of the list ``limb`` (the ``lists:`` section; entries may be several
  words, and may use ``*`` endings too);
* ``...`` up to three words of anything in between.

A pattern is parsed once into a small tree, which compiles to one regular expression over
the utterance's words (so a check costs microseconds) and also spells out example sentences
(so a speech recognizer restricted to content can hear every way a sign is said). It is
parsed at load time: a typo in a pattern is a content error naming its file, entry and
field, never a crash while someone is talking.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import cycle, islice

from voicecare.normalize import words

GAP = "..."
GAP_WORDS = 3
_TOKEN = re.compile(r"\.\.\.|[()\[\]{}|]|[^\s()\[\]{}|]+")
_LIST_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_WORD = re.compile(r"^[a-z0-9']+\*?$")
_CLOSERS = ("|", ")", "]", "}")


class PatternSyntaxError(ValueError):
    """A pattern that cannot be compiled; the message says what is wrong with it."""


# ----------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class _Word:
    text: str  # one normalized word
    any_ending: bool = False


@dataclass(frozen=True)
class _Gap:
    pass


@dataclass(frozen=True)
class _Choice:
    options: tuple[tuple[_Node, ...], ...]  # each option is a sequence
    optional: bool = False


_Node = _Word | _Gap | _Choice


@dataclass(frozen=True)
class Occurrence:
    start: int  # first word
    end: int  # one past the last word
    gap_words: tuple[str, ...]  # the words that ``...`` stood for ("not" in "arm is not weak")

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True)
class CompiledPattern:
    source: str
    regex: re.Pattern[str]
    literal_words: frozenset[str]  # every whole word the pattern names (not ``word*`` stems)
    tree: tuple[_Node, ...]

    def find(self, text: str) -> list[Occurrence]:
        """Where the pattern occurs in ``text`` (the form :func:`joined` makes), every
        starting word at most once."""
        spans = []
        position = 0
        while position < len(text):
            found = self.regex.search(text, position)
            if found is None:
                break
            start_word = text.count(" ", 0, found.start())
            end_word = text.count(" ", 0, found.end())
            if end_word > start_word:
                gaps = tuple(w for gap in found.groups() if gap for w in gap.split())
                spans.append(Occurrence(start_word, end_word, gaps))
            # Go on from the next word, so overlapping occurrences are all seen.
            position = text.find(" ", found.start()) + 1
            if position == 0:
                break
        return spans

    def sentences(self, limit: int) -> list[tuple[str, ...]]:
        """Up to ``limit`` word sequences the pattern matches, together using every
        alternative at least once when ``limit`` allows (gaps left out, endings bare)."""
        return _spell(self.tree, limit)


def joined(tokens: Sequence[str]) -> str:
    """The form patterns are matched against: every word followed by one space."""
    return "".join(token + " " for token in tokens)


def compile_pattern(source: str, lists: Mapping[str, Sequence[str]]) -> CompiledPattern:
    """Compile one pattern; raise PatternSyntaxError with a plain-words reason."""
    tokens = _TOKEN.findall(source.lower())
    if not tokens:
        raise PatternSyntaxError("is empty")
    parser = _Parser(tokens, lists)
    tree = parser.sequence(top=True)
    if parser.position != len(tokens):
        raise PatternSyntaxError(f"has an unmatched '{tokens[parser.position]}'")
    if not any(_required(node) for node in tree):
        raise PatternSyntaxError("can match without any word: make at least one part required")
    regex = re.compile(r"(?:(?<= )|^)" + _regex(tree))
    return CompiledPattern(source, regex, frozenset(_literals(tree)), tree)


def list_problems(lists: Mapping[str, Sequence[str]]) -> list[str]:
    """Problems with the named word lists themselves, as "name[index]: reason"."""
    problems = []
    for name, entries in lists.items():
        if not _LIST_NAME.match(name):
            problems.append(f"{name}: a list name uses lower-case letters, digits and dashes")
        for index, entry in enumerate(entries):
            if not all(_WORD.match(word) for word in entry.lower().split()):
                problems.append(f"{name}[{index}]: '{entry}' must be plain words")
    return problems


# ---------------------------------------------------------------------- parsing


class _Parser:
    def __init__(self, tokens: list[str], lists: Mapping[str, Sequence[str]]) -> None:
        self.tokens = tokens
        self.lists = lists
        self.position = 0

    def sequence(self, top: bool = False) -> tuple[_Node, ...]:
        nodes: list[_Node] = []
        while self.position < len(self.tokens):
            token = self.tokens[self.position]
            if token in _CLOSERS:
                if top:
                    raise PatternSyntaxError(f"has an unmatched '{token}'")
                break
            self.position += 1
            if token == "(":
                nodes.append(self._group(")", optional=False))
            elif token == "[":
                nodes.append(self._group("]", optional=True))
            elif token == "{":
                nodes.append(self._list())
            elif token == GAP:
                nodes.append(_Gap())
            else:
                nodes.extend(_words(token))
        if not nodes:
            raise PatternSyntaxError("has an empty part: '()', '[]' or '||'")
        return tuple(nodes)

    def _group(self, closing: str, optional: bool) -> _Choice:
        options = [self.sequence()]
        while self._at("|"):
            self.position += 1
            options.append(self.sequence())
        if not self._at(closing):
            opening = "(" if closing == ")" else "["
            raise PatternSyntaxError(f"has a '{opening}' that is never closed")
        self.position += 1
        return _Choice(tuple(options), optional)

    def _list(self) -> _Choice:
        if self.position + 1 >= len(self.tokens) or self.tokens[self.position + 1] != "}":
            raise PatternSyntaxError("has a '{' without a list name and '}'")
        name = self.tokens[self.position]
        self.position += 2
        if name not in self.lists:
            known = ", ".join(sorted(self.lists)) or "none"
            raise PatternSyntaxError(f"names an unknown list '{{{name}}}' (lists: {known})")
        options = [
            tuple(node for word in entry.lower().split() for node in _words(word))
            for entry in self.lists[name]
        ]
        options = [option for option in options if option]
        if not options:
            raise PatternSyntaxError(f"names the empty list '{{{name}}}'")
        return _Choice(tuple(options))

    def _at(self, token: str) -> bool:
        return self.position < len(self.tokens) and self.tokens[self.position] == token


def _words(token: str) -> list[_Word]:
    if not _WORD.match(token):
        raise PatternSyntaxError(f"has '{token}', which is not a word")
    normalized = words(token.rstrip("*"), drop_fillers=False)
    if not normalized:
        raise PatternSyntaxError(f"has '{token}', which is not a word")
    nodes = [_Word(word) for word in normalized]
    if token.endswith("*"):
        nodes[-1] = _Word(normalized[-1], any_ending=True)
    return nodes


# -------------------------------------------------------------- tree to regex/text


def _required(node: _Node) -> bool:
    if isinstance(node, _Word):
        return True
    if isinstance(node, _Gap):
        return False
    return not node.optional and all(any(_required(n) for n in o) for o in node.options)


def _regex(sequence: Sequence[_Node]) -> str:
    parts = []
    for node in sequence:
        if isinstance(node, _Word):
            parts.append(re.escape(node.text) + (r"\S* " if node.any_ending else " "))
        elif isinstance(node, _Gap):
            parts.append(rf"((?:\S+ ){{0,{GAP_WORDS}}})")  # captured: what the gap stood for
        else:
            # Longest first, so "lower back" is tried before "lower".
            options = sorted((_regex(o) for o in node.options), key=len, reverse=True)
            parts.append("(?:{}){}".format("|".join(options), "?" if node.optional else ""))
    return "".join(parts)


def _literals(sequence: Sequence[_Node]) -> set[str]:
    found: set[str] = set()
    for node in sequence:
        if isinstance(node, _Word) and not node.any_ending:
            found.add(node.text)
        elif isinstance(node, _Choice):
            for option in node.options:
                found |= _literals(option)
    return found


def _spell(sequence: Sequence[_Node], limit: int) -> list[tuple[str, ...]]:
    """Sentences that go through every option of every choice, cycling the shorter ones."""
    columns: list[list[tuple[str, ...]]] = []
    for node in sequence:
        if isinstance(node, _Word):
            columns.append([(node.text,)])
        elif isinstance(node, _Choice):
            spelled = [s for option in node.options for s in _spell(option, limit)]
            columns.append(spelled[:limit] + ([()] if node.optional else []))
    count = min(limit, max((len(c) for c in columns), default=1))
    rows = [list(islice(cycle(column), count)) for column in columns]
    return [tuple(word for row in rows for word in row[i]) for i in range(count)]
