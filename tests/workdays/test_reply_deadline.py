"""Reply deadlines (条例第三十条、第三十三条) on the holiday boundaries of 2019–2026.

The expected dates below were counted by hand on the State Council schedules; the
comments show the count for some of them.  ``test_every_receipt_day_...`` then checks
every day of 2019–2026 against both calendar packages.
"""

from datetime import date, timedelta

import chinese_calendar
import holidays
import pytest

from gongkai.workdays import (
    COUNTED,
    DeadlineError,
    NoSchedule,
    Period,
    correction_notice_due,
    load_calendar,
    reply_due,
)
from gongkai.workdays.deadlines import CONSULTATION, NON_WORKING

CALENDAR = load_calendar(use_env=False)
d = date.fromisoformat


def due(received, **kwargs):
    return reply_due(d(received), calendar=CALENDAR, **kwargs).due.isoformat()


@pytest.mark.parametrize("received, expected", [
    # 2021-09-28 (Tue): 09-29, 09-30 are days 1–2; 10-01..07 国庆节; 10-08 (Fri) is 3;
    # Saturday 10-09 is a 调休 working day, 4; then 5 a week: 10-11..15 (5–9), 10-18..22
    # (10–14), 10-25..29 (15–19); Monday 11-01 is day 20.
    ("2021-09-28", "2021-11-01"),
    # Received on Saturday 2021-10-02, inside the holiday: counting starts at the first
    # working day, 10-08 (1), 10-09 (2), 10-11..15 (3–7), 10-18..22 (8–12), 10-25..29
    # (13–17), 11-01..03 (18–20).
    ("2021-10-02", "2021-11-03"),
    # 2019-09-27 (Fri): Sunday 09-29 is a make-up day (1), 09-30 (2), 10-01..07 off,
    # 10-08..11 (3–6), Saturday 10-12 make-up (7), 10-14..18 (8–12), 10-21..25 (13–17),
    # 10-28..30 (18–20).
    ("2019-09-27", "2019-10-30"),
    # 2024-02-08 (Thu): 02-09 (除夕, a working day) is 1; 02-10..17 春节; Sunday 02-18
    # make-up (2); 02-19..23 (3–7), 02-26..03-01 (8–12), 03-04..08 (13–17), 03-11..13 (18–20).
    ("2024-02-08", "2024-03-13"),
    # 2020-01-20 (Mon): 01-21..23 (1–3); the extended holiday 01-24..02-02 (the make-up
    # Saturday 02-01 was cancelled); 02-03..07 (4–8), 02-10..14 (9–13), 02-17..21 (14–18),
    # 02-24 (19), 02-25 (20).
    ("2020-01-20", "2020-02-25"),
    # 2025-09-27 (Sat): Sunday 09-28 make-up (1), 09-29, 09-30 (2–3), 10-01..08 off,
    # 10-09, 10-10 (4–5), Saturday 10-11 make-up (6), 10-13..17 (7–11), 10-20..24 (12–16),
    # 10-27..30 (17–20).
    ("2025-09-27", "2025-10-30"),
    # Across a year end: 2025-12-15 (Mon): 12-16..19 (1–4), 12-22..26 (5–9), 12-29..31
    # (10–12), 2026-01-01..03 元旦, Sunday 01-04 make-up (13), 01-05..09 (14–18), 01-12, 01-13.
    ("2025-12-15", "2026-01-13"),
    # 2024-09-27 (Fri), just before 国庆: Sunday 09-29 make-up (1), 09-30 (2), 10-01..07 off,
    # 10-08..11 (3–6), Saturday 10-12 make-up (7), 10-14..18 (8–12), 10-21..25 (13–17), 10-28..30.
    ("2024-09-27", "2024-10-30"),
    # Both calendar packages agree on this one (../shared/research/dependencies.md §2).
    ("2026-02-10", "2026-03-16"),
    # 2023-09-27 (Wed): 09-28 (1), 09-29..10-06 中秋国庆, Saturday 10-07 and Sunday 10-08
    # make-up (2–3), 10-09..13 (4–8), 10-16..20 (9–13), 10-23..27 (14–18), 10-30, 10-31.
    ("2023-09-27", "2023-10-31"),
    # 2022-01-28 (Fri): Saturday 01-29 and Sunday 01-30 make-up (1–2), 01-31..02-06 春节,
    # 02-07..11 (3–7), 02-14..18 (8–12), 02-21..25 (13–17), 02-28..03-02 (18–20).
    ("2022-01-28", "2022-03-02"),
])
def test_reply_due_across_holidays_and_make_up_days(received, expected):
    assert due(received) == expected


def test_a_correction_restarts_the_count_from_the_corrected_application():
    # 条例第三十条. From 2021-03-10 (Wed): 03-11, 12 (1–2), 03-15..19 (3–7), 03-22..26
    # (8–12), 03-29..04-02 (13–17), 04-03..05 清明, 04-06..08 (18–20).
    assert due("2021-03-01", correction_received=d("2021-03-10")) == "2021-04-08"


def test_consultation_days_do_not_count():
    # 条例第三十三条第三款. From 2022-03-01 (Tue): 03-02..04 (1–3), consultation 03-07..11
    # skipped, 03-14..18 (4–8), 03-21..25 (9–13), 03-28..31 (14–17), 04-01 (18),
    # Saturday 04-02 make-up (19), 04-03..05 清明, 04-06 (20).
    deadline = reply_due(d("2022-03-01"), consultations=[(d("2022-03-07"), d("2022-03-11"))], calendar=CALENDAR)
    assert deadline.due == d("2022-04-06")
    skipped = [step.day for step in deadline.steps if step.kind == CONSULTATION]
    assert skipped == [d("2022-03-07") + timedelta(days=n) for n in range(5)]


