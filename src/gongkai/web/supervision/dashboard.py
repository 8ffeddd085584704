"""The supervisor's home (监督首页): on-time rates, overdue counts, monthly trends and each unit's light.

Nothing here has a counting rule of its own.  Overdue counts are the sections of the day's digest
(``digest.digest_of``); check-in rates count ``selectors.week_statuses``; the answer rate counts
answered cases (送达 or 归档) by ``Application.is_overdue``; findings are counted by their ``month``
and ``state``.  Each figure carries the link of the page that lists exactly its records
(``drilldown`` holds the filters those pages apply).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from gongkai.web.agencies.models import Agency
from gongkai.web.cases.due_bounds import maybe_answered_late
from gongkai.web.cases.models import Application
from gongkai.web.schedules.calendar import site_calendar
from gongkai.workdays import WorkdaysError

from .digest import DigestSection, digest_of
from .models import Checkin, CheckinItem, Finding
from .selectors import roster_of, week_start_of, weeks_statuses

MONTHS = 12
# The cases that count as answered (the 答复 was delivered); abandoned and unpaid cases are not answers.
ANSWERED_STATES = (Application.State.DELIVERED, Application.State.ARCHIVED)
# Digest sections shown as overdue counts, and whether one such item turns a unit red (else amber).
OVERDUE_SECTIONS = {"overdue": True, "finding_overdue": True, "publication_late": False, "correction_late": False,
                    "fee_lapsed": False}


@dataclass(frozen=True)
class Rate:
    count: int  # on time
    of: int  # all that count
    url: str = ""

    @property
    def percent(self) -> float | None:
        """None when nothing counts: no rate is shown rather than a confident 100%."""
        return None if not self.of else round(100 * self.count / self.of, 1)


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    """The first days of the last ``months`` months, oldest first, this month last."""
    first = today.replace(day=1)
    starts = [first]
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
        starts.append(first)
    return starts[::-1]


def month_after(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


# ---------------------------------------------------------------- answers


def answered_cases(agency_ids, since: date, until: date):
    """Cases answered (送达/归档) with ``closed_on`` in [since, until)."""
    return Application.objects.filter(agency_id__in=agency_ids, state__in=ANSWERED_STATES,
                                      closed_on__gte=since, closed_on__lt=until)


@dataclass
class Answered:
    """Answered cases of a set: how many, and which were late or have no computable due date."""

    total: dict = field(default_factory=lambda: defaultdict(int))  # (agency_id, month) -> answered
    late: dict = field(default_factory=lambda: defaultdict(list))  # (agency_id, month) -> [pk]
    unknown: dict = field(default_factory=lambda: defaultdict(list))  # due date not computable


def answered_figures(cases, months: list[date]) -> Answered:
    """``cases`` (answered ones) by (agency, month closed) for ``months``: totals in SQL, lateness by
    ``is_overdue``."""
    figures = Answered()
    for month in months:  # one grouped count per month: read from the index (application_answered)
        for agency_id, n in (cases.filter(closed_on__gte=month, closed_on__lt=month_after(month)).order_by()
                             .values_list("agency_id").annotate(n=Count("pk"))):
            figures.total[(agency_id, month)] += n
    calendar = site_calendar()
    # Only a case closed after the earliest day its reply could be due may be late (``due_bounds``).
    maybe = maybe_answered_late(cases, calendar)
    chunks = (maybe[i:i + 2000] for i in range(0, len(maybe), 2000))  # within SQLite's limit of parameters
    for application in (a for chunk in chunks for a in Application.objects.filter(pk__in=chunk)
                        .prefetch_related("consultations").order_by("pk")):
        key = (application.agency_id, application.closed_on.replace(day=1))
        try:
            late = application.is_overdue(application.closed_on, calendar=calendar)
        except WorkdaysError:
            figures.unknown[key].append(application.pk)
            continue
        if late:
            figures.late[key].append(application.pk)
    return figures


def answered_late_ids(cases) -> set[int]:
    """The late ones among answered ``cases`` (the case list's ``timing=late``)."""
    return {pk for pks in answered_figures(cases, []).late.values() for pk in pks}


def answered_unknown_ids(cases) -> set[int]:
    return {pk for pks in answered_figures(cases, []).unknown.values() for pk in pks}


def _rate(figures: Answered, keys, url: str) -> Rate:
    total = sum(figures.total[k] for k in keys)
    unknown = sum(len(figures.unknown[k]) for k in keys)
    late = sum(len(figures.late[k]) for k in keys)
    of = total - unknown
    return Rate(of - late, of, url)


# ---------------------------------------------------------------- check-ins


def checkin_weeks(office: Agency, since: date, until: date, now: datetime) -> list[date]:
    """The Mondays in [since, until) whose check-in the office asked for: from its first item or check-in on."""
    starts = [d for d in (CheckinItem.history.filter(office_id=office.pk).order_by("history_date")
                          .values_list("history_date", flat=True)[:1])]
    first_checkin = Checkin.objects.filter(office=office).order_by("week_start").values_list("week_start",
                                                                                             flat=True).first()
    begin = min([timezone.localtime(d).date() for d in starts] + ([first_checkin] if first_checkin else []),
                default=None)
    if begin is None:
        return []
    week = week_start_of(max(since, begin))
    if week < since:
        week += timedelta(days=7)
    weeks = []
    while week < until and week <= now.date():
        weeks.append(week)
        week += timedelta(days=7)
    return weeks


def checkin_statuses(office: Agency, since: date, until: date, now: datetime) -> list[tuple[date, object]]:
    """(week, status) for every unit and asked week in [since, until), pending ones left out."""
    found = weeks_statuses(office, checkin_weeks(office, since, until, now), now=now)
    return [(week, status) for week, statuses in found.items() for status in statuses if status.state != "pending"]


def _checkin_rate(pairs, url: str) -> Rate:
    return Rate(sum(1 for _w, s in pairs if s.state == "on_time"), len(pairs), url)


# ---------------------------------------------------------------- links


def _link(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode({k: v for k, v in params.items() if v not in (None, '')})}"


def answers_url(office, since: date, until: date, *, agency=None, timing: str = "") -> str:
    return _link("staff:case_list", office=office.pk, agency=agency.pk if agency else "",
                 answered_from=since.isoformat(), answered_until=until.isoformat(), timing=timing)


def digest_url(office, key: str, *, agency=None) -> str:
    name = "staff:publication_list" if key == "publication_late" else "staff:case_list"
    if key == "finding_overdue":
        return _link("supervision:office_findings", office=office.pk, state="overdue",
                     agency=agency.pk if agency else "")
    return _link(name, office=office.pk, digest=key, agency=agency.pk if agency else "")


def checkins_url(office, since: date, until: date, *, agency=None, state: str = "") -> str:
    return _link("supervision:checkin_weeks", office=office.pk, since=since.isoformat(), until=until.isoformat(),
                 agency=agency.pk if agency else "", state=state)


def findings_url(office, month: date, *, state: str = "") -> str:
    return _link("supervision:office_findings", office=office.pk, month=f"{month:%Y-%m}", state=state)


# ---------------------------------------------------------------- the page


@dataclass
class Overdue:
    key: str
    title: str
    count: int
    url: str
    red: bool


@dataclass
class UnitRow:
    name: str
    agency: Agency | None
    answered: Rate | None = None
    checkins: Rate | None = None
    overdue: list[Overdue] = field(default_factory=list)
    light: str = "none"  # red / amber / green / none (not on gongkai)
    reasons: list[str] = field(default_factory=list)

    @property
    def light_label(self) -> str:
        return {"red": "红", "amber": "黄", "green": "绿", "none": "无数据"}[self.light]


@dataclass(frozen=True)
class Month:
    start: date
    answered: Rate
    checkins: Rate
    found: int
    found_url: str
    accepted: int
    accepted_url: str

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m}"


