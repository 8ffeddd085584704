"""Reading annual report records: always through ``records_visible_to``; the checks of a version."""

from __future__ import annotations

from dataclasses import dataclass

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


_LOOK_UP = object()


def record_checks(record: AnnualReportRecord, *, previous=_LOOK_UP) -> list[Issue]:
    """Every finding of ``check_report`` on the version as stored, against last year's published report.

    ``previous`` is that report's record (or None) when the caller has already read it.
    """
    report = AnnualReport.from_json(record.snapshot)
    report.issues = []
    if previous is _LOOK_UP:
        previous = previous_published(record)
    return check_report(report, previous=AnnualReport.from_json(previous.snapshot) if previous else None)


@dataclass(frozen=True)
class AgencyYearStatus:
    """One agency's report of a year as a supervising office sees it."""

    agency: object
    latest: AnnualReportRecord | None  # the newest version, whatever its state
    published: AnnualReportRecord | None  # the newest published version
    errors: int  # findings of the checks on the published version (else the latest)
    warnings: int


def annual_overview(user, year: int) -> list[AgencyYearStatus]:
    """Every agency ``user`` sees, with its report of ``year``: missing, in progress or published, and its checks."""
    agencies = list(agencies_visible_to(user).order_by("full_name"))  # the one gate, asked once
    of_visible = AnnualReportRecord.objects.filter(agency__in=agencies).order_by("agency_id", "version")
    records = {}
    for record in of_visible.filter(year=year):
        records.setdefault(record.agency_id, []).append(record)
    # Last year's latest published version of every agency, read at once (the checks' ``previous``).
    previous = {record.agency_id: record
                for record in of_visible.filter(year=year - 1, state=AnnualReportRecord.State.PUBLISHED)}
    statuses = []
    for agency in agencies:
        versions = records.get(agency.pk, [])
        latest = versions[-1] if versions else None
        published = next((r for r in reversed(versions) if r.state == AnnualReportRecord.State.PUBLISHED), None)
        checked = published or latest
        issues = record_checks(checked, previous=previous.get(agency.pk)) if checked else []
        statuses.append(AgencyYearStatus(agency, latest, published,
                                         sum(issue.severity == "error" for issue in issues),
                                         sum(issue.severity == "warning" for issue in issues)))
    return statuses
