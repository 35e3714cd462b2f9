"""Is a word English? The pronouncing dictionary in the pocketsphinx wheel (a runtime
dependency) lists about 130,000 words. The safety screen corrects near misses ("numbb") to
red-flag words only when they are not words at all: "painting" must not become "fainting".

Read from the file, without importing pocketsphinx, once per process.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

_DICTIONARY = Path("model") / "en-us" / "cmudict-en-us.dict"


@functools.cache
def english_words() -> frozenset[str]:
    """Every word of the dictionary, lower case; empty if it cannot be read."""
    spec = importlib.util.find_spec("pocketsphinx")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / _DICTIONARY
        try:
            with path.open(encoding="utf-8", errors="replace") as lines:
                return frozenset(line.split(" ", 1)[0].split("(", 1)[0] for line in lines)
        except OSError as error:
            logger.debug("no English word list at %s: %s", path, error)
    return frozenset()
