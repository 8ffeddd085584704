"""What the portal may read of the annual reports: published versions only (the one gate, as
``publications_public`` is for publications)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from gongkai.web.agencies.models import Agency
from gongkai.web.annual.models import AnnualReportRecord


def annual_reports_public() -> QuerySet[AnnualReportRecord]:
    """Published annual report records; drafts and records in review never leave this gate."""
    return AnnualReportRecord.objects.filter(state=AnnualReportRecord.State.PUBLISHED, published_at__isnull=False)


@dataclass
class AnnualReportYear:
    year: int
    current: AnnualReportRecord  # the latest published version
    earlier: list[AnnualReportRecord] = field(default_factory=list)  # 历史版本, newest first


def annual_report_years(agency: Agency) -> list[AnnualReportYear]:
    """The agency's published reports grouped by year, newest year first."""
    years: dict[int, AnnualReportYear] = {}
    for record in annual_reports_public().filter(agency=agency).order_by("-year", "-version"):
        if record.year in years:
            years[record.year].earlier.append(record)
        else:
            years[record.year] = AnnualReportYear(record.year, record)
    return list(years.values())
