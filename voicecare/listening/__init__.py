"""Hearing: audio sources, speech recognizers behind one small interface, models."""
