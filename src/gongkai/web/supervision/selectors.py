"""Reads of the supervision records, all through the one gate (``agencies.selectors``).

An office is an agency where the user holds the 主管部门 role; its units are the agencies
below it (``Agency.subtree_ids``) plus the roster's units that do not use gongkai.  A unit
sees only its own check-ins; the office sees its subtree's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.agencies.selectors import user_roles_in, visible_agency_ids

from .models import Bulletin, Checkin, CheckinItem, Finding, OfficeSettings, RosterUnit


def offices_supervised_by(user) -> list[Agency]:
    """The agencies whose supervision pages ``user`` runs (a superuser: every agency with a supervisor)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    memberships = Membership.objects.filter(role=Membership.Role.SUPERVISOR)
    if not user.is_superuser:
        memberships = memberships.filter(user=user)
    return list(Agency.objects.filter(pk__in=memberships.values("agency_id")).order_by("full_name"))


def is_supervisor_of(user, office: Agency) -> bool:
    return bool(user.is_superuser) or Membership.Role.SUPERVISOR in user_roles_in(user, office)


def unit_agencies(office: Agency) -> QuerySet[Agency]:
    """The agencies on gongkai the office supervises: its subtree without itself."""
    return Agency.objects.filter(pk__in=office.subtree_ids() - {office.pk}).order_by("full_name")


@dataclass
class RosterRow:
    name: str
    agency: Agency | None  # None: a unit that does not use gongkai
    entry: RosterUnit | None  # contacts, when the roster has them


def roster_of(office: Agency) -> list[RosterRow]:
    """Every unit of ``office``: the agencies below it (with their contacts, if entered), then the others."""
    stored = list(RosterUnit.objects.filter(office=office).select_related("liaison_user", "leader_user"))
    entries = {entry.agency_id: entry for entry in stored if entry.agency_id is not None}
    rows = [RosterRow(agency.full_name, agency, entries.get(agency.pk)) for agency in unit_agencies(office)]
    # An entry whose agency has left the subtree is kept, but is no longer one of the office's units.
    rows += [RosterRow(entry.name, None, entry)
             for entry in sorted((e for e in stored if e.agency_id is None), key=lambda e: e.name)]
    return rows


# ---------------------------------------------------------------- the week


def week_start_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def office_settings_of(office: Agency) -> OfficeSettings:
    """The office's deadline; an unsaved default (Friday 17:00) until the office sets one."""
    return OfficeSettings.objects.filter(office=office).first() or OfficeSettings(office=office)


def week_due_at(office: Agency, week_start: date, chosen: OfficeSettings | None = None) -> datetime:
    chosen = chosen or office_settings_of(office)
    day = week_start + timedelta(days=chosen.weekday)
    return timezone.make_aware(datetime.combine(day, chosen.due_time))


def offices_of_unit(agency: Agency) -> list[Agency]:
    """The offices above ``agency`` that ask it for a weekly check-in (they have active items)."""
    ancestors, node = [], agency.parent
    while node is not None:
        ancestors.append(node.pk)
        node = node.parent
    with_items = set(CheckinItem.objects.filter(office_id__in=ancestors, active=True).values_list("office_id", flat=True))
    return [office for office in Agency.objects.filter(pk__in=with_items).order_by("full_name")]


