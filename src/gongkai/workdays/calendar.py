"""The working-day calendar: which days count as 工作日 under the State Council's schedule.

A day is a working day when it is Monday–Friday and not a listed holiday, or when it is
a weekend day listed as a make-up working day (调休上班).  Years outside the loaded
schedule are refused (``NoSchedule``), never guessed as a plain Monday–Friday year — unless the
calendar is asked for *provisional* years: then the years after the last published schedule
are the statutory holidays of 《全国年节及纪念日放假办法》 (``statutory.py``) plus weekends, with no
调休, and every answer that touches them says so (``is_provisional``, ``provisional_reason``).

Besides per-day questions, the calendar keeps two precomputed indexes so that deadline
arithmetic is a pair of list lookups rather than a walk (the ledger uses them for a
million rows at once):

* ``cumulative[i]`` — working days from the first covered day through ordinal
  ``origin + i`` (``cumulative[0]`` is the day before the first covered day, so 0);
* ``nth_working_day_ordinal[k]`` — the ordinal of the k-th working day (k ≥ 1).

So "the n-th working day after day d" is ``nth_working_day_ordinal[cumulative[d - origin] + n]``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

from .errors import NoSchedule, ScheduleFileError
from .schedule import HOLIDAY, MAKEUP_WORKDAY, ScheduleEntry, parse_schedule, read_schedule_file, shipped_schedule_text
from .statutory import rules_in_force, statutory_holidays

CALENDAR_FILE_ENV = "GONGKAI_WORKDAYS_FILE"
PROVISIONAL_MARK = "预计"
WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class WorkCalendar:
    """Working days of a contiguous range of years, built from schedule entries."""

    def __init__(self, entries: Iterable[ScheduleEntry], *, source: str = "", provisional_through: int | None = None):
        by_day: dict[date, ScheduleEntry] = {}
        for entry in entries:  # later entries (a user's file) override earlier ones
            by_day[entry.day] = entry
        years = sorted({day.year for day in by_day})
        if not years:
            raise ScheduleFileError(source or "工作日安排", None, "没有任何日期")
        missing = sorted(set(range(years[0], years[-1] + 1)) - set(years))
        if missing:
            raise ScheduleFileError(
                source or "工作日安排", None,
                f"年份须相连：有 {years[0]}—{years[-1]} 年的安排，却缺少 {'、'.join(map(str, missing))} 年",
            )
        self.first_year = years[0]
        self.last_year = years[-1]  # the last year with a published schedule
        # Years after it computed from the statutory holidays alone (no 调休): marked 预计 wherever shown.
        self.provisional_years = range(self.last_year + 1, max(self.last_year, provisional_through or 0) + 1)
        for year in self.provisional_years:
            for day, name in statutory_holidays(year):
                by_day[day] = ScheduleEntry(day, HOLIDAY, name)
        self.end_year = self.provisional_years[-1] if self.provisional_years else self.last_year
        self.entries = by_day
        first = date(self.first_year, 1, 1).toordinal()
        last = date(self.end_year, 12, 31).toordinal()
        self.first_ordinal = first
        self.last_ordinal = last
        # origin is the day before the first covered day, so index 0 means "nothing yet".
        self.origin = first - 1
        cumulative = [0]
        nth = [self.origin]  # index 0 is a placeholder: working days are numbered from 1
        for ordinal in range(first, last + 1):
            if self._is_workday_uncached(date.fromordinal(ordinal)):
                nth.append(ordinal)
            cumulative.append(len(nth) - 1)
        self.cumulative = cumulative
        self.nth_working_day_ordinal = nth

    # ------------------------------------------------------------ coverage

    def covers(self, day: date) -> bool:
        return self.first_year <= day.year <= self.end_year

    def require(self, day: date) -> None:
        if not self.covers(day):
            raise NoSchedule(day.year, self.first_year, self.last_year)

    def is_provisional(self, day: date) -> bool:
        """The day lies in a year without a published schedule, computed from the statutory holidays."""
        return day.year in self.provisional_years

    def provisional_years_in(self, days: Iterable[date]) -> tuple[int, ...]:
        return tuple(sorted({day.year for day in days if day.year in self.provisional_years}))

    # ------------------------------------------------------------ one day

    def _is_workday_uncached(self, day: date) -> bool:
        entry = self.entries.get(day)
        if entry is not None:
            return entry.kind == MAKEUP_WORKDAY
        return day.weekday() < 5

    def is_workday(self, day: date) -> bool:
        self.require(day)
        index = day.toordinal() - self.origin
        return self.cumulative[index] != self.cumulative[index - 1]

    def describe(self, day: date, *, mark_provisional: bool = True) -> str:
        """Why the day is or is not a working day, in Chinese: ``国庆节放假`` / ``春节调休上班`` / ``周末``.

        In a provisional year a holiday reads ``元旦放假（预计）``.
        """
        self.require(day)
        entry = self.entries.get(day)
        if entry is not None and entry.kind == HOLIDAY:
            text = f"{entry.name}放假" if entry.name else "节假日放假"
            return f"{text}（{PROVISIONAL_MARK}）" if mark_provisional and self.is_provisional(day) else text
        if entry is not None and entry.kind == MAKEUP_WORKDAY:
            return f"{entry.name}调休上班" if entry.name else "调休上班"
        return "周末" if day.weekday() >= 5 else "工作日"

    # ------------------------------------------------------------ counting

    def working_days_through(self, day: date) -> int:
        """How many working days from the first covered day up to and including ``day``."""
        self.require(day)
        return self.cumulative[day.toordinal() - self.origin]

    def nth_working_day(self, number: int) -> date:
        """The ``number``-th working day of the covered range (1 is the first)."""
        if number < 1:
            raise NoSchedule(self.first_year - 1, self.first_year, self.last_year)
        if number >= len(self.nth_working_day_ordinal):
            raise NoSchedule(self.last_year + 1, self.first_year, self.last_year)
        return date.fromordinal(self.nth_working_day_ordinal[number])

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``day`` itself not counted).

        A negative count goes back: the ``-count``-th working day before ``day``.  Zero
        gives ``day`` itself.  A non-working ``day`` counts from the next working day, so
        one working day after Saturday is Monday.
        """
        if count == 0:
            self.require(day)
            return day
        if count > 0:
            return self.nth_working_day(self.working_days_through(day) + count)
        self.require(day)
        before = self.cumulative[day.toordinal() - self.origin - 1]
        return self.nth_working_day(before + count + 1)

    def working_days_between(self, after: date, through: date) -> int:
        """Working days in the interval (after, through]: ``after`` excluded, ``through`` included."""
        return self.working_days_through(through) - self.working_days_through(after)


