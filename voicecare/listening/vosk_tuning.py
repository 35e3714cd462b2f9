"""How long Vosk waits after the last word before it calls an utterance over.

Vosk 0.3.45 has no API for this: Kaldi's online endpointing reads its rules from the
model's ``conf/model.conf`` (``--endpoint.ruleN.min-trailing-silence``; see Kaldi's
``online-endpoint.h``). An utterance ends when the best path ends in at least

* rule 2: ``min-trailing-silence`` seconds of silence and the decoder is in a likely final
  state (relative cost below 2), 0.5 s in the published models;
* rule 3: the same with a less likely final state (relative cost below 8), 1.0 s;
* rule 4: the same, whatever the state, 2.0 s.

(Rule 1 ends pure silence after 5 s, rule 5 any utterance after 20 s; both are kept.)

``tuned_model_dir`` makes a copy of a model with shorter silences in a cache folder: a real
``conf/`` folder holding a rewritten ``model.conf``, everything else symlinked to the
original. The user's model folder is never written to. Only the current layout
(``am/final.mdl`` + ``conf/model.conf``) reads ``model.conf``; an old flat-layout model
keeps Vosk's built-in silences.

``FAST_TURN`` (0.5 / 0.6 / 1.0 s for rules 2 / 3 / 4) was chosen with
``python -m benchmarks.vosk_endpointing``: about 0.4 s of the wait is Kaldi's own lag, so
shorter silences soon stop paying and start splitting sentences at a pause. The figures, and
how to measure another model (``--model``), are in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from voicecare.cache import user_cache_path

logger = logging.getLogger(__name__)

MODEL_CONF = Path("conf") / "model.conf"


@dataclass(frozen=True)
class EndpointSilences:
    """Trailing silence, in seconds, that ends an utterance under Kaldi rules 2, 3 and 4."""

    likely_end: float  # rule 2: the words so far make a likely sentence end
    plausible_end: float  # rule 3
    any_end: float  # rule 4

    def options(self) -> dict[str, str]:
        return {
            "--endpoint.rule2.min-trailing-silence": f"{self.likely_end:g}",
            "--endpoint.rule3.min-trailing-silence": f"{self.plausible_end:g}",
            "--endpoint.rule4.min-trailing-silence": f"{self.any_end:g}",
        }


# What the published Vosk models ship (and what Vosk uses for old flat-layout models).
VOSK_DEFAULT = EndpointSilences(likely_end=0.5, plausible_end=1.0, any_end=2.0)

# The chosen fast turn: about 0.4 s sooner than the model's own, rarely splits (see above).
FAST_TURN = EndpointSilences(likely_end=0.5, plausible_end=0.6, any_end=1.0)


def default_cache_dir() -> Path:
    return user_cache_path("vosk")


def tuned_conf_text(conf_text: str, silences: EndpointSilences) -> str:
    """``conf_text`` (a Kaldi config file) with the three endpoint silences replaced, or
    appended when absent; every other line kept as it is."""
    wanted = silences.options()
    lines = []
    for line in conf_text.splitlines():
        name = re.split(r"[=\s]", line.strip(), maxsplit=1)[0]
        if name in wanted:
            lines.append(f"{name}={wanted.pop(name)}")
        else:
            lines.append(line)
    lines += [f"{name}={value}" for name, value in wanted.items()]
    return "\n".join(lines) + "\n"


def tuned_model_dir(
    model_dir: Path, silences: EndpointSilences, cache_dir: Path | None = None
) -> Path:
    """A folder Vosk can load as ``model_dir`` with ``silences``; ``model_dir`` itself when it
    has the old layout or the copy cannot be made (symlinks refused, cache not writable)."""
    source = model_dir.resolve()
    conf = source / MODEL_CONF
    if not conf.is_file():
        logger.debug("%s has no %s: Vosk's built-in end-of-speech silences", source, MODEL_CONF)
        return model_dir
    try:
        conf_text = conf.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        logger.warning("cannot read %s (%s): end-of-speech not tuned", conf, error)
        return model_dir
    new_text = tuned_conf_text(conf_text, silences)
    key = hashlib.sha256(f"{source}\n{new_text}".encode()).hexdigest()[:16]
    target = (cache_dir or default_cache_dir()) / f"{source.name}-{key}"
    if target.is_dir():
        return target
    try:
        _build(source, new_text, target)
    except OSError as error:
        logger.warning(
            "cannot make a tuned copy of %s (%s): end-of-speech not tuned", source, error
        )
        return model_dir
    logger.debug("tuned copy of %s in %s", source, target)
    return target


def _build(source: Path, conf_text: str, target: Path) -> None:
    """Assemble the copy in a sibling temporary folder, then rename it into place, so that a
    half-made copy is never used (two processes racing both end with a complete one)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        for entry in source.iterdir():
            if entry.name != MODEL_CONF.parent.name:
                (building / entry.name).symlink_to(entry, entry.is_dir())
        conf_dir = building / MODEL_CONF.parent
        conf_dir.mkdir()
        for entry in (source / MODEL_CONF.parent).iterdir():
            if entry.name != MODEL_CONF.name:
                (conf_dir / entry.name).symlink_to(entry, entry.is_dir())
        (building / MODEL_CONF).write_text(conf_text, encoding="utf-8")
        try:
            os.rename(building, target)
        except OSError:
            if not target.is_dir():  # not just another process having been first
                raise
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
