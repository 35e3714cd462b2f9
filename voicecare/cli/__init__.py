"""The ``voicecare`` command line: parses arguments into settings, runs one command, and turns
every VoiceCareError into one clear line and an exit status."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from voicecare.cli.config_file import apply_config
from voicecare.cli.output import NOTICE_FORMAT, notice
from voicecare.cli.parser import build_parser
from voicecare.errors import VoiceCareError

logger = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
        apply_config(parser)  # the config file's values are the defaults
        parser.set_defaults(build_parser=build_parser)  # voicecare config compares with it
        args = parser.parse_args(argv)
        # Warnings look like every other notice ("voicecare: ..."); the logger's own
        # levels and module names show only with -v.
        logging.basicConfig(
            level=logging.DEBUG if args.verbose else logging.WARNING,
            format="%(levelname)s %(name)s: %(message)s" if args.verbose else NOTICE_FORMAT,
        )
        if args.handler is None:
            parser.print_help()
            return 0
        return int(args.handler(args) or 0)
    except VoiceCareError as error:
        for line in str(error).splitlines() or [type(error).__name__]:
            notice(line)
        return error.exit_code
    except KeyboardInterrupt:
        notice("interrupted")
        return 130
    except BrokenPipeError:
        return 0
