"""``voicecare eval``: speak a labelled set (natural voices by default) or read recordings, add
noise, recognize, match, and measure. Small modules: ``corpus`` (the set), ``voices`` (the
synthesizers, named engine:voice), ``synthesis`` (cached speech), ``recordings`` (a folder of
WAV files and labels.tsv), ``noise`` (seeded noise at a signal-to-noise ratio), ``runner``
(recognize and time), ``metrics`` (numbers), ``report`` (table, JSON, plot)."""