def test_an_extension_adds_working_days_after_the_statutory_date():
    # 2023-09-20 (Wed): 09-21, 22 (1–2), 09-25..28 (3–6), 09-29..10-06 off, 10-07, 10-08
    # make-up (7–8), 10-09..13 (9–13), 10-16..20 (14–18), 10-23, 24 (19–20): statutory
    # 10-24. Twenty more: 10-25..27 (21–23), 10-30..11-03, 11-06..10, 11-13..17 (24–38),
    # 11-20, 11-21 (39–40).
    deadline = reply_due(d("2023-09-20"), extension_days=20, calendar=CALENDAR)
    assert (deadline.statutory_due, deadline.due) == (d("2023-10-24"), d("2023-11-21"))


def test_the_correction_notice_is_due_within_7_working_days():
    # 2024-09-27: 09-29 (1), 09-30 (2), 10-08..11 (3–6), Saturday 10-12 (7).
    assert correction_notice_due(d("2024-09-27"), calendar=CALENDAR) == d("2024-10-12")


def test_two_consultations_are_both_skipped():
    one = reply_due(d("2022-03-01"), consultations=[(d("2022-03-07"), d("2022-03-11"))], calendar=CALENDAR)
    two = reply_due(d("2022-03-01"), consultations=[Period(d("2022-03-07"), d("2022-03-11")),
                                                     Period(d("2022-03-21"), d("2022-03-22"))], calendar=CALENDAR)
    assert CALENDAR.working_days_between(one.due, two.due) == 2


@pytest.mark.parametrize("kwargs, message", [
    ({"extension_days": 21}, "延长答复期限最长不得超过 20 个工作日（条例第三十三条第二款），而不是 21 个"),
    ({"extension_days": -1}, "延长的工作日数不能为负数（-1）"),
    ({"correction_received": d("2021-02-28")}, "收到补正日期 2021-02-28 早于收到申请日期 2021-03-01"),
    ({"consultations": [(d("2021-03-09"), d("2021-03-08"))]}, "征求意见结束日期 2021-03-08 早于开始日期 2021-03-09"),
])
def test_inputs_the_regulation_does_not_allow_are_refused(kwargs, message):
    with pytest.raises(DeadlineError) as caught:
        reply_due(d("2021-03-01"), calendar=CALENDAR, **kwargs)
    assert str(caught.value) == message


def test_a_deadline_running_into_a_year_without_schedule_is_refused():
    with pytest.raises(NoSchedule, match="没有 2027 年的节假日安排"):
        reply_due(d("2026-12-15"), calendar=CALENDAR)


def test_the_explanation_names_every_skipped_day_and_why():
    deadline = reply_due(d("2021-09-28"), calendar=CALENDAR)
    counted = [step for step in deadline.steps if step.kind == COUNTED]
    assert [step.number for step in counted] == list(range(1, 21))
    assert counted[-1].day == deadline.due
    holiday = [step for step in deadline.steps if step.reason == "国庆节放假"]
    assert [step.day for step in holiday] == [d("2021-10-01") + timedelta(days=n) for n in range(7)]
    assert all(step.kind == NON_WORKING for step in holiday)
    make_up = next(step for step in deadline.steps if step.day == d("2021-10-09"))
    assert (make_up.kind, make_up.number, make_up.reason) == (COUNTED, 4, "国庆节调休上班")
    # Every calendar day between receipt and due date is accounted for, once.
    assert [step.day for step in deadline.steps] == [d("2021-09-29") + timedelta(days=n) for n in range(34)]
    text = deadline.explain()
    assert "2021-10-01 至 2021-10-07：国庆节放假，不计" in text
    assert "2021-10-09：第 4 个工作日（国庆节调休上班）" in text
    assert text.splitlines()[-1] == "答复期限：2021-11-01（星期一）。"
    assert deadline.to_json()["due"] == "2021-11-01"


def test_the_explanation_of_a_receipt_on_a_holiday_says_so():
    text = reply_due(d("2021-10-02"), calendar=CALENDAR).explain()
    assert "起算日 2021-10-02（星期六）（国庆节放假），当日不计" in text


CHINA = holidays.China(years=range(2019, 2028))
LAST_RECEIPT = date(2026, 11, 20)  # later receipts run into 2027, which no schedule covers
RECEIPTS = [date(2019, 1, 1) + timedelta(days=n) for n in range((LAST_RECEIPT - date(2019, 1, 1)).days + 1)]


def _nth_working_day_by_chinese_calendar(day, count):
    while count:
        day += timedelta(days=1)
        count -= chinese_calendar.is_workday(day)
    return day


def test_every_receipt_day_of_2019_to_2026_agrees_with_both_calendar_packages():
    wrong = []
    for received in RECEIPTS:
        ours = reply_due(received, calendar=CALENDAR).due
        # holidays counts "the n-th working day after" as the regulation does, also from a
        # day off; chinese_calendar.find_workday would not (it counts a day off as day 0),
        # so its is_workday is walked instead.
        if not ours == CHINA.get_nth_working_day(received, 20) == _nth_working_day_by_chinese_calendar(received, 20):
            wrong.append(received)
    assert wrong == []


def test_every_correction_notice_of_2019_to_2026_agrees_with_the_holidays_package():
    wrong = [r for r in RECEIPTS if correction_notice_due(r, calendar=CALENDAR) != CHINA.get_nth_working_day(r, 7)]
    assert wrong == []
