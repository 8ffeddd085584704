"""年度考核: an office's rubric applied to a unit's records of a year.

Every deduction is one record (an application, an appeal, a finding, an annual report, or a
week without a check-in) found by the same rules the rest of gongkai uses
(``Application.is_overdue``, ``Finding.is_overdue``, ``week_statuses``, ``corpus.similar``),
and links to it; an indicator never goes below 0.  Scores are computed from the records as
they stand, as of the end of the year (or today, during the year); a finalised score
(``YearScore``) keeps the evidence as it was.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.corpus import similar
from gongkai.web.agencies.models import Agency
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.appeals.models import Appeal
from gongkai.web.cases.models import Application

from .inspection import ANNUAL_REPORT_DUE
from .models import Checkin, CheckinItem, Finding, Indicator
from .selectors import unit_agencies, week_due_at, week_start_of

Defect = Indicator.Defect

# The default rubric seeded on an office's first use (100 points), editable afterwards.
DEFAULT_RUBRIC = [
    ("依申请公开按期答复", Defect.OVERDUE_APPLICATION, 20, 6),
    ("行政复议和诉讼", Defect.APPEAL_CORRECTED, 15, 3),
    ("年度报告按时发布", Defect.ANNUAL_REPORT_LATE, 10, 5),
    ("年度报告质量", Defect.ANNUAL_REPORT_SIMILAR, 10, 5),
    ("周打卡", Defect.CHECKIN_MISSING, 20, 2),
    ("巡查问题整改", Defect.FINDING_LATE, 25, 2),
]


def rubric_of(office: Agency, *, acting_user=None) -> list[Indicator]:
    """The office's indicators; the default rubric is stored on first use."""
    indicators = list(Indicator.objects.filter(office=office))
    if indicators:
        return indicators
    with transaction.atomic():
        for position, (name, defect, points, deduction) in enumerate(DEFAULT_RUBRIC, start=1):
            indicator = Indicator(office=office, name=name, defect=defect, points=points, deduction=deduction,
                                  position=position)
            indicator._history_user = acting_user
            indicator.save()
    return list(Indicator.objects.filter(office=office))


def as_of_for(year: int, today: date | None = None) -> date:
    """The day a year's records are judged on: its last day, or today while the year runs."""
    today = today or timezone.localdate()
    return min(today, date(year, 12, 31))


@dataclass(frozen=True)
class Evidence:
    """One defect: the record behind a deduction."""

    record: str  # "application:12", "appeal:3", "finding:7", "annual:5", "week:2026-03-02"
    text: str
    url: str


@dataclass
class Rate:
    """A count beside its rate: 95.0%（19/20件）; no rate when nothing was counted."""

    good: int
    total: int
    unit: str

    @property
    def percent(self) -> str | None:
        return f"{Decimal(self.good * 100) / Decimal(self.total):.1f}%" if self.total else None

    def __str__(self) -> str:
        return f"{self.percent or '—'}（{self.good}/{self.total}{self.unit}）"


# ---------------------------------------------------------------- the records behind each defect


def _applications_of_year(agency: Agency, year: int):
    return (Application.objects.filter(agency=agency, received_on__year=year).prefetch_related("consultations")
            .order_by("received_on", "pk"))


def applications_judged(agency: Agency, year: int, as_of: date) -> tuple[list[Application], list[Application]]:
    """The year's applications (received in it) whose timeliness is known on ``as_of`` — answered, or
    already past their due date unanswered — and, among them, the overdue ones."""
    judged, overdue = [], []
    for application in _applications_of_year(agency, year):
        late = application.is_overdue(as_of)
        if late or application.closed_on is not None:
            judged.append(application)
            if late:
                overdue.append(application)
    return judged, overdue


def _overdue_applications(office, agency, year, as_of) -> list[Evidence]:
    _, overdue = applications_judged(agency, year, as_of)
    return [Evidence(f"application:{a.pk}", f"申请 {a.number}（{a.received_on:%Y-%m-%d} 收到）超过答复期限",
                     reverse("staff:case_detail", args=[a.pk])) for a in overdue]


def corrected_appeals(agency: Agency, year: int, as_of: date):
    return Appeal.objects.filter(agency=agency, result=Appeal.Result.CORRECTED, decided_on__year=year,
                                 decided_on__lte=as_of).order_by("decided_on", "pk")


def _appeals_corrected(office, agency, year, as_of) -> list[Evidence]:
    return [Evidence(f"appeal:{a.pk}", f"{a.get_kind_display()} {a.case_number or a.pk}：{a.decided_on:%Y-%m-%d} 结果纠正",
                     reverse("staff:appeal_detail", args=[a.pk])) for a in corrected_appeals(agency, year, as_of)]


def _first_published(agency: Agency, year: int) -> AnnualReportRecord | None:
    return (AnnualReportRecord.objects.filter(agency=agency, year=year, state=AnnualReportRecord.State.PUBLISHED)
            .order_by("published_at", "version").first())