@dataclass
class Dashboard:
    office: Agency
    today: date
    since: date
    until: date
    answered: Rate
    checkins: Rate
    overdue: list[Overdue]
    months: list[Month]
    units: list[UnitRow]
    green_rate: float
    red_rate: float

    def lights(self) -> dict[str, int]:
        counts = {"red": 0, "amber": 0, "green": 0, "none": 0}
        for unit in self.units:
            counts[unit.light] += 1
        return counts


def thresholds() -> tuple[float, float]:
    """(green at or above, red below) in percent: ``GONGKAI_DASHBOARD_GREEN_RATE`` / ``_RED_RATE``."""
    return float(settings.GONGKAI_DASHBOARD_GREEN_RATE), float(settings.GONGKAI_DASHBOARD_RED_RATE)


def _light(row: UnitRow, green: float, red: float) -> None:
    reds = [f"{o.title} {o.count}" for o in row.overdue if o.count and o.red]
    ambers = [f"{o.title} {o.count}" for o in row.overdue if o.count and not o.red]
    for label, rate in (("答复按时率", row.answered), ("周打卡按时率", row.checkins)):
        if rate is not None and rate.percent is not None:
            if rate.percent < red:
                reds.append(f"{label} {rate.percent}%")
            elif rate.percent < green:
                ambers.append(f"{label} {rate.percent}%")
    row.light = "red" if reds else "amber" if ambers else "green"
    row.reasons = reds + ambers


