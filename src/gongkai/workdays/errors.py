"""Expected failures of the working-day calendar, each with a one-line Chinese reason.

Like ``gongkai.report.errors``, every error carries ``exit_code`` so the command line
prints ``str(error)`` on stderr without a traceback.
"""

from __future__ import annotations

from ..errors import GongkaiError


class WorkdaysError(GongkaiError):
    """The calendar or the deadline rules refuse the input."""


class NoSchedule(WorkdaysError):
    """A date falls in a year whose State Council holiday schedule is not loaded.

    Counting such a year as plain Monday–Friday would give wrong deadlines around its
    holidays, so the calendar refuses instead.
    """

    def __init__(self, year: int, first_year: int | None, last_year: int | None):
        self.year = year
        known = f"（现有 {first_year}—{last_year} 年）" if first_year is not None else ""
        super().__init__(
            f"没有 {year} 年的节假日安排{known}，无法计算工作日；"
            f"国务院办公厅公布该年放假安排后，可用 --calendar 文件或环境变量 GONGKAI_WORKDAYS_FILE 补充"
        )


class ScheduleFileError(WorkdaysError):
    """A holiday-schedule file that does not follow the documented format."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path = path
        self.line = line
        where = f"{path} 第 {line} 行" if line else path
        super().__init__(f"{where}：{message}")


class DeadlineError(WorkdaysError):
    """Deadline inputs that the 条例 does not allow (e.g. an extension over 20 working days)."""
