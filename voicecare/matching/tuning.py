"""The shape of the match score; calibrated with benchmarks/calibrate_matcher.py."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tuning:
    """Shape of the score; calibrated together with the thresholds on the dev split."""

    near_miss_cutoff: float = 75.0  # fuzz.ratio needed for a near-miss word
    near_miss_factor: float = 0.85  # a near-miss counts this much of its ratio
    min_fuzzy_length: int = 4  # shorter words only match exactly or by sound
    phonetic_similarity: float = 0.7  # same metaphone key, different spelling
    variant_similarity: float = 0.9  # "hurts" for "hurt", "stretching" for "stretch"
    known_word_factor: float = 0.5  # a word content itself uses ("this") is probably what was
    # said: its look-alikes ("thighs") count only this much more
    unknown_word_weight: float = 2.5  # weight of a word no content phrase uses ("song")
    unknown_generic_weight: float = 1.0  # ... unless it is an everyday word ("until")
    recall_emphasis: float = 1.0  # beta of the F-measure (>1 favours covering the phrase)
    min_phonetic_length: int = 4  # "the" and "thigh" share a metaphone key; short words don't count
    keyword_score: float = 70.0  # an intent whose keyword was said scores this much, times the
    # share of the utterance that is in-domain (so "order a foam roller online" stays low)
    keyword_similarity: float = 0.65  # how closely each word of a keyword must be heard
    keyword_bonus: float = 8.0  # a keyword also lifts the intent's phrase score this much
    keyword_tie_break: float = 0.1  # share of the phrase score added to a keyword score
    informative_weight: float = 1.25  # an utterance is understood only if at least one word
    # this informative (IDF), and not an everyday word (generic_words), was heard ...
    in_domain_similarity: float = 0.7  # ... this closely: as it is, as a plural or verb
    # form of it; a sentence made only of look-alikes ("toaster" for "faster") is not enough
    command_foreign_penalty: float = 45.0  # a command loses this much per word that is
    # neither a content word nor an everyday one ("pause the video")
    whole_phrase_score: float = 90.0  # ... or the utterance is (nearly) a whole content
    # phrase made of everyday words ("where were we", "what did you say")
