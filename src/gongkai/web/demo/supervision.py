"""Demo data of the supervising office (the demo's district government): check-in items, a roster with
contacts and a unit outside gongkai, the seed agencies' check-ins of the last weeks (one late, one missing),
the month's inspection with one manual finding, last month's issued 通报 and the 考核 rubric with last
year's finalised scores; the outside unit's portal is not fetched (its address is a .example one) — two
findings of its portal are recorded in advance instead.  Idempotent: nothing is added once the items exist."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.supervision.kaohe import rubric_of
from gongkai.web.supervision.kaohe_services import bulletin_generate, bulletin_issue, scores_finalise
from gongkai.web.supervision.models import (
    Bulletin,
    Checkin,
    CheckinAnswer,
    CheckinItem,
    Finding,
    RosterUnit,
    YearScore,
)
from gongkai.web.supervision.selectors import week_due_at, week_start_of
from gongkai.web.supervision.services import checkin_item_add, finding_add, inspection_run

from .supervision_year import WEEKS as YEAR_WEEKS
from .supervision_year import load_demo_supervision_year

DEMO_ITEMS = [("本周是否更新公开专栏", CheckinItem.Kind.YES_NO), ("本周是否有新增依申请公开", CheckinItem.Kind.YES_NO),
              ("本周完成的政策解读", CheckinItem.Kind.EVIDENCE)]
PAST_WEEKS = 4
OUTSIDE_UNIT = ("公开示范区档案馆（示例数据）", "https://dag.shifanqu.example/")  # .example: never a real address


@transaction.atomic
def load_demo_supervision(root: Agency, agencies: list[Agency], supervisor) -> int:
    """The office's demo records; returns how many check-ins were made (0 when already loaded)."""
    if CheckinItem.objects.filter(office=root).exists():
        return 0
    items = [checkin_item_add(office=root, acting_user=supervisor, text=text, kind=kind) for text, kind in DEMO_ITEMS]
    admins = {m.agency_id: m.user for m in Membership.objects.filter(agency__in=agencies,
                                                                      role=Membership.Role.AGENCY_ADMIN)}
    for agency in agencies:
        RosterUnit.objects.get_or_create(office=root, agency=agency, defaults={
            "name": agency.full_name, "liaison_name": "联络员（示例）", "liaison_phone": "010-0000 0000",
            "liaison_user": admins.get(agency.pk), "leader_name": "分管领导（示例）"})
    outside, _ = RosterUnit.objects.get_or_create(office=root, name=OUTSIDE_UNIT[0],
                                                  defaults={"portal_url": OUTSIDE_UNIT[1]})
    made = 0
    this_week = week_start_of(timezone.localdate())
    for back in range(1, PAST_WEEKS + 1):
        week = this_week - timedelta(weeks=back)
        due_at = week_due_at(root, week)
        for position, agency in enumerate(agencies):
            if (position + back) % 5 == 0:
                continue  # a missing check-in
            late = (position + back) % 4 == 0
            submitted_at = due_at + (timedelta(hours=20) if late else -timedelta(hours=6))
            checkin = Checkin.objects.create(office=root, agency=agency, week_start=week, due_at=due_at,
                                             submitted_at=submitted_at, submitted_by=admins.get(agency.pk))
            for item in items:
                CheckinAnswer.objects.create(checkin=checkin, item=item, item_text=item.text,
                                             answer=None if item.kind == CheckinItem.Kind.EVIDENCE else back % 2 == 0,
                                             note="示例数据：本周按要求完成" if item.kind == CheckinItem.Kind.EVIDENCE else "")
            made += 1
    made += load_demo_supervision_year(root, agencies, supervisor, items, PAST_WEEKS)  # a year of it, more units
    inspection_run(office=root, acting_user=supervisor, fetch_portals=False)  # the demo never goes on the network
    _portal_findings_recorded(root, outside, supervisor)
    if agencies:
        finding_add(office=root, agency=agencies[0], acting_user=supervisor,
                    description="示例数据：门户网站首页“政府信息公开”栏目链接打不开")
    # the check-ins of the demo's year (supervision_year) began YEAR_WEEKS ago: the 考核 counts from then
    load_demo_bulletin_and_kaohe(root, supervisor, asked_since=this_week - timedelta(weeks=YEAR_WEEKS))
    return made


def _portal_findings_recorded(root: Agency, outside: RosterUnit, supervisor) -> None:
    """What an inspection of the outside unit's portal would find, recorded in advance: the demo fetches nothing."""
    today = timezone.localdate()
    base = OUTSIDE_UNIT[1]
    for kind, subject, description in [
        (Finding.Check.BROKEN_LINK, f"link:{base}xxgk/2023/kfml.html",
         f"页面 {base}xxgk/ 上的链接「2023年档案开放目录」（{base}xxgk/2023/kfml.html）打不开：HTTP 404"),
        (Finding.Check.BROKEN_ATTACHMENT, f"attachment:{base}xxgk/zn.pdf",
         f"页面 {base}xxgk/ 上的链接「政府信息公开指南」（{base}xxgk/zn.pdf）的附件无法打开：返回的是网页而不是文件（可能是错误页）"),
    ]:
        finding = Finding(office=root, roster_unit=outside, month=today.replace(day=1), kind=kind, subject=subject,
                          description=f"示例数据（预先录制，演示不访问网络）：{description}", found_by=supervisor,
                          due_on=today + timedelta(days=15))
        finding._history_user = supervisor
        finding.save()


def load_demo_bulletin_and_kaohe(root: Agency, supervisor, *, asked_since) -> None:
    """Last month's 通报, issued; the default 考核 rubric; last year's scores finalised (this year's are live)."""
    # The demo's check-ins began PAST_WEEKS ago, so the 考核 counts the weeks since then, not since the load.
    CheckinItem.history.filter(office_id=root.pk).update(
        history_date=timezone.make_aware(datetime.combine(asked_since, time(9))))
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    if not Bulletin.objects.filter(office=root, month=last_month).exists():
        bulletin = bulletin_generate(office=root, month=last_month, acting_user=supervisor)
        bulletin_issue(bulletin=bulletin, acting_user=supervisor)
    rubric_of(root, acting_user=supervisor)
    if not YearScore.objects.filter(office=root, year=today.year - 1).exists():
        scores_finalise(office=root, year=today.year - 1, acting_user=supervisor)
