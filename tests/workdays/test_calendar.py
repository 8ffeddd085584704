"""The shipped working-day calendar, checked day by day against both calendar packages."""

from datetime import date, timedelta

import chinese_calendar
import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.workdays import NoSchedule, ScheduleFileError, WorkCalendar, load_calendar
from gongkai.workdays.schedule import parse_schedule, shipped_schedule_text
from gongkai.workdays.seed import render, schedule_rows

CALENDAR = load_calendar(use_env=False)
FIRST, LAST = date(2019, 1, 1), date(2026, 12, 31)
EVERY_DAY = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
CHINA = holidays.China(years=range(2019, 2027))


def test_the_shipped_calendar_covers_2019_to_2026():
    assert (CALENDAR.first_year, CALENDAR.last_year) == (2019, 2026)


def test_every_day_of_2019_to_2026_agrees_with_chinese_calendar():
    differing = [day for day in EVERY_DAY if CALENDAR.is_workday(day) != chinese_calendar.is_workday(day)]
    assert differing == []


def test_every_day_of_2019_to_2026_agrees_with_the_holidays_package():
    differing = [day for day in EVERY_DAY if CALENDAR.is_workday(day) != CHINA.is_working_day(day)]
    assert differing == []


def test_the_shipped_file_is_what_the_seed_script_writes():
    # The data file must be reproducible: regenerate it and compare byte for byte.
    assert render(schedule_rows()) == shipped_schedule_text()


@pytest.mark.parametrize("day", [
    # 调休 make-up working days listed by both libraries (../shared/research/dependencies.md §2).
    "2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26", "2021-10-09",
    "2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08", "2022-10-09",
    "2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08",
    "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12",
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
])
def test_make_up_weekend_days_are_working_days(day):
    day = date.fromisoformat(day)
    assert day.weekday() >= 5
    assert CALENDAR.is_workday(day)
    assert CALENDAR.describe(day).endswith("调休上班")


@pytest.mark.parametrize("day", ["2020-01-31", "2020-02-01", "2020-02-02"])
def test_the_2020_spring_festival_extension_is_holiday(day):
    # 国办发明电〔2020〕1号 extended the holiday to 2 February and cancelled the make-up
    # working day of Saturday 1 February that the original schedule had.
    day = date.fromisoformat(day)
    assert not CALENDAR.is_workday(day)
    assert CALENDAR.describe(day) == "春节（延长假期）放假"


def test_the_first_working_day_after_the_2020_extension_is_monday_3_february():
    assert CALENDAR.add_working_days(date(2020, 1, 23), 1) == date(2020, 2, 3)


@pytest.mark.parametrize("day, reason", [
    ("2021-10-01", "国庆节放假"), ("2021-10-04", "国庆节放假"), ("2021-10-16", "周末"), ("2021-10-08", "工作日"),
    ("2024-02-12", "春节放假"), ("2020-10-08", "国庆节、中秋节放假"),
])
def test_each_day_says_why(day, reason):
    assert CALENDAR.describe(date.fromisoformat(day)) == reason


@pytest.mark.parametrize("day", [date(2018, 12, 31), date(2027, 1, 1), date(2027, 10, 8)])
def test_a_year_without_schedule_is_refused_not_guessed(day):
    with pytest.raises(NoSchedule) as caught:
        CALENDAR.is_workday(day)
    assert f"没有 {day.year} 年的节假日安排" in str(caught.value)
    assert "2019—2026" in str(caught.value)
    assert caught.value.exit_code == 2


def test_counting_past_the_last_scheduled_year_is_refused():
    with pytest.raises(NoSchedule, match="2027"):
        CALENDAR.add_working_days(date(2026, 12, 20), 20)


NEXT_YEAR = """\
# 2027 年部分节假日安排（示例，非官方）
date,kind,name
2027-01-01,holiday,元旦
2027-02-06,放假,春节
2027-02-07,上班,春节
"""


