"""Demo data of the office's roll-up and copied-text pages: the first seed unit's report of the following year,
whose text repeats its seed-year report with the year changed (示例数据), so the 年报文字雷同 page shows a pair
and the 年报汇总 page has two years.  Idempotent: nothing is added once that report exists."""

from __future__ import annotations

from django.db import transaction

from gongkai.web.agencies.models import Agency
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.annual.services import (
    annual_report_record_advance,
    annual_report_record_create,
    annual_report_record_save_sections,
)
from gongkai.web.registers.models import YearlyFigures

FIGURES = ("licensing_decisions", "penalty_decisions", "coercion_decisions", "fees_amount_10k_yuan")


def repeated(text: str | None, year: int) -> str:
    """Last year's text as a unit that copies it writes it: the year moved on, a line added."""
    if not text:
        return ""
    return text.replace(f"{year - 1}年", f"{year}年") + "\n（示例数据：本段照搬上一年度报告，仅改动年份。）"


@transaction.atomic
def load_demo_repeated_report(agencies: list[Agency]) -> AnnualReportRecord | None:
    """Publish the first seed unit's next-year report repeating its seed year's text; None when already there."""
    if not agencies:
        return None
    agency = agencies[0]
    # The seed year's report (the first one published), never a later one: loading again adds nothing.
    last = (AnnualReportRecord.objects.filter(agency=agency, state=AnnualReportRecord.State.PUBLISHED)
            .order_by("year", "-version").first())
    if last is None or AnnualReportRecord.objects.filter(agency=agency, year=last.year + 1).exists():
        return None
    year = last.year + 1
    figures = YearlyFigures.objects.filter(agency=agency, year=last.year).first()
    if figures is not None:  # table 二's hand-entered figures, as last year (the report needs them to publish)
        YearlyFigures.objects.get_or_create(agency=agency, year=year,
                                            defaults={name: getattr(figures, name) for name in FIGURES})
    record = annual_report_record_create(agency=agency, year=year)
    sections = last.snapshot.get("sections") or {}
    record = annual_report_record_save_sections(
        record=record, acting_user=None, **{key: repeated(sections.get(key), year) for key in ("overview", "problems", "other")})
    while record.state != AnnualReportRecord.State.PUBLISHED:  # the system acts: 审核 and 签发
        record = annual_report_record_advance(record=record)
    return record
