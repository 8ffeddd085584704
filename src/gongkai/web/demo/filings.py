"""Demo data of 年度报告报送: the demo district's units outside gongkai and a year of their filings.

Last year's reports in every state — published (and one published file that is not the version
passed), passed, returned then filed again, filed with a 上年结转 that disagrees with the year
before, and not filed — with the year before's reports for the comparison.  Each file is a seed
report renamed to the unit and rendered as HTML, filed through the services (so it is read and
checked like any upload).  One 联络员 account files for 公开示范区档案馆.  Idempotent.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongkai.report.write import render
from gongkai.web.agencies.models import Agency
from gongkai.web.supervision.filing import FiledFile, filing_pass, filing_publish, filing_return, filing_submit
from gongkai.web.supervision.models import ReportFiling, RosterUnit

from .published import seed_reports

LIAISON_LOGIN = "demo_liaison"
# name, portal (.example: never a real address), what happens to last year's report
UNITS = [
    ("公开示范区档案馆（示例数据）", "https://dag.shifanqu.example/", "published"),
    ("公开示范区气象局（示例数据）", "https://qx.shifanqu.example/", "passed"),
    ("公开示范区地方志办公室（示例数据）", "https://dfz.shifanqu.example/", "refiled"),
    ("公开示范区机关事务管理局（示例数据）", "https://jgsw.shifanqu.example/", "carried_over_wrong"),
    ("公开示范区医疗保障局（示例数据）", "https://yb.shifanqu.example/", "mismatch"),
    ("公开示范区人民防空办公室（示例数据）", "https://rf.shifanqu.example/", "unwritten"),
]


def _report_file(seed, unit: RosterUnit, year: int, *, carried_over_shift: int = 0) -> FiledFile:
    report = seed.__class__.from_json(seed.to_json())
    report.agency, report.year, report.issues = unit.name, year, []
    if carried_over_shift:  # moved to 结转下年度 as well, so table 三 still balances on its own
        for key in ("carried_over", "carried_forward"):
            row = report.applications[key]
            row["natural_person"] += carried_over_shift
            row["total"] += carried_over_shift
    return FiledFile(f"{unit.name}{year}年度政府信息公开工作年度报告.html", render(report, "html"))


def _filed_on(filing: ReportFiling, when: datetime) -> None:
    ReportFiling.objects.filter(pk=filing.pk).update(filed_at=min(when, timezone.now()))


@transaction.atomic
def load_demo_filings(root: Agency, supervisor) -> int:
    """The demo's units outside gongkai and their filings; how many filings were made (0 when already loaded)."""
    if ReportFiling.objects.filter(unit__office=root).exists():
        return 0
    User = get_user_model()
    liaison, created = User.objects.get_or_create(username=LIAISON_LOGIN, defaults={"last_name": "冯",
                                                                                   "first_name": "雪"})
    if created:
        from .load import DEMO_PASSWORD

        liaison.set_password(DEMO_PASSWORD)
        liaison.save(update_fields=["password"])
    seeds = seed_reports()
    year = timezone.localdate().year - 1
    due = timezone.make_aware(datetime.combine(datetime(year + 1, 1, 31), time(12)))
    made = 0
    for position, (name, portal, fate) in enumerate(UNITS):
        unit, _ = RosterUnit.objects.get_or_create(office=root, name=name, defaults={
            "portal_url": portal, "liaison_name": "联络员（示例）",
            "liaison_user": liaison if position == 0 else None})
        if position == 0 and unit.liaison_user_id is None:  # the roster's own demo unit, made before
            unit.liaison_user = liaison
            unit.save(update_fields=["liaison_user"])
        if fate == "unwritten":
            continue
        seed = seeds[position % len(seeds)]
        before = filing_submit(unit=unit, year=year - 1, acting_user=supervisor, file=_report_file(seed, unit, year - 1))
        _filed_on(before, due - timedelta(days=366 + position))
        filing_pass(filing=before, acting_user=supervisor)
        filing_publish(filing=before, acting_user=supervisor, file=_report_file(seed, unit, year - 1))
        filer = liaison if position == 0 else supervisor
        wrong = 3 if fate == "carried_over_wrong" else 0
        filing = filing_submit(unit=unit, year=year, acting_user=filer,
                               file=_report_file(seed, unit, year, carried_over_shift=wrong))
        _filed_on(filing, due - timedelta(days=10) if position % 2 == 0 else due + timedelta(days=6))
        made += 2
        if fate == "refiled":
            filing_return(filing=filing, acting_user=supervisor,
                          comment="示例数据：第五部分“存在的主要问题及改进情况”过于简单，请补充后重新报送")
            filing = filing_submit(unit=unit, year=year, acting_user=filer, file=_report_file(seed, unit, year))
            made += 1
        elif fate in ("published", "passed", "mismatch"):
            filing_pass(filing=filing, acting_user=supervisor, comment="示例数据：审核通过")
        if fate == "published":
            filing_publish(filing=filing, acting_user=filer, file=_report_file(seed, unit, year))
        elif fate == "mismatch":  # the unit published another file than the one passed
            published = _report_file(seed, unit, year)
            filing_publish(filing=filing, acting_user=supervisor,
                           file=FiledFile(published.name, published.data + "<!-- 改动 -->".encode()))
    return made
