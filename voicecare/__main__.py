"""``python -m voicecare``."""

try:
    from voicecare.cli import main
except KeyboardInterrupt:  # Ctrl-C while Python is still importing
    raise SystemExit(130) from None

raise SystemExit(main())
