"""An agency's annual report computed from the database.

* Table 三: the agency's applications become ledger records and go through
  ``gongkai.ledger`` — the same parsing, checks and counting rules as an imported ledger.
* Table 四: an appeal counts in year Y when it was filed within Y, or filed earlier and not
  yet decided on Y-01-01 (still pending when the year began).  Its result is the one
  standing on Y-12-31: decided on or before that day → its result; otherwise 尚未审结.
  This mirrors table 三's carried-over rule, so a case pending across a year end appears in
  both years, as pending in the first.
* Table 二: 规章 / 行政规范性文件 issued and repealed within Y and in force on Y-12-31 (issued
  on or before it and not repealed on or before it), from the register; decision counts
  and fees from the agency-year figures (null when not entered).
"""

from __future__ import annotations

from datetime import date

from gongkai.ledger import ledger_from_records, table_three
from gongkai.report import taxonomy as tx
from gongkai.report.model import AnnualReport
from gongkai.web.agencies.models import Agency
from gongkai.web.appeals.models import Appeal
from gongkai.web.cases.models import Application
from gongkai.web.registers.models import RegulatoryDocument, YearlyFigures


def application_ledger_records(agency: Agency, year: int):
    """Ledger records of the applications that could count in ``year`` (spec/ledger.md columns)."""
    first = date(year, 1, 1)
    applications = (Application.objects.filter(agency=agency, received_on__lte=date(year, 12, 31))
                    .exclude(closed_on__lt=first).prefetch_related("consultations").order_by("pk"))
    for application in applications:
        consultations = [c for c in application.consultations.all() if c.end_on]
        yield {
            "id": application.number,
            "received": application.received_on,
            "applicant_type": application.applicant_type,
            "closed": application.closed_on,
            "outcome": application.outcome if application.closed_on else None,
            "channel": application.get_channel_display(),
            "correction_requested": application.correction_requested_on,
            "correction_received": application.correction_received_on,
            "consultation_start": consultations[0].start_on if consultations else None,
            "consultation_end": consultations[-1].end_on if consultations else None,
            "extension_days": application.approved_extension_days or None,
        }


def _appeals_table(report: AnnualReport, agency: Agency, year: int) -> None:
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = {key: dict.fromkeys(tx.APPEAL_COLUMN_KEYS, 0) for key in tx.APPEAL_BLOCK_KEYS}
    appeals = Appeal.objects.filter(agency=agency, filed_on__lte=last).exclude(decided_on__lt=first)
    for appeal in appeals:
        row = rows[appeal.kind]
        row[appeal.result_at(last)] += 1
        row["total"] += 1
    report.appeals = rows


def _proactive_table(report: AnnualReport, agency: Agency, year: int) -> None:
    first, last = date(year, 1, 1), date(year, 12, 31)
    documents = RegulatoryDocument.objects.filter(agency=agency)
    for kind in RegulatoryDocument.Kind.values:
        of_kind = documents.filter(kind=kind)
        report.proactive[kind] = {
            "issued": of_kind.filter(issued_on__range=(first, last)).count(),
            "repealed": of_kind.filter(repealed_on__range=(first, last)).count(),
            "in_force": of_kind.filter(issued_on__lte=last).exclude(repealed_on__lte=last).count(),
        }
    figures = YearlyFigures.objects.filter(agency=agency, year=year).first()
    report.proactive["licensing"] = {"decisions": figures.licensing_decisions if figures else None}
    report.proactive["penalty"] = {"decisions": figures.penalty_decisions if figures else None}
    report.proactive["coercion"] = {"decisions": figures.coercion_decisions if figures else None}
    report.proactive["fees"] = {"amount_10k_yuan": figures.fees_as_number() if figures else None}


def annual_report(agency: Agency, year: int) -> AnnualReport:
    """Tables 二、三、四 of ``agency``'s report on ``year`` from the database (sections left null)."""
    ledger = ledger_from_records(application_ledger_records(agency, year), source=f"数据库：{agency.full_name}")
    report = table_three(ledger, year, agency=agency.full_name).report
    report.source = {"reader": "gongkai.web", "applications": len(ledger)}
    _appeals_table(report, agency, year)
    if report.format == "2021":
        _proactive_table(report, agency, year)
    return report
