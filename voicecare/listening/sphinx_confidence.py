"""How sure PocketSphinx may be that the content's words were said: the restricted decoder's
path score against a phone loop's over the same audio.

The content language model turns any speech into content words ("set an alarm for seven"
came out as "second arm for sudden"). A second decoder with the same acoustic model searches
the phone loop that ships in the pocketsphinx wheel (``en-us-phone.lm.bin``: any sequence of
English phones), which explains any speech about as well as it can be explained. When the
audio was content, the restricted path scores close to the phone loop per frame; when it was
something else, the restricted path, forced onto content words, scores far below. That gap
per frame (a log-likelihood ratio; pocketsphinx scores are in its log base, 1.0001) is the
engine's confidence; below ``REJECT_BELOW`` the utterance is taken for what is not for us.

Both decoders get the same audio and the same front-end settings, so their per-frame score
normalisation (by the best senone) is the same and the two scores can be compared.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

PHONE_LOOP_LM = "en-us/en-us-phone.lm.bin"
PHONE_LOOP_WEIGHT = 2.0  # language weight of the phone loop's phone n-gram
# Per-frame score gap (restricted minus phone loop) below which the words are rejected, and
# the gap's spread mapped onto 0-1 around it (confidence 0.5 at the threshold).
REJECT_BELOW = -27.0
SPREAD = 3.0


class PhoneLoop:
    """A second decoder over the same audio, searching English phones freely."""

    def __init__(self, pocketsphinx: Any, acoustic: Path) -> None:
        self._decoder: Any = pocketsphinx.Decoder(
            hmm=str(acoustic),
            allphone=str(pocketsphinx.get_model_path(PHONE_LOOP_LM)),
            lw=PHONE_LOOP_WEIGHT,
            samprate=16_000,
            loglevel="FATAL",
        )
        self._in_utterance = False

    def start(self) -> None:
        if self._in_utterance:
            self._decoder.end_utt()
        self._decoder.start_utt()
        self._in_utterance = True

    def feed(self, speech: bytes) -> None:
        if self._in_utterance and speech:
            self._decoder.process_raw(speech, no_search=False, full_utt=False)

    def end(self) -> float | None:
        """The utterance's path score (log base 1.0001), None without one."""
        if not self._in_utterance:
            return None
        self._decoder.end_utt()
        self._in_utterance = False
        return path_score(self._decoder)

    def abandon(self) -> None:
        if self._in_utterance:
            self._decoder.end_utt()
            self._in_utterance = False

    def match_features(self, main: Any) -> None:
        """The restricted decoder's cepstral mean and dither, so both see the same frames."""
        self._decoder.config["dither"] = main.config["dither"]
        self._decoder.config["seed"] = main.config["seed"]
        self._decoder.reinit_feat()
        self._decoder.set_cmn(main.get_cmn())


def path_score(decoder: Any) -> float | None:
    """The best path's score in the decoder's log base (the bindings give it exponentiated)."""
    hypothesis = decoder.hyp()
    if hypothesis is None or hypothesis.best_score <= 0.0:
        return None
    return float(decoder.get_logmath().log(hypothesis.best_score))


def confidence(restricted: float | None, phones: float | None, frames: int) -> float | None:
    """0-1: how well the content's words explain the audio, against any English phones
    (0.5 at ``REJECT_BELOW``); None when a score is missing."""
    if restricted is None or phones is None or frames <= 0:
        return None
    gap = (restricted - phones) / frames
    return 1.0 / (1.0 + math.exp(-(gap - REJECT_BELOW) / SPREAD))
