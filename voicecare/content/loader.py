"""Load a content folder into a validated :class:`Library`.

Every problem found is collected (not just the first) and reported as one line naming the
file, the entry and the field, e.g.::

    routines/neck.yaml: routine 'neck': steps[2].hold_seconds: must be greater than 0
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from voicecare.content.area_checks import area_problems, suggestion_problems
from voicecare.content.example_checks import example_problems
from voicecare.content.models import (
    Areas,
    Command,
    Examples,
    Library,
    Routine,
    Safety,
    SafetyPhrasings,
    Topic,
)
from voicecare.content.safety_checks import pattern_problems
from voicecare.errors import ContentError

logger = logging.getLogger(__name__)

ROUTINES_DIR = "routines"
TOPICS_FILE = "topics.yaml"
SAFETY_FILE = "safety.yaml"
COMMANDS_FILE = "commands.yaml"
AREAS_FILE = "areas.yaml"
EXAMPLES_FILE = "examples.yaml"
SAFETY_PHRASINGS_FILE = "safety_phrasings.yaml"

_Model = TypeVar("_Model", bound=BaseModel)

# Union branches appear in pydantic locations as type names; they are not fields.
_UNION_TAGS = {"int", "float", "str", "bool", "list", "dict", "none", "tuple"}

_KINDS_OF_VALUE = {"list": "a list", "str": "text", "int": "a number", "float": "a number"}

_FRIENDLY = {
    "missing": "is missing",
    "extra_forbidden": "is not a known field",
    "int_type": "must be a number",
    "float_type": "must be a number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of fields",
    "model_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
    "string_too_short": "must not be empty",
    "string_pattern_mismatch": "must use only lower-case letters, digits and dashes",
}


def default_content_dir() -> Path:
    """The content folder that ships with VoiceCare (next to the package)."""
    return Path(__file__).resolve().parents[2] / "content"


def load_library(content_dir: Path | None = None) -> Library:
    """Read and validate every content file in ``content_dir``; raise ContentError if any
    problem is found."""
    root = Path(content_dir) if content_dir is not None else default_content_dir()
    if not root.is_dir():
        raise ContentError(
            [
                f"{root}: no such content folder; give a folder that holds routines/, "
                f"{TOPICS_FILE}, {SAFETY_FILE} and {COMMANDS_FILE}"
            ]
        )
    problems: list[str] = []

    routines = []
    routine_files_by_id: dict[str, list[str]] = {}
    routine_files = sorted((root / ROUTINES_DIR).glob("*.yaml"))
    if not routine_files:
        problems.append(f"{ROUTINES_DIR}/: no routine files (*.yaml) found")
    for path in routine_files:
        data = _read_yaml(path, root, problems)
        if data is None:
            continue
        name = f"routine '{data.get('id', path.stem)}'" if isinstance(data, dict) else "routine"
        shown = _display(path, root)
        routine = _validate(Routine, data, shown, name, problems)
        if routine is not None:
            routines.append(routine)
            routine_files_by_id.setdefault(routine.id, []).append(shown)
            if routine.id != path.stem:
                problems.append(
                    f"{shown}: {name}: id: must be the file's name; rename the file to "
                    f"{routine.id}.yaml or change the id to '{path.stem}'"
                )

    topics, topic_ids = _load_list(root, TOPICS_FILE, "topics", "topic", Topic, problems)
    commands, command_ids = _load_list(
        root, COMMANDS_FILE, "commands", "command", Command, problems
    )

    areas = Areas()
    if (root / AREAS_FILE).exists():
        areas_data = _read_yaml(root / AREAS_FILE, root, problems)
        if areas_data is not None:
            areas = _validate(Areas, areas_data, AREAS_FILE, "areas", problems) or areas
    if routines:  # without any, the missing routines are the one problem to report
        problems.extend(area_problems(AREAS_FILE, areas, routines))
        problems.extend(suggestion_problems(routines, ROUTINES_DIR))

    safety = None
    safety_data = _read_yaml(root / SAFETY_FILE, root, problems)
    if safety_data is not None:
        safety = _validate(Safety, safety_data, SAFETY_FILE, "safety", problems)

    phrasings = SafetyPhrasings()
    if (root / SAFETY_PHRASINGS_FILE).exists():
        data = _read_yaml(root / SAFETY_PHRASINGS_FILE, root, problems)
        if data is not None:
            found = _validate(
                SafetyPhrasings, data, SAFETY_PHRASINGS_FILE, "safety phrasings", problems
            )
            phrasings = found or phrasings
    if safety is not None:
        known = {sign.id for sign in safety.red_flags.signs}
        problems.extend(
            f"{SAFETY_PHRASINGS_FILE}: red_flags: {sign}: no such sign in {SAFETY_FILE} "
            f"(known: {', '.join(sorted(known))})"
            for sign in phrasings.red_flags
            if sign not in known
        )

    examples = Examples()
    if (root / EXAMPLES_FILE).exists():
        examples_data = _read_yaml(root / EXAMPLES_FILE, root, problems)
        if examples_data is not None:
            found = _validate(Examples, examples_data, EXAMPLES_FILE, "examples", problems)
            examples = found or examples
    written = {"routine": {p.stem for p in routine_files} | {r.id for r in routines}}
    written["info"] = topic_ids
    written["command"] = command_ids  # ids written, valid or not: each has its own problem
    problems.extend(example_problems(EXAMPLES_FILE, examples, written))

    problems.extend(_duplicate_routine_files(routine_files_by_id))
    problems.extend(_duplicate_ids(TOPICS_FILE, "topic", topics))
    problems.extend(_duplicate_ids(COMMANDS_FILE, "command", commands))
    if safety is not None:
        problems.extend(_duplicate_ids(SAFETY_FILE, "red flag sign", safety.red_flags.signs))
        problems.extend(pattern_problems(SAFETY_FILE, safety.red_flags))
    problems.extend(_shared_phrase_problems(routines, topics, commands, safety))
    problems.extend(_shared_keyword_problems(routines, topics, commands))

    if problems:
        raise ContentError(problems, root)
    assert safety is not None
    library = Library(
        routines=tuple(routines),
        topics=tuple(topics),
        safety=safety,
        commands=tuple(commands),
        areas=areas,
        safety_phrasings=phrasings,
        examples=examples,
    )
    logger.debug(
        "loaded %d routines, %d topics, %d commands from %s",
        len(routines),
        len(topics),
        len(commands),
        root,
    )
    return library


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _read_yaml(path: Path, root: Path, problems: list[str]) -> Any:
    shown = _display(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(f"{shown}: file is missing")
        return None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        problems.append(f"{shown}: not UTF-8 text at line {line}; save the file as UTF-8")
        return None
    except OSError as exc:
        problems.append(f"{shown}: cannot be read ({exc.strerror or exc})")
        return None
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(f"{shown}: not valid YAML{where}: {reason}")
        return None
    if data is None:
        problems.append(f"{shown}: the file is empty; it must be a mapping of fields")
        return None
    if not isinstance(data, dict):
        found = _KINDS_OF_VALUE.get(type(data).__name__, type(data).__name__)
        problems.append(f"{shown}: must be a mapping of fields (name: value), found {found}")
        return None
    return data


def _load_list(
    root: Path,
    filename: str,
    key: str,
    kind: str,
    model: type[_Model],
    problems: list[str],
) -> tuple[list[_Model], set[str]]:
    """The entries that are valid, and the ids written in the file (valid or not)."""
    data = _read_yaml(root / filename, root, problems)
    if data is None:
        return [], set()
    unknown = sorted(set(data) - {key})
    for field in unknown:
        problems.append(f"{filename}: {field}: is not a known field")
    items = data.get(key)
    if not isinstance(items, list) or not items:
        problems.append(f"{filename}: {key}: must be a non-empty list of {kind} entries")
        return [], set()
    loaded = []
    ids = {str(item["id"]) for item in items if isinstance(item, dict) and "id" in item}
    for index, item in enumerate(items):
        name = f"{kind} '{item['id']}'" if isinstance(item, dict) and "id" in item else None
        entry = name or f"{kind} #{index + 1}"
        result = _validate(model, item, filename, entry, problems)
        if result is not None:
            loaded.append(result)
    return loaded, ids


def _validate(
    model: type[_Model], data: Any, filename: str, entry: str, problems: list[str]
) -> _Model | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(_describe(exc, data, filename, entry))
        return None


def _describe(exc: ValidationError, data: Any, filename: str, entry: str) -> Iterator[str]:
    errors = exc.errors(include_url=False)
    seen: set[tuple[str, str, str]] = set()
    failed_paths = [tuple(e["loc"]) for e in errors if e["type"] != "too_short"]
    for error in errors:
        loc = tuple(part for part in error["loc"] if part not in _UNION_TAGS)
        # A list whose items all failed also reports itself as too short: noise.
        if error["type"] == "too_short" and any(
            p[: len(loc)] == loc and len(p) > len(loc) for p in failed_paths
        ):
            continue
        item_entry, field = _entry_and_field(loc, data, entry)
        message = _message(error)
        key = (item_entry, field, message)
        if key in seen:
            continue
        seen.add(key)
        yield f"{filename}: {item_entry}: {field or '(entry)'}: {message}"


def _entry_and_field(loc: tuple[Any, ...], data: Any, entry: str) -> tuple[str, str]:
    """Name the innermost entry that has an id (e.g. a red flag sign) and the field path
    below it."""
    node = data
    field_parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            field_parts[-1:] = [f"{field_parts[-1]}[{part}]" if field_parts else f"[{part}]"]
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and "id" in node and field_parts:
                container = field_parts[-1].split("[")[0]
                entry = f"{entry} > {container.rstrip('s')} '{node['id']}'"
                field_parts = []
        else:
            field_parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return entry, ".".join(field_parts)


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "greater_than":
        return f"must be greater than {error['ctx']['gt']}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "enum":
        expected = str(error["ctx"]["expected"]).replace("'", "").replace(" or ", ", ")
        return f"must be one of: {expected}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return _FRIENDLY.get(kind, str(error["msg"]))


def _duplicate_ids(filename: str, kind: str, entries: Iterable[Any]) -> Iterator[str]:
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            yield f"{filename}: {kind} '{entry.id}': id: duplicate id"
        seen.add(entry.id)


def _duplicate_routine_files(files_by_id: dict[str, list[str]]) -> Iterator[str]:
    for routine_id, files in files_by_id.items():
        for shown in files[1:]:
            yield f"{shown}: routine '{routine_id}': id: duplicate id (also in {files[0]})"


def _normalized(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _shared_phrase_problems(
    routines: list[Routine],
    topics: list[Topic],
    commands: list[Command],
    safety: Safety | None,
) -> Iterator[str]:
    """The same phrase under two intents makes matching ambiguous by construction."""
    owners: dict[str, str] = {}
    sources: list[tuple[str, str, tuple[str, ...]]] = []
    sources += [(f"{ROUTINES_DIR}/{r.id}.yaml", f"routine '{r.id}'", r.phrases) for r in routines]
    sources += [(TOPICS_FILE, f"topic '{t.id}'", t.phrases) for t in topics]
    sources += [(COMMANDS_FILE, f"command '{c.id}'", c.phrases) for c in commands]
    for filename, entry, phrases in sources:
        for index, phrase in enumerate(phrases):
            key = _normalized(phrase)
            owner = owners.setdefault(key, entry)
            if owner != entry:
                yield (
                    f"{filename}: {entry}: phrases[{index}]: '{phrase}' already belongs to {owner}"
                )


def _shared_keyword_problems(
    routines: list[Routine], topics: list[Topic], commands: list[Command]
) -> Iterator[str]:
    owners: dict[str, str] = {}
    sources: list[tuple[str, str, tuple[str, ...]]] = []
    sources += [(f"{ROUTINES_DIR}/{r.id}.yaml", f"routine '{r.id}'", r.keywords) for r in routines]
    sources += [(TOPICS_FILE, f"topic '{t.id}'", t.keywords) for t in topics]
    sources += [(COMMANDS_FILE, f"command '{c.id}'", c.keywords) for c in commands]
    for filename, entry, keywords in sources:
        for index, keyword in enumerate(keywords):
            owner = owners.setdefault(_normalized(keyword), entry)
            if owner != entry:
                yield (
                    f"{filename}: {entry}: keywords[{index}]: '{keyword}' already belongs to "
                    f"{owner}"
                )