def test_a_users_file_adds_next_year(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(NEXT_YEAR, encoding="utf-8")
    calendar = load_calendar([path], use_env=False)
    assert calendar.last_year == 2027
    assert not calendar.is_workday(date(2027, 1, 1))  # a Friday made holiday
    assert calendar.is_workday(date(2027, 2, 7))  # a Sunday made working day
    assert calendar.is_workday(date(2027, 3, 3))  # an ordinary Wednesday
    assert calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_the_environment_variable_adds_files(tmp_path, monkeypatch):
    path = tmp_path / "2027.csv"
    path.write_text(NEXT_YEAR, encoding="utf-8")
    monkeypatch.setenv("GONGKAI_WORKDAYS_FILE", str(path))
    assert load_calendar().last_year == 2027


def test_a_users_file_overrides_a_shipped_day(tmp_path):
    path = tmp_path / "fix.csv"
    path.write_text("2021-10-08,holiday,假设的临时放假\n", encoding="utf-8")
    calendar = load_calendar([path], use_env=False)
    assert not calendar.is_workday(date(2021, 10, 8))
    assert calendar.describe(date(2021, 10, 8)) == "假设的临时放假放假"


@pytest.mark.parametrize("text, message", [
    ("2027-02-30,holiday,x\n", "第 1 行：日期「2027-02-30」应为 YYYY-MM-DD 格式的有效日期"),
    ("2027/1/1,holiday,x\n", "第 1 行：日期「2027/1/1」应为 YYYY-MM-DD 格式的有效日期"),
    ("date,kind,name\n2027-01-01,vacation,x\n", "第 2 行：类别「vacation」应为 holiday（放假）或 makeup_workday（上班）"),
    ("2027-01-04,makeup_workday,x\n", "第 1 行：2027-01-04 是周一至周五，本来就上班，不能标为调休上班"),
    ("2027-01-01,holiday,x\n2027-01-01,holiday,y\n", "第 2 行：2027-01-01 与第 1 行重复"),
    ("2027-01-01\n", "第 1 行：每行应为「日期,类别,名称」三项"),
])
def test_a_bad_schedule_line_is_an_error_naming_the_line(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScheduleFileError) as caught:
        load_calendar([path], use_env=False)
    assert str(caught.value) == f"{path} {message}"


def test_a_gap_between_years_is_refused(tmp_path):
    path = tmp_path / "2028.csv"
    path.write_text("2028-01-03,holiday,元旦\n", encoding="utf-8")
    with pytest.raises(ScheduleFileError, match="缺少 2027 年"):
        load_calendar([path], use_env=False)


def test_a_missing_schedule_file_is_named(tmp_path):
    with pytest.raises(ScheduleFileError, match="文件不存在"):
        load_calendar([tmp_path / "nope.csv"], use_env=False)


def test_a_calendar_of_one_custom_year_counts_plain_weeks_outside_its_holidays():
    calendar = WorkCalendar(parse_schedule("2030-01-01,holiday,元旦\n", "test"))
    assert [calendar.is_workday(date(2030, 1, d)) for d in range(1, 8)] == [False, True, True, True, False, False, True]


working_days = st.sampled_from([day for day in EVERY_DAY if CALENDAR.is_workday(day)])


@given(day=working_days, count=st.integers(-150, 150))
def test_adding_n_working_days_then_counting_back_returns_the_day(day, count):
    try:
        later = CALENDAR.add_working_days(day, count)
    except NoSchedule:
        return  # ran past the covered years
    assert CALENDAR.add_working_days(later, -count) == day
    if count > 0:
        assert CALENDAR.working_days_between(day, later) == count
        assert CALENDAR.is_workday(later)


@given(day=st.sampled_from(EVERY_DAY), count=st.integers(1, 60))
def test_adding_working_days_counts_exactly_that_many_working_days_after_the_day(day, count):
    try:
        later = CALENDAR.add_working_days(day, count)
    except NoSchedule:
        return
    between = [day + timedelta(days=n) for n in range(1, (later - day).days + 1)]
    assert sum(chinese_calendar.is_workday(d) for d in between) == count
    assert chinese_calendar.is_workday(later)
