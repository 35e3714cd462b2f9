"""The thin shell around the coach: clocks, input sources, speech output, the event loop."""