def _annual_report_late(office, agency, year, as_of) -> list[Evidence]:
    """The report on the previous year (条例第五十条: due by 1月31日 of ``year``) published late or not at all."""
    report_year, due = year - 1, date(year, *ANNUAL_REPORT_DUE)
    if as_of <= due:
        return []
    record = _first_published(agency, report_year)
    published_on = timezone.localdate(record.published_at) if record and record.published_at else None
    if record is not None and (published_on is None or published_on <= due):
        return []  # published, and no date says it was late
    if record is not None and published_on <= as_of:
        return [Evidence(f"annual:{record.pk}", f"{report_year}年度报告 {published_on:%Y-%m-%d} 才发布（应于 {due:%Y-%m-%d} 前）",
                         reverse("staff:annual_detail", args=[record.pk]))]
    latest = AnnualReportRecord.objects.filter(agency=agency, year=report_year).order_by("-version").first()
    url = reverse("staff:annual_detail", args=[latest.pk]) if latest else reverse("staff:annual_list")
    return [Evidence(f"annual:{latest.pk}" if latest else f"annual_missing:{agency.pk}:{report_year}",
                     f"{report_year}年度报告至 {as_of:%Y-%m-%d} 未发布（应于 {due:%Y-%m-%d} 前）", url)]


def _report_row(record: AnnualReportRecord) -> dict:
    sections = (record.snapshot or {}).get("sections") or {}
    return {"report_id": str(record.pk), "year": record.year, "agency_key": str(record.agency_id),
            **{key: sections.get(key) for key in similar.SECTIONS}}


def similar_sections(office: Agency, year: int) -> dict[int, list[similar.Match]]:
    """The office's units' published reports on ``year - 1`` with a section that repeats the unit's own
    report of the year before or another unit's report of either year (MinHash, exact Jaccard ≥ 0.5)."""
    report_year = year - 1
    records = [record for agency in unit_agencies(office) for y in (report_year, report_year - 1)
               if (record := _first_published(agency, y)) is not None]
    by_id = {str(record.pk): record for record in records}
    found: dict[int, list[similar.Match]] = {}
    for match in similar.near_duplicates(similar.sections_of(_report_row(r) for r in records)):
        if match.section.year == report_year:
            found.setdefault(by_id[match.section.report_id].pk, []).append(match)
    return found


SECTION_LABELS = {"overview": "总体情况", "problems": "存在的主要问题及改进情况", "other": "其他需要报告的事项"}


def _annual_report_similar(office, agency, year, as_of, *, cache: dict) -> list[Evidence]:
    if "similar" not in cache:
        cache["similar"] = similar_sections(office, year)
    record = _first_published(agency, year - 1)
    if record is None or record.pk not in cache["similar"]:
        return []
    parts = []
    for match in cache["similar"][record.pk]:
        other = AnnualReportRecord.objects.select_related("agency").get(pk=int(match.other.report_id))
        whose = "本单位上年度报告" if match.kind == "previous_year" else f"{other.agency.full_name}{other.year}年度报告"
        parts.append(f"“{SECTION_LABELS[match.section.key]}”与{whose}相似度 {match.similarity:.0%}")
    return [Evidence(f"annual:{record.pk}", f"{year - 1}年度报告雷同：{'；'.join(dict.fromkeys(parts))}",
                     reverse("staff:annual_detail", args=[record.pk]))]


def checkin_weeks(office: Agency, year: int, as_of: date) -> list[date]:
    """The weeks of ``year`` (by their Monday) since the office first asked for a check-in whose deadline
    has passed by the end of ``as_of``."""
    first = CheckinItem.history.filter(office_id=office.pk).order_by("history_date").values_list(
        "history_date", flat=True).first()
    if first is None:
        return []
    week = max(week_start_of(timezone.localdate(first)), week_start_of(date(year, 1, 1)))
    end = timezone.make_aware(datetime.combine(as_of, time.max))
    weeks = []
    while week.year <= year and week_due_at(office, week) < end:
        if week.year == year:
            weeks.append(week)
        week += timedelta(days=7)
    return weeks


def _weeks(cache: dict, office: Agency, year: int, as_of: date) -> list[date]:
    if "weeks" not in cache:
        cache["weeks"] = checkin_weeks(office, year, as_of)
    return cache["weeks"]


def _checkins_missing(office, agency, year, as_of, *, cache: dict) -> list[Evidence]:
    weeks = _weeks(cache, office, year, as_of)
    done = set(Checkin.objects.filter(office=office, agency=agency, week_start__in=weeks)
               .values_list("week_start", flat=True))
    listing = reverse("supervision:office_checkins")
    return [Evidence(f"week:{week:%Y-%m-%d}", f"{week:%Y-%m-%d} 周未报送周打卡",
                     f"{listing}?office={office.pk}&week={week:%Y-%m-%d}") for week in weeks if week not in done]


