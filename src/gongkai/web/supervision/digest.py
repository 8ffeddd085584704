"""日提醒: the day's digest of what needs doing, for one unit or for an office's subtree.

Every section is computed from the records' present state by the same functions the reminder
scan and the inspection use (``reminders.services.applications_due``/``fee_notices_lapsed``,
``Publication.is_late``, ``Application.is_correction_notice_late``, ``Finding.is_overdue``,
``week_statuses``, ``inspection.annual_report_missing``), limited to the agencies the caller may see (``agencies.selectors``), so a
count always equals a plain query of the records it lists, and each item links to its record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gongkai.web.agencies.models import Agency
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.cases.models import Application
from gongkai.web.disclosure.models import Publication
from gongkai.web.reminders.models import Message
from gongkai.web.reminders.services import applications_due, fee_notices_lapsed

from .collection import filing_problems
from .inspection import annual_report_missing
from .models import Finding
from .selectors import week_start_of, week_statuses


@dataclass(frozen=True)
class DigestItem:
    agency: Agency
    text: str
    url: str
    record: object


@dataclass
class DigestSection:
    key: str
    title: str
    items: list[DigestItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)


def _case_url(application: Application) -> str:
    return reverse("staff:case_detail", args=[application.pk])


def _applications(agency_ids: set[int], today: date, within: int) -> list[DigestSection]:
    overdue = DigestSection("overdue", "已超过答复期限的申请")
    soon = DigestSection("due_soon", f"{within} 个工作日内到期的申请")
    for due in applications_due(today=today, within=within, agency_ids=agency_ids):
        application = due.application
        mark = "预计 " if due.provisional else ""
        section = overdue if due.kind == Message.Kind.OVERDUE else soon
        section.items.append(DigestItem(application.agency, f"申请 {application.number}：答复期限 {mark}{due.due_on}",
                                        _case_url(application), application))
    return [overdue, soon]


def _fees(agency_ids: set[int], today: date) -> DigestSection:
    section = DigestSection("fee_lapsed", "缴费期限已过的收费通知")
    for due in fee_notices_lapsed(today=today, agency_ids=agency_ids):
        application = due.application
        section.items.append(DigestItem(application.agency, f"申请 {application.number}：缴费期限 {due.due_on} 已过",
                                        _case_url(application), application))
    return section


def _corrections(agency_ids: set[int]) -> DigestSection:
    """Open cases whose 补正 notice went out after the 7th working day (条例第三十条), as recorded on the case."""
    section = DigestSection("correction_late", "未在7个工作日内告知补正的申请")
    cases = (Application.objects.filter(agency_id__in=agency_ids, state__in=Application.OPEN_STATES,
                                        correction_requested_on__isnull=False).select_related("agency").order_by("pk"))
    for application in cases:
        if application.is_correction_notice_late():
            section.items.append(DigestItem(application.agency,
                                            f"申请 {application.number}：{application.correction_requested_on} 才告知补正",
                                            _case_url(application), application))
    return section


def _publications(agency_ids: set[int], today: date) -> DigestSection:
    """Items still unpublished past their 20 working days (条例第二十六条)."""
    section = DigestSection("publication_late", "超过20个工作日仍未公开的信息")
    pending = (Publication.objects.filter(agency_id__in=agency_ids, revision_of__isnull=True)
               .exclude(state__in=[Publication.State.PUBLISHED, Publication.State.WITHDRAWN, Publication.State.MERGED])
               .select_related("agency").order_by("pk"))
    for publication in pending:
        if publication.is_late(today):
            section.items.append(DigestItem(publication.agency,
                                            f"《{publication.title}》：应于 {publication.disclosure_due_on()} 前公开",
                                            reverse("staff:publication_detail", args=[publication.pk]), publication))
    return section


def _findings(agency_ids: set[int], today: date) -> DigestSection:
    section = DigestSection("finding_overdue", "超过整改期限的巡查问题")
    # A roster unit outside gongkai has no digest of its own: its findings escalate in its office's.
    whose = Q(agency_id__in=agency_ids) | Q(agency__isnull=True, office_id__in=agency_ids)
    findings = (Finding.objects.filter(whose, state__in=Finding.OPEN_STATES, due_on__lt=today)
                .select_related("agency", "office", "roster_unit").order_by("due_on", "pk"))
    for finding in findings:
        outside = "" if finding.agency_id else f"{finding.unit_name}："
        section.items.append(DigestItem(finding.agency or finding.office,
                                        f"{outside}{finding.get_kind_display()}：整改期限 {finding.due_on}",
                                        reverse("supervision:finding_detail", args=[finding.pk]), finding))
    return section


def _checkins(offices: list[Agency], agency_ids: set[int], today: date) -> DigestSection:
    """Last week's check-ins not submitted (the current week's deadline may still be to come)."""
    week = week_start_of(today) - timedelta(days=7)
    section = DigestSection("checkin_missing", f"{week:%Y-%m-%d} 周未报送的周打卡")
    for office in offices:
        end_of_today = timezone.make_aware(datetime.combine(today, time.max))
        for status in week_statuses(office, week, now=end_of_today):
            if status.state == "missing" and status.agency.pk in agency_ids:
                section.items.append(DigestItem(status.agency, f"{status.agency.full_name}：{week:%Y-%m-%d} 周未打卡",
                                                f"{reverse('supervision:office_checkins')}?office={office.pk}"
                                                f"&week={week:%Y-%m-%d}", status.agency))
    return section


def _annual_reports(agencies, today: date) -> DigestSection:
    """Last year's annual report not published once 1月31日 has passed (the inspection's own check)."""
    section = DigestSection("annual_missing", f"{today.year - 1}年度报告1月31日后仍未发布")
    for agency in agencies:
        for found in annual_report_missing(agency, today):
            record = AnnualReportRecord.objects.filter(agency=agency, year=today.year - 1).first()
            url = reverse("staff:annual_detail", args=[record.pk]) if record else reverse("staff:annual_list")
            section.items.append(DigestItem(agency, found.description, url, agency))
    return section


def _filings(offices: list[Agency], agency_ids: set[int], today: date) -> DigestSection:
    """Units outside gongkai: last year's report not filed after 1月31日, or published unlike the version passed.
    Only in an office's own digest (the office itself among the agencies the reader sees)."""
    section = DigestSection("filing_problem", "未使用本系统的单位：年度报告未报送或发布文件不一致")
    for office in offices:
        if office.pk in agency_ids:
            section.items += [DigestItem(office, p.text, p.url, p.record) for p in filing_problems(office, today)]
    return section


def digest_of(agencies, *, offices: list[Agency], today: date | None = None,
              within: int | None = None) -> list[DigestSection]:
    """The digest over ``agencies`` (already limited by the permission gate); ``offices`` whose weekly
    check-ins count (for a unit: the offices above it)."""
    today = today or timezone.localdate()
    within = settings.GONGKAI_REMINDER_DUE_WITHIN if within is None else within
    ids = {agency.pk for agency in agencies}
    return [*_applications(ids, today, within), _fees(ids, today), _corrections(ids), _publications(ids, today),
            _findings(ids, today), _checkins(offices, ids, today), _annual_reports(agencies, today),
            _filings(offices, ids, today)]
