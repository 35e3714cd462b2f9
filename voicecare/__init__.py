"""VoiceCare: an offline voice coach for muscle knots."""

__version__ = "0.1.0"
