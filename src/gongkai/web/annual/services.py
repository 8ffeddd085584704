"""Annual report records: draft → 审核 → published; a published version is never changed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.web.agencies.models import Agency

from .build import annual_report
from .models import AnnualReportRecord


@transaction.atomic
def annual_report_record_create(*, agency: Agency, year: int) -> AnnualReportRecord:
    """A new draft version holding the report as the database gives it now."""
    latest = AnnualReportRecord.objects.filter(agency=agency, year=year).aggregate(v=Max("version"))["v"] or 0
    return AnnualReportRecord.objects.create(agency=agency, year=year, version=latest + 1,
                                             snapshot=annual_report(agency, year).to_json())


@transaction.atomic
def annual_report_record_advance(*, record: AnnualReportRecord) -> AnnualReportRecord:
    record = AnnualReportRecord.objects.select_for_update().get(pk=record.pk)
    State = AnnualReportRecord.State
    if record.state == State.DRAFT:
        record.state = State.IN_REVIEW
        record.save(update_fields=["state"])
    elif record.state == State.IN_REVIEW:
        record.state, record.published_at = State.PUBLISHED, timezone.now()
        record.save(update_fields=["state", "published_at"])
    else:
        raise ValidationError("已发布的年度报告已锁定；如需更正，请生成新版本")
    return record
