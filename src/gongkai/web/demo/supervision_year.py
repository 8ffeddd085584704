"""A year of the demo district's supervision, so a newcomer's dashboard is alive: six more units on gongkai
with a few cases each over the last twelve months (most answered on time, some late, some still open past
their due date), one more unit outside gongkai, a year of weekly check-ins (each unit with its own habits),
and every month's inspection findings through 整改 (accepted, returned, replied, some overdue).

Called once from ``supervision.load_demo_supervision`` (which returns early when the demo is loaded);
everything is written in bulk, marked 示例数据, and the same on every load (a fixed random seed).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from gongkai.web.agencies.models import Agency
from gongkai.web.cases.models import Application
from gongkai.web.cases.services import application_numbers_allocate, new_query_code
from gongkai.web.supervision.models import Checkin, CheckinAnswer, CheckinItem, Finding, RosterUnit
from gongkai.web.supervision.selectors import week_due_at, week_start_of

# (name, share of check-ins on time, share missing, answers late, a case open past its due date):
# each unit keeps its own habits all year
UNITS = [("公开示范区教育局", 0.99, 0.0, False, False), ("公开示范区卫生健康委员会", 0.92, 0.03, True, False),
         ("公开示范区住房和城乡建设局", 0.75, 0.12, True, True), ("公开示范区市场监督管理局", 1.0, 0.0, False, False),
         ("公开示范区人力资源和社会保障局", 0.97, 0.0, False, False), ("公开示范区交通运输局", 0.6, 0.2, True, True)]
OUTSIDE_UNIT = ("公开示范区气象局（示例数据）", "https://qxj.shifanqu.example/")  # .example: never a real address
SEED_HABITS = [(0.98, 0.0), (0.93, 0.03), (0.99, 0.0), (0.85, 0.08), (0.97, 0.01)]
WEEKS = 52
CASES_PER_UNIT = 10
PROBLEMS = ["示例数据：“政策解读”栏目本月没有更新", "示例数据：门户网站附件无法下载", "示例数据：公开指南中的办公电话已变更未更新",
            "示例数据：依申请公开栏目缺少申请表下载", "示例数据：财政预算信息未按期公开", "示例数据：首页栏目链接打不开"]


def _units(root: Agency) -> list[Agency]:
    units = []
    for name, *_habits in UNITS:
        agency, _ = Agency.objects.get_or_create(full_name=name, defaults={
            "short_name": name.removeprefix("公开示范区"), "kind": Agency.Kind.DEPARTMENT, "parent": root})
        RosterUnit.objects.get_or_create(office=root, agency=agency, defaults={
            "name": name, "liaison_name": "联络员（示例）", "liaison_phone": "010-0000 0000", "leader_name": "分管领导（示例）"})
        units.append(agency)
    RosterUnit.objects.get_or_create(office=root, name=OUTSIDE_UNIT[0], defaults={"portal_url": OUTSIDE_UNIT[1]})
    return units


def _cases(units: list[Agency], rng: random.Random, today) -> int:
    """A few cases per unit over the year: answered in 5–18 days, now and then late, some still open."""
    rows = []
    for agency, (_, _, _, answers_late, open_late) in zip(units, UNITS, strict=True):
        plan = []
        for n in range(CASES_PER_UNIT):
            received = today - timedelta(days=20 + 34 * n + rng.randrange(10))
            late = answers_late and n % 4 == 1
            closed = received + timedelta(days=45 if late else rng.randrange(5, 19))
            plan.append((received, closed if closed < today else None))
        if open_late:
            plan.append((today - timedelta(days=50), None))  # open past its due date: the unit is red
        plan.append((today - timedelta(days=3), None))  # just received
        for year in sorted({received.year for received, _ in plan}):
            numbers = application_numbers_allocate(agency=agency, year=year,
                                                   count=sum(1 for r, _ in plan if r.year == year))
            for received, closed in (p for p in plan if p[0].year == year):
                rows.append(Application(
                    agency=agency, number=numbers.pop(0), query_code_hash=new_query_code()[1],
                    applicant_type="natural_person", applicant_name=f"演示申请人{len(rows) + 1}",
                    channel=Application.Channel.ONLINE, information_sought="演示：申请公开的政府信息",
                    received_on=received, registered_at=timezone.make_aware(datetime.combine(received, time(10))),
                    state=Application.State.DELIVERED if closed else Application.State.HANDLING,
                    outcome="granted" if closed else "", closed_on=closed))
    bulk_create_with_history(rows, Application, batch_size=500)
    return len(rows)


def _checkins(root: Agency, habits: list[tuple[Agency, float, float, int]], items: list[CheckinItem],
              rng: random.Random, today) -> int:
    """``habits``: (unit, share on time, share missing, first week back) — the seeds' last weeks exist already."""
    this_week = week_start_of(today)
    checkins = []
    for back in range(1, WEEKS + 1):
        week = this_week - timedelta(weeks=back)
        due_at = week_due_at(root, week)
        for agency, on_time, missing, first in habits:
            if back < first:
                continue
            roll = rng.random()
            if roll < missing:
                continue
            late = roll > missing + on_time * (1 - missing)
            checkins.append(Checkin(office=root, agency=agency, week_start=week, due_at=due_at,
                                    submitted_at=due_at + (timedelta(hours=rng.randrange(2, 60)) if late
                                                           else -timedelta(hours=rng.randrange(1, 30)))))
    made = bulk_create_with_history(checkins, Checkin, batch_size=500)
    answers = [CheckinAnswer(checkin=checkin, item=item, item_text=item.text,
                             answer=None if item.kind == CheckinItem.Kind.EVIDENCE else rng.random() < 0.8,
                             note="示例数据：本周按要求完成" if item.kind == CheckinItem.Kind.EVIDENCE else "")
               for checkin in made for item in items]
    CheckinAnswer.objects.bulk_create(answers, batch_size=1000)
    return len(made)


