"""Rows of the staff case list: the due date and its judgements derived on the fly, never stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongkai.web.cases.models import Application
from gongkai.workdays import WorkCalendar, provisional_reason
from gongkai.workdays.errors import WorkdaysError

DUE_SOON_WORKING_DAYS = 5


@dataclass(frozen=True)
class CaseRow:
    application: Application
    due: date | None
    working_days_left: int | None  # negative: working days overdue; None when closed or not computable
    flag: str  # "overdue", "due-soon" or ""
    provisional_reason: str = ""  # why the due date is only 预计 ("" when it rests on published schedules)

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_reason)

    @property
    def flag_label(self) -> str:
        return {"overdue": "已逾期", "due-soon": "即将到期"}.get(self.flag, "")


def case_row(application: Application, *, today: date, calendar: WorkCalendar) -> CaseRow:
    try:
        deadline = application.reply_deadline(today=today, calendar=calendar)
    except WorkdaysError:
        return CaseRow(application, None, None, "")
    due = deadline.due
    if application.is_closed:
        return CaseRow(application, due, None, "", deadline.provisional_reason)
    # The working days left are 预计 too when today lies in a provisional year.
    reason = provisional_reason(calendar.provisional_years_in([today, *(step.day for step in deadline.steps)]))
    try:
        if today > due:
            return CaseRow(application, due, -calendar.working_days_between(due, today), "overdue", reason)
        left = calendar.working_days_between(today, due)
    except WorkdaysError:  # today lies in a year whose schedule is not loaded: the days cannot be counted
        return CaseRow(application, due, None, "overdue" if today > due else "", reason)
    return CaseRow(application, due, left, "due-soon" if left <= DUE_SOON_WORKING_DAYS else "", reason)


def calendar_notice(today: date, calendar: WorkCalendar) -> str:
    """A warning for staff when this year's or next year's holiday schedule is missing.

    The State Council publishes next year's schedule around November; until it is loaded, every
    deadline that runs into that year cannot be computed (the calendar refuses to guess).
    """
    how = ("国务院办公厅公布放假安排后，请管理员在管理后台「节假日安排」粘贴通知全文添加（或用 gongkai workdays "
           "import-notice 写成文件，由环境变量 GONGKAI_WORKDAYS_FILE 指定，见 README）；添加后期限自动重算，期限变动的案件会提醒承办人。")
    if today.year > calendar.last_year:
        return (f"没有 {today.year} 年的节假日安排：落在 {today.year} 年的答复期限和剩余工作日按法定节假日和周末推算，"
                f"标为“预计”，未计调休，以国务院办公厅公布的放假安排为准。{how}")
    if today.year == calendar.last_year and today.month >= 11:
        return (f"尚未载入 {today.year + 1} 年的节假日安排：跨入 {today.year + 1} 年的答复期限按法定节假日和周末推算，"
                f"标为“预计”。{how}")
    return ""
