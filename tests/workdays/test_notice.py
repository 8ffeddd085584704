"""The State Council's holiday notices of 2019–2026, read as published, give back the shipped calendar.

The fixtures (tests/fixtures/holiday-notices/) are the notices' texts: 国办发明电〔2018〕15号
(2019, with 劳动节 as changed by 国办发明电〔2019〕2号), 〔2019〕16号 (2020, with 春节 as extended by
国办发明电〔2020〕1号), 〔2020〕27号, 〔2021〕11号, 〔2022〕16号, 〔2023〕7号, 〔2024〕12号 and, as a web
page, 〔2025〕7号 (2026).  Reading them must give every 调休上班 day and every weekday holiday of
the shipped file, which proves the reader and the shipped calendar together.
"""

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.workdays import WorkCalendar, load_calendar
from gongkai.workdays.notice import NoticeError, notice_text, parse_notice
from gongkai.workdays.schedule import HOLIDAY, MAKEUP_WORKDAY, parse_schedule

NOTICES = sorted((Path(__file__).parents[1] / "fixtures" / "holiday-notices").iterdir())
SHIPPED = load_calendar(use_env=False)
YEARS = range(2019, 2027)


def read(path: Path):
    return parse_notice(notice_text(path.read_bytes()))


def test_there_is_a_notice_for_every_shipped_year():
    assert [read(path).year for path in NOTICES] == list(YEARS)


@pytest.mark.parametrize("path", NOTICES, ids=lambda p: p.name)
def test_each_notice_gives_the_shipped_make_up_days_and_weekday_holidays(path):
    notice = read(path)
    year = notice.year
    covered = range(2019, 2027)
    entries = [e for e in notice.entries_with(covered) if e.day.year in covered]
    shipped = [e for e in SHIPPED.entries.values() if e.day.year == year]
    # The next notice's 元旦 may begin on 31 December of this year: leave those to it.
    shipped = [e for e in shipped if not (e.day.month == 12 and e.name == "元旦")]
    entries = [e for e in entries if e.day.year == year]
    assert sorted(e.day for e in entries if e.kind == MAKEUP_WORKDAY) == \
        sorted(e.day for e in shipped if e.kind == MAKEUP_WORKDAY)
    assert sorted(e.day for e in entries if e.kind == HOLIDAY and e.day.weekday() < 5) == \
        sorted(e.day for e in shipped if e.kind == HOLIDAY and e.day.weekday() < 5)


def test_a_calendar_made_only_from_the_notices_answers_every_day_of_2019_to_2026_like_the_shipped_one(tmp_path):
    covered = range(2019, 2027)
    files = [parse_schedule(read(path).file_text(covered), path.name) for path in NOTICES]
    calendar = WorkCalendar([entry for entries in files for entry in entries])
    assert (calendar.first_year, calendar.last_year) == (2019, 2026)
    day, differing = date(2019, 1, 1), []
    while day.year < 2027:
        if calendar.is_workday(day) != SHIPPED.is_workday(day):
            differing.append(day)
        day += timedelta(days=1)
    assert differing == []


def test_the_summary_says_what_was_understood():
    summary = read(NOTICES[-1]).summary(range(2019, 2026))
    assert "二、春节：放假 2026-02-15 至 2026-02-23（9 天）；调休上班：2026-02-14（星期六）、2026-02-28（星期六）" in summary
    assert "七、国庆节：放假 2026-10-01 至 2026-10-07（7 天）；调休上班：2026-09-20（星期日）、2026-10-10（星期六）" in summary


def test_a_remark_that_changes_no_working_day_is_shown_not_applied():
    notice = read(NOTICES[5])  # 2024: 鼓励……安排职工在除夕（2月9日）休息
    spring = [item for item in notice.items if item.name == "春节"][0]
    assert date(2024, 2, 9) not in spring.holidays
    assert "提示（不改变工作日）：鼓励各单位" in spring.describe()


def test_days_of_the_year_before_are_written_only_when_that_year_is_already_in_the_calendar():
    notice = read(NOTICES[0])  # 2019: 元旦 from 2018-12-30, 2018-12-29 worked
    assert all(e.day.year == 2019 for e in notice.entries_with(range(2019, 2027)))
    assert {e.day for e in notice.entries_with(range(2018, 2027)) if e.day.year == 2018} == {
        date(2018, 12, 29), date(2018, 12, 30), date(2018, 12, 31)}
    assert "未写入（所在年份还没有安排，请先补充该年）：2018-12-29上班" in notice.summary(range(2019, 2027))