def weekday_name(day: date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


def provisional_reason(years: Iterable[int]) -> str:
    """Why dates in ``years`` are only 预计, and what settles them, in Chinese ("" for no years)."""
    years = sorted(set(years))
    if not years:
        return ""
    named = "、".join(str(year) for year in years)
    rules = "、".join(dict.fromkeys(rules_in_force(year) for year in years))
    return (f"{named} 年的放假安排国务院办公厅尚未公布，按{rules}规定的法定节假日和周末推算，未计调休；"
            f"以国务院办公厅公布的放假安排为准")


# ---------------------------------------------------------------- loading

def calendar_files_from_env() -> tuple[str, ...]:
    value = os.environ.get(CALENDAR_FILE_ENV, "")
    return tuple(part for part in value.split(os.pathsep) if part.strip())


def load_calendar(extra_files: Iterable[str | Path] = (), *, use_env: bool = True, provisional: bool = False,
                  extra_texts: Iterable[tuple[str, str]] = ()) -> WorkCalendar:
    """The shipped schedule, then the files named in GONGKAI_WORKDAYS_FILE, then ``extra_files``,
    then ``extra_texts`` ((source name, file text) pairs, e.g. years the site stores in its database).

    With ``provisional``, the years after the last schedule through next year (from today) are
    computed from the statutory holidays (``WorkCalendar.provisional_years``); without it they are
    refused, as the ledger wants for its findings.

    Results are cached per list of files (and their modification times), since
    building the indexes for eight years is done once per process.
    """
    files = (calendar_files_from_env() if use_env else ()) + tuple(str(path) for path in extra_files)
    stamps = tuple((path, _mtime(path)) for path in files)
    through = date.today().year + 1 if provisional else None
    return _load_cached(stamps, tuple(extra_texts), through)


def _mtime(path: str) -> float | None:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None  # read_schedule_file reports the problem with a proper message


@lru_cache(maxsize=16)
def _load_cached(stamps: tuple[tuple[str, float | None], ...], texts: tuple[tuple[str, str], ...],
                 provisional_through: int | None) -> WorkCalendar:
    entries = parse_schedule(shipped_schedule_text(), "cn-workdays.csv")
    for path, _ in stamps:
        entries += read_schedule_file(path)
    for source, text in texts:
        entries += parse_schedule(text, source)
    sources = ["cn-workdays.csv", *(path for path, _ in stamps), *(source for source, _ in texts)]
    return WorkCalendar(entries, source=" + ".join(sources), provisional_through=provisional_through)
