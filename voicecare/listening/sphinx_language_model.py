"""What PocketSphinx may hear: a pronouncing dictionary and an n-gram language model, both
built from the content phrases and cached on disk.

The language model is a trigram ARPA model with absolute discounting and back-off over the
content phrases (plus keywords and red-flag triggers as short sentences). Back-off lets
partial and reordered sentences decode; unigrams also cover every content word.

The phrases come normalized for the matcher: fillers dropped and contractions expanded
("I'd like a latte" is ``i would a latte``). People say the words that were dropped, so the
model is built from how the phrases are spoken (``spoken_forms``): each phrase also with its
contractions ("i'd", "can't", "what's"), with "like" after "would", and with the usual
fillers around it ("please" at either end, "um", "so", "okay" ... before it), as a fraction
of a sighting. What the decoder hears of them the matcher drops again.

Sentences of one or two words (the commands) are weighted ``SHORT_SENTENCE_WEIGHT`` times,
but only in the n-grams that tie them to the start and end of an utterance: "next" alone is
likely, while the word "next" inside a longer utterance is no likelier than any content word
(weighting every n-gram put command words into noisy transcripts of long sentences).

Red-flag trigger words ("numb", "tingling", "chest", "fever") get a unigram pseudo-count of
``EMPHASIS_COUNT`` so they are not lost when the wording is free. What each of these weights
gained (``voicecare eval``, ``python -m benchmarks.coffee_orders``) is in
benchmarks/RESULTS.md.

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

FORMAT_VERSION = 4
START, END = "<s>", "</s>"
DISCOUNT = 0.3  # absolute discount for bigrams and trigrams: the share kept for back-off
UNIGRAM_FLOOR = 0.5  # pseudo-count of every word, so words never seen in a phrase still decode
# Fillers the matcher drops: hearing them is harmless, forcing them onto content words is not.
FILLER_WORDS = (
    "please", "um", "uh", "okay", "so", "just", "well", "oh", "actually", "hey", "like",
)  # fmt: skip
FILLER_COUNT = 2.0
# Spoken forms of a phrase (see the module docstring) and the share of a sighting each gets.
LEADING_FILLERS = ("um", "uh", "so", "okay", "well", "oh", "hey", "actually", "just", "please")
TRAILING_FILLERS = ("please", "okay")
FILLER_VARIANT_WEIGHT = 0.05
CONTRACTED_WEIGHT = 1.0
LIKE_WEIGHT = 1.0
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
    forms = spoken_forms(phrases)
    stat = source_dictionary.stat()
    key = hashlib.sha256(
        json.dumps(
            [
                [FORMAT_VERSION, DISCOUNT, UNIGRAM_FLOOR, FILLER_WORDS, FILLER_COUNT],
                [LEADING_FILLERS, TRAILING_FILLERS, FILLER_VARIANT_WEIGHT, CONTRACTED_WEIGHT],
                [LIKE_WEIGHT],
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
    spoken_words = sorted({w for form in forms for w in form} - set(words))
    entries, missing = pronunciations(words + list(FILLER_WORDS) + spoken_words, source_dictionary)
    entries += supplement_lines(set(missing))
    known = {line.split(maxsplit=1)[0].split("(")[0] for line in entries}
    missing = [w for w in missing if w in words and w not in known]
    if missing:
        logger.info("not in the pronouncing dictionary, cannot be heard: %s", ", ".join(missing))
    weighted: Counter[tuple[str, ...]] = Counter()
    for form, weight in forms.items():
        if form in phrases:  # a content phrase: its unknown words left out
            form = tuple(w for w in form if w in known)
        elif not set(form) <= known:  # a spoken form the dictionary cannot say
            continue
        if form:
            weighted[form] += weight
    sentences = sorted(weighted)
    arpa = build_arpa(sentences, sorted(known), stressed, [weighted[s] for s in sentences])
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


def spoken_forms(phrases: Iterable[Sequence[str]]) -> dict[tuple[str, ...], float]:
    """Each normalized phrase and the ways it is said (contracted, with fillers), with the
    sightings each counts as (a form that is also a phrase of its own counts once more)."""
    forms: Counter[tuple[str, ...]] = Counter()
    for phrase in phrases:
        phrase = tuple(phrase)
        forms[phrase] += 1.0
        said = [phrase]
        contracted = _contracted(phrase)
        if contracted != phrase and CONTRACTED_WEIGHT:
            forms[contracted] += CONTRACTED_WEIGHT
            said.append(contracted)
        for form in said:
            liked = _like_after_would(form)
            if liked != form and LIKE_WEIGHT:
                forms[liked] += LIKE_WEIGHT
            if sum(w not in FILLER_WORDS for w in form) == 0 or not FILLER_VARIANT_WEIGHT:
                continue  # "okay" alone: no fillers around a filler
            for filler in LEADING_FILLERS:
                if form[0] != filler:
                    forms[(filler, *form)] += FILLER_VARIANT_WEIGHT
            for filler in TRAILING_FILLERS:
                if form[-1] != filler:
                    forms[(*form, filler)] += FILLER_VARIANT_WEIGHT
    return dict(forms)


def _contracted(phrase: tuple[str, ...]) -> tuple[str, ...]:
    """``phrase`` with every expanded contraction the normalizer makes contracted again."""
    out: list[str] = []
    i = 0
    while i < len(phrase):
        pair = phrase[i : i + 2]
        if len(pair) == 2 and pair in _CONTRACTED:
            out.append(_CONTRACTED[pair])
            i += 2
        else:
            out.append(phrase[i])
            i += 1
    return tuple(out)


def _like_after_would(phrase: tuple[str, ...]) -> tuple[str, ...]:
    """What was "I'd like a latte" reaches here as "i would a latte" (like dropped)."""
    out: list[str] = []
    for index, word in enumerate(phrase):
        out.append(word)
        following = phrase[index + 1] if index + 1 < len(phrase) else ""
        if word in ("would", "i'd", "we'd", "you'd") and following not in ("like", "love"):
            out.append("like")
    return tuple(out)


def _contraction_table() -> dict[tuple[str, ...], str]:
    """("i", "would") -> "i'd", from the normalizer's own table (which has no apostrophes)."""
    from voicecare.normalize import CONTRACTIONS

    table: dict[tuple[str, ...], str] = {}
    for bare, expansion in CONTRACTIONS.items():
        expanded = tuple(expansion.split())
        if len(expanded) != 2 or bare == expansion.replace(" ", ""):
            continue
        for ending in ("n't", "'ve", "'ll", "'re", "'d", "'m", "'s"):
            plain = ending.replace("'", "")
            if bare.endswith(plain) and len(bare) > len(plain):
                table.setdefault(expanded, bare[: -len(plain)] + ending)
                break
    return table


