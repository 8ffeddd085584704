"""Reading annual report records: always through ``records_visible_to``; the checks of a version."""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.report.checks import check_report
from gongkai.report.model import AnnualReport, Issue
from gongkai.web.agencies.selectors import agencies_visible_to

from .models import AnnualReportRecord


def records_visible_to(user) -> QuerySet[AnnualReportRecord]:
    """Versions of the agencies ``user`` may see (a supervisor: the whole subtree, read-only)."""
    return AnnualReportRecord.objects.filter(agency__in=agencies_visible_to(user))


def latest_version(agency, year: int) -> int:
    return (AnnualReportRecord.objects.filter(agency=agency, year=year)
            .order_by("-version").values_list("version", flat=True).first()) or 0


def previous_published(record: AnnualReportRecord) -> AnnualReportRecord | None:
    """Last year's report as published (its latest published version), the checks' ``previous``."""
    return (AnnualReportRecord.objects.filter(agency=record.agency, year=record.year - 1,
                                              state=AnnualReportRecord.State.PUBLISHED)
            .order_by("-version").first())


def record_checks(record: AnnualReportRecord) -> list[Issue]:
    """Every finding of ``check_report`` on the version as stored, against last year's published report."""
    report = AnnualReport.from_json(record.snapshot)
    report.issues = []
    previous = previous_published(record)
    return check_report(report, previous=AnnualReport.from_json(previous.snapshot) if previous else None)
