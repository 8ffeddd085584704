"""The command line's own expected failure."""

from ..errors import GongkaiError


class CommandError(GongkaiError):
    """A failure the user can act on; printed as one line, with its exit code."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code
