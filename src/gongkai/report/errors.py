"""Expected failures of reading a report, each with a one-line Chinese reason.

The command line prints ``str(error)`` on stderr and exits with ``error.exit_code``;
nothing here is a bug, so no traceback is ever shown for these.
"""

from __future__ import annotations

from ..errors import GongkaiError


class ReportError(GongkaiError):
    """A report could not be read; ``exit_code`` 2 for the command line."""


class UnreadableFile(ReportError):
    """The bytes cannot be turned into text (binary junk, broken archive, missing tool)."""


class NotAnnualReport(ReportError):
    """The text is readable but is not a 政府信息公开工作年度报告."""


class Pre2019Report(NotAnnualReport):
    """A report in the 2008 条例's 统计表 format, which gongkai does not read."""


class InvalidReportJSON(ReportError):
    """Report JSON that does not follow ../shared/spec/report-json.md."""
