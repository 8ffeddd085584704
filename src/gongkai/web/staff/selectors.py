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
    if today > due:
        return CaseRow(application, due, -calendar.working_days_between(due, today), "overdue")
    left = calendar.working_days_between(today, due)
    return CaseRow(application, due, left, "due-soon" if left <= DUE_SOON_WORKING_DAYS else "")
