"""The calendar every page, letter and job of the site counts working days with.

The shipped schedule, the files of GONGKAI_WORKDAYS_FILE, then the years stored in
``HolidaySchedule``; years after the last of them are provisional (法定节假日 and weekends,
marked 预计).  The ledger's findings keep the strict calendar (``gongkai.ledger``).

Within one request the stored years are read once (a list of 25 cases, or of every
publication of a year, asks for the calendar per row); outside requests — jobs, the shell —
every call reads them, so a year just added is always seen.
"""

from __future__ import annotations

import threading

from django.core.signals import request_finished, request_started
from django.db import DatabaseError

from gongkai.workdays import WorkCalendar, load_calendar

_request = threading.local()


def stored_schedules() -> tuple[tuple[str, str], ...]:
    from .models import HolidaySchedule

    cached = getattr(_request, "schedules", None)
    if cached is not None:
        return cached
    try:
        rows = list(HolidaySchedule.objects.order_by("year").values_list("year", "schedule_text"))
    except DatabaseError:  # before the migration has run (the first migrate, a fresh test database)
        return ()
    schedules = tuple((f"管理后台中的 {year} 年安排", text) for year, text in rows)
    if getattr(_request, "active", False):
        _request.schedules = schedules
    return schedules


def site_calendar(*, provisional: bool = True, extra: tuple[tuple[str, str], ...] = ()) -> WorkCalendar:
    """The site's calendar; ``provisional=False`` refuses years without a schedule instead of marking them 预计
    (for dates shown where no 预计 mark is printed); ``extra`` adds a year not yet stored."""
    return load_calendar(provisional=provisional, extra_texts=stored_schedules() + extra)


def forget_stored_schedules(**_) -> None:
    _request.schedules = None


def _start(**_) -> None:
    _request.active, _request.schedules = True, None


def _finish(**_) -> None:
    _request.active, _request.schedules = False, None


request_started.connect(_start, dispatch_uid="schedules-calendar-start")
request_finished.connect(_finish, dispatch_uid="schedules-calendar-finish")
