"""Speaking: synthesis with pyttsx3, playback in small chunks that can be abandoned."""
