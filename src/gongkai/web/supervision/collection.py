"""年度报告报送: reading the year's collection of every roster unit's annual report.

A unit on gongkai writes its report in gongkai (``annual.AnnualReportRecord``): its state is
derived from that record's workflow.  A unit not on gongkai files a file with its office
(``ReportFiling``).  Either way each unit of the roster is in one of 未编写 → 已报送 → 退回 →
已通过 → 已发布, with the date it first filed against the statutory 1月31日 of the next year
(条例第四十九条).  Filings are read only through ``filings_visible_to`` (the office's
supervisors see their subtree's, a unit's 联络员 its own unit's, nobody else any).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from gongkai.report import taxonomy as tx
from gongkai.report.model import AnnualReport
from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.annual.models import AnnualReportEvent, AnnualReportRecord
from gongkai.web.annual.selectors import record_checks

from .inspection import ANNUAL_REPORT_DUE
from .models import ReportFiling, RosterUnit
from .selectors import is_supervisor_of, roster_of

Filing = ReportFiling.State
STATES = (("unwritten", "未编写"), ("filed", "已报送"), ("returned", "退回"), ("passed", "已通过"),
          ("published", "已发布"))
STATE_LABELS = dict(STATES)
# A unit on gongkai: its newest version's state, as the office sees it.
RECORD_STATES = {AnnualReportRecord.State.IN_REVIEW: "filed", AnnualReportRecord.State.APPROVED: "passed",
                 AnnualReportRecord.State.PUBLISHED: "published"}


def statutory_date(year: int) -> date:
    """The day the report of ``year`` is due with the office: 1月31日 of the next year (条例第四十九条)."""
    return date(year + 1, *ANNUAL_REPORT_DUE)


# ---------------------------------------------------------------- the gate


def supervised_office_ids(user) -> set[int] | None:
    """The agencies whose units' filings ``user`` sees as a supervisor: each supervised subtree (None: all)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    ids: set[int] = set()
    for membership in Membership.objects.filter(user=user, role=Membership.Role.SUPERVISOR).select_related("agency"):
        ids |= membership.agency.subtree_ids()
    return ids


def filings_visible_to(user) -> QuerySet[ReportFiling]:
    """The filings of the offices ``user`` supervises (their subtrees), and of the units ``user`` is 联络员 of."""
    filings = ReportFiling.objects.select_related("unit", "unit__office", "filed_by", "reviewed_by")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return filings.none()
    ids = supervised_office_ids(user)
    if ids is None:
        return filings
    return filings.filter(Q(unit__office_id__in=ids) | Q(unit__liaison_user=user, unit__agency=None))


def units_filed_by(user) -> QuerySet[RosterUnit]:
    """The roster units not on gongkai whose 联络员 account ``user`` is."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return RosterUnit.objects.none()
    return RosterUnit.objects.filter(liaison_user=user, agency=None).select_related("office").order_by("name")


def may_file(user, unit: RosterUnit) -> bool:
    """A unit not on gongkai files through its 联络员 account, or its office files on its behalf."""
    if unit.agency_id is not None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return unit.liaison_user_id == user.pk or is_supervisor_of(user, unit.office)


# ---------------------------------------------------------------- one year of the roster


@dataclass
class CollectionRow:
    name: str
    agency: Agency | None
    entry: RosterUnit | None
    state: str
    filed_at: datetime | None  # the first time the unit filed (or submitted) the year's report
    on_time: bool | None  # None: not filed and the day has not come
    url: str | None  # the record or filing behind the row
    errors: int = 0
    warnings: int = 0
    problem: str = ""  # e.g. the published file is not the version passed
    filing: ReportFiling | None = None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def _on_time(filed_at: datetime | None, year: int, today: date) -> bool | None:
    due = statutory_date(year)
    if filed_at is None:
        return False if today > due else None
    return timezone.localdate(filed_at) <= due


def _issue_counts(report_json: dict) -> tuple[int, int]:
    issues = report_json.get("issues") or []
    return (sum(i.get("severity") == "error" for i in issues), sum(i.get("severity") == "warning" for i in issues))


def _record_row(row, year: int, today: date) -> CollectionRow:
    versions = list(AnnualReportRecord.objects.filter(agency=row.agency, year=year).order_by("version"))
    submitted = (AnnualReportEvent.objects.filter(record__in=versions, action=AnnualReportEvent.Action.SUBMITTED)
                 .order_by("at").values_list("at", flat=True).first())
    published = next((r for r in reversed(versions) if r.state == AnnualReportRecord.State.PUBLISHED), None)
    latest = versions[-1] if versions else None
    if published is not None:
        state, shown = "published", published
    elif latest is None:
        state, shown = "unwritten", None
    elif latest.state in RECORD_STATES:
        state, shown = RECORD_STATES[latest.state], latest
    else:
        returned = latest.events.filter(action=AnnualReportEvent.Action.RETURNED).exists()
        state, shown = ("returned" if returned else "unwritten"), latest
    filed_at = submitted or (published.published_at if published else None)
    errors = warnings = 0
    if shown is not None and state != "unwritten":
        issues = record_checks(shown)
        errors = sum(i.severity == "error" for i in issues)
        warnings = sum(i.severity == "warning" for i in issues)
    return CollectionRow(row.name, row.agency, row.entry, state, filed_at, _on_time(filed_at, year, today),
                         reverse("staff:annual_detail", args=[shown.pk]) if shown else None, errors, warnings)


def mismatch_problem(filing: ReportFiling) -> str:
    if filing.published_matches is False:
        return "发布的文件与审核通过的版本不一致（SHA-256 不同）"
    return ""


def _filing_row(row, filings: list[ReportFiling], year: int, today: date) -> CollectionRow:
    if not filings:
        return CollectionRow(row.name, None, row.entry, "unwritten", None, _on_time(None, year, today), None)
    first, latest = filings[0], filings[-1]
    errors, warnings = _issue_counts(latest.report)
    return CollectionRow(row.name, None, row.entry, latest.state, first.filed_at,
                         _on_time(first.filed_at, year, today),
                         reverse("supervision:filing_detail", args=[latest.pk]), errors, warnings,
                         mismatch_problem(latest), latest)


def collection_of(office: Agency, year: int, *, user, today: date | None = None) -> list[CollectionRow]:
    """Every unit of ``office``'s roster and its report of ``year``; filings as far as ``user`` may see them."""
    today = today or timezone.localdate()
    filings: dict[int, list[ReportFiling]] = {}
    for filing in (filings_visible_to(user).filter(unit__office=office, year=year)
                   .defer("content").order_by("version")):
        filings.setdefault(filing.unit_id, []).append(filing)
    rows = []
    for row in roster_of(office):
        if row.agency is not None:
            rows.append(_record_row(row, year, today))
        else:
            rows.append(_filing_row(row, filings.get(row.entry.pk, []), year, today))
    return rows