GOOD_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。
二、春节：2月5日（农历除夕、周五）至11日（农历正月初六、周四）放假调休，共7天。2月14日（周日）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假1天，不调休。
六、中秋节：9月15日（周三）放假1天，不调休。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""


def test_a_made_up_notice_for_2027_reads():
    notice = parse_notice(GOOD_2027)
    assert notice.year == 2027 and len(notice.items) == 7
    assert [e.day for e in notice.entries if e.kind == MAKEUP_WORKDAY] == [
        date(2027, 2, 14), date(2027, 4, 25), date(2027, 5, 8), date(2027, 9, 26), date(2027, 10, 9)]


@pytest.mark.parametrize("change, message", [
    (("1月1日（周五）至3日（周日）", "1月1日（周四）至3日（周日）"), "1月1日写作“周四”，但 2027-01-01 是星期五"),
    (("共3天。\n二", "共4天。\n二"), "写明共 4 天，但 2027-01-01 至 2027-01-03 是 3 天"),
    (("2月14日（周日）上班", "2月15日（周一）上班"), "调休上班日 2027-02-15 是星期一，本来就上班"),
    (("五、端午节：6月9日（周三）放假1天，不调休。\n", ""), "通知中没有端午节的安排"),
    (("不调休。\n六", "另行通知。\n六"), "读不懂“另行通知”"),
    (("2月5日（农历除夕、周五）", "2月5日（除夕、周五）"), "读不懂日期后括号中的“除夕”"),
    (("国务院办公厅关于2027年部分节假日安排的通知", "关于部分节假日安排的通知"), "找不到通知所属的年份"),
    (("6月9日（周三）放假1天", "6月31日放假1天"), "2027年6月31日 不是存在的日期"),
    (("五、端午", "六、端午"), "条目编号不连续"),
])
def test_a_notice_that_cannot_be_read_fully_is_refused_with_the_reason(change, message):
    old, new = change
    assert old in GOOD_2027
    with pytest.raises(NoticeError) as raised:
        parse_notice(GOOD_2027.replace(old, new, 1))
    assert message in str(raised.value)
    assert raised.value.exit_code == 2


def test_a_notice_copied_from_a_web_page_as_one_line_reads_the_same():
    flat = GOOD_2027.replace("\n", "") + "节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。国务院办公厅"
    assert parse_notice(flat).entries == parse_notice(GOOD_2027).entries


def test_full_width_digits_read_as_digits():
    assert parse_notice(GOOD_2027.replace("10月1日", "１０月１日")).entries == parse_notice(GOOD_2027).entries


# (name, month, first possible start day, last possible start day, longest span, make-up window in the month)
_SHAPES = [("元旦", 1, 1, 1, 3, (10, 20)), ("春节", 2, 1, 15, 9, (24, 28)), ("清明节", 4, 3, 5, 3, (8, 14)),
           ("劳动节", 5, 1, 1, 5, (8, 14)), ("端午节", 6, 1, 20, 3, (24, 30)), ("中秋节", 9, 10, 20, 3, (23, 30)),
           ("国庆节", 10, 1, 1, 8, (9, 15))]
_NUMBERS = "一二三四五六七"


@given(st.integers(min_value=2027, max_value=2090), st.data())
def test_any_notice_in_the_published_wording_reads_back_exactly(year, data):
    weekday_style = data.draw(st.sampled_from(["周", "星期", None]))
    lines, expected = [f"国务院办公厅关于{year}年部分节假日安排的通知"], {}
    for number, (name, month, first, last, longest, (low, high)) in zip(_NUMBERS, _SHAPES, strict=True):
        start = date(year, month, data.draw(st.integers(first, last)))
        length = data.draw(st.integers(1, longest))
        days = [start + timedelta(days=n) for n in range(length)]
        weekends = [date(year, month, d) for d in range(low, high + 1) if date(year, month, d).weekday() >= 5]
        worked = sorted(data.draw(st.sets(st.sampled_from(weekends), max_size=2))) if weekends else []

        def said(day, with_month=True):
            mark = f"（{weekday_style}{'一二三四五六日'[day.weekday()]}）" if weekday_style else ""
            return (f"{day.month}月{day.day}日" if with_month else f"{day.day}日") + mark

        span = said(days[0]) + (f"至{said(days[-1], with_month=False)}" if length > 1 else "")
        text = f"{number}、{name}：{span}放假{'调休' if worked else ''}，共{length}天。"
        if worked:
            text += "、".join(said(day) for day in worked) + "上班。"
        lines.append(text)
        expected[name] = (tuple(days), tuple(worked))
    notice = parse_notice("\n".join(lines))
    assert {item.name: (item.holidays, item.makeup_days) for item in notice.items} == expected
