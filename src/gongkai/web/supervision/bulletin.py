"""The monthly 通报: a month's inspections, check-ins and overdue applications, unit by unit.

``month_figures`` counts each unit's records of the month and keeps, beside each count, the
records counted (so the preview links to them and a test can compare them with a plain query);
``bulletin_texts`` writes the default paragraphs from those figures, naming the units that lag.
Both are stored on the ``Bulletin`` when it is generated, and kept unchanged once it is issued.
"""

from __future__ import annotations

import calendar as month_calendar
from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from gongkai.web.agencies.models import Agency
from gongkai.web.cases.models import Application
from gongkai.web.schedules.calendar import site_calendar
from gongkai.workdays import WorkdaysError

from .models import Finding
from .selectors import unit_agencies, week_due_at, week_statuses

COUNTS = (  # key, column heading of the table of figures
    ("findings_opened", "巡查发现问题"),
    ("findings_rectified", "整改通过"),
    ("findings_overdue", "逾期未整改"),
    ("checkins_on_time", "周打卡按时"),
    ("checkins_late", "周打卡逾期"),
    ("checkins_missing", "周打卡未报送"),
    ("applications_overdue", "逾期未答复申请"),
)
LAGGING = ("checkins_missing", "findings_overdue", "applications_overdue", "checkins_late")


def month_end(month: date) -> date:
    return month.replace(day=month_calendar.monthrange(month.year, month.month)[1])


def bulletin_title(month: date) -> str:
    return f"关于{month.year}年{month.month}月全区政务公开工作情况的通报"


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _record(kind: str, pk: int, text: str, url: str) -> dict:
    return {"record": f"{kind}:{pk}", "text": text, "url": url}


def _finding(finding: Finding) -> dict:
    return _record("finding", finding.pk, f"{finding.get_kind_display()}：{finding.description[:60]}",
                   reverse("supervision:finding_detail", args=[finding.pk]))


def month_weeks(office: Agency, month: date, as_of: date) -> list[date]:
    """The weeks whose Monday falls in ``month`` and whose check-in deadline has passed by the end of ``as_of``."""
    end = timezone.make_aware(datetime.combine(as_of, time.max))
    first = month + timedelta(days=(7 - month.weekday()) % 7)
    weeks = []
    while first.month == month.month and first.year == month.year:
        if week_due_at(office, first) <= end:
            weeks.append(first)
        first += timedelta(days=7)
    return weeks


def applications_overdue_on(agency: Agency, as_of: date) -> list[Application]:
    """Applications not answered by the end of ``as_of`` although their reply deadline had passed."""
    calendar = site_calendar()
    found = []
    unanswered = (Application.objects.filter(agency=agency, received_on__lte=as_of)
                  .exclude(closed_on__lte=as_of).prefetch_related("consultations").order_by("received_on", "pk"))
    for application in unanswered:
        try:
            due = application.reply_deadline(today=as_of, calendar=calendar).due
        except WorkdaysError:
            continue  # no calendar for that year: the due date is unknown, so it is not counted
        if as_of > due:
            found.append(application)
    return found


