"""Due dates of every application in a ledger at once, and the deadline findings of a year.

The same rules as ``gongkai.workdays.deadlines.reply_due`` (条例第三十条、第三十三条; see
there), computed for whole columns from the calendar's two indexes instead of walking
days: with ``cum`` the count of working days through a day and ``nth`` the k-th working
day,

    k0  = cum[clock_start]                         # day received (or 补正 received) not counted
    N   = 20 + extension                           # 条例第三十三条第二款
    W   = working days after clock_start, before the consultation starts
    C   = working days of the consultation after clock_start   # 条例第三十三条第三款
    due = nth[k0 + N + (C if W < N else 0)]

Tests check this against the day-by-day walk for random applications.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from gongkai.workdays import CORRECTION_NOTICE_WORKING_DAYS, REPLY_WORKING_DAYS, NoSchedule, WorkCalendar

from .errors import RowError
from .parse import Ledger
from .table import relevant_to_year, year_bounds

DEFAULT_DUE_WITHIN = 5  # working days ahead for "due soon"
_NULL32 = pa.scalar(None, pa.int32())


_ARROW_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _calendar_arrays(calendar: WorkCalendar) -> tuple[pa.Array, pa.Array]:
    """The calendar's cumulative and nth-working-day indexes as arrow arrays, built once per calendar."""
    arrays = _ARROW_INDEXES.get(calendar)
    if arrays is None:
        arrays = (pa.array(calendar.cumulative, pa.int32()), pa.array(calendar.nth_working_day_ordinal, pa.int32()))
        _ARROW_INDEXES[calendar] = arrays
    return arrays


@dataclass
class DueDates:
    """Per row: when the clock started, when the reply is due, and why a due date may be missing."""

    calendar: WorkCalendar
    clock_start: pa.Array  # int32 ordinal; null when the clock has not started or is unknown
    started: pa.Array  # int32 working days through clock_start (k0)
    due: pa.Array  # int32 ordinal of the reply due date; null when unknown
    notice_due: pa.Array  # int32 ordinal: the 补正 notice was due by then (条例第三十条)
    awaiting_correction: pa.Array  # bool: 补正 requested, corrected application not received
    consultation_open: pa.Array  # bool: consultation started, no end date yet
    no_calendar: pa.Array  # bool: the clock starts outside the schedule, or the due date falls past its end
    consultation_before: pa.Array  # int32 cum[consultation_start - 1], clipped
    has_consultation: pa.Array  # bool

    def working_days_used(self, ledger: Ledger, through: pa.Array) -> pa.Array:
        """Counted working days from clock start to ``through`` (consultation days excluded)."""
        cum, _ = _calendar_arrays(self.calendar)
        through_count = _cum_at(self.calendar, cum, through)
        end = ledger.dates["consultation_end"]
        until = pc.min_element_wise(end, through)
        in_consultation = pc.max_element_wise(
            pc.subtract(_cum_clipped(self.calendar, cum, until),
                        pc.max_element_wise(self.consultation_before, self.started)), 0)
        in_consultation = pc.if_else(self.has_consultation, in_consultation, 0)
        return pc.subtract(pc.subtract(through_count, self.started), in_consultation)


def _covered(calendar: WorkCalendar, ordinals: pa.Array) -> pa.Array:
    return pc.and_(pc.greater_equal(ordinals, calendar.first_ordinal), pc.less_equal(ordinals, calendar.last_ordinal))


def _cum_at(calendar: WorkCalendar, cum: pa.Array, ordinals: pa.Array) -> pa.Array:
    """cum[day] where the day is covered, null elsewhere."""
    offsets = pc.if_else(_covered(calendar, ordinals), pc.subtract(ordinals, calendar.origin), _NULL32)
    return pc.take(cum, offsets)


def _cum_clipped(calendar: WorkCalendar, cum: pa.Array, ordinals: pa.Array) -> pa.Array:
    """cum[day] with days outside the schedule clipped to its ends (for consultation bounds)."""
    offsets = pc.subtract(ordinals, calendar.origin)
    offsets = pc.max_element_wise(pc.min_element_wise(offsets, len(cum) - 1), 0)
    return pc.take(cum, offsets)


def _nth(nth: pa.Array, numbers: pa.Array) -> pa.Array:
    in_range = pc.and_(pc.greater_equal(numbers, 1), pc.less(numbers, len(nth)))
    return pc.take(nth, pc.if_else(in_range, numbers, _NULL32))


