"""``voicecare eval``: speak a labelled set with espeak-ng, add noise, recognize, match, and
measure. Small modules: ``corpus`` (the set), ``synthesis`` (cached espeak-ng speech),
``noise`` (seeded noise at a signal-to-noise ratio), ``runner`` (recognize and time),
``metrics`` (numbers), ``report`` (table, JSON, plot)."""
