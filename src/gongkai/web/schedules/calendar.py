"""The calendar every page, letter and job of the site counts working days with.

The shipped schedule, the files of GONGKAI_WORKDAYS_FILE, then the years stored in
``HolidaySchedule``; years after the last of them are provisional (法定节假日 and weekends,
marked 预计).  The ledger's findings keep the strict calendar (``gongkai.ledger``).
"""

from __future__ import annotations

from django.db import DatabaseError

from gongkai.workdays import WorkCalendar, load_calendar


def stored_schedules() -> tuple[tuple[str, str], ...]:
    from .models import HolidaySchedule

    try:
        rows = list(HolidaySchedule.objects.order_by("year").values_list("year", "schedule_text"))
    except DatabaseError:  # before the migration has run (the first migrate, a fresh test database)
        return ()
    return tuple((f"管理后台中的 {year} 年安排", text) for year, text in rows)


def site_calendar(*, extra: tuple[tuple[str, str], ...] = ()) -> WorkCalendar:
    """The site's calendar; ``extra`` adds a year not yet stored (to compare before and after adding it)."""
    return load_calendar(provisional=True, extra_texts=stored_schedules() + extra)