def due_dates(ledger: Ledger, calendar: WorkCalendar) -> DueDates:
    cum, nth = _calendar_arrays(calendar)
    dates = ledger.dates
    received, corrected = dates["received"], dates["correction_received"]
    start, end = dates["consultation_start"], dates["consultation_end"]

    # 条例第三十条: 答复期限自收到补正的申请之日起计算 — until then there is no reply clock.
    awaiting_correction = pc.and_(pc.is_valid(dates["correction_requested"]), pc.is_null(corrected))
    consultation_open = pc.and_(pc.is_valid(start), pc.is_null(end))
    clock_start = pc.coalesce(corrected, received)
    clock_start = pc.if_else(pc.or_(awaiting_correction, consultation_open), _NULL32, clock_start)
    started = _cum_at(calendar, cum, clock_start)

    # 条例第三十三条第二款: 20 working days, plus an approved extension (at most 20).
    to_count = pc.add(pc.cast(pc.fill_null(ledger.extension, 0), pa.int32()), REPLY_WORKING_DAYS)
    # 条例第三十三条第三款: consultation working days, both ends included, are not counted.
    has_consultation = pc.and_(pc.is_valid(start), pc.is_valid(end))
    before = _cum_clipped(calendar, cum, pc.subtract(start, 1))
    counted_first = pc.max_element_wise(pc.subtract(before, started), 0)
    consultation_days = pc.max_element_wise(
        pc.subtract(_cum_clipped(calendar, cum, end), pc.max_element_wise(before, started)), 0)
    skip = pc.if_else(pc.and_(has_consultation, pc.less(counted_first, to_count)), consultation_days, 0)
    due_number = pc.add(pc.add(started, to_count), skip)
    due = _nth(nth, due_number)

    notice_number = pc.add(_cum_at(calendar, cum, received), CORRECTION_NOTICE_WORKING_DAYS)
    notice_due = _nth(nth, notice_number)
    # A clock that started (or would start) outside the schedule, or runs past its end.
    no_calendar = pc.and_(pc.is_valid(clock_start), pc.is_null(due))
    return DueDates(calendar, clock_start, started, due, notice_due, pc.fill_null(awaiting_correction, False),
                    pc.fill_null(consultation_open, False), pc.fill_null(no_calendar, False), before,
                    pc.fill_null(has_consultation, False))


def calendar_errors(ledger: Ledger, due: DueDates, mask: pa.Array | None = None) -> list[RowError]:
    """A row error for each application whose deadline needs a year the calendar lacks."""
    flagged = due.no_calendar if mask is None else pc.and_(due.no_calendar, mask)
    errors = []
    calendar = due.calendar
    for index in pc.indices_nonzero(flagged).to_pylist():
        start = date.fromordinal(due.clock_start[index].as_py())
        corrected = ledger.dates["correction_received"][index].is_valid
        key = "correction_received" if corrected else "received"
        if not calendar.covers(start):
            year, what = start.year, f"{'补正收到日期' if corrected else '收到申请日期'}所在"
        else:
            year, what = calendar.last_year + 1, "答复期限落在"
        reason = NoSchedule(year, calendar.first_year, calendar.last_year).message
        errors.append(_error(ledger, index, key, f"无法计算答复期限：{what} {year} 年，{reason}", "calendar.missing"))
    return errors


def _error(ledger: Ledger, index: int, key: str, message: str, rule: str) -> RowError:
    raw = ledger.raw
    column = raw.column(key)
    value = column[index].as_py() if column is not None else None
    return RowError(ledger.row_number(index), raw.header(key), value or "", message, rule,
                    raw.fields.get(key, len(raw.headers)), index)


# ---------------------------------------------------------------- findings

@dataclass
class FindingList:
    """Applications singled out by one finding, read from the ledger only when listed."""

    title: str
    ledger: Ledger
    due: DueDates
    indices: list[int]
    days: list[int] | None = None  # working days late (or left), parallel to indices

    def __len__(self) -> int:
        return len(self.indices)

    def ids(self) -> list[str]:
        return [self.ledger.ids[i].as_py() for i in self.indices]

    def records(self, limit: int | None = None) -> list[dict]:
        """The first ``limit`` (default all) applications: id, row, received, closed, due, working days."""
        def day(column, i):
            value = column[i].as_py()
            return date.fromordinal(value) if value is not None else None

        rows = []
        for position, i in enumerate(self.indices[:limit]):
            rows.append({
                "id": self.ledger.ids[i].as_py(),
                "row": self.ledger.row_number(i),
                "received": day(self.ledger.dates["received"], i),
                "closed": day(self.ledger.dates["closed"], i),
                "due": day(self.due.due, i),
                "working_days": self.days[position] if self.days is not None else None,
            })
        return rows


