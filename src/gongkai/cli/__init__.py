"""The ``gongkai`` command: a thin layer over the library.

Each sub-command group lives in its own module with a ``register(subparsers)`` function.
Expected failures raise ``GongkaiError`` subclasses, which carry their exit code, and
are printed as one line on stderr, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import GongkaiError
from . import catalogue as catalogue_commands
from . import corpus as corpus_commands
from . import ledger as ledger_commands
from . import registers_db as registers_commands
from . import report as report_commands
from . import web as web_commands
from . import workdays as workdays_commands
from .errors import CommandError

COMMAND_GROUPS = [report_commands, workdays_commands, ledger_commands, web_commands, catalogue_commands,
                  registers_commands, corpus_commands]
__all__ = ["CommandError", "main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="政府信息公开工作系统")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for group in COMMAND_GROUPS:
        group.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.handler(args)
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except GongkaiError as error:
        print(f"gongkai: {error}", file=sys.stderr)
        return error.exit_code
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