def month_figures(office: Agency, month: date, *, today: date | None = None) -> dict:
    """Each unit's counts of ``month`` (judged on its last day, or on ``today`` while it runs), the records
    behind every count, the totals, and the units that lag with what they lag in."""
    month = month.replace(day=1)
    today = today or timezone.localdate()
    as_of = min(today, month_end(month))
    start, stop = _aware(month), _aware(month_end(month) + timedelta(days=1))
    weeks = month_weeks(office, month, as_of)
    end_of_day = timezone.make_aware(datetime.combine(as_of, time.max))
    statuses = {week: {s.agency.pk: s for s in week_statuses(office, week, now=end_of_day)} for week in weeks}
    checkins_url = reverse("supervision:office_checkins")
    units = []
    for agency in unit_agencies(office):
        findings = Finding.objects.filter(office=office, agency=agency).order_by("pk")
        records = {
            "findings_opened": [_finding(f) for f in findings.filter(month=month)],
            "findings_rectified": [_finding(f) for f in findings.filter(state=Finding.State.ACCEPTED,
                                                                         reviewed_at__gte=start, reviewed_at__lt=stop)],
            "findings_overdue": [_finding(f) for f in findings.filter(state__in=Finding.OPEN_STATES, due_on__lt=as_of)],
            "checkins_on_time": [], "checkins_late": [], "checkins_missing": [],
            "applications_overdue": [
                _record("application", a.pk, f"申请 {a.number}（{a.received_on:%Y-%m-%d} 收到）",
                        reverse("staff:case_detail", args=[a.pk])) for a in applications_overdue_on(agency, as_of)],
        }
        for week in weeks:
            status = statuses[week].get(agency.pk)
            if status is None or status.state == "pending":
                continue
            url = (reverse("supervision:checkin_detail", args=[status.checkin.pk]) if status.checkin
                   else f"{checkins_url}?office={office.pk}&week={week:%Y-%m-%d}")
            pk = status.checkin.pk if status.checkin else f"{agency.pk}:{week:%Y-%m-%d}"
            records[f"checkins_{status.state}"].append(
                {"record": f"{'checkin' if status.checkin else 'week'}:{pk}",
                 "text": f"{week:%Y-%m-%d} 周：{status.label}", "url": url})
        units.append({"agency_id": agency.pk, "name": agency.full_name,
                      "counts": {key: len(records[key]) for key, _ in COUNTS}, "records": records})
    totals = {key: sum(unit["counts"][key] for unit in units) for key, _ in COUNTS}
    laggards = [{"agency_id": unit["agency_id"], "name": unit["name"], "problems": _problems(unit["counts"])}
                for unit in units if any(unit["counts"][key] for key in LAGGING)]
    return {"month": month.isoformat(), "as_of": as_of.isoformat(), "weeks": [w.isoformat() for w in weeks],
            "columns": [{"key": key, "label": label} for key, label in COUNTS],
            "units": units, "totals": totals, "laggards": laggards}


def _problems(counts: dict) -> list[str]:
    said = []
    if counts["checkins_missing"]:
        said.append(f"{counts['checkins_missing']}周未报送周打卡")
    if counts["checkins_late"]:
        said.append(f"{counts['checkins_late']}周逾期报送周打卡")
    if counts["findings_overdue"]:
        said.append(f"{counts['findings_overdue']}个巡查问题逾期未整改")
    if counts["applications_overdue"]:
        said.append(f"{counts['applications_overdue']}件依申请公开申请超过答复期限未答复")
    return said


CHINESE_NUMBERS = "一二三四五六七八九十"


def _ordinal(number: int) -> str:
    if number <= 10:
        return CHINESE_NUMBERS[number - 1]
    tens, ones = divmod(number, 10)
    return f"{CHINESE_NUMBERS[tens - 1] if tens > 1 else ''}十{CHINESE_NUMBERS[ones - 1] if ones else ''}"


def bulletin_texts(figures: dict) -> dict[str, str]:
    """The default 一、基本情况, 二、存在问题 and 三、下一步工作要求 from the figures (the supervisor edits them)."""
    month = date.fromisoformat(figures["month"])
    totals, units, weeks = figures["totals"], figures["units"], figures["weeks"]
    as_of = date.fromisoformat(figures["as_of"])
    overview = (
        f"{month.year}年{month.month}月，全区{len(units)}个单位纳入政务公开日常监督。"
        f"本月月巡查发现问题{totals['findings_opened']}个，整改通过{totals['findings_rectified']}个，"
        f"逾期未整改{totals['findings_overdue']}个；周打卡共{len(weeks)}周，按时报送{totals['checkins_on_time']}次，"
        f"逾期报送{totals['checkins_late']}次，未报送{totals['checkins_missing']}次；"
        f"截至{as_of.month}月{as_of.day}日，超过答复期限未答复的依申请公开申请{totals['applications_overdue']}件。"
        "各单位情况见附表。")
    if figures["laggards"]:
        problems = "\n".join(f"（{_ordinal(n)}）{lag['name']}：{'，'.join(lag['problems'])}。"
                             for n, lag in enumerate(figures["laggards"], start=1))
    else:
        problems = "本月各单位均按时报送周打卡，巡查问题均按期整改，未发现超过答复期限的申请。"
    requirements = "\n".join((
        "（一）被通报的单位要对照问题逐项整改，整改情况通过本系统答复，逾期未整改的问题将纳入年度考核。",
        "（二）各单位联络员要在每周截止时间前报送周打卡，如实填写并附佐证材料。",
        "（三）严格执行《中华人民共和国政府信息公开条例》规定的答复期限，对即将到期的申请提前研判、按时答复。",
    ))
    return {"overview": overview, "problems": problems, "requirements": requirements}


def recipients_of(figures: dict) -> str:
    names = "、".join(unit["name"] for unit in figures["units"])
    return names if names and len(names) <= 480 else "各有关单位"
