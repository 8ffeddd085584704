"""Years after the last published schedule: the statutory holidays and weekends, marked 预计."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.workdays import NoSchedule, WorkCalendar, load_calendar, reply_due
from gongkai.workdays.schedule import parse_schedule, shipped_schedule_text
from gongkai.workdays.statutory import statutory_holidays

SHIPPED = load_calendar(use_env=False)


def provisional_after(last_year: int, through: int) -> WorkCalendar:
    """The shipped schedule cut after ``last_year``, the years after it provisional."""
    entries = [e for e in parse_schedule(shipped_schedule_text(), "cn-workdays.csv") if e.day.year <= last_year]
    return WorkCalendar(entries, provisional_through=through)


def test_without_asking_a_year_with_no_schedule_is_still_refused():
    with pytest.raises(NoSchedule):
        SHIPPED.is_workday(date(SHIPPED.last_year + 1, 3, 3))


def test_2027_is_the_statutory_holidays_and_the_weekends_and_nothing_else():
    calendar = WorkCalendar(parse_schedule(shipped_schedule_text(), "x"), provisional_through=2027)
    assert (calendar.last_year, list(calendar.provisional_years)) == (2026, [2027])
    days = [date(2027, 1, 1) + timedelta(days=n) for n in range(365)]
    off = {day for day in days if not calendar.is_workday(day) and day.weekday() < 5}
    # 元旦 Fri 1 Jan; 春节 除夕 Fri 5 Feb to 初三 Mon 8 Feb (6, 7 are a weekend); 清明 Mon 5 Apr;
    # 劳动节 1–2 May are a weekend; 端午 Wed 9 Jun; 中秋 Wed 15 Sep; 国庆 1 Oct Fri (2–3 a weekend).
    assert sorted(off) == [date(2027, 1, 1), date(2027, 2, 5), date(2027, 2, 8), date(2027, 4, 5), date(2027, 6, 9),
                           date(2027, 9, 15), date(2027, 10, 1)]
    assert all(calendar.is_workday(day) for day in days if day.weekday() < 5 and day not in off)
    assert not any(calendar.is_workday(day) for day in days if day.weekday() >= 5)  # no 调休 guessed
    assert calendar.describe(date(2027, 2, 5)) == "春节放假（预计）"
    assert calendar.is_provisional(date(2027, 6, 1)) and not calendar.is_provisional(date(2026, 6, 1))


def test_a_deadline_running_into_a_provisional_year_says_so_and_why():
    calendar = WorkCalendar(parse_schedule(shipped_schedule_text(), "x"), provisional_through=2027)
    inside = reply_due(date(2026, 9, 15), calendar=calendar)
    assert not inside.provisional and inside.provisional_reason == ""
    crossing = reply_due(date(2026, 12, 28), calendar=calendar)
    assert crossing.due == date(2027, 1, 26)  # 12-29..31, then 元旦 off, 17 working days of January
    assert crossing.provisional and crossing.provisional_years == (2027,)
    assert "2027 年的放假安排国务院办公厅尚未公布" in crossing.provisional_reason
    assert "以国务院办公厅公布的放假安排为准" in crossing.provisional_reason
    assert crossing.to_json()["provisional"] is True
    assert "答复期限：预计 2027-01-26（星期二）。" in crossing.explain()


def test_the_provisional_years_end_with_next_year():
    calendar = WorkCalendar(parse_schedule(shipped_schedule_text(), "x"), provisional_through=2028)
    assert calendar.is_workday(date(2028, 12, 29))
    with pytest.raises(NoSchedule):
        calendar.is_workday(date(2029, 1, 2))


def test_load_calendar_asked_for_provisional_years_runs_through_next_year(monkeypatch):
    import time_machine

    monkeypatch.delenv("GONGKAI_WORKDAYS_FILE", raising=False)
    with time_machine.travel(date(SHIPPED.last_year + 1, 1, 5)):
        calendar = load_calendar(provisional=True)
    assert list(calendar.provisional_years) == [SHIPPED.last_year + 1, SHIPPED.last_year + 2]


@pytest.mark.parametrize("year", range(2019, 2027))
def test_each_statutory_holiday_of_2019_to_2026_was_a_rest_day_in_the_published_schedule(year):
    # The 办法 as in force that year (第644号 before 2025, 第795号 from 2025): the notices only add days.
    working = [day for day, _ in statutory_holidays(year) if SHIPPED.is_workday(day)]
    assert working == []


@given(st.integers(min_value=2020, max_value=2026))
def test_every_weekday_a_provisional_year_takes_off_was_off_in_the_published_year(year):
    # Computed as if the year's notice had not come out yet: without 调休 it can be wrong only by
    # counting a bridge day or a 调休 weekend as a working day, never by inventing a day off.
    calendar = provisional_after(year - 1, year)
    days = [date(year, 1, 1) + timedelta(days=n) for n in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)]
    provisional_off = {d for d in days if not calendar.is_workday(d)}
    real_off = {d for d in days if not SHIPPED.is_workday(d) or d.weekday() >= 5}
    assert {d for d in provisional_off if d.weekday() < 5} <= {d for d in real_off if d.weekday() < 5}
    assert all(calendar.is_provisional(d) for d in days)


def test_the_lunar_dates_are_right_for_years_whose_notices_name_them():
    # 2025 notice: 春节 from 1月28日（农历除夕）; 2026 notice: 2月15日 is 腊月二十八, so 除夕 is 16 February.
    assert [d for d, name in statutory_holidays(2025) if name == "春节"][0] == date(2025, 1, 28)
    assert [d for d, name in statutory_holidays(2026) if name == "春节"][0] == date(2026, 2, 16)
    assert (date(2027, 4, 5), "清明节") in statutory_holidays(2027)
