"""The staff home (/staff/): the day's work of the person logged in.

Three parts, all derived from the cases' present state and the calendar, nothing stored:

- 我承办的案件: the open cases whose 承办人 is the user, most urgent first (overdue first, then
  by working days left; a due date that cannot be computed last);
- 等待我的岗位: the open cases whose next statutory step is one the user's role takes in the
  case's agency (the roles come from ``cases.rules.STEP_ROLES``, the table the services check);
  a case with a 承办人 waits for that person for the 承办 steps, not for every handler;
- 本月: received, closed, open and overdue cases of the agencies the user sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from gongkai.web.agencies.models import Membership
from gongkai.web.cases.models import Application
from gongkai.web.cases.rules import STEP_ROLES
from gongkai.web.cases.selectors import cases_visible_to
from gongkai.web.schedules.calendar import site_calendar
from gongkai.web.supervision.selectors import offices_supervised_by
from gongkai.workdays import WorkCalendar

from .selectors import CaseRow, calendar_notice, case_row

LOGIN_URL = "staff:login"
State = Application.State
Role = Membership.Role

# The step that moves an open case on from each state (its roles are STEP_ROLES[step]).
NEXT_STEP: dict[str, tuple[str, str]] = {
    State.REGISTERED: ("start_review", "待审查"),
    State.REVIEWING: ("accept", "待转承办"),
    State.AWAITING_CORRECTION: ("receive_correction", "待收到补正"),
    State.HANDLING: ("draft_reply", "待拟办答复"),
    State.AWAITING_FEE: ("record_fee_payment", "待登记缴费"),
    State.CONSULTING: ("end_consultation", "征求意见中"),
    State.DRAFTED: ("approve_review", "待审核"),
    State.REVIEWED: ("sign", "待签发"),
    State.SIGNED: ("deliver", "待送达"),
}
EXTENSION_STEP = ("approve_extension", "待批准延期")
SHOWN_PER_GROUP = 10
# Above this many open cases the overdue count is not computed on the home page (one deadline per
# case); the page then says so and points to the case list rather than showing a partial number.
OVERDUE_COUNT_LIMIT = 3000


@dataclass(frozen=True)
class WaitingGroup:
    label: str
    role_label: str
    total: int
    rows: list[CaseRow]
    link: str


def by_urgency(rows: list[CaseRow]) -> list[CaseRow]:
    """Overdue first (most days overdue first), then fewest working days left; unknown due dates last."""
    def key(row: CaseRow):
        if row.working_days_left is not None:
            return (0, row.working_days_left, row.application.received_on)
        if row.flag == "overdue":  # overdue, but the days cannot be counted (a year without a schedule)
            return (0, -10**6, row.application.received_on)
        return (1, 0, row.application.received_on)

    return sorted(rows, key=key)


def _roles_by_agency(user) -> dict[int, set[str]]:
    roles: dict[int, set[str]] = {}
    for agency_id, role in Membership.objects.filter(user=user).values_list("agency_id", "role"):
        roles.setdefault(agency_id, set()).add(role)
    return roles


def _waiting_filter(step: str, roles_by_agency: dict[int, set[str]], user) -> Q | None:
    """The cases of the agencies where the user holds a role of ``step``.

    A user who may take the step only as 承办 sees the cases no 承办人 has taken on yet: a case
    with a 承办人 waits for that person (under 我承办的), not for every handler. Cases the user
    handles are never repeated here.
    """
    step_roles = set(STEP_ROLES[step])
    any_case = [agency for agency, roles in roles_by_agency.items() if roles & (step_roles - {Role.HANDLER})]
    unassigned = [agency for agency, roles in roles_by_agency.items()
                  if agency not in any_case and Role.HANDLER in roles & step_roles]
    if not any_case and not unassigned:
        return None
    return (Q(agency_id__in=any_case) | Q(agency_id__in=unassigned, assignee__isnull=True)) & ~Q(assignee=user)


def waiting_for(user, *, today: date, calendar: WorkCalendar) -> list[WaitingGroup]:
    roles_by_agency = _roles_by_agency(user)
    visible = cases_visible_to(user).exclude(state__in=Application.CLOSED_STATES)
    groups = []
    role_labels = dict(Role.choices)
    steps = [(step, label, Q(state=state), {"state": state}) for state, (step, label) in NEXT_STEP.items()]
    steps.append((*EXTENSION_STEP, Q(extension_days__gt=0, extension_approved_on__isnull=True), {}))
    for step, label, condition, query in steps:
        who = _waiting_filter(step, roles_by_agency, user)
        if who is None:
            continue
        cases = visible.filter(condition & who)
        total = cases.count()
        if not total:
            continue
        oldest = cases.select_related("assignee").prefetch_related("consultations").order_by("received_on", "pk")
        rows = by_urgency([case_row(a, today=today, calendar=calendar) for a in oldest[:SHOWN_PER_GROUP * 5]])
        held = {role for roles in roles_by_agency.values() for role in roles} & set(STEP_ROLES[step])
        link = reverse("staff:case_list") + (f"?state={query['state']}" if query else "")
        groups.append(WaitingGroup(label, "、".join(role_labels[r] for r in STEP_ROLES[step] if r in held), total,
                                   rows[:SHOWN_PER_GROUP], link))
    return groups


@dataclass(frozen=True)
class MonthFigures:
    received: int
    closed: int
    open: int
    overdue: int | None  # None: too many open cases to count here


def month_figures(user, *, today: date, calendar: WorkCalendar) -> MonthFigures:
    visible = cases_visible_to(user)
    first = today.replace(day=1)
    open_cases = visible.exclude(state__in=Application.CLOSED_STATES)
    open_count = open_cases.count()
    overdue = None
    if open_count <= OVERDUE_COUNT_LIMIT:
        rows = (case_row(a, today=today, calendar=calendar) for a in open_cases.prefetch_related("consultations"))
        overdue = sum(row.flag == "overdue" for row in rows)
    return MonthFigures(received=visible.filter(received_on__gte=first, received_on__lte=today).count(),
                        closed=visible.filter(closed_on__gte=first, closed_on__lte=today).count(),
                        open=open_count, overdue=overdue)


@login_required(login_url=LOGIN_URL)
def staff_home(request):
    today, calendar = timezone.localdate(), site_calendar()
    mine = (cases_visible_to(request.user).filter(assignee=request.user).exclude(state__in=Application.CLOSED_STATES)
            .select_related("agency").prefetch_related("consultations"))
    return render(request, "staff/home.html", {
        "today": today, "calendar_notice": calendar_notice(today, calendar),
        "mine": by_urgency([case_row(a, today=today, calendar=calendar) for a in mine]),
        "waiting": waiting_for(request.user, today=today, calendar=calendar),
        "month": month_figures(request.user, today=today, calendar=calendar),
        "overdue_limit": OVERDUE_COUNT_LIMIT,
        "supervised": offices_supervised_by(request.user),
    })
