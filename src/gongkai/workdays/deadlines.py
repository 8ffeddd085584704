"""Statutory deadlines of an application, with a step-by-step explanation.

The rules (../shared/spec/ledger.md; article texts in ../shared/domain/legal-rules.md):

* 条例第三十三条第二款: the reply is due within 20 working days of receiving the
  application.  The day received is not counted: working day 1 is the first working day
  after it, so a receipt on a Saturday counts from Monday (the rule of 民法典第二百零一条
  that a period starts the day after the event; 条例第三十一条 fixes which day that is).
* 条例第三十条: after a 补正 notice, the reply period runs from the day the corrected
  application is received; the notice itself is due within 7 working days of receipt (a later
  notice is still recorded, and shown as late), it is given once (一次性告知), and it states a
  reasonable period for the 补正: only after that period has run out may the application be
  treated as abandoned (视为放弃).
* 条例第三十三条第三款 (consultations under 第三十二条 and 第三十四条): the working days of a
  consultation, its first and last day included, are not counted.
* 条例第三十三条第二款: an approved extension adds at most 20 working days.

The extension and the consultation exclusion are applied together: the reply is due on
the (20 + extension)-th counted working day, skipping consultation days wherever they
fall.  When the consultation ends before the unextended due date this is exactly "add the
extension after the date otherwise due" (spec/ledger.md); when a consultation falls in the
extended period, 第三十三条第三款 still keeps its days out of the count.

``gongkai.ledger`` computes the same due dates for a whole ledger at once from the
calendar's indexes; tests check that both agree.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from .calendar import PROVISIONAL_MARK, WorkCalendar, load_calendar, provisional_reason, weekday_name
from .errors import DeadlineError, NoSchedule

REPLY_WORKING_DAYS = 20  # 条例第三十三条第二款
MAX_EXTENSION_WORKING_DAYS = 20  # 条例第三十三条第二款：延长的期限最长不得超过20个工作日
CORRECTION_NOTICE_WORKING_DAYS = 7  # 条例第三十条：自收到申请之日起7个工作日内一次性告知补正
# 条例第三十条 asks for "合理的补正期限" without a number; 15 working days is this system's
# choice (about three weeks, the same order as the statutory reply period), stated in the notice.
CORRECTION_PERIOD_WORKING_DAYS = 15

COUNTED = "counted"
NON_WORKING = "non_working"
CONSULTATION = "consultation"


@dataclass(frozen=True, order=True)
class Period:
    """A consultation (征求意见) from ``start`` through ``end``, both days included."""

    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class DayStep:
    """One day after the clock started: counted as working day ``number``, or skipped and why."""

    day: date
    kind: str  # COUNTED, NON_WORKING or CONSULTATION
    reason: str  # Chinese: 工作日 / 国庆节调休上班 / 国庆节放假 / 周末 / 征求意见期间
    number: int | None = None  # the count of this working day, for COUNTED steps

    def to_json(self) -> dict:
        return {"date": self.day.isoformat(), "kind": self.kind, "reason": self.reason, "number": self.number}


@dataclass(frozen=True)
class ReplyDeadline:
    """The reply due date and every day that led to it."""

    received: date
    clock_start: date  # the day the count runs from: received, or the corrected application's arrival
    correction_received: date | None
    consultations: tuple[Period, ...]
    extension_days: int
    statutory_due: date  # the 20th counted working day, before any extension
    due: date
    correction_notice_due: date
    steps: tuple[DayStep, ...] = field(repr=False)
    clock_start_reason: str = ""
    correction_requested: date | None = None  # the day the 补正 notice was sent
    correction_period_end: date | None = None  # the last day of the period the notice gives (None: not computable)
    provisional_years: tuple[int, ...] = ()  # years of the count without a published schedule (预计)

    @property
    def skipped(self) -> tuple[DayStep, ...]:
        return tuple(step for step in self.steps if step.kind != COUNTED)

    @property
    def provisional(self) -> bool:
        """The due date rests on a year whose holiday schedule is not yet published: it is only 预计."""
        return bool(self.provisional_years)

    @property
    def provisional_reason(self) -> str:
        return provisional_reason(self.provisional_years)

    @property
    def correction_notice_late(self) -> bool:
        """条例第三十条: the 补正 notice went out after the 7th working day from receipt."""
        return self.correction_requested is not None and self.correction_requested > self.correction_notice_due

    def to_json(self) -> dict:
        return {
            "received": self.received.isoformat(),
            "clock_start": self.clock_start.isoformat(),
            "clock_start_reason": self.clock_start_reason,
            "correction_received": self.correction_received.isoformat() if self.correction_received else None,
            "consultations": [[p.start.isoformat(), p.end.isoformat()] for p in self.consultations],
            "extension_days": self.extension_days,
            "statutory_due": self.statutory_due.isoformat(),
            "due": self.due.isoformat(),
            "correction_notice_due": self.correction_notice_due.isoformat(),
            "correction_requested": self.correction_requested.isoformat() if self.correction_requested else None,
            "correction_notice_late": self.correction_notice_late,
            "correction_period_end": self.correction_period_end.isoformat() if self.correction_period_end else None,
            "provisional": self.provisional,
            "provisional_reason": self.provisional_reason,
            "steps": [step.to_json() for step in self.steps],
        }

    def explain(self) -> str:
        """The count in Chinese, one line per run of days treated alike."""
        lines = [f"收到申请：{_day(self.received)}。"]
        if self.correction_requested is not None:
            lines.extend(self._correction_lines())
        elif self.correction_received is not None:
            lines.append(f"补正告知期限：{_day(self.correction_notice_due)}（条例第三十条：收到申请之日起 7 个工作日内）。")
        if self.correction_received is not None:
            lines.append(f"收到补正后的申请：{_day(self.correction_received)}，答复期限自此起算（条例第三十条）。")
        elif self.correction_requested is None:
            lines.append(f"如需补正，应在 {_day(self.correction_notice_due)} 前告知（条例第三十条：收到申请之日起 7 个工作日内）。")
        lines.append(f"起算日 {_day(self.clock_start)}{self.clock_start_reason}当日不计，自次日起计算工作日（条例第三十三条）。")
        for period in self.consultations:
            lines.append(f"征求意见 {period.start.isoformat()} 至 {period.end.isoformat()}，"
                         "所需时间不计入答复期限（条例第三十三条第三款）。")
        for run in _runs(self.steps):
            first, last = run[0], run[-1]
            span = first.day.isoformat() if first is last else f"{first.day.isoformat()} 至 {last.day.isoformat()}"
            if first.kind == COUNTED:
                numbers = f"第 {first.number} 个" if first is last else f"第 {first.number}—{last.number} 个"
                note = "" if first.reason == "工作日" else f"（{first.reason}）"
                lines.append(f"  {span}：{numbers}工作日{note}")
            else:
                lines.append(f"  {span}：{first.reason}，不计")
        lines.append(f"法定答复期限：{_day(self.statutory_due)}（第 {REPLY_WORKING_DAYS} 个工作日，条例第三十三条第二款）。")
        if self.extension_days:
            lines.append(f"经批准延长 {self.extension_days} 个工作日（条例第三十三条第二款，最长 20 个工作日）。")
        if self.provisional:
            lines.append(f"答复期限：{PROVISIONAL_MARK} {_day(self.due)}。")
            lines.append(f"{PROVISIONAL_MARK}：{self.provisional_reason}。")
        else:
            lines.append(f"答复期限：{_day(self.due)}。")
        return "\n".join(lines)

    def _correction_lines(self) -> list[str]:
        """条例第三十条, each rule as it applies: the 7-day limit, the period given, 一次性告知."""
        limit = f"条例第三十条：收到申请之日起 {CORRECTION_NOTICE_WORKING_DAYS} 个工作日内，即 {_day(self.correction_notice_due)} 前"
        if self.correction_notice_late:
            late_by = (self.correction_requested - self.correction_notice_due).days
            lines = [f"补正告知：{_day(self.correction_requested)}，逾期告知——超过{limit}（晚 {late_by} 日）。"]
        else:
            lines = [f"补正告知：{_day(self.correction_requested)}，在期限内（{limit}）。"]
        if self.correction_period_end is not None:
            lines.append(f"补正期限：告知之日起 {CORRECTION_PERIOD_WORKING_DAYS} 个工作日，至 {_day(self.correction_period_end)}；"
                         "申请人无正当理由逾期不补正的，期满后方可视为放弃申请（条例第三十条）。")
        else:
            lines.append(f"补正期限：告知之日起 {CORRECTION_PERIOD_WORKING_DAYS} 个工作日，届满日无法计算（缺少节假日安排）。")
        lines.append("补正只告知一次（条例第三十条：一次性告知），本申请不再告知补正。")
        return lines


def _day(day: date) -> str:
    return f"{day.isoformat()}（{weekday_name(day)}）"


def _runs(steps: Iterable[DayStep]) -> list[list[DayStep]]:
    runs: list[list[DayStep]] = []
    for step in steps:
        if runs and runs[-1][-1].kind == step.kind and runs[-1][-1].reason == step.reason \
                and runs[-1][-1].day + timedelta(days=1) == step.day:
            runs[-1].append(step)
        else:
            runs.append([step])
    return runs


def correction_notice_due(received: date, *, calendar: WorkCalendar | None = None) -> date:
    """条例第三十条: the 补正 notice is due within 7 working days of receipt."""
    calendar = calendar or load_calendar()
    return calendar.add_working_days(received, CORRECTION_NOTICE_WORKING_DAYS)


def correction_period_end(requested: date, *, calendar: WorkCalendar | None = None) -> date:
    """The last day of the 补正 period the notice gives (``CORRECTION_PERIOD_WORKING_DAYS`` after it)."""
    calendar = calendar or load_calendar()
    return calendar.add_working_days(requested, CORRECTION_PERIOD_WORKING_DAYS)


def reply_due(
    received: date,
    *,
    correction_received: date | None = None,
    consultations: Iterable[Period | tuple[date, date]] = (),
    extension_days: int = 0,
    calendar: WorkCalendar | None = None,
    correction_requested: date | None = None,
) -> ReplyDeadline:
    """The day the reply to an application is due, walked day by day so it can be explained."""
    calendar = calendar or load_calendar()
    periods = tuple(sorted(p if isinstance(p, Period) else Period(*p) for p in consultations))
    _validate(received, correction_received, periods, extension_days, correction_requested)

    # 条例第三十条: 答复期限自行政机关收到补正的申请之日起计算.
    clock_start = correction_received or received
    calendar.require(clock_start)
    if calendar.is_workday(clock_start):
        start_reason = "，"
    else:
        # The count runs from the next working day after a non-working day of receipt.
        start_reason = f"（{calendar.describe(clock_start)}），"
    # 条例第三十三条第二款: 20 working days, plus an approved extension of at most 20.
    to_count = REPLY_WORKING_DAYS + extension_days
    steps: list[DayStep] = []
    counted = 0
    statutory_due = None
    day = clock_start
    while counted < to_count:
        day += timedelta(days=1)
        calendar.require(day)
        if any(day in period for period in periods):
            # 条例第三十三条第三款: 征求第三方和其他机关意见所需时间不计算在前款规定的期限内.
            reason = "征求意见期间" if calendar.is_workday(day) else f"征求意见期间（{calendar.describe(day)}）"
            steps.append(DayStep(day, CONSULTATION, reason))
        elif not calendar.is_workday(day):
            steps.append(DayStep(day, NON_WORKING, calendar.describe(day)))
        else:
            counted += 1
            steps.append(DayStep(day, COUNTED, calendar.describe(day), counted))
            if counted == REPLY_WORKING_DAYS:
                statutory_due = day
    notice_due = correction_notice_due(received, calendar=calendar)
    period_end = None
    if correction_requested is not None:
        with contextlib.suppress(NoSchedule):  # said in the explanation; the due date does not depend on it
            period_end = correction_period_end(correction_requested, calendar=calendar)
    shown = [clock_start, notice_due, *(step.day for step in steps), *([period_end] if period_end else [])]
    return ReplyDeadline(
        received=received,
        clock_start=clock_start,
        correction_received=correction_received,
        consultations=periods,
        extension_days=extension_days,
        statutory_due=statutory_due,
        due=day,
        correction_notice_due=notice_due,
        steps=tuple(steps),
        clock_start_reason=start_reason,
        correction_requested=correction_requested,
        correction_period_end=period_end,
        provisional_years=calendar.provisional_years_in(shown),
    )


def _validate(received, correction_received, periods, extension_days, correction_requested=None) -> None:
    if isinstance(extension_days, bool) or not isinstance(extension_days, int):
        raise DeadlineError(f"延长的工作日数应为整数，而不是「{extension_days}」")
    if extension_days < 0:
        raise DeadlineError(f"延长的工作日数不能为负数（{extension_days}）")
    if extension_days > MAX_EXTENSION_WORKING_DAYS:
        raise DeadlineError(
            f"延长答复期限最长不得超过 {MAX_EXTENSION_WORKING_DAYS} 个工作日（条例第三十三条第二款），而不是 {extension_days} 个"
        )
    if correction_received is not None and correction_received < received:
        raise DeadlineError(f"收到补正日期 {correction_received.isoformat()} 早于收到申请日期 {received.isoformat()}")
    if correction_requested is not None and correction_requested < received:
        raise DeadlineError(f"补正告知日期 {correction_requested.isoformat()} 早于收到申请日期 {received.isoformat()}")
    if correction_requested is not None and correction_received is not None and correction_received < correction_requested:
        raise DeadlineError(f"收到补正日期 {correction_received.isoformat()} 早于补正告知日期 {correction_requested.isoformat()}")
    for period in periods:
        if period.end < period.start:
            raise DeadlineError(f"征求意见结束日期 {period.end.isoformat()} 早于开始日期 {period.start.isoformat()}")
        if period.start < received:
            raise DeadlineError(f"征求意见开始日期 {period.start.isoformat()} 早于收到申请日期 {received.isoformat()}")
