"""The layers, read from the code's own imports: nothing imports upwards, and no adapter
imports another.

    cli -> shell, evaluation -> adapters (listening, speaking, echo, history, screen) -> bottom
                             -> coach -> understanding -> safety, matching -> content -> bottom

Every import counts, also one inside a function or under TYPE_CHECKING. A module of a group
may import anything of its own group; a new top-level module must be given a layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "voicecare"

BOTTOM_FLOOR = {
    "voicecare",  # the package's face: __version__
    "voicecare.audio",
    "voicecare.cache",
    "voicecare.clock",
    "voicecare.downloads",
    "voicecare.english_words",
    "voicecare.errors",
    "voicecare.generic_words",
    "voicecare.heard",
    "voicecare.native_stderr",
    "voicecare.normalize",
    "voicecare.records",
    "voicecare.settings",
    "voicecare.text_model",
    "voicecare.vocabulary",
}
CORE = ("content", "safety", "matching", "understanding", "coach")
ADAPTERS = ("listening", "speaking", "echo", "history", "screen")

# What each group may import, besides itself.
ALLOWED: dict[str, set[str]] = {
    "bottom": set(),
    "content": {"bottom"},
    "safety": {"content", "bottom"},
    "matching": {"content", "bottom"},
    "understanding": {"safety", "matching", "content", "bottom"},
    "coach": {"understanding", "safety", "matching", "content", "bottom"},
    **{adapter: {"bottom"} for adapter in ADAPTERS},
    "shell": {*CORE, *ADAPTERS, "bottom"},
    "evaluation": {*CORE, *ADAPTERS, "bottom"},
    "cli": {"shell", "evaluation", *CORE, *ADAPTERS, "bottom"},
    "__main__": {"cli"},
}


def group(module: str) -> str:
    """The layer group of a ``voicecare`` module."""
    if module in BOTTOM_FLOOR:
        return "bottom"
    parts = module.split(".")
    assert parts[0] == "voicecare" and len(parts) > 1, module
    name = parts[1]
    assert name in ALLOWED, f"{module}: give it a layer in tests/test_layers.py"
    return name


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Every ``voicecare`` module the file imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module_name(path).split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            # ``from voicecare import audio`` imports the module voicecare.audio.
            found.update(f"{module}.{alias.name}" for alias in node.names)
    modules = {name for name in found if name == "voicecare" or name.startswith("voicecare.")}
    return {name for name in modules if _exists(name)}


def _exists(module: str) -> bool:
    relative = Path(*module.split(".")[1:]) if "." in module else Path()
    base = PACKAGE / relative
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = module_name(path)
        source_group = group(source)
        for target in sorted(imports(path)):
            target_group = group(target)
            if target_group == source_group:
                continue
            if target_group not in ALLOWED[source_group]:
                found.append(f"{source} ({source_group}) imports {target} ({target_group})")
    return found


def test_nothing_imports_upwards_and_no_adapter_imports_another():
    assert violations() == []


def test_every_group_is_placed():
    placed = {group(module_name(path)) for path in PACKAGE.rglob("*.py")}
    assert placed <= set(ALLOWED)
    assert set(ALLOWED) - placed == set(), "a layer no module is in: remove it"


def test_the_checker_sees_an_upward_import(tmp_path, monkeypatch):
    """The rule itself: a bottom-floor module importing the coach is reported."""
    package = tmp_path / "voicecare"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "coach").mkdir()
    (package / "coach" / "__init__.py").write_text("")
    (package / "clock.py").write_text("from voicecare.coach import Coach\n")
    monkeypatch.setitem(globals(), "PACKAGE", package)
    assert imports(package / "clock.py") == {"voicecare.coach"}
    assert violations() == ["voicecare.clock (bottom) imports voicecare.coach (coach)"]
