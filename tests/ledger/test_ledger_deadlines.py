"""Deadline findings of a year, and the whole-ledger due dates against the day-by-day walk."""

import statistics
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.ledger.ledgers import ledger_from_records
from tests.ledger.test_table_three import ROWS as TABLE_ROWS

from gongkai.ledger import deadline_findings, due_dates, read_ledger, report_from_ledger
from gongkai.workdays import load_calendar, reply_due

CALENDAR = load_calendar(use_env=False)
HEADERS = ["申请编号", "收到申请日期", "申请人类型", "办结日期", "办理结果", "补正告知日期", "补正收到日期",
           "征求意见开始日期", "征求意见结束日期", "延期工作日数"]
# Due dates counted by hand in the comments.
DEADLINE_ROWS = [
    # due 2021-11-01 (see tests/workdays); answered a working day late
    ["L1", "2021-09-28", "自然人", "2021-11-02", "予以公开", "", "", "", "", ""],
    # received on a holiday Saturday: due 2021-11-03, answered that day
    ["L2", "2021-10-02", "商业企业", "2021-11-03", "予以公开", "", "", "", "", ""],
    # 11-02..05, 11-08..12, 11-15..19, 11-22..26 (1–19), 11-29 (20): past due by 2021-12-31,
    # by the 24 working days 11-30..12-31
    ["L3", "2021-11-01", "自然人", "", "", "", "", "", "", ""],
    # 12-02..29 (1–20), extended by 5: 12-30, 12-31, 2022-01-04..06: due 2022-01-06, three
    # working days after 2021-12-31
    ["L4", "2021-12-01", "科研机构", "", "", "", "", "", "", "5"],
    # 补正 notice due 7 working days after 11-10: 11-11, 11-12, 11-15..19 → 11-19; sent 11-22,
    # one working day late. Clock from 12-06: due 2022-01-04, answered 12-30 after 18 days.
    ["L5", "2021-11-10", "社会公益组织", "2021-12-30", "予以公开", "2021-11-22", "2021-12-06", "", "", ""],
    # 补正 requested, never received: no reply clock
    ["L6", "2021-12-10", "自然人", "", "", "2021-12-13", "", "", "", ""],
    # 06-02..04 (1–3), consultation 06-07..11, 06-14 端午, 06-15..18 (4–7), 06-21..25 (8–12),
    # 06-28..07-02 (13–17): answered on day 17; due 07-07
    ["L7", "2021-06-01", "法律服务机构", "2021-07-02", "不予公开/保护第三方合法权益", "", "", "2021-06-07", "2021-06-11", ""],
    # consultation still going on: the clock is paused
    ["L8", "2021-12-20", "商业企业", "", "", "", "", "2021-12-22", "", ""],
]


@pytest.fixture
def findings(ledger_file):
    rows = [row + [""] * 5 for row in TABLE_ROWS] + DEADLINE_ROWS
    ledger = read_ledger(ledger_file(rows, HEADERS))
    return deadline_findings(ledger, 2021, calendar=CALENDAR, as_of=date(2021, 12, 31), due_within=5)


def working_days_after(start, end):
    """Working days in (start, end] by chinese_calendar, as an outside oracle."""
    return sum(chinese_calendar.is_workday(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))


def test_answered_late(findings):
    [late] = findings.answered_late.records()
    assert (late["id"], late["due"], late["closed"], late["working_days"]) == ("L1", date(2021, 11, 1), date(2021, 11, 2), 1)


def test_open_past_due(findings):
    records = {r["id"]: r for r in findings.open_past_due.records()}
    assert set(records) == {"A03", "L3"}
    assert (records["L3"]["due"], records["L3"]["working_days"]) == (date(2021, 11, 29), 24)
    # A03: received 2020-12-30: 12-31 (1), 2021-01-04..08 (2–6), 01-11..15, 01-18..22 (7–16), 01-25..28.
    assert records["A03"]["due"] == date(2021, 1, 28)
    assert records["A03"]["working_days"] == working_days_after(date(2021, 1, 28), date(2021, 12, 31))


def test_due_soon(findings):
    [soon] = findings.due_soon.records()
    assert (soon["id"], soon["due"], soon["working_days"]) == ("L4", date(2022, 1, 6), 3)


