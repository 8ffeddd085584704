"""Working days under the State Council's holiday schedule, and the statutory deadlines. No Django.

    >>> from datetime import date
    >>> reply_due(date(2021, 9, 28)).due   # 国庆节 and its 调休 Saturday lie in between
    datetime.date(2021, 11, 1)
"""

from .calendar import CALENDAR_FILE_ENV, PROVISIONAL_MARK, WorkCalendar, load_calendar, provisional_reason
from .deadlines import (
    CONSULTATION,
    CORRECTION_NOTICE_WORKING_DAYS,
    CORRECTION_PERIOD_WORKING_DAYS,
    COUNTED,
    MAX_EXTENSION_WORKING_DAYS,
    NON_WORKING,
    REPLY_WORKING_DAYS,
    DayStep,
    Period,
    ReplyDeadline,
    correction_notice_due,
    correction_period_end,
    reply_due,
)
from .errors import DeadlineError, NoSchedule, ScheduleFileError, WorkdaysError
from .schedule import FILE_FORMAT_HELP, ScheduleEntry

__all__ = [
    "CALENDAR_FILE_ENV", "CONSULTATION", "CORRECTION_NOTICE_WORKING_DAYS", "CORRECTION_PERIOD_WORKING_DAYS", "COUNTED",
    "PROVISIONAL_MARK", "correction_period_end", "provisional_reason", "NON_WORKING", "FILE_FORMAT_HELP", "MAX_EXTENSION_WORKING_DAYS",
    "REPLY_WORKING_DAYS", "DayStep", "DeadlineError", "NoSchedule", "Period", "ReplyDeadline", "ScheduleEntry",
    "ScheduleFileError", "WorkCalendar", "WorkdaysError", "correction_notice_due", "load_calendar", "reply_due",
]
