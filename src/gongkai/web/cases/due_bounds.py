"""The earliest day an application's reply can be due, as a filter SQL can apply, so that a count over many
cases computes the exact due date (``Application.reply_deadline``, walked day by day) only where it can matter.

A reply is due 20 working days after receipt at the earliest (条例第三十三条): a 补正 starts the count later,
an extension and the days of a consultation make it longer, never shorter.  So a case closed on or before
the earliest due day of its date of receipt was answered on time, and an open case whose earliest due day
is after a given day is neither overdue nor due by then.  Where the calendar cannot say (a year it does
not know), nothing is left out.
"""

from __future__ import annotations

from datetime import date, timedelta

from gongkai.workdays import WorkCalendar, WorkdaysError
from gongkai.workdays.deadlines import REPLY_WORKING_DAYS


def earliest_due(received: date, calendar: WorkCalendar) -> date | None:
    try:
        return calendar.add_working_days(received, REPLY_WORKING_DAYS)
    except WorkdaysError:
        return None


def maybe_answered_late(cases, calendar: WorkCalendar) -> list[int]:
    """The pks of closed ``cases`` that may have been answered late: closed after the earliest due day of their
    receipt.  (Compared here rather than in SQL: one condition per date of receipt is slow for SQLite.)"""
    dues: dict[date, date | None] = {}
    maybe = []
    for pk, received, closed in cases.order_by().values_list("pk", "received_on", "closed_on").iterator(2000):
        if received not in dues:
            dues[received] = earliest_due(received, calendar)
        due = dues[received]
        if due is None or closed is None or closed > due:
            maybe.append(pk)
    return maybe


def latest_receipt_due_by(day: date, calendar: WorkCalendar) -> date | None:
    """The last date of receipt whose earliest due day is on or before ``day``: cases received later cannot be
    due by ``day``.  None when the calendar cannot say (then no case may be left out)."""
    received = day - timedelta(days=REPLY_WORKING_DAYS)  # 20 working days span more than 20 days
    for _ in range(60):  # the earliest due day grows with the day of receipt: step back until it is due by ``day``
        due = earliest_due(received, calendar)
        if due is None:
            return None
        if due <= day:
            return received
        received -= timedelta(days=1)
    return None
