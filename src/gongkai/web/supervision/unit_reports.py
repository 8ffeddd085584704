"""The report of unit U for year Y, as the office's roll-up and copied-text pages read it.

A unit on gongkai: its newest published ``AnnualReportRecord`` version (a draft is not the
unit's report).  A unit that files its report with the office instead (the annual-report
collection): ``filed_reports``, the one hook the filing records plug into.  Both pages read
units' reports only through ``unit_reports``, so they do not depend on how a report came in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from gongkai.report.model import AnnualReport
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.annual.selectors import records_visible_to

from .collection import filings_visible_to
from .models import ReportFiling
from .selectors import RosterRow


@dataclass(frozen=True)
class UnitReport:
    unit_key: str  # "agency:<pk>" or "roster:<pk>" (a unit known by name only)
    year: int
    report_id: str  # "record:<pk>", or what the filing hook names its reports by
    report: AnnualReport
    url: str  # the page of the unit's report
    label: str  # which version, in Chinese: 第2版（已发布）


def unit_key(row: RosterRow) -> str:
    return f"agency:{row.agency.pk}" if row.agency is not None else f"roster:{row.entry.pk}"


def _from_record(record: AnnualReportRecord, key: str) -> UnitReport:
    return UnitReport(key, record.year, f"record:{record.pk}", AnnualReport.from_json(record.snapshot),
                      reverse("staff:annual_detail", args=[record.pk]),
                      f"第{record.version}版（{record.get_state_display()}）")


def filed_reports(user, rows: list[RosterRow], years: Iterable[int] | None) -> list[UnitReport]:
    """Reports the units filed with the office (not written on gongkai): per unit and year, the newest
    version the office accepted (已通过 or 已发布), through the filings' own gate."""
    keys = {row.entry.pk: unit_key(row) for row in rows if row.agency is None and row.entry is not None}
    filings = (filings_visible_to(user)
               .filter(unit_id__in=keys, state__in=[ReportFiling.State.PASSED, ReportFiling.State.PUBLISHED])
               .order_by("unit_id", "year", "version"))
    if years is not None:
        filings = filings.filter(year__in=list(years))
    newest: dict[tuple[int, int], ReportFiling] = {}
    for filing in filings:
        newest[(filing.unit_id, filing.year)] = filing  # ordered by version: the last one wins
    return [UnitReport(keys[unit_id], filing.year, f"filing:{filing.pk}", AnnualReport.from_json(filing.report),
                       reverse("supervision:filing_detail", args=[filing.pk]),
                       f"第{filing.version}版（{filing.get_state_display()}）")
            for (unit_id, _), filing in sorted(newest.items())]


def unit_reports(user, rows: list[RosterRow], *, years: Iterable[int] | None = None) -> list[UnitReport]:
    """Every unit's report of each of ``years`` (all years when None) that ``user`` may see.

    A unit on gongkai with a published version is read from it; any unit-year without one is
    taken from ``filed_reports``.
    """
    keys = {row.agency.pk: unit_key(row) for row in rows if row.agency is not None}
    records = (records_visible_to(user).filter(agency_id__in=keys, state=AnnualReportRecord.State.PUBLISHED)
               .order_by("agency_id", "year", "version"))
    if years is not None:
        years = list(years)
        records = records.filter(year__in=years)
    newest: dict[tuple[int, int], AnnualReportRecord] = {}
    for record in records:
        newest[(record.agency_id, record.year)] = record  # ordered by version: the last one wins
    found = [_from_record(record, keys[agency_id]) for (agency_id, _), record in sorted(newest.items())]
    have = {(report.unit_key, report.year) for report in found}
    found += [report for report in filed_reports(user, rows, years) if (report.unit_key, report.year) not in have]
    return found


def unit_report(user, row: RosterRow, year: int) -> UnitReport | None:
    """The report of one unit for one year, or None."""
    return next(iter(unit_reports(user, [row], years=[year])), None)
