"""What PocketSphinx may hear: a pronouncing dictionary and an n-gram language model, both
built from the content phrases and cached on disk.

The language model is a trigram ARPA model with absolute discounting and back-off over the
content phrases (plus keywords and red-flag triggers as short sentences). Back-off lets
partial and reordered sentences decode; unigrams also cover every content word and the
filler words people add ("please", "um"), which the matcher ignores anyway. Sentences of
one or two words (the commands) are counted six times over, so a short utterance is heard
as a command rather than as a frequent word ("next" had come out as "you" or "do").

Red-flag trigger words ("numb", "tingling", "chest", "fever") get a unigram pseudo-count of
``EMPHASIS_COUNT`` so they are not lost when the wording is free. The absolute discount is
0.3: better in noise than 0.5, at the cost of some out-of-domain false accepts. What each of
these weights gained (``python -m benchmarks.spoken_accuracy``) is in benchmarks/RESULTS.md.

The dictionary holds the pronunciations, from the dictionary inside the pocketsphinx wheel,
of those words only, plus hand-written ones (``sphinx_pronunciations``) for content words
the wheel's dictionary lacks; words neither knows cannot be recognized and are reported.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from voicecare.cache import write_atomically
from voicecare.listening.sphinx_pronunciations import SUPPLEMENT, supplement_lines

logger = logging.getLogger(__name__)

FORMAT_VERSION = 3
START, END = "<s>", "</s>"
DISCOUNT = 0.3  # absolute discount for bigrams and trigrams: the share kept for back-off
UNIGRAM_FLOOR = 0.5  # pseudo-count of every word, so words never seen in a phrase still decode
# Fillers the matcher drops: hearing them is harmless, forcing them onto content words is not.
FILLER_WORDS = ("please", "um", "uh", "okay", "so", "just", "well", "oh", "actually", "hey")
FILLER_COUNT = 2.0
# Commands are one or two words: counted this many times over, so a short utterance is
# heard as a command rather than as the first word of a long sentence.
SHORT_SENTENCE = 2
SHORT_SENTENCE_WEIGHT = 6.0
# Words that must not be missed (red-flag triggers): pseudo-count of their unigrams.
EMPHASIS_COUNT = 8.0


@dataclass(frozen=True)
class ModelFiles:
    dictionary: Path
    language_model: Path
    missing_words: tuple[str, ...]  # content words the wheel's dictionary does not know
    words: int  # words in the dictionary


def prepare_model_files(
    sentences: Iterable[Sequence[str]],
    vocabulary: Iterable[str],
    source_dictionary: Path,
    cache_dir: Path,
    emphasised: Iterable[str] = (),
) -> ModelFiles:
    """The dictionary and ARPA language model for these sentences, built once per content
    (the folder name is a hash of everything they depend on)."""
    phrases = sorted({tuple(w.lower() for w in s if w.strip()) for s in sentences} - {()})
    words = sorted({w.lower() for w in vocabulary if w.strip()} | {w for p in phrases for w in p})
    stressed = sorted({w.lower() for w in emphasised} & set(words))
    stat = source_dictionary.stat()
    key = hashlib.sha256(
        json.dumps(
            [
                [FORMAT_VERSION, DISCOUNT, UNIGRAM_FLOOR, FILLER_WORDS, FILLER_COUNT],
                [SHORT_SENTENCE, SHORT_SENTENCE_WEIGHT, EMPHASIS_COUNT, stressed],
                [phrases, words, sorted(SUPPLEMENT.items())],
                [str(source_dictionary), stat.st_size, stat.st_mtime],
            ]
        ).encode()
    ).hexdigest()[:20]
    folder = cache_dir / key
    files = ModelFiles(folder / "content.dict", folder / "content.lm", (), 0)
    manifest = folder / "manifest.json"
    if manifest.is_file() and files.dictionary.is_file() and files.language_model.is_file():
        try:
            saved = json.loads(manifest.read_text(encoding="utf-8"))
            logger.debug("language model from cache %s", folder)
            return ModelFiles(
                files.dictionary, files.language_model, tuple(saved["missing"]), saved["words"]
            )
        except (ValueError, KeyError, OSError) as error:
            logger.debug("rebuilding a broken cache entry %s: %s", folder, error)
    entries, missing = pronunciations(words + list(FILLER_WORDS), source_dictionary)
    entries += supplement_lines(set(missing))
    known = {line.split(maxsplit=1)[0].split("(")[0] for line in entries}
    missing = [w for w in missing if w not in FILLER_WORDS and w not in known]
    if missing:
        logger.info("not in the pronouncing dictionary, cannot be heard: %s", ", ".join(missing))
    kept = [tuple(w for w in phrase if w in known) for phrase in phrases]
    arpa = build_arpa([p for p in kept if p], sorted(known), stressed)
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomically(files.dictionary, "".join(entries))
    _write_atomically(files.language_model, arpa)
    _write_atomically(manifest, json.dumps({"missing": missing, "words": len(known)}))
    return ModelFiles(files.dictionary, files.language_model, tuple(missing), len(known))


def pronunciations(words: Iterable[str], source_dictionary: Path) -> tuple[list[str], list[str]]:
    """Dictionary lines (with alternates such as ``word(2)``) for the words it knows, and the
    words it does not know."""
    wanted = set(words)
    entries: list[str] = []
    found: set[str] = set()
    with source_dictionary.open(encoding="utf-8") as lines:
        for line in lines:
            head = line.split(maxsplit=1)[0] if line.strip() else ""
            base = head.split("(", 1)[0]
            if base in wanted:
                entries.append(line if line.endswith("\n") else line + "\n")
                found.add(base)
    return entries, sorted(wanted - found)


def build_arpa(
    sentences: Sequence[Sequence[str]], vocabulary: Sequence[str], emphasised: Iterable[str] = ()
) -> str:
    """A trigram ARPA model: absolute discounting with back-off; unigrams smoothed over the
    whole vocabulary (fillers and emphasised words weighted as a few sightings)."""
    grams: list[Counter[tuple[str, ...]]] = [Counter(), Counter(), Counter()]
    for sentence in sentences:
        padded = (START, *sentence, END)
        weight = SHORT_SENTENCE_WEIGHT if len(sentence) <= SHORT_SENTENCE else 1.0
        for order in range(1, 4):
            for i in range(len(padded) - order + 1):
                gram = padded[i : i + order]
                if gram != (START,):
                    grams[order - 1][gram] += weight
    words = sorted(set(vocabulary) | {w for s in sentences for w in s})
    pseudo = {w: FILLER_COUNT if w in FILLER_WORDS else UNIGRAM_FLOOR for w in words}
    pseudo.update((w, max(pseudo[w], EMPHASIS_COUNT)) for w in emphasised if w in pseudo)
    unigram_counts = {(w,): grams[0][(w,)] + pseudo[w] for w in words}
    unigram_counts[(END,)] = float(grams[0][(END,)] or 1)
    total = sum(unigram_counts.values())
    prob: dict[tuple[str, ...], float] = {g: c / total for g, c in unigram_counts.items()}
    backoff: dict[tuple[str, ...], float] = {}
    for order in (2, 3):
        by_history: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
        for gram in grams[order - 1]:
            by_history[gram[:-1]].append(gram)
        for history, seen in by_history.items():
            count = sum(grams[order - 1][g] for g in seen)
            kept = 0.0
            lower_seen = 0.0
            for gram in seen:
                prob[gram] = (grams[order - 1][gram] - DISCOUNT) / count
                kept += prob[gram]
                lower_seen += _probability(gram[1:], prob, backoff)
            backoff[history] = (1.0 - kept) / max(1e-9, 1.0 - lower_seen)
    lines = ["\\data\\"]
    by_order = [[g for g in prob if len(g) == n] for n in (1, 2, 3)]
    by_order[0].append((START,))
    lines += [f"ngram {n}={len(g)}" for n, g in enumerate(by_order, start=1)]
    for n, listed in enumerate(by_order, start=1):
        lines += ["", f"\\{n}-grams:"]
        for gram in sorted(listed):
            logp = -99.0 if gram == (START,) else math.log10(prob[gram])
            line = f"{logp:.4f}\t{' '.join(gram)}"
            if n < 3 and gram != (END,):
                line += f"\t{math.log10(backoff.get(gram, 1.0)):.4f}"
            lines.append(line)
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)


def _probability(
    gram: tuple[str, ...], prob: dict[tuple[str, ...], float], backoff: dict[tuple[str, ...], float]
) -> float:
    """P(last word | the words before), backing off as the model will."""
    if gram in prob:
        return prob[gram]
    return backoff.get(gram[:-1], 1.0) * _probability(gram[1:], prob, backoff)


def _write_atomically(path: Path, text: str) -> None:
    write_atomically(path, text.encode("utf-8"))