def may_answer_checkin(user, agency: Agency) -> bool:
    """The unit's 联络员 (named in any office's roster) or its 机构管理员 answers; a supervisor never does."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if Membership.Role.AGENCY_ADMIN in user_roles_in(user, agency):
        return True
    return RosterUnit.objects.filter(agency=agency, liaison_user=user).exists() and bool(user_roles_in(user, agency))


def checkins_visible_to(user) -> QuerySet[Checkin]:
    ids = visible_agency_ids(user)
    checkins = Checkin.objects.select_related("agency", "office", "submitted_by")
    return checkins if ids is None else checkins.filter(agency_id__in=ids)


@dataclass
class WeekStatus:
    agency: Agency
    checkin: Checkin | None
    state: str  # "on_time", "late", "missing" (deadline passed), "pending" (deadline to come)

    @property
    def label(self) -> str:
        return {"on_time": "按时报送", "late": "逾期报送", "missing": "未报送", "pending": "待报送"}[self.state]


def week_statuses(office: Agency, week_start: date, now: datetime | None = None) -> list[WeekStatus]:
    """Each unit on gongkai under ``office`` and its check-in of the week: on time, late, missing or pending."""
    return weeks_statuses(office, [week_start], now)[week_start]


def weeks_statuses(office: Agency, weeks: list[date], now: datetime | None = None) -> dict[date, list[WeekStatus]]:
    """``week_statuses`` of several weeks at once (three queries, whatever the number of weeks)."""
    now = now or timezone.now()
    chosen = office_settings_of(office)
    units = list(unit_agencies(office))
    checkins = {(c.week_start, c.agency_id): c for c in Checkin.objects.filter(office=office, week_start__in=weeks)
                .select_related("submitted_by")}
    found = {}
    for week_start in weeks:
        due_at = week_due_at(office, week_start, chosen)
        statuses = []
        for agency in units:
            checkin = checkins.get((week_start, agency.pk))
            if checkin is not None:
                state = "late" if checkin.is_late else "on_time"
            else:
                state = "missing" if now > due_at else "pending"
            statuses.append(WeekStatus(agency, checkin, state))
        found[week_start] = statuses
    return found


# ---------------------------------------------------------------- findings


def findings_visible_to(user) -> QuerySet[Finding]:
    """A unit's own findings; an office's subtree's, with those of its roster units outside gongkai; the
    findings of a roster unit outside gongkai to the 联络员 account the roster names (the one gate)."""
    ids = visible_agency_ids(user)
    findings = Finding.objects.select_related("agency", "office", "publication", "roster_unit")
    if ids is None:
        return findings
    outside = Q(agency__isnull=True) & (Q(office_id__in=ids) | Q(roster_unit__liaison_user_id=user.pk))
    return findings.filter(Q(agency_id__in=ids) | outside)


def may_reply_finding(user, finding: Finding) -> bool:
    """The unit answers its 整改: on gongkai as it answers its check-in; outside it, the roster's 联络员 account."""
    if finding.agency_id is not None:
        return may_answer_checkin(user, finding.agency)
    liaison = finding.roster_unit.liaison_user_id
    return getattr(user, "is_authenticated", False) and user.is_active and liaison is not None and liaison == user.pk


# ---------------------------------------------------------------- 通报 and 考核


def offices_above(agency: Agency) -> list[Agency]:
    """The agencies above ``agency``, nearest first (a unit's offices are among them)."""
    found, node = [], agency.parent
    while node is not None:
        found.append(node)
        node = node.parent
    return found


def units_worked_in(user) -> QuerySet[Agency]:
    """The agencies where ``user`` works (any role but 主管部门): the units whose own 通报 and score they see."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    worked = Membership.objects.filter(user=user).exclude(role=Membership.Role.SUPERVISOR).values("agency_id")
    return Agency.objects.filter(pk__in=worked).order_by("full_name")


def bulletins_visible_to(user):
    """The office's own 通报 (drafts too) to its supervisors; issued 通报 of the offices above a unit to the unit."""
    bulletins = Bulletin.objects.select_related("office")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return bulletins.none()
    if user.is_superuser:
        return bulletins
    supervised = [office.pk for office in offices_supervised_by(user)]
    above = {office.pk for unit in units_worked_in(user) for office in offices_above(unit)}
    return bulletins.filter(Q(office_id__in=supervised) | Q(office_id__in=above, state=Bulletin.State.ISSUED))


def may_see_score(user, office: Agency, agency: Agency) -> bool:
    """The office's supervisors see every unit's score; a unit's own staff see its own (the one gate)."""
    if agency.pk not in office.subtree_ids() - {office.pk}:
        return False
    if is_supervisor_of(user, office):
        return True
    ids = visible_agency_ids(user)
    return ids is None or (agency.pk in ids and units_worked_in(user).filter(pk=agency.pk).exists())