def findings_due(office: Agency, agency: Agency, year: int, as_of: date):
    """The unit's findings whose 整改 deadline fell in ``year`` and has passed by ``as_of``."""
    return (Finding.objects.filter(office=office, agency=agency, due_on__year=year, due_on__lt=as_of)
            .order_by("due_on", "pk"))


def finding_is_late(finding: Finding) -> bool:
    """Not rectified on time: still open after its deadline, or the reply came after it."""
    if finding.state in Finding.OPEN_STATES:
        return True
    return finding.replied_at is None or timezone.localdate(finding.replied_at) > finding.due_on


def _findings_late(office, agency, year, as_of) -> list[Evidence]:
    return [Evidence(f"finding:{f.pk}", f"{f.get_kind_display()}：整改期限 {f.due_on:%Y-%m-%d}，未按期整改",
                     reverse("supervision:finding_detail", args=[f.pk]))
            for f in findings_due(office, agency, year, as_of) if finding_is_late(f)]


_FINDERS = {
    Defect.OVERDUE_APPLICATION: _overdue_applications,
    Defect.APPEAL_CORRECTED: _appeals_corrected,
    Defect.ANNUAL_REPORT_LATE: _annual_report_late,
    Defect.FINDING_LATE: _findings_late,
}
_CACHED_FINDERS = {Defect.ANNUAL_REPORT_SIMILAR: _annual_report_similar, Defect.CHECKIN_MISSING: _checkins_missing}


# ---------------------------------------------------------------- scores


@dataclass
class IndicatorScore:
    indicator_id: int
    name: str
    defect: str
    defect_label: str
    points: Decimal
    deduction: Decimal
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def deducted(self) -> Decimal:
        return min(self.points, self.deduction * len(self.evidence))

    @property
    def score(self) -> Decimal:
        return self.points - self.deducted  # floor at 0: never more than the indicator's points is deducted


@dataclass
class UnitScore:
    agency: Agency
    year: int
    as_of: date
    indicators: list[IndicatorScore]
    rates: dict[str, Rate]

    @property
    def total(self) -> Decimal:
        return sum((i.score for i in self.indicators), Decimal(0))

    @property
    def points(self) -> Decimal:
        return sum((i.points for i in self.indicators), Decimal(0))

    def as_json(self) -> dict:
        return {"agency_id": self.agency.pk, "agency": self.agency.full_name, "year": self.year,
                "as_of": self.as_of.isoformat(), "total": str(self.total), "points": str(self.points),
                "rates": {key: {**asdict(rate), "text": str(rate)} for key, rate in self.rates.items()},
                "indicators": [{"indicator_id": i.indicator_id, "name": i.name, "defect": i.defect,
                                "defect_label": i.defect_label, "points": str(i.points),
                                "deduction": str(i.deduction), "deducted": str(i.deducted), "score": str(i.score),
                                "evidence": [asdict(e) for e in i.evidence]} for i in self.indicators]}


def rates_of(office: Agency, agency: Agency, year: int, as_of: date, *, weeks: list[date]) -> dict[str, Rate]:
    judged, overdue = applications_judged(agency, year, as_of)
    done = Checkin.objects.filter(office=office, agency=agency, week_start__in=weeks).count()
    findings = list(findings_due(office, agency, year, as_of))
    return {"applications": Rate(len(judged) - len(overdue), len(judged), "件"),
            "checkins": Rate(done, len(weeks), "周"),
            "findings": Rate(sum(1 for f in findings if not finding_is_late(f)), len(findings), "件")}


RATE_LABELS = {"applications": "按期答复率", "checkins": "周打卡报送率", "findings": "按期整改率"}


def unit_score(office: Agency, agency: Agency, year: int, *, today: date | None = None,
               indicators: list[Indicator] | None = None, cache: dict | None = None) -> UnitScore:
    as_of = as_of_for(year, today)
    cache = {} if cache is None else cache
    scored = []
    for indicator in indicators if indicators is not None else rubric_of(office):
        if indicator.defect in _CACHED_FINDERS:
            evidence = _CACHED_FINDERS[indicator.defect](office, agency, year, as_of, cache=cache)
        else:
            evidence = _FINDERS[indicator.defect](office, agency, year, as_of)
        scored.append(IndicatorScore(indicator.pk, indicator.name, indicator.defect, indicator.get_defect_display(),
                                     indicator.points, indicator.deduction, evidence))
    weeks = _weeks(cache, office, year, as_of)
    return UnitScore(agency, year, as_of, scored, rates_of(office, agency, year, as_of, weeks=weeks))


def ranking(office: Agency, year: int, *, today: date | None = None) -> list[UnitScore]:
    """Every unit on gongkai under the office, best first (ties by name)."""
    indicators = rubric_of(office)
    cache: dict = {}
    scores = [unit_score(office, agency, year, today=today, indicators=indicators, cache=cache)
              for agency in unit_agencies(office)]
    return sorted(scores, key=lambda s: (-s.total, s.agency.full_name))
