"""The one base of every expected failure in gongkai.

Each carries a one-line Chinese reason and the exit code the command line uses, so
``gongkai`` prints ``str(error)`` on stderr and never a traceback for these.
"""

from __future__ import annotations


class GongkaiError(Exception):
    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None):
        self.message = message
        self.path = path
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def at(self, path: str) -> GongkaiError:
        """The same error, naming the file it came from (unless it names one already)."""
        if self.path is None:
            self.path = path
        return self
