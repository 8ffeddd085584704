"""Rows of the staff case list: the due date and its judgements derived on the fly, never stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongkai.web.cases.models import Application
from gongkai.workdays import WorkCalendar
from gongkai.workdays.errors import WorkdaysError

DUE_SOON_WORKING_DAYS = 5


@dataclass(frozen=True)
class CaseRow:
    application: Application
    due: date | None
    working_days_left: int | None  # negative: working days overdue; None when closed or not computable
    flag: str  # "overdue", "due-soon" or ""

    @property
    def flag_label(self) -> str:
        return {"overdue": "已逾期", "due-soon": "即将到期"}.get(self.flag, "")


def case_row(application: Application, *, today: date, calendar: WorkCalendar) -> CaseRow:
    try:
        due = application.reply_deadline(today=today, calendar=calendar).due
    except WorkdaysError:
        return CaseRow(application, None, None, "")
    if application.is_closed:
        return CaseRow(application, due, None, "")
    try:
        if today > due:
            return CaseRow(application, due, -calendar.working_days_between(due, today), "overdue")
        left = calendar.working_days_between(today, due)
    except WorkdaysError:  # today lies in a year whose schedule is not loaded: the days cannot be counted
        return CaseRow(application, due, None, "overdue" if today > due else "")
    return CaseRow(application, due, left, "due-soon" if left <= DUE_SOON_WORKING_DAYS else "")


def calendar_notice(today: date, calendar: WorkCalendar) -> str:
    """A warning for staff when this year's or next year's holiday schedule is missing.

    The State Council publishes next year's schedule around November; until it is loaded, every
    deadline that runs into that year cannot be computed (the calendar refuses to guess).
    """
    how = "请管理员按国务院办公厅公布的放假安排补充（环境变量 GONGKAI_WORKDAYS_FILE，见 README）。"
    if today.year > calendar.last_year:
        return f"没有 {today.year} 年的节假日安排，答复期限和剩余工作日无法计算。{how}"
    if today.year == calendar.last_year and today.month >= 11:
        return f"尚未载入 {today.year + 1} 年的节假日安排，跨入 {today.year + 1} 年的答复期限将无法计算。{how}"
    return ""