@dataclass(frozen=True)
class CollectionCounts:
    units: int
    by_state: dict[str, int]
    on_time: int
    late: int  # filed after the day, or not filed once it has passed
    problems: int


def collection_counts(rows: list[CollectionRow]) -> CollectionCounts:
    return CollectionCounts(
        units=len(rows), by_state={key: sum(r.state == key for r in rows) for key, _ in STATES},
        on_time=sum(r.on_time is True for r in rows), late=sum(r.on_time is False for r in rows),
        problems=sum(bool(r.problem) for r in rows))


# ---------------------------------------------------------------- year over year


def filing_report(filing: ReportFiling) -> AnnualReport:
    return AnnualReport.from_json(filing.report)


def previous_filing(unit: RosterUnit, year: int) -> ReportFiling | None:
    """Last year's report of the unit as the office has it: the version passed (or published), else the latest."""
    last = ReportFiling.objects.filter(unit=unit, year=year - 1).defer("content").order_by("-version")
    return last.filter(state__in=[Filing.PASSED, Filing.PUBLISHED]).first() or last.first()


@dataclass(frozen=True)
class ComparedLine:
    label: str
    previous: object
    current: object

    @property
    def change(self):
        if isinstance(self.previous, int | float) and isinstance(self.current, int | float):
            return self.current - self.previous
        return None


def compare_totals(current: AnnualReport, previous: AnnualReport | None) -> list[ComparedLine]:
    """Table 三's rows and table 四's blocks, each row's 总计, this year beside last year's."""
    lines = []
    for key in current.application_row_keys():
        before = ((previous.applications.get(key) or {}).get("total")) if previous else None
        lines.append(ComparedLine(tx.cell_label("applications", key, "total"),
                                  before, (current.applications.get(key) or {}).get("total")))
    for block in tx.APPEAL_BLOCK_KEYS:
        before = ((previous.appeals.get(block) or {}).get("total")) if previous else None
        lines.append(ComparedLine(f"表四{tx.APPEAL_BLOCKS[block].label}总计", before,
                                  (current.appeals.get(block) or {}).get("total")))
    return lines


def filing_of_year(unit: RosterUnit, year: int) -> ReportFiling | None:
    """The unit's report of ``year`` as the office has it (passed or published, else the latest version)."""
    return previous_filing(unit, year + 1)


def record_of_year(agency: Agency, year: int) -> AnnualReportRecord | None:
    """An agency's report of ``year`` in gongkai: the newest published version, else the newest."""
    versions = AnnualReportRecord.objects.filter(agency=agency, year=year).order_by("-version")
    return versions.filter(state=AnnualReportRecord.State.PUBLISHED).first() or versions.first()


@dataclass(frozen=True)
class FilingProblem:
    unit: RosterUnit
    text: str
    url: str
    record: object  # the filing, or the roster entry when nothing was filed


def filing_problems(office: Agency, today: date) -> list[FilingProblem]:
    """The office's units outside gongkai whose last-year report is not filed once 1月31日 has passed, or whose
    published file is not the version the office passed (for the 日提醒)."""
    year = today.year - 1
    late = today > statutory_date(year)
    latest: dict[int, ReportFiling] = {}
    for filing in ReportFiling.objects.filter(unit__office=office, year=year).defer("content").order_by("version"):
        latest[filing.unit_id] = filing
    problems = []
    for unit in RosterUnit.objects.filter(office=office, agency=None).order_by("name"):
        filing = latest.get(unit.pk)
        if filing is None and late:
            problems.append(FilingProblem(unit, f"{unit.name}：{year}年度报告应于{statutory_date(year).month}月{statutory_date(year).day}日前报送，至今未报送",
                                          f"{reverse('supervision:collection')}?office={office.pk}&year={year}", unit))
        elif filing is not None and mismatch_problem(filing):
            problems.append(FilingProblem(unit, f"{unit.name}：{year}年度{mismatch_problem(filing)}",
                                          reverse("supervision:filing_detail", args=[filing.pk]), filing))
    return problems