_CONTRACTED = _contraction_table()


def build_arpa(
    sentences: Sequence[Sequence[str]],
    vocabulary: Sequence[str],
    emphasised: Iterable[str] = (),
    weights: Sequence[float] | None = None,
) -> str:
    """A trigram ARPA model: absolute discounting with back-off; unigrams smoothed over the
    whole vocabulary (fillers and emphasised words weighted as a few sightings). ``weights``:
    the sightings each sentence counts as (1 each by default)."""
    grams: list[Counter[tuple[str, ...]]] = [Counter(), Counter(), Counter()]
    for number, sentence in enumerate(sentences):
        padded = (START, *sentence, END)
        seen = 1.0 if weights is None else weights[number]
        short = sum(w not in FILLER_WORDS for w in sentence) <= SHORT_SENTENCE
        anchored = seen * (SHORT_SENTENCE_WEIGHT if short else 1.0)
        for order in range(1, 4):
            for i in range(len(padded) - order + 1):
                gram = padded[i : i + order]
                if gram != (START,):
                    tied = START in gram or END in gram
                    grams[order - 1][gram] += anchored if tied else seen
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
                sightings = grams[order - 1][gram]  # a fraction of one is discounted as much less
                prob[gram] = (sightings - DISCOUNT * min(1.0, sightings)) / count
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