def _findings(root: Agency, units: list[Agency], supervisor, rng: random.Random, today) -> int:
    """Each month's manual findings: older ones rectified and accepted (some after a return), last month's
    replied or waiting, and a few past their rectification deadline."""
    findings = []
    month = today.replace(day=1)
    for back in range(1, 13):
        month = (month - timedelta(days=1)).replace(day=1)
        for agency in units:
            if rng.random() > 0.35:
                continue
            found_at = timezone.make_aware(datetime.combine(month + timedelta(days=rng.randrange(3, 20)), time(15)))
            due_on = found_at.date() + timedelta(days=15)
            finding = Finding(office=root, agency=agency, month=month, kind=Finding.Check.MANUAL,
                              description=rng.choice(PROBLEMS), found_by=supervisor, due_on=due_on)
            if back >= 3 or rng.random() < 0.4:
                replied = found_at + timedelta(days=rng.randrange(3, 20))
                finding.reply, finding.replied_at = "示例数据：已整改，栏目已更新", replied
                if back >= 2 and rng.random() < 0.9:
                    finding.state, finding.reviewed_at, finding.reviewed_by = (Finding.State.ACCEPTED,
                                                                              replied + timedelta(days=2), supervisor)
                    finding.review_comment = "整改到位" if rng.random() < 0.8 else "退回后重新整改到位"
                else:
                    finding.state = Finding.State.REPLIED
            elif due_on < today and rng.random() < 0.5:
                finding.state = Finding.State.RETURNED
                finding.review_comment = "示例数据：整改不到位，请重新整改"
            findings.append(finding)
    made = bulk_create_with_history(findings, Finding, batch_size=500)
    # created_at is set on insert; the demo's findings were found during their month
    for finding in made:
        Finding.objects.filter(pk=finding.pk).update(created_at=timezone.make_aware(
            datetime.combine(finding.month + timedelta(days=5), time(15))))
    return len(made)


def load_demo_supervision_year(root: Agency, seeds: list[Agency], supervisor, items: list[CheckinItem],
                               past_weeks: int) -> int:
    """The year's records; ``past_weeks`` of the seeds' check-ins exist already.  Returns the check-ins made."""
    if Agency.objects.filter(full_name=UNITS[0][0]).exists():
        return 0
    rng = random.Random(2026)
    today = timezone.localdate()
    units = _units(root)
    _cases(units, rng, today)
    habits = [(agency, *SEED_HABITS[n % len(SEED_HABITS)], past_weeks + 1) for n, agency in enumerate(seeds)]
    habits += [(agency, on_time, missing, 1) for agency, (_, on_time, missing, *_) in zip(units, UNITS, strict=True)]
    made = _checkins(root, habits, items, rng, today)
    _findings(root, seeds + units, supervisor, rng, today)
    return made