def dashboard_of(office: Agency, agencies, *, today: date | None = None) -> Dashboard:
    """The office's dashboard over ``agencies`` (its subtree as the gate lets the user see it)."""
    today = today or timezone.localdate()
    now = timezone.make_aware(datetime.combine(today, time.max))
    starts = month_starts(today)
    since, until = starts[0], month_after(starts[-1])
    agencies = list(agencies)
    ids = {a.pk for a in agencies}
    green, red = thresholds()

    sections: dict[str, DigestSection] = {s.key: s for s in digest_of(agencies, offices=[office], today=today)}
    overdue = [Overdue(key, sections[key].title, sections[key].count, digest_url(office, key), is_red)
               for key, is_red in OVERDUE_SECTIONS.items()]

    answered = answered_figures(answered_cases(ids, since, until), starts)
    pairs = [(w, s) for w, s in checkin_statuses(office, since, until, now) if s.agency.pk in ids]
    findings = Finding.objects.filter(office=office, agency_id__in=ids, month__gte=since, month__lt=until)
    found = dict(findings.order_by().values_list("month").annotate(n=Count("pk")))
    accepted = dict(findings.filter(state=Finding.State.ACCEPTED).order_by().values_list("month")
                    .annotate(n=Count("pk")))

    months = []
    for start in starts:
        end = month_after(start)
        keys = [(pk, start) for pk in ids]
        months.append(Month(
            start, _rate(answered, keys, answers_url(office, start, end)),
            _checkin_rate([p for p in pairs if start <= p[0] < end], checkins_url(office, start, end)),
            found.get(start, 0), findings_url(office, start),
            accepted.get(start, 0), findings_url(office, start, state=Finding.State.ACCEPTED)))

    pairs_of: dict[int, list] = defaultdict(list)
    for pair in pairs:
        pairs_of[pair[1].agency.pk].append(pair)
    items_of: dict[tuple[str, int], int] = defaultdict(int)
    for key in OVERDUE_SECTIONS:
        for item in sections[key].items:
            items_of[(key, item.agency.pk)] += 1
    units = []
    for entry in roster_of(office):
        agency = entry.agency
        if agency is None or agency.pk not in ids:
            units.append(UnitRow(entry.name, None))
            continue
        row = UnitRow(entry.name, agency,
                      _rate(answered, [(agency.pk, s) for s in starts], answers_url(office, since, until,
                                                                                     agency=agency)),
                      _checkin_rate(pairs_of[agency.pk],
                                    checkins_url(office, since, until, agency=agency)))
        for total in overdue:
            row.overdue.append(Overdue(total.key, total.title, items_of[(total.key, agency.pk)],
                                       digest_url(office, total.key, agency=agency),
                                       total.red))
        _light(row, green, red)
        units.append(row)
    order = {"red": 0, "amber": 1, "green": 2, "none": 3}
    units.sort(key=lambda u: order[u.light])

    return Dashboard(office, today, since, until,
                     _rate(answered, [(pk, s) for pk in ids for s in starts], answers_url(office, since, until)),
                     _checkin_rate(pairs, checkins_url(office, since, until)),
                     overdue, months, units, green, red)
