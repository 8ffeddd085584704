"""Adding a year's holiday schedule from the State Council's notice, and telling handlers what moved."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.workdays import WorkdaysError
from gongkai.workdays.notice import Notice, notice_text, parse_notice

from .calendar import forget_stored_schedules, site_calendar
from .models import HolidaySchedule


def notice_read(text: str) -> tuple[Notice, str]:
    """The notice and the calendar-file text it gives, or ``ValidationError`` with the reason in Chinese."""
    try:
        notice = parse_notice(notice_text(text))
    except WorkdaysError as error:
        raise ValidationError(f"无法完整读取通知：{error}") from None
    calendar = site_calendar()
    if notice.year <= calendar.last_year:
        raise ValidationError(f"已有 {notice.year} 年的节假日安排（现有 {calendar.first_year}—{calendar.last_year} 年）")
    if notice.year != calendar.last_year + 1:
        raise ValidationError(f"现有 {calendar.first_year}—{calendar.last_year} 年的安排，请先添加 "
                              f"{calendar.last_year + 1} 年，再添加 {notice.year} 年（年份须相连）")
    covered = range(calendar.first_year, calendar.last_year + 1)
    return notice, notice.file_text(covered)


@transaction.atomic
def holiday_schedule_add(*, notice_text: str, acting_user) -> HolidaySchedule:
    """Store the year read from ``notice_text``; every open case whose due date moves is listed for its 承办人."""
    from gongkai.web.reminders.services import deadlines_moved_notify

    notice, schedule_text = notice_read(notice_text)
    before = site_calendar()
    covered = range(before.first_year, before.last_year + 1)
    schedule = HolidaySchedule.objects.create(year=notice.year, notice_text=notice_text, schedule_text=schedule_text,
                                              summary=notice.summary(covered), added_by=acting_user)
    forget_stored_schedules()  # this request counts with the new year from here on
    deadlines_moved_notify(before=before, after=site_calendar(), reason=f"{notice.year} 年放假安排已公布")
    return schedule