def test_late_correction_notice_and_paused_clocks(findings):
    assert [(r["id"], r["working_days"]) for r in findings.correction_notice_late.records()] == [("L5", 1)]
    assert findings.awaiting_correction.ids() == ["L6"]
    assert findings.consultation_open.ids() == ["L8"]
    assert findings.no_calendar == []


def test_handling_time_median_and_90th_percentile(findings):
    # Counted working days from clock start to closing, for the year's closings:
    # A01 14, A04 20, A05 10, A09 0, A10 13, A11 0, A12 0 (closed on a holiday), L1 21, L2 20, L5 18, L7 17.
    used = [14, 20, 10, 0, 13, 0, 0, 21, 20, 18, 17]
    assert findings.handled == len(used)
    assert findings.median_working_days == statistics.median(used) == 14
    assert findings.p90_working_days == statistics.quantiles(used, n=10, method="inclusive")[-1] == 20


def test_the_report_carries_the_findings_summary(ledger_file):
    ledger = read_ledger(ledger_file([row + [""] * 5 for row in TABLE_ROWS] + DEADLINE_ROWS, HEADERS))
    result = report_from_ledger(ledger, 2021, calendar=CALENDAR, as_of=date(2021, 12, 31))
    summary = result.report.source["deadlines"]
    assert (summary["answered_late"], summary["open_past_due"], summary["due_soon"]) == (1, 2, 1)
    assert result.report.issues == []


def test_rows_without_calendar_are_named_in_a_warning_not_counted(ledger_file):
    rows = [["Z1", "2026-12-10", "自然人", "2026-12-30", "予以公开"] + [""] * 5]
    ledger = read_ledger(ledger_file(rows, HEADERS))
    result = report_from_ledger(ledger, 2026, calendar=CALENDAR, as_of=date(2026, 12, 31))
    assert result.report.applications["new"]["total"] == 1  # the table does not need the calendar
    assert len(result.findings.answered_late) == 0
    # The handling time needs no due date: 12-11 (1), 12-14..18, 12-21..25 (2–11), 12-28..30 (12–14).
    assert (result.findings.handled, result.findings.median_working_days) == (1, 14)
    [issue] = result.report.issues
    assert (issue.rule, issue.severity) == ("ledger.no_calendar", "warning")
    assert "1 件申请缺少节假日安排" in issue.message and "2027" in issue.message


# ---------------------------------------------------------------- fast path = walk

DAY0 = date(2019, 1, 1)


@st.composite
def applications(draw):
    received = DAY0 + timedelta(days=draw(st.integers(0, 7 * 365 - 120)))
    record = {"received": received.isoformat(), "applicant_type": "自然人"}
    if draw(st.booleans()):
        record["correction_requested"] = received.isoformat()
        record["correction_received"] = (received + timedelta(days=draw(st.integers(0, 40)))).isoformat()
    if draw(st.booleans()):
        start = received + timedelta(days=draw(st.integers(0, 60)))
        record["consultation_start"] = start.isoformat()
        record["consultation_end"] = (start + timedelta(days=draw(st.integers(0, 30)))).isoformat()
    record["extension_days"] = str(draw(st.integers(0, 20)))
    return record


@settings(max_examples=300, deadline=None)
@given(st.lists(applications(), min_size=1, max_size=20))
def test_whole_ledger_due_dates_equal_the_day_by_day_walk(records):
    for number, record in enumerate(records):
        record["id"] = f"X{number}"
    ledger = ledger_from_records(records)
    assert ledger.errors == []
    due = due_dates(ledger, CALENDAR)
    for index, record in enumerate(records):
        consultation = [(date.fromisoformat(record["consultation_start"]), date.fromisoformat(record["consultation_end"]))] \
            if "consultation_start" in record else []
        walked = reply_due(
            date.fromisoformat(record["received"]),
            correction_received=date.fromisoformat(record["correction_received"]) if "correction_received" in record else None,
            consultations=consultation, extension_days=int(record["extension_days"]), calendar=CALENDAR,
        )
        assert date.fromordinal(due.due[index].as_py()) == walked.due
        assert date.fromordinal(due.notice_due[index].as_py()) == walked.correction_notice_due
        used = due.working_days_used(ledger, due.due)[index].as_py()
        assert used == 20 + int(record["extension_days"])  # answering on the due day uses every counted day
