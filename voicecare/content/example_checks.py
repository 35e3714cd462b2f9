"""Checks of examples.yaml against the rest of the content: every intent it names exists,
and no utterance is an example of two intents (or of one and of out-of-domain speech)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from voicecare.content.models import Examples

WHERE = "ask:where"  # the intent voicecare.matching.intents names so (content is below it)


def example_problems(
    filename: str, examples: Examples, ids: Mapping[str, Iterable[str]]
) -> Iterator[str]:
    """``ids``: the ids written in the content, by intent family ("routine": {"neck"...})."""
    known = {f"{family}:{i}" for family, written in ids.items() for i in written}
    known.add(WHERE)
    # A file that could not be read has its own problem; its intents are not unknown.
    unread = {family for family, written in ids.items() if not written}
    owners: dict[str, str] = {}
    for intent, said in examples.intents.items():
        if intent not in known and intent.split(":", 1)[0] not in unread:
            yield (
                f"{filename}: intents: '{intent}': is not an intent of this content; write "
                f"routine:ID, info:ID or command:ID of an existing routine, topic or command, "
                f"or {WHERE} (a complaint that names no body area)"
            )
            continue
        yield from _shared(filename, f"intents: '{intent}'", intent, said, owners)
    yield from _shared(filename, "out_of_domain", "out_of_domain", examples.out_of_domain, owners)


def _shared(
    filename: str, entry: str, owner: str, said: Sequence[str], owners: dict[str, str]
) -> Iterator[str]:
    for index, text in enumerate(said):
        first = owners.setdefault(" ".join(text.lower().split()), owner)
        if first != owner:
            yield f"{filename}: {entry}: [{index}]: '{text}' is already an example of {first}"