@dataclass
class DeadlineFindings:
    year: int
    as_of: date
    due_within: int
    answered_late: FindingList  # closed within the year after the due date
    open_past_due: FindingList  # still open on as_of, due date already passed
    due_soon: FindingList  # still open on as_of, due within the next due_within working days
    correction_notice_late: FindingList  # 补正 notice sent within the year after its 7-day limit
    awaiting_correction: FindingList  # open on as_of, 补正 requested, no corrected application yet
    consultation_open: FindingList  # open on as_of, consultation without an end date
    no_calendar: list[RowError]  # rows of the year whose deadline needs a missing schedule
    handled: int  # applications closed within the year with a known clock start
    median_working_days: float | None
    p90_working_days: float | None

    def summary(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "due_within_working_days": self.due_within,
            "answered_late": len(self.answered_late),
            "open_past_due": len(self.open_past_due),
            "due_soon": len(self.due_soon),
            "correction_notice_late": len(self.correction_notice_late),
            "awaiting_correction": len(self.awaiting_correction),
            "consultation_open": len(self.consultation_open),
            "no_calendar": len(self.no_calendar),
            "handled": self.handled,
            "median_working_days": self.median_working_days,
            "p90_working_days": self.p90_working_days,
        }


def default_as_of(year: int, today: date | None = None) -> date:
    """The year's last day for a past year; today for the current one."""
    today = today or date.today()
    return min(date(year, 12, 31), today)


def deadline_findings(
    ledger: Ledger,
    year: int,
    *,
    calendar: WorkCalendar,
    as_of: date | None = None,
    due_within: int = DEFAULT_DUE_WITHIN,
    due: DueDates | None = None,
) -> DeadlineFindings:
    """Late answers, overdue and soon-due open applications, and handling times of ``year``."""
    as_of = as_of or default_as_of(year)
    calendar.require(as_of)
    due = due or due_dates(ledger, calendar)
    cum, _ = _calendar_arrays(calendar)
    first, last = year_bounds(year)
    today = as_of.toordinal()
    received, closed = ledger.dates["received"], ledger.dates["closed"]

    def listing(title, mask, days=None):
        mask = pc.fill_null(mask, False)
        indices = pc.indices_nonzero(mask)
        taken = pc.take(days, indices).to_pylist() if days is not None else None
        return FindingList(title, ledger, due, indices.to_pylist(), taken)

    closed_in_year = pc.and_(pc.greater_equal(closed, first), pc.less_equal(closed, last))
    late_by = pc.subtract(_cum_at(calendar, cum, closed), _cum_at(calendar, cum, due.due))
    answered_late = listing("逾期答复", pc.and_(closed_in_year, pc.greater(closed, due.due)), late_by)

    open_on_day = pc.and_(pc.less_equal(received, today), pc.fill_null(pc.greater(closed, today), True))
    as_of_number = pa.scalar(calendar.working_days_through(as_of), pa.int32())
    overdue_by = pc.subtract(as_of_number, _cum_at(calendar, cum, due.due))
    open_past_due = listing("超期未办结", pc.and_(open_on_day, pc.less(due.due, today)), overdue_by)
    # Compared as working-day numbers, so an as-of date near the end of the schedule needs
    # no schedule for the days after it.
    days_left = pc.subtract(_cum_at(calendar, cum, due.due), as_of_number)
    due_soon = listing(f"{due_within} 个工作日内到期",
                       pc.and_(open_on_day, pc.and_(pc.greater_equal(due.due, today), pc.less_equal(days_left, due_within))),
                       days_left)

    requested = ledger.dates["correction_requested"]
    notice_late = pc.and_(pc.and_(pc.greater_equal(requested, first), pc.less_equal(requested, last)),
                          pc.greater(requested, due.notice_due))
    notice_late_by = pc.subtract(_cum_at(calendar, cum, requested), _cum_at(calendar, cum, due.notice_due))
    correction_notice_late = listing("补正告知逾期", notice_late, notice_late_by)

    awaiting = listing("等待补正", pc.and_(open_on_day, due.awaiting_correction))
    consulting = listing("征求意见中", pc.and_(open_on_day, due.consultation_open))
    no_calendar = calendar_errors(ledger, due, relevant_to_year(ledger, year))

    used = pc.filter(due.working_days_used(ledger, closed), pc.fill_null(closed_in_year, False))
    used = pc.drop_null(used)
    median = p90 = None
    if len(used):
        median, p90 = pc.quantile(used, q=[0.5, 0.9], interpolation="linear").to_pylist()
    return DeadlineFindings(year, as_of, due_within, answered_late, open_past_due, due_soon, correction_notice_late,
                            awaiting, consulting, no_calendar, len(used), median, p90)
